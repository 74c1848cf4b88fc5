/**
 * The Terraform state of a stage deployed before consumers existed, reduced to what the move concerns: its user
 * pool, resource server and the one app client M2mAuth made (at `auth/client`), with the attributes those had.
 */
import { LEGACY_CLIENT_ADDRESS } from '../../stacks/constructs/consumer-access';
import type { TerraformJson } from '../../synth/terraform-json';

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
export const POOL_ID = 'us-east-1_AbCdEfGhI';
export const LEGACY_CLIENT_ID = '1example0legacy0client0id0';
const SCOPES = ['read', 'write', 'update', 'delete'];

function instance(address: string, attributes: Record<string, unknown>) {
  const [type, name] = address.split('.');
  return {
    mode: 'managed',
    type,
    name,
    provider: PROVIDER,
    instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }],
  };
}

/** `synthesized`: the stack's cdk.tf.json, for the addresses that have not changed (pool, resource server). */
export function preConsumerState(stage: string, synthesized: TerraformJson): object {
  const resources = synthesized.resource ?? {};
  const only = (type: string): string => {
    const names = Object.keys(resources[type] ?? {});
    if (names.length !== 1) throw new Error(`expected one ${type}, found ${names.length}`);
    return `${type}.${names[0]}`;
  };
  return {
    version: 4,
    terraform_version: '1.11.4',
    serial: 7,
    lineage: '3f1c2a9e-0000-4000-8000-000000000001',
    outputs: {},
    resources: [
      instance(only('aws_cognito_user_pool'), {
        id: POOL_ID,
        arn: `arn:aws:cognito-idp:us-east-1:123456789012:userpool/${POOL_ID}`,
        name: `m2m-api-${stage}`,
        deletion_protection: 'INACTIVE',
        admin_create_user_config: [{ allow_admin_create_user_only: true, invite_message_template: [] }],
        account_recovery_setting: [{ recovery_mechanism: [{ name: 'admin_only', priority: 1 }] }],
      }),
      instance(only('aws_cognito_resource_server'), {
        id: `${POOL_ID}|access_points`,
        identifier: 'access_points',
        name: 'access_points',
        user_pool_id: POOL_ID,
        scope: SCOPES.map((name) => ({ scope_name: name, scope_description: `${name} categories` })),
        scope_identifiers: SCOPES.map((name) => `access_points/${name}`),
      }),
      instance(LEGACY_CLIENT_ADDRESS, {
        id: LEGACY_CLIENT_ID,
        name: `m2m-api-${stage}-client`,
        user_pool_id: POOL_ID,
        client_secret: 'legacy-client-secret',
        generate_secret: true,
        allowed_oauth_flows: ['client_credentials'],
        allowed_oauth_flows_user_pool_client: true,
        allowed_oauth_scopes: SCOPES.map((name) => `access_points/${name}`),
        supported_identity_providers: ['COGNITO'],
        access_token_validity: 60,
        token_validity_units: [{ access_token: 'minutes', id_token: 'hours', refresh_token: 'days' }],
        enable_token_revocation: true,
      }),
    ],
  };
}
