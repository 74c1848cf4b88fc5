import { ALARM } from '../plan/alarms';
import type { Rule } from '../types';
import { finding, unverifiable } from './helpers';

/** The AWS managed SNS key, whose key policy no one can change. */
const AWS_MANAGED_SNS_KEY = /(^|:)alias\/aws\/sns$/;

/**
 * Mirrors checkov CKV_AWS_26 and cdk-nag SNS2 (topics are encrypted at rest with KMS), and goes one step further for
 * topics that CloudWatch alarms notify: their key must be a customer managed key, because CloudWatch needs
 * kms:GenerateDataKey* and kms:Decrypt granted in the key policy, which the AWS managed key alias/aws/sns does not
 * grant and cannot be changed to ("Enable compatibility between event sources from AWS services and encrypted
 * topics", Amazon SNS Developer Guide). With the AWS managed key, every alarm notification is lost.
 */
export const snsTopicEncryption: Rule = {
  id: 'CKV_AWS_26',
  aliases: ['SNS2'],
  title: 'SNS topics are encrypted with KMS (a customer managed key for topics alarms notify)',
  fix:
    'Set kms_master_key_id on the aws_sns_topic to an aws_kms_key whose key policy lets cloudwatch.amazonaws.com use ' +
    'kms:GenerateDataKey* and kms:Decrypt (AlarmTopic does: stacks/constructs/operations-topic.ts).',
  resourceTypes: ['aws_sns_topic'],
  check(plan) {
    const alarms = plan.ofType(ALARM);
    return plan.ofType('aws_sns_topic').flatMap((topic) => {
      const key = plan.attribute(topic, ['kms_master_key_id']);
      const notifiedByAlarms = alarms.some(
        (alarm) => plan.references(alarm, ['alarm_actions'], topic) || plan.references(alarm, ['ok_actions'], topic),
      );
      if (key.kind === 'absent' || (key.kind === 'known' && key.value === '')) {
        return [finding(topic, 'kms_master_key_id is not set: messages are stored unencrypted')];
      }
      if (key.kind === 'known' && typeof key.value === 'string' && AWS_MANAGED_SNS_KEY.test(key.value)) {
        return notifiedByAlarms
          ? [
              finding(
                topic,
                'the topic uses the AWS managed key alias/aws/sns, which CloudWatch alarms cannot use: their notifications are lost',
              ),
            ]
          : [];
      }
      if (key.kind === 'unknown' && plan.referenced(topic, ['kms_master_key_id'], 'aws_kms_key').length === 0) {
        return [finding(topic, unverifiable('kms_master_key_id'))];
      }
      return [];
    });
  },
};
