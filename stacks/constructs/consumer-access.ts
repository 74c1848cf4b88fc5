import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { consumerSecretPrefix, type ConsumerRegistry } from '../consumers';
import type { Scope } from '../scopes';
import { ConsumerCredentials } from './consumer-credentials';
import { ConsumerQueries } from './consumer-queries';
import { ConsumerSecretsKey } from './consumer-secrets-key';
import type { M2mAuth } from './m2m-auth';
import type { SecureRestApi } from './secure-rest-api';

/**
 * The Terraform address of the one app client each stage had before consumers (`M2mAuth`'s `client`, at
 * construct path `auth/client`). The operations consumer's generation 1 takes it over through a `moved` block, so
 * upgrading renames that client in place instead of replacing it — which would have invalidated its secret.
 * Terraform ignores the block where the address is not in the state (new deployments). Keep the block until every
 * deployment has applied it; once the operations consumer drops generation 1 it goes away by itself.
 */
export const LEGACY_CLIENT_ADDRESS = 'aws_cognito_user_pool_client.auth_client_1F1CDD0E';
/** The credential generation that takes over {@link LEGACY_CLIENT_ADDRESS}. */
export const LEGACY_CLIENT_GENERATION = 1;

export interface ConsumerAccessProps {
  /** Prefix of every name, e.g. `m2m-api-dev`. */
  readonly namePrefix: string;
  readonly region: string;
  /** A registry already checked by `validateConsumers`. */
  readonly consumers: ConsumerRegistry;
  /** The consumer that takes over the pre-consumer app client (and whose credentials the stack outputs). */
  readonly operationsConsumer: string;
  readonly auth: M2mAuth<Scope>;
  readonly api: SecureRestApi;
  /** Token lifetime, in minutes, of consumers that do not set their own. */
  readonly defaultAccessTokenValidityMinutes: number;
  readonly secretRecoveryDays: number;
  /** One usage plan per consumer and an API key per credential generation. @default false */
  readonly usagePlans?: boolean;
}

/**
 * Every consumer of a stage: the KMS key of their secrets, each consumer's clients, API keys, usage plan and
 * secrets ({@link ConsumerCredentials}), and the saved Logs Insights queries that show each one's traffic.
 */
export class ConsumerAccess extends Construct {
  public readonly key: ConsumerSecretsKey;
  public readonly consumers: ReadonlyMap<string, ConsumerCredentials>;
  public readonly operations: ConsumerCredentials;
  public readonly queries: ConsumerQueries;

  constructor(scope: Construct, id: string, props: ConsumerAccessProps) {
    super(scope, id);
    const entries = Object.entries(props.consumers);
    this.key = new ConsumerSecretsKey(this, 'secrets-key', {
      alias: `${props.namePrefix}/consumer-secrets`,
      description: `Encrypts the consumer credentials secrets of ${props.namePrefix}`,
      region: props.region,
      readers: entries
        .filter(([, consumer]) => (consumer.credentials.readers ?? []).length > 0)
        .map(([name, consumer]) => ({
          sid: `Read${name.replace(/(?:^|-)([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Secrets`,
          principals: consumer.credentials.readers ?? [],
          secretNamePrefix: consumerSecretPrefix(props.namePrefix, name),
        })),
    });

    const consumers = new Map<string, ConsumerCredentials>();
    for (const [name, consumer] of entries) {
      consumers.set(
        name,
        new ConsumerCredentials(this, `consumer-${name}`, {
          name,
          consumer,
          namePrefix: props.namePrefix,
          auth: props.auth,
          accessTokenValidityMinutes: consumer.accessTokenValidityMinutes ?? props.defaultAccessTokenValidityMinutes,
          tokenUrl: props.auth.tokenEndpoint,
          apiUrl: props.api.invokeUrl,
          encryptionKeyArn: this.key.key.arn,
          recoveryWindowDays: props.secretRecoveryDays,
          usagePlan: props.usagePlans
            ? { restApiId: props.api.api.id, stageName: props.api.stage.stageName }
            : undefined,
        }),
      );
    }
    this.consumers = consumers;
    const operations = consumers.get(props.operationsConsumer);
    if (!operations) {
      throw new Error(
        `${this.node.path}: the operations consumer "${props.operationsConsumer}" is not in the registry.`,
      );
    }
    this.operations = operations;
    const heir = operations.generations.find((g) => g.generation === LEGACY_CLIENT_GENERATION)?.client;
    if (heir) {
      // A `moved` block written directly: cdktf's own moveFromId makes every synth run `terraform version` (a
      // ValidateTerraformVersion for moves), which costs about half a second per stack and fails where Terraform is
      // not installed — `npm start` needs only Node.js.
      TerraformStack.of(this).addOverride('moved', [
        { from: LEGACY_CLIENT_ADDRESS, to: `${heir.terraformResourceType}.${heir.friendlyUniqueId}` },
      ]);
    }

    this.queries = new ConsumerQueries(this, 'queries', {
      folder: `${props.namePrefix}/consumers`,
      logGroupName: props.api.accessLogGroup.name,
      clients: [...consumers].flatMap(([name, credentials]) =>
        credentials.generations.map((g) => ({ label: `${name}/${g.generation}`, clientId: g.client.id })),
      ),
    });
  }

  /** What the `consumers` output shows per consumer: its scopes, client ids and where its credentials live. */
  public summary(): Record<string, unknown> {
    return Object.fromEntries(
      [...this.consumers].map(([name, credentials]) => [
        name,
        {
          scopes: credentials.scopes,
          current_generation: credentials.current.generation,
          client_ids: Object.fromEntries(credentials.generations.map((g) => [String(g.generation), g.client.id])),
          secret_arns: Object.fromEntries(credentials.generations.map((g) => [String(g.generation), g.secret.arn])),
          ...(credentials.usagePlan && {
            usage_plan_id: credentials.usagePlan.id,
            api_key_ids: Object.fromEntries(credentials.generations.map((g) => [String(g.generation), g.apiKey?.id])),
          }),
        },
      ]),
    );
  }
}
