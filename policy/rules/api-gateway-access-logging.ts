import type { Finding, Rule } from '../types';
import { finding, unverifiable } from './helpers';

/**
 * Mirrors checkov CKV_AWS_76 and cdk-nag AwsSolutions-APIG1, and goes one step further: the destination must be
 * a log group of this stack that has a retention period (or a Firehose stream), so access logs neither vanish nor
 * pile up forever.
 */
export const apiGatewayAccessLogging: Rule = {
  id: 'CKV_AWS_76',
  aliases: ['APIG1'],
  title: 'API Gateway stages write access logs to a log group with a retention period',
  fix:
    'Give the aws_api_gateway_stage an access_log_settings block whose destination_arn is the arn of an ' +
    'aws_cloudwatch_log_group with retention_in_days set, and a non-empty format.',
  resourceTypes: ['aws_api_gateway_stage'],
  check(plan) {
    const findings: Finding[] = [];
    for (const stage of plan.ofType('aws_api_gateway_stage')) {
      const settings = plan.value<unknown[]>(stage, ['access_log_settings']) ?? [];
      if (settings.length === 0) {
        findings.push(finding(stage, 'no access_log_settings: the stage writes no access logs'));
        continue;
      }
      const format = plan.attribute(stage, ['access_log_settings', 0, 'format']);
      if (format.kind === 'absent' || (format.kind === 'known' && format.value === '')) {
        findings.push(finding(stage, 'access_log_settings has no format'));
      }
      const destination = plan.attribute(stage, ['access_log_settings', 0, 'destination_arn']);
      const groups = plan.referenced(stage, ['access_log_settings', 0, 'destination_arn'], 'aws_cloudwatch_log_group');
      const streams = plan.referenced(
        stage,
        ['access_log_settings', 0, 'destination_arn'],
        'aws_kinesis_firehose_delivery_stream',
      );
      if (destination.kind === 'absent') {
        findings.push(finding(stage, 'access_log_settings has no destination_arn'));
      } else if (groups.length > 0) {
        for (const group of groups) {
          const retention = plan.attribute(group, ['retention_in_days']);
          if (retention.kind === 'unknown')
            findings.push(finding(stage, `${group.address}: ${unverifiable('retention_in_days')}`));
          else if (retention.kind === 'absent' || retention.value === 0) {
            findings.push(
              finding(stage, `access logs go to ${group.address}, which keeps them forever (no retention_in_days)`),
            );
          }
        }
      } else if (streams.length === 0) {
        findings.push(
          finding(
            stage,
            'access logs go to a destination outside this stack, whose retention cannot be verified',
            'Manage the access log group in this stack (with retention_in_days), or suppress this rule for the stage ' +
              'with a justification naming where the log group and its retention are managed.',
          ),
        );
      }
    }
    return findings;
  },
};
