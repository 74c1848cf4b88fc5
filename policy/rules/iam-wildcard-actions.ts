import { describeValue, literal } from '../plan/iam-policy';
import type { Rule } from '../types';
import { checkAllowStatements } from './helpers';

/** `*` or `<service>:*` */
export function isWildcardAction(action: string): boolean {
  return action === '*' || /^[\w-]+:\*$/.test(action);
}

/**
 * Mirrors checkov CKV_AWS_63 and (in part) cdk-nag AwsSolutions-IAM5: no identity policy allows every action, or
 * every action of a service. `NotAction` in an Allow statement is treated the same: it allows everything else.
 */
export const iamWildcardActions: Rule = {
  id: 'CKV_AWS_63',
  aliases: ['IAM5'],
  title: 'IAM policies allow no wildcard actions ("*" or "service:*")',
  fix: 'List the actions the principal needs (e.g. dynamodb:GetItem, dynamodb:PutItem) instead of "*" or "<service>:*".',
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
      const wildcards = statement.actions
        .map(literal)
        .filter((a): a is string => a !== undefined && isWildcardAction(a));
      if (wildcards.length > 0) messages.push(`${statement.origin} allows ${wildcards.join(', ')}`);
      if (statement.notActions.length > 0) {
        messages.push(
          `${statement.origin} allows every action except ${statement.notActions.map(describeValue).join(', ')} (NotAction)`,
        );
      }
      const hidden = statement.actions.filter((a) => literal(a) === undefined);
      if (hidden.length > 0) {
        messages.push(
          `${statement.origin} has actions that are computed (${hidden.map(describeValue).join(', ')}), so they cannot be verified`,
        );
      }
      return messages;
    });
  },
};
