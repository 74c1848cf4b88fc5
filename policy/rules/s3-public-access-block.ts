import type { PlanResource, PlanView } from '../plan/plan-view';
import type { Rule } from '../types';
import { bucketCompanions, expectValue, finding } from './helpers';

const PUBLIC_ACCESS_BLOCKS = ['aws_s3_bucket_public_access_block', 'aws_s3_account_public_access_block'];

/** An account-level block with every flag on covers every bucket of the account. */
function accountBlocksEverything(plan: PlanView): boolean {
  return plan
    .ofType('aws_s3_account_public_access_block')
    .some((block) => FLAGS.every(({ attribute }) => plan.value(block, [attribute]) === true));
}

/** Mirrors checkov CKV2_AWS_6 and cdk-nag AwsSolutions-S2: the bucket has a public access block. */
export const s3HasPublicAccessBlock: Rule = {
  id: 'CKV2_AWS_6',
  aliases: ['S2'],
  title: 'S3 buckets have a public access block',
  fix: 'Add an aws_s3_bucket_public_access_block for the bucket with all four flags set to true.',
  resourceTypes: ['aws_s3_bucket'],
  check(plan) {
    if (accountBlocksEverything(plan)) return [];
    return plan
      .ofType('aws_s3_bucket')
      .filter((bucket) => bucketCompanions(plan, bucket, 'aws_s3_bucket_public_access_block').length === 0)
      .map((bucket) => finding(bucket, 'no aws_s3_bucket_public_access_block for the bucket'));
  },
};

const FLAGS = [
  { id: 'CKV_AWS_53', attribute: 'block_public_acls', title: 'S3 public access blocks block public ACLs' },
  { id: 'CKV_AWS_54', attribute: 'block_public_policy', title: 'S3 public access blocks block public bucket policies' },
  { id: 'CKV_AWS_55', attribute: 'ignore_public_acls', title: 'S3 public access blocks ignore public ACLs' },
  { id: 'CKV_AWS_56', attribute: 'restrict_public_buckets', title: 'S3 public access blocks restrict public buckets' },
] as const;

function flagRule({ id, attribute, title }: (typeof FLAGS)[number]): Rule {
  return {
    id,
    title,
    fix: `Set ${attribute} = true on the public access block.`,
    resourceTypes: PUBLIC_ACCESS_BLOCKS,
    check(plan) {
      return plan.ofType(...PUBLIC_ACCESS_BLOCKS).flatMap((block: PlanResource) => {
        const problem = expectValue(plan, block, [attribute], true);
        return problem ? [finding(block, problem)] : [];
      });
    },
  };
}

/** Mirror checkov CKV_AWS_53 to CKV_AWS_56: each of the four flags of every public access block is on. */
export const s3PublicAccessBlockFlags: readonly Rule[] = FLAGS.map(flagRule);
