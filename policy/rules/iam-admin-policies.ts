import type { Path, PlanResource, PlanView } from '../plan/plan-view';
import type { Finding, Rule } from '../types';
import { finding } from './helpers';

/**
 * AWS managed policies that grant administrator, power-user or service-wide full access: attaching one gives a
 * principal far more than a workload needs. AmazonCognitoPowerUser is the one the original SAM tutorial attached.
 */
export const PRIVILEGED_MANAGED_POLICIES: readonly string[] = [
  'AdministratorAccess',
  'AdministratorAccess-Amplify',
  'AdministratorAccess-AWSElasticBeanstalk',
  'PowerUserAccess',
  'IAMFullAccess',
  'job-function/SystemAdministrator',
  'AmazonCognitoPowerUser',
  'AmazonAPIGatewayAdministrator',
  'AWSLambda_FullAccess',
  'AWSLambdaFullAccess',
  'AmazonDynamoDBFullAccess',
  'AmazonS3FullAccess',
  'CloudWatchLogsFullAccess',
  'CloudWatchFullAccess',
  'AWSCloudFormationFullAccess',
  'AWSKeyManagementServicePowerUser',
  'SecretsManagerReadWrite',
];
const PRIVILEGED = new Set(PRIVILEGED_MANAGED_POLICIES.map((p) => p.toLowerCase()));
/** `arn:<partition>:iam::aws:policy/<optional path>/<name>` */
const AWS_MANAGED_POLICY_ARN = /^arn:[\w-]+:iam::aws:policy\/(?:service-role\/)?(.+)$/;

/** Where policy ARNs are attached to principals. */
const ATTACHMENTS: readonly { readonly type: string; readonly path: Path }[] = [
  { type: 'aws_iam_role_policy_attachment', path: ['policy_arn'] },
  { type: 'aws_iam_user_policy_attachment', path: ['policy_arn'] },
  { type: 'aws_iam_group_policy_attachment', path: ['policy_arn'] },
  { type: 'aws_iam_policy_attachment', path: ['policy_arn'] },
  { type: 'aws_ssoadmin_managed_policy_attachment', path: ['managed_policy_arn'] },
  { type: 'aws_iam_role', path: ['managed_policy_arns'] },
  { type: 'aws_iam_role_policy_attachments_exclusive', path: ['policy_arns'] },
  { type: 'aws_iam_user_policy_attachments_exclusive', path: ['policy_arns'] },
  { type: 'aws_iam_group_policy_attachments_exclusive', path: ['policy_arns'] },
];

/** The policy ARNs (or names, for `data.aws_iam_policy` lookups) that an attribute attaches. */
function attachedPolicies(plan: PlanView, resource: PlanResource, path: Path): string[] {
  const known = plan.value<unknown>(resource, path);
  const arns = (Array.isArray(known) ? known : known === undefined ? [] : [known]).filter(
    (a): a is string => typeof a === 'string',
  );
  // Computed ARNs: an aws_iam_policy data source looked up by name or ARN.
  for (const policy of plan.referenced(resource, path, 'aws_iam_policy')) {
    if (policy.mode !== 'data') continue;
    const name = plan.value<string>(policy, ['name']) ?? plan.value<string>(policy, ['arn']);
    if (name) arns.push(name);
  }
  return arns;
}

function privilegedName(arnOrName: string): string | undefined {
  const name = AWS_MANAGED_POLICY_ARN.exec(arnOrName)?.[1] ?? arnOrName;
  return PRIVILEGED.has(name.toLowerCase()) ? name : undefined;
}

/**
 * Mirrors checkov CKV_AWS_274 (no AdministratorAccess), widened to the power-user and service-wide full-access
 * AWS managed policies listed above.
 */
export const iamPrivilegedManagedPolicies: Rule = {
  id: 'CKV_AWS_274',
  title: 'No administrator, power-user or full-access AWS managed policies are attached',
  fix:
    'Detach the managed policy and grant the few actions the principal needs in an aws_iam_policy_document ' +
    'scoped to its resources (NodeFunction `statements`).',
  resourceTypes: ATTACHMENTS.map((a) => a.type),
  check(plan) {
    const findings: Finding[] = [];
    for (const { type, path } of ATTACHMENTS) {
      for (const resource of plan.ofType(type)) {
        for (const arn of attachedPolicies(plan, resource, path)) {
          const name = privilegedName(arn);
          if (name) findings.push(finding(resource, `attaches the AWS managed policy ${name}`));
        }
      }
    }
    return findings;
  },
};
