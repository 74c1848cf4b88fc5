import type { Rule } from '../types';
import { expectValue, finding } from './helpers';

const KEY = 'aws_kms_key';

/**
 * Mirrors checkov CKV_AWS_7 (and cdk-nag KMSBackingKeyRotationEnabled): customer managed symmetric keys rotate
 * their key material yearly. Asymmetric and HMAC keys cannot rotate and are left alone.
 */
export const kmsKeyRotation: Rule = {
  id: 'CKV_AWS_7',
  aliases: ['KMSBackingKeyRotationEnabled'],
  title: 'Customer managed symmetric KMS keys have automatic rotation enabled',
  fix: 'Set enable_key_rotation = true on the aws_kms_key.',
  resourceTypes: [KEY],
  check(plan) {
    return plan.ofType(KEY).flatMap((key) => {
      const spec = plan.value<string>(key, ['customer_master_key_spec']) ?? 'SYMMETRIC_DEFAULT';
      if (spec !== 'SYMMETRIC_DEFAULT') return [];
      const problem = expectValue(plan, key, ['enable_key_rotation'], true);
      return problem ? [finding(key, problem)] : [];
    });
  },
};
