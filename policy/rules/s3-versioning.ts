import type { Rule } from '../types';
import { bucketCompanions, finding } from './helpers';

/** Mirrors checkov CKV_AWS_21 and cdk-nag S3BucketVersioningEnabled: every state version can be restored. */
export const s3Versioning: Rule = {
  id: 'CKV_AWS_21',
  aliases: ['S3BucketVersioningEnabled'],
  title: 'S3 buckets have versioning enabled',
  fix: 'Add an aws_s3_bucket_versioning for the bucket with versioning_configuration { status = "Enabled" }.',
  resourceTypes: ['aws_s3_bucket'],
  check(plan) {
    return plan.ofType('aws_s3_bucket').flatMap((bucket) => {
      const configs = bucketCompanions(plan, bucket, 'aws_s3_bucket_versioning');
      const enabled =
        configs.some((c) => plan.value(c, ['versioning_configuration', 0, 'status']) === 'Enabled') ||
        plan.value(bucket, ['versioning', 0, 'enabled']) === true;
      if (enabled) return [];
      return [
        finding(
          bucket,
          configs.length > 0
            ? 'versioning is configured but not Enabled'
            : 'no aws_s3_bucket_versioning enables versioning',
        ),
      ];
    });
  },
};
