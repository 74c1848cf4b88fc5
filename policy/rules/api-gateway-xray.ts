import type { Rule } from '../types';
import { expectValue, finding } from './helpers';

/** Mirrors checkov CKV_AWS_73 and cdk-nag APIGWXrayEnabled. */
export const apiGatewayXray: Rule = {
  id: 'CKV_AWS_73',
  aliases: ['APIGWXrayEnabled'],
  title: 'API Gateway stages have X-Ray tracing enabled',
  fix: 'Set xray_tracing_enabled = true on the aws_api_gateway_stage.',
  resourceTypes: ['aws_api_gateway_stage'],
  check(plan) {
    return plan.ofType('aws_api_gateway_stage').flatMap((stage) => {
      const problem = expectValue(plan, stage, ['xray_tracing_enabled'], true);
      return problem ? [finding(stage, problem)] : [];
    });
  },
};
