import type { PlanResource, PlanView } from '../plan/plan-view';
import type { Finding, Rule } from '../types';
import { finding, unverifiable } from './helpers';

const API = 'aws_api_gateway_rest_api';
const METHOD = 'aws_api_gateway_method';
const USAGE_PLAN = 'aws_api_gateway_usage_plan';
const USAGE_PLAN_KEY = 'aws_api_gateway_usage_plan_key';
const API_KEY = 'aws_api_gateway_api_key';

/** The REST APIs of the stack whose stages a usage plan covers (`api_stages[*].api_id`). */
function plannedApis(plan: PlanView, usagePlan: PlanResource): PlanResource[] {
  const apis: PlanResource[] = [];
  for (let i = 0; plan.expression(usagePlan, ['api_stages', i, 'api_id']) !== undefined; i += 1) {
    apis.push(...plan.referenced(usagePlan, ['api_stages', i, 'api_id'], API));
  }
  return apis;
}

/**
 * M2M_USAGE_1: once usage plans limit an API's consumers, every method but the CORS preflights requires an API key.
 * A method without `api_key_required` is not metered by any usage plan: API Gateway applies a plan's throttling
 * and quota only to requests that come with one of its keys ("Usage plans and API keys for REST APIs", API Gateway
 * developer guide), so that method would bypass every consumer's limits.
 */
export const apiGatewayMethodsRequireKeys: Rule = {
  id: 'M2M_USAGE_1',
  title: 'When usage plans cover an API, every non-OPTIONS method requires an API key',
  fix:
    'Set api_key_required = true on the aws_api_gateway_method (SecureRestApi sets it on every route when ' +
    "apiKeyRequired is on, which the stage config's usagePlans turns on).",
  resourceTypes: [USAGE_PLAN],
  check(plan) {
    const apis = new Set(plan.ofType(USAGE_PLAN).flatMap((usagePlan) => plannedApis(plan, usagePlan)));
    const findings: Finding[] = [];
    for (const method of plan.ofType(METHOD)) {
      if (!plan.referenced(method, ['rest_api_id'], API).some((api) => apis.has(api))) continue;
      const httpMethod = plan.value<string>(method, ['http_method']);
      if (httpMethod === 'OPTIONS') continue;
      const required = plan.attribute(method, ['api_key_required']);
      if (required.kind === 'unknown') findings.push(finding(method, unverifiable('api_key_required')));
      else if (required.kind !== 'known' || required.value !== true) {
        findings.push(
          finding(
            method,
            `${httpMethod ?? 'method'}: api_key_required is not true, so its requests bypass the usage plans`,
          ),
        );
      }
    }
    return findings;
  },
};

/** Why a usage plan does not throttle an API stage, or `undefined` when it does. */
function usagePlanProblem(plan: PlanView, usagePlan: PlanResource): string | undefined {
  const problems: string[] = [];
  for (const limit of ['rate_limit', 'burst_limit']) {
    const attribute = plan.attribute(usagePlan, ['throttle_settings', 0, limit]);
    if (attribute.kind === 'unknown') problems.push(unverifiable(`throttle_settings[0].${limit}`));
    else if (attribute.kind === 'absent' || !(Number(attribute.value) > 0)) {
      problems.push(`throttle_settings[0].${limit} is not set`);
    }
  }
  if (plannedApis(plan, usagePlan).length === 0) problems.push('api_stages names no REST API of the stack');
  return problems.length > 0 ? `${usagePlan.address}: ${problems.join('; ')}` : undefined;
}

/**
 * M2M_USAGE_2: every API key belongs to a usage plan that throttles an API stage. A key outside any plan is refused
 * by every method requiring keys; a plan without throttle settings meters nothing but the account-level limits.
 */
export const apiGatewayKeysInThrottledPlans: Rule = {
  id: 'M2M_USAGE_2',
  title: 'Every API key belongs to a usage plan with throttling (rate and burst) on an API stage',
  fix:
    'Add an aws_api_gateway_usage_plan_key linking the aws_api_gateway_api_key to an aws_api_gateway_usage_plan with ' +
    "api_stages and throttle_settings { rate_limit, burst_limit } (ConsumerCredentials does, from the consumer's limits).",
  resourceTypes: [API_KEY],
  check(plan) {
    return plan.ofType(API_KEY).flatMap((key) => {
      const plans = plan
        .referrers(key, USAGE_PLAN_KEY, ['key_id'])
        .flatMap((link) => plan.referenced(link, ['usage_plan_id'], USAGE_PLAN));
      if (plans.length === 0) return [finding(key, 'no aws_api_gateway_usage_plan_key puts the key in a usage plan')];
      const problems = plans.map((usagePlan) => usagePlanProblem(plan, usagePlan));
      return problems.some((p) => p === undefined)
        ? []
        : [finding(key, `its usage plans do not throttle: ${problems.join(' | ')}`)];
    });
  },
};
