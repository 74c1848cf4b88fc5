import type { Rule } from '../types';
import { finding, unverifiable } from './helpers';

const SECRET = 'aws_secretsmanager_secret';
/** The AWS managed key of Secrets Manager: its policy cannot be changed, so no other account can ever decrypt. */
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//;

/**
 * Mirrors checkov CKV_AWS_149: Secrets Manager secrets are encrypted with a customer managed KMS key. Without
 * `kms_key_id` a secret uses the AWS managed key `aws/secretsmanager`, which "you can't use … for cross-account
 * access" ("Access AWS Secrets Manager secrets from a different account", Secrets Manager user guide): a consumer
 * in another account could never read its credentials, and the key's use cannot be limited per consumer.
 */
export const secretsManagerCustomerManagedKey: Rule = {
  id: 'CKV_AWS_149',
  title: 'Secrets Manager secrets are encrypted with a customer managed KMS key',
  fix:
    'Set kms_key_id on the aws_secretsmanager_secret to an aws_kms_key (or its alias) of the stack ' +
    "(ConsumerCredentials uses the stage's consumer secrets key).",
  resourceTypes: [SECRET],
  check(plan) {
    return plan.ofType(SECRET).flatMap((secret) => {
      const keys = plan.referenced(secret, ['kms_key_id'], 'aws_kms_key', 'aws_kms_alias');
      if (keys.length > 0) return [];
      const attribute = plan.attribute(secret, ['kms_key_id']);
      if (attribute.kind === 'absent') {
        return [finding(secret, 'kms_key_id is not set: the secret uses the AWS managed key aws/secretsmanager')];
      }
      if (attribute.kind === 'unknown') return [finding(secret, unverifiable('kms_key_id'))];
      const value = String(attribute.value);
      return AWS_MANAGED_ALIAS.test(value)
        ? [finding(secret, `kms_key_id is ${JSON.stringify(value)}, an AWS managed key`)]
        : [];
    });
  },
};

/** Secrets Manager's shortest recovery window; 0 deletes a secret at once ("DeleteSecret", API reference). */
const MIN_RECOVERY_DAYS = 7;

/**
 * M2M_SECRET_1: a deleted secret stays recoverable for a while. `recovery_window_in_days = 0` makes Terraform force
 * the deletion: a generation removed by mistake — or a whole stage destroyed — would lose its credentials for good.
 */
export const secretsManagerRecoveryWindow: Rule = {
  id: 'M2M_SECRET_1',
  title: `Secrets Manager secrets keep a recovery window of at least ${MIN_RECOVERY_DAYS} days`,
  fix: "Set recovery_window_in_days to 7–30 on the aws_secretsmanager_secret (the stage config's secretRecoveryDays).",
  resourceTypes: [SECRET],
  check(plan) {
    return plan.ofType(SECRET).flatMap((secret) => {
      const window = plan.attribute(secret, ['recovery_window_in_days']);
      if (window.kind === 'unknown') return [finding(secret, unverifiable('recovery_window_in_days'))];
      // Unset: the provider's (and Secrets Manager's) default of 30 days.
      if (window.kind === 'absent') return [];
      const days = Number(window.value);
      return days >= MIN_RECOVERY_DAYS
        ? []
        : [finding(secret, `recovery_window_in_days is ${days}: a deleted secret cannot be recovered`)];
    });
  },
};
