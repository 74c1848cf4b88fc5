import type { PlanResource, PlanView } from '../plan/plan-view';
import type { Finding, Rule } from '../types';
import { finding, unverifiable } from './helpers';

const COGNITO = 'COGNITO_USER_POOLS';

/**
 * Mirrors checkov CKV_AWS_59 ("no open access to back-end resources through API") and cdk-nag AwsSolutions-APIG4
 * (authorization) and AwsSolutions-COG4 (Cognito user pool authorizer), made stricter for a client-credentials
 * API: a COGNITO_USER_POOLS method without scopes accepts only ID tokens, which client credentials never yield,
 * so every method needs scopes. OPTIONS (CORS preflight) may stay open, but only in front of a MOCK integration.
 */
export const apiGatewayAuthorization: Rule = {
  id: 'CKV_AWS_59',
  aliases: ['APIG4', 'COG4'],
  title: 'API Gateway methods (except OPTIONS) use a Cognito user pool authorizer with at least one scope',
  fix:
    'Set authorization = "COGNITO_USER_POOLS", authorizer_id = the id of an aws_api_gateway_authorizer of type ' +
    'COGNITO_USER_POOLS, and authorization_scopes = the scopes the method needs (SecureRestApi.addRoute sets all three).',
  resourceTypes: ['aws_api_gateway_method', 'aws_api_gateway_rest_api'],
  check(plan) {
    const findings: Finding[] = [];
    for (const api of plan.ofType('aws_api_gateway_rest_api')) {
      const body = plan.attribute(api, ['body']);
      if (body.kind !== 'absent') {
        findings.push(
          finding(
            api,
            'the API is defined by an OpenAPI body, whose methods this gate cannot check',
            'Define methods as aws_api_gateway_method resources, or suppress this rule for the API with a justification ' +
              'saying how the OpenAPI definition is reviewed.',
          ),
        );
      }
    }
    for (const method of plan.ofType('aws_api_gateway_method')) {
      const httpMethod = plan.value<string>(method, ['http_method']);
      if (httpMethod === 'OPTIONS') {
        findings.push(...checkPreflight(plan, method));
        continue;
      }
      const problem = methodProblem(plan, method);
      if (problem) findings.push(finding(method, `${httpMethod ?? 'method'}: ${problem}`));
    }
    return findings;
  },
};

function methodProblem(plan: PlanView, method: PlanResource): string | undefined {
  const authorization = plan.attribute(method, ['authorization']);
  if (authorization.kind === 'unknown') return unverifiable('authorization');
  if (authorization.kind === 'absent' || authorization.value !== COGNITO) {
    const actual = authorization.kind === 'known' ? String(authorization.value) : 'not set';
    return `authorization is ${actual}, not ${COGNITO}`;
  }
  const authorizers = plan.referenced(method, ['authorizer_id'], 'aws_api_gateway_authorizer');
  if (authorizers.length === 0) {
    return 'authorizer_id does not reference an aws_api_gateway_authorizer of this stack';
  }
  const wrong = authorizers.find((a) => (plan.value<string>(a, ['type']) ?? 'TOKEN') !== COGNITO);
  if (wrong)
    return `authorizer ${wrong.address} is of type ${plan.value<string>(wrong, ['type']) ?? 'TOKEN'}, not ${COGNITO}`;

  const scopes = plan.attribute(method, ['authorization_scopes']);
  if (scopes.kind === 'unknown') {
    // A list computed from other resources (e.g. a resource server's scope_identifiers) still names scopes.
    if (plan.expression(method, ['authorization_scopes'])?.references.length) return undefined;
    return unverifiable('authorization_scopes');
  }
  if (scopes.kind === 'absent' || !Array.isArray(scopes.value) || scopes.value.length === 0) {
    return 'no authorization_scopes: API Gateway then accepts only ID tokens, which client credentials never yield';
  }
  return undefined;
}

/** An OPTIONS method may be open only in front of a MOCK integration (it answers CORS preflights itself). */
function checkPreflight(plan: PlanView, method: PlanResource): Finding[] {
  const authorization = plan.value<string>(method, ['authorization']);
  if (authorization && authorization !== 'NONE') return [];
  const resources = plan.referenced(method, ['resource_id']);
  const integrations = plan
    .ofType('aws_api_gateway_integration')
    .filter(
      (integration) =>
        plan.references(integration, ['http_method'], method) ||
        (plan.value(integration, ['http_method']) === 'OPTIONS' &&
          plan.referenced(integration, ['resource_id']).some((r) => resources.includes(r))),
    );
  return integrations
    .filter((integration) => plan.value(integration, ['type']) !== 'MOCK')
    .map((integration) =>
      finding(
        method,
        `OPTIONS is open (authorization NONE) and integrated with ${integration.address} of type ` +
          `${plan.value<string>(integration, ['type']) ?? 'unknown'}: an open preflight must not reach a backend`,
        'Answer CORS preflights with a MOCK integration, or authorize the OPTIONS method.',
      ),
    );
}
