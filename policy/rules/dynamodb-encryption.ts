import type { Rule } from '../types';
import { expectValue, finding } from './helpers';

/**
 * Mirrors checkov CKV_AWS_119, less strictly: the table is encrypted with a KMS key — the AWS managed key
 * (aws/dynamodb, whose use CloudTrail records) or a customer managed one. checkov's rule insists on a customer
 * managed key (kms_key_arn); DynamoDB's default AWS owned key, which is not in the account, fails both.
 */
export const dynamodbEncryption: Rule = {
  id: 'CKV_AWS_119',
  title: 'DynamoDB tables are encrypted with a KMS key (server-side encryption enabled)',
  fix: 'Set server_side_encryption { enabled = true } on the aws_dynamodb_table (with kms_key_arn for a customer managed key).',
  resourceTypes: ['aws_dynamodb_table'],
  check(plan) {
    return plan.ofType('aws_dynamodb_table').flatMap((table) => {
      const problem = expectValue(plan, table, ['server_side_encryption', 0, 'enabled'], true);
      return problem ? [finding(table, problem)] : [];
    });
  },
};
