import { describeValue, literal, PolicyStatement, PolicyValue } from '../plan/iam-policy';
import { parseReference, templateReferences } from '../../synth/references';
import type { Rule } from '../types';
import { checkAllowStatements } from './helpers';

/**
 * Actions that support no resource-level permissions (the Service Authorization Reference lists no resource type
 * for them), so `"Resource": "*"` is the only way to allow them. Compared case-insensitively.
 */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS: readonly string[] = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
  'cloudwatch:PutMetricData',
  'cloudwatch:GetMetricData',
  'cloudwatch:GetMetricStatistics',
  'cloudwatch:ListMetrics',
  'logs:DescribeLogGroups',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeVpcs',
  'ecr:GetAuthorizationToken',
  'sts:GetCallerIdentity',
  's3:ListAllMyBuckets',
  'dynamodb:ListTables',
  'dynamodb:DescribeLimits',
  'dynamodb:DescribeEndpoints',
  'lambda:ListFunctions',
  'kms:ListKeys',
  'kms:ListAliases',
  'secretsmanager:GetRandomPassword',
  'secretsmanager:ListSecrets',
  'ssm:DescribeParameters',
  'cognito-idp:ListUserPools',
  'sqs:ListQueues',
  'sns:ListTopics',
  'iam:ListRoles',
  'iam:ListPolicies',
  'tag:GetResources',
];
const UNRESTRICTABLE = new Set(ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS.map((a) => a.toLowerCase()));

/** Whether a computed resource value is an attribute (an ARN) of a resource or data source, not a variable. */
function isResourceAttribute(value: PolicyValue): boolean {
  if (!('expression' in value)) return false;
  const references = templateReferences(value.expression);
  return references.length > 0 && references.every((r) => parseReference(r) !== undefined);
}

function restrictableActions(statement: PolicyStatement): string[] {
  return statement.actions
    .map((a) => literal(a) ?? describeValue(a))
    .filter((action) => !UNRESTRICTABLE.has(action.toLowerCase()));
}

/**
 * Mirrors checkov CKV_AWS_355 and (in part) cdk-nag AwsSolutions-IAM5: an identity policy may allow `"Resource":
 * "*"` only for actions that support no resource-level permissions (listed above); every other action is scoped
 * to the ARNs it needs.
 */
export const iamWildcardResources: Rule = {
  id: 'CKV_AWS_355',
  aliases: ['IAM5'],
  title: 'IAM policies allow "*" as resource only for actions without resource-level permissions',
  fix:
    'Scope the statement\'s resources to the ARNs the actions need (e.g. the table\'s arn), and keep "*" only in a ' +
    'separate statement for actions that support no resource-level permissions (e.g. xray:PutTraceSegments).',
  resourceTypes: [
    'aws_iam_policy',
    'aws_iam_role_policy',
    'aws_iam_user_policy',
    'aws_iam_group_policy',
    'aws_iam_role',
  ],
  check(plan) {
    return checkAllowStatements(plan, (statement) => {
      const messages: string[] = [];
      const everything = statement.notResources.length > 0 || statement.resources.some((r) => literal(r) === '*');
      if (everything) {
        const restrictable = restrictableActions(statement);
        if (restrictable.length > 0) {
          const scope = statement.notResources.length > 0 ? 'every resource but a few (NotResource)' : '"*"';
          messages.push(`${statement.origin} allows ${restrictable.join(', ')} on ${scope}`);
        }
      }
      const hidden = statement.resources.filter((r) => literal(r) === undefined && !isResourceAttribute(r));
      if (hidden.length > 0) {
        messages.push(
          `${statement.origin} has resources that are not ARNs of this stack's resources (${hidden.map(describeValue).join(', ')}), so they cannot be verified`,
        );
      }
      return messages;
    });
  },
};
