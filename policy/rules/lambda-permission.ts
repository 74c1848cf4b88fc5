import type { PlanResource, PlanView } from '../plan/plan-view';
import type { Finding, Rule } from '../types';
import { finding } from './helpers';

const API_GATEWAY = 'apigateway.amazonaws.com';
/** `arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/<method>/<path>` */
const EXECUTE_API_ARN = /^arn:[\w-]+:execute-api:[\w-]+:(\d{12}):([A-Za-z0-9]+)(\/.*)?$/;

/**
 * Mirrors checkov CKV_AWS_364: a permission that lets an AWS service invoke a function names which resource of
 * that service may (source_arn), or at least which account (source_account) — otherwise any account's resource of
 * that service could invoke it (confused deputy). For API Gateway, source_arn must be an execute-api ARN of a
 * given API: a reference to a REST API's execution_arn (optionally narrowed by stage, method and path).
 */
export const lambdaPermissionSourceArn: Rule = {
  id: 'CKV_AWS_364',
  title: 'Lambda permissions for AWS services are limited by source ARN',
  fix:
    'Set source_arn on the aws_lambda_permission; for API Gateway: "${<rest api>.execution_arn}/*/<METHOD>/<path>" ' +
    '(SecureRestApi.addRoute does this per route).',
  resourceTypes: ['aws_lambda_permission'],
  check(plan) {
    const findings: Finding[] = [];
    for (const permission of plan.ofType('aws_lambda_permission')) {
      const principal = plan.value<string>(permission, ['principal']);
      const problem =
        principal === '*'
          ? 'principal is "*": anyone may invoke the function'
          : sourceProblem(plan, permission, principal);
      if (problem) findings.push(finding(permission, problem));
    }
    return findings;
  },
};

function sourceProblem(plan: PlanView, permission: PlanResource, principal: string | undefined): string | undefined {
  if (!principal || !principal.endsWith('.amazonaws.com')) return undefined; // an account or organization principal
  const sourceArn = plan.attribute(permission, ['source_arn']);
  if (sourceArn.kind === 'absent') {
    if (principal !== API_GATEWAY && plan.attribute(permission, ['source_account']).kind !== 'absent') return undefined;
    return `principal ${principal} may invoke the function from any resource: source_arn is not set`;
  }
  if (principal !== API_GATEWAY) return undefined;
  if (sourceArn.kind === 'known') {
    const match = EXECUTE_API_ARN.exec(String(sourceArn.value));
    return match ? undefined : `source_arn ${JSON.stringify(sourceArn.value)} is not the execute-api ARN of one API`;
  }
  const apis = plan
    .referencesAt(permission, ['source_arn'])
    .filter((r) =>
      ['aws_api_gateway_rest_api', 'aws_api_gateway_stage', 'aws_apigatewayv2_api'].includes(r.resource.type),
    )
    .filter((r) => r.attribute === 'execution_arn');
  return apis.length > 0 ? undefined : 'source_arn does not reference the execution_arn of an API of this stack';
}
