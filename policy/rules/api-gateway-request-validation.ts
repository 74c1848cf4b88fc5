import type { PlanResource, PlanView } from '../plan/plan-view';
import { isTemplate } from '../../synth/references';
import type { Finding, Rule } from '../types';
import { finding } from './helpers';

/** Methods that carry a request body. `ANY` includes them. */
const BODY_METHODS = ['POST', 'PUT', 'PATCH', 'ANY'];
const JSON_CONTENT_TYPE = 'application/json';
/** API Gateway's built-in models: `Empty` accepts anything, `Error` describes error responses. */
const BUILT_IN_MODELS = ['Empty', 'Error'];

/**
 * Mirrors checkov CKV2_AWS_53 and cdk-nag AwsSolutions-APIG2, for JSON APIs: methods that take a body have a
 * request validator that validates the body, against a JSON schema model (not the built-in `Empty`), so malformed
 * requests are refused by API Gateway before they cost a Lambda invocation.
 */
export const apiGatewayRequestValidation: Rule = {
  id: 'CKV2_AWS_53',
  aliases: ['APIG2'],
  title: 'API Gateway methods with a body validate JSON request bodies against a model',
  fix:
    'Give each POST/PUT/PATCH aws_api_gateway_method a request_validator_id referencing an ' +
    'aws_api_gateway_request_validator with validate_request_body = true, and request_models = { "application/json" ' +
    '= <aws_api_gateway_model>.name }, the model holding the JSON schema of the body.',
  resourceTypes: ['aws_api_gateway_method'],
  check(plan) {
    const findings: Finding[] = [];
    for (const method of plan.ofType('aws_api_gateway_method')) {
      const httpMethod = plan.value<string>(method, ['http_method']);
      if (!httpMethod || !BODY_METHODS.includes(httpMethod)) continue;
      const problems = [validatorProblem(plan, method), modelProblem(plan, method)].filter(Boolean);
      if (problems.length > 0) findings.push(finding(method, `${httpMethod}: ${problems.join('; ')}`));
    }
    return findings;
  },
};

function validatorProblem(plan: PlanView, method: PlanResource): string | undefined {
  const validators = plan.referenced(method, ['request_validator_id'], 'aws_api_gateway_request_validator');
  if (validators.length === 0) {
    return plan.attribute(method, ['request_validator_id']).kind === 'absent'
      ? 'no request validator'
      : 'request_validator_id does not reference an aws_api_gateway_request_validator of this stack';
  }
  return validators.every((v) => plan.value(v, ['validate_request_body']) === true)
    ? undefined
    : 'its request validator does not validate the body (validate_request_body is not true)';
}

function modelProblem(plan: PlanView, method: PlanResource): string | undefined {
  const path = ['request_models', JSON_CONTENT_TYPE];
  const known = plan.attribute(method, path);
  const expression = plan.expression(method, path);
  const written = known.kind === 'known' ? known.value : expression?.constant;
  if (written === undefined) return `no request model for ${JSON_CONTENT_TYPE}`;
  if (typeof written === 'string' && BUILT_IN_MODELS.includes(written)) {
    return `the ${JSON_CONTENT_TYPE} model is the built-in "${written}" model, which validates nothing`;
  }
  const models = plan.ofType('aws_api_gateway_model');
  const model =
    plan.referenced(method, path, 'aws_api_gateway_model')[0] ??
    (typeof written === 'string' && !isTemplate(written)
      ? models.find((m) => plan.value(m, ['name']) === written)
      : undefined);
  if (!model)
    return `the ${JSON_CONTENT_TYPE} model ${JSON.stringify(written)} is not an aws_api_gateway_model of this stack`;
  const schema = plan.attribute(model, ['schema']);
  return schema.kind === 'absent' ? `model ${model.address} has no schema` : undefined;
}
