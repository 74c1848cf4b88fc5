import type { Rule } from '../types';
import { finding, unverifiable } from './helpers';

/** Mirrors checkov CKV_AWS_66 and cdk-nag CloudWatchLogGroupRetentionPeriod. */
export const logGroupRetention: Rule = {
  id: 'CKV_AWS_66',
  aliases: ['CloudWatchLogGroupRetentionPeriod'],
  title: 'CloudWatch log groups have a retention period',
  fix: "Set retention_in_days on the aws_cloudwatch_log_group (the stage config's logRetentionDays).",
  resourceTypes: ['aws_cloudwatch_log_group'],
  check(plan) {
    return plan.ofType('aws_cloudwatch_log_group').flatMap((group) => {
      const retention = plan.attribute(group, ['retention_in_days']);
      if (retention.kind === 'unknown') return [finding(group, unverifiable('retention_in_days'))];
      if (retention.kind === 'absent' || retention.value === 0) {
        return [finding(group, 'retention_in_days is not set: the logs are kept forever')];
      }
      return [];
    });
  },
};
