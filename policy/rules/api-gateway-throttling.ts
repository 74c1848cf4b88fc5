import type { Finding, Rule } from '../types';
import { finding, unverifiable } from './helpers';
import { defaultMethodSettings } from './api-gateway-method-settings';

/**
 * Mirrors cdk-nag APIGWDefaultThrottling: a stage-wide rate and burst limit, so one client cannot exhaust the
 * account's API Gateway quota (shared by every API in the region) or run up the Lambda and DynamoDB bill.
 */
export const apiGatewayThrottling: Rule = {
  id: 'APIGWDefaultThrottling',
  title: 'API Gateway stages set default throttling (rate and burst limits)',
  fix:
    'In the stage\'s aws_api_gateway_method_settings for "*/*", set settings.throttling_rate_limit and ' +
    "settings.throttling_burst_limit (SecureRestApi takes them from the stage config's `throttling`).",
  resourceTypes: ['aws_api_gateway_stage'],
  check(plan) {
    const findings: Finding[] = [];
    for (const stage of plan.ofType('aws_api_gateway_stage')) {
      const settings = defaultMethodSettings(plan, stage);
      if (!settings) {
        findings.push(
          finding(stage, `no aws_api_gateway_method_settings with method_path "*/*" sets throttling for the stage`),
        );
        continue;
      }
      const problems: string[] = [];
      for (const limit of ['throttling_rate_limit', 'throttling_burst_limit']) {
        const attribute = plan.attribute(settings, ['settings', 0, limit]);
        if (attribute.kind === 'unknown') problems.push(unverifiable(`settings[0].${limit}`));
        else if (attribute.kind === 'absent' || typeof attribute.value !== 'number' || attribute.value < 0) {
          problems.push(
            `settings[0].${limit} is not set (the account-wide default of 10,000 requests per second applies)`,
          );
        }
      }
      if (problems.length > 0) findings.push(finding(settings, problems.join('; ')));
    }
    return findings;
  },
};
