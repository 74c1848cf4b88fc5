import type { Rule } from '../types';
import { bucketCompanions, finding } from './helpers';

const ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

/** Mirrors checkov CKV_AWS_19 and cdk-nag S3DefaultEncryptionKMS (which also wants KMS). */
export const s3DefaultEncryption: Rule = {
  id: 'CKV_AWS_19',
  title: 'S3 buckets have default server-side encryption configured',
  fix:
    'Add an aws_s3_bucket_server_side_encryption_configuration for the bucket with rule { ' +
    'apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" } bucket_key_enabled = true }.',
  resourceTypes: ['aws_s3_bucket'],
  check(plan) {
    return plan.ofType('aws_s3_bucket').flatMap((bucket) => {
      const configs = bucketCompanions(plan, bucket, 'aws_s3_bucket_server_side_encryption_configuration');
      const algorithms = configs.flatMap((c) =>
        (plan.value<unknown[]>(c, ['rule']) ?? []).map((_, i) =>
          plan.value<string>(c, ['rule', i, 'apply_server_side_encryption_by_default', 0, 'sse_algorithm']),
        ),
      );
      const inline = plan.value<string>(bucket, [
        'server_side_encryption_configuration',
        0,
        'rule',
        0,
        'apply_server_side_encryption_by_default',
        0,
        'sse_algorithm',
      ]);
      if ([...algorithms, inline].some((a) => a !== undefined && ALGORITHMS.includes(a))) return [];
      return [
        finding(bucket, 'no aws_s3_bucket_server_side_encryption_configuration sets a default encryption algorithm'),
      ];
    });
  },
};
