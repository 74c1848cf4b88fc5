import { identityPolicies, isOpaque, literal, PolicyValue } from '../plan/iam-policy';
import type { Finding, Rule } from '../types';
import { finding } from './helpers';

/** `*` or `<service>:*` */
export function isWildcardAction(action: string): boolean {
  return action === '*' || /^[\w-]+:\*$/.test(action);
}

const describe = (value: PolicyValue): string => ('literal' in value ? value.literal : 'expression' in value ? value.expression : '(unknown)');

/**
 * Mirrors checkov CKV_AWS_63 and (in part) cdk-nag AwsSolutions-IAM5: no identity policy allows every action, or
 * every action of a service. `NotAction` in an Allow statement is treated the same: it allows everything else.
 */
export const iamWildcardActions: Rule = {
  id: 'CKV_AWS_63',
  aliases: ['IAM5'],
  title: 'IAM policies allow no wildcard actions ("*" or "service:*")',
  fix: 'List the actions the principal needs (e.g. dynamodb:GetItem, dynamodb:PutItem) instead of "*" or "<service>:*".',
  resourceTypes: ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy', 'aws_iam_role'],
  check(plan) {
    const findings: Finding[] = [];
    for (const { resource, document } of identityPolicies(plan)) {
      if (isOpaque(document)) {
        findings.push(finding(resource, document.opaque, 'Build the policy with an aws_iam_policy_document data source, so its statements are visible in the plan.'));
        continue;
      }
      for (const statement of document.statements) {
        if (statement.effect !== 'Allow') continue;
        const wildcards = statement.actions.map(literal).filter((a): a is string => a !== undefined && isWildcardAction(a));
        if (wildcards.length > 0) findings.push(finding(resource, `${statement.origin} allows ${wildcards.join(', ')}`));
        if (statement.notActions.length > 0) {
          findings.push(finding(resource, `${statement.origin} allows every action except ${statement.notActions.map(describe).join(', ')} (NotAction)`));
        }
        const hidden = statement.actions.filter((a) => literal(a) === undefined);
        if (hidden.length > 0) {
          findings.push(finding(resource, `${statement.origin} has actions that are computed (${hidden.map(describe).join(', ')}), so they cannot be verified`));
        }
      }
    }
    return findings;
  },
};
