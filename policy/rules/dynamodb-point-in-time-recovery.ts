import type { Rule } from '../types';
import { expectValue, finding } from './helpers';

/** Mirrors checkov CKV_AWS_28 and cdk-nag AwsSolutions-DDB3. */
export const dynamodbPointInTimeRecovery: Rule = {
  id: 'CKV_AWS_28',
  aliases: ['DDB3'],
  title: 'DynamoDB tables have point-in-time recovery enabled',
  fix: 'Set point_in_time_recovery { enabled = true } on the aws_dynamodb_table.',
  resourceTypes: ['aws_dynamodb_table'],
  check(plan) {
    return plan.ofType('aws_dynamodb_table').flatMap((table) => {
      const problem = expectValue(plan, table, ['point_in_time_recovery', 0, 'enabled'], true);
      return problem ? [finding(table, problem)] : [];
    });
  },
};
