import type { PlanResource, PlanView } from '../plan/plan-view';
import type { Finding, Rule } from '../types';
import { expectValue, finding, methodSettingsOf, unverifiable } from './helpers';

const ALL_METHODS = '*/*';
const LOG_LEVELS = ['ERROR', 'INFO'];

/** The stage's method settings for every method (`*\/*`), if any. */
export function defaultMethodSettings(plan: PlanView, stage: PlanResource): PlanResource | undefined {
  return methodSettingsOf(plan, stage).find((s) => plan.value(s, ['method_path']) === ALL_METHODS);
}

/**
 * Mirrors checkov CKV_AWS_276 (data trace off), CKV2_AWS_4 (logging level set) and cdk-nag AwsSolutions-APIG6
 * (CloudWatch logging for all methods): every stage has method settings for all methods (`*\/*`), and every method
 * settings resource logs at ERROR or INFO, publishes metrics, and does not log full requests and responses (which
 * would write bearer tokens and bodies to CloudWatch).
 */
export const apiGatewayMethodSettings: Rule = {
  id: 'CKV_AWS_276',
  aliases: ['CKV2_AWS_4', 'APIG6'],
  title: 'API Gateway method settings: metrics on, execution logging at ERROR or INFO, data trace off',
  fix:
    'Add an aws_api_gateway_method_settings for the stage with method_path = "*/*" and settings { metrics_enabled = ' +
    'true, logging_level = "ERROR" (or "INFO"), data_trace_enabled = false }; method-specific settings need the same.',
  resourceTypes: ['aws_api_gateway_stage', 'aws_api_gateway_method_settings'],
  check(plan) {
    const findings: Finding[] = [];
    for (const stage of plan.ofType('aws_api_gateway_stage')) {
      if (!defaultMethodSettings(plan, stage)) {
        findings.push(
          finding(stage, `no aws_api_gateway_method_settings with method_path "${ALL_METHODS}" for the stage`),
        );
      }
    }
    for (const settings of plan.ofType('aws_api_gateway_method_settings')) {
      const problems: string[] = [];
      const metrics = expectValue(plan, settings, ['settings', 0, 'metrics_enabled'], true);
      if (metrics) problems.push(metrics);
      const level = plan.attribute(settings, ['settings', 0, 'logging_level']);
      if (level.kind === 'unknown') problems.push(unverifiable('settings[0].logging_level'));
      else if (level.kind === 'absent' || !LOG_LEVELS.includes(String(level.value))) {
        problems.push(
          `settings[0].logging_level is ${level.kind === 'known' ? String(level.value) : 'not set'} (needs ERROR or INFO)`,
        );
      }
      const trace = plan.attribute(settings, ['settings', 0, 'data_trace_enabled']);
      if (trace.kind === 'unknown') problems.push(unverifiable('settings[0].data_trace_enabled'));
      else if (trace.kind === 'known' && trace.value !== false) {
        problems.push(
          'settings[0].data_trace_enabled is true: full requests, including bearer tokens, would be logged',
        );
      }
      if (problems.length > 0) findings.push(finding(settings, problems.join('; ')));
    }
    return findings;
  },
};
