/**
 * API keys and usage plans, enforced as API Gateway does for methods with `api_key_required`, from the stack's
 * `aws_api_gateway_usage_plan` and `aws_api_gateway_usage_plan_key` resources:
 *
 * 1. the key: the request's `x-api-key` (the API's `api_key_source` HEADER) must be the value of an enabled key
 *    in a usage plan that covers this API stage; otherwise 403 INVALID_API_KEY `Forbidden`;
 * 2. the plan's quota for that key: spent → 429 QUOTA_EXCEEDED `Limit Exceeded` (see `quota.ts`);
 * 3. the plan's throttle for that key (and the plan's throttle for this method, where `api_stages` sets one):
 *    no token → 429 THROTTLED `Too Many Requests` (see `token-bucket.ts`);
 * 4. then the request counts against the quota.
 *
 * Sources and the choices where they are silent are in `local/FIDELITY.md`.
 */
import type { SynthesizedStackConfig } from '../synth/stack-json';
import type { LocalApiKey } from './api-keys';
import { LocalStackError } from './errors';
import type { GatewayError } from './gateway-responses';
import { QuotaCounter, type QuotaLimits, type QuotaPeriod } from './quota';
import { stableId, type ReferenceResolver } from './reference-resolver';
import type { RestApiDefinition } from './rest-api';
import { TokenBucket, type ThrottleLimits } from './token-bucket';

export interface UsagePlanStage {
  readonly apiId: string;
  readonly stage: string;
  /** Per-method throttles of this stage, by API Gateway's method path `/<resource path>/<HTTP method>`. */
  readonly methodThrottles: ReadonlyMap<string, ThrottleLimits>;
}

export interface UsagePlanDefinition {
  readonly address: string;
  readonly id: string;
  readonly name: string;
  readonly stages: readonly UsagePlanStage[];
  /** Per key; none: not throttled by the plan. */
  readonly throttle: ThrottleLimits | undefined;
  /** Per key; none: no quota. */
  readonly quota: QuotaLimits | undefined;
  /** The API keys in the plan. */
  readonly keys: readonly LocalApiKey[];
}

/** A request to a method that requires an API key. */
export interface KeyedRequest {
  readonly apiId: string;
  /** The REST API's `api_key_source`: `HEADER` (the default) or `AUTHORIZER`. */
  readonly apiKeySource: string;
  readonly stage: string;
  readonly httpMethod: string;
  readonly resourcePath: string;
  /** Every `x-api-key` header of the request; `undefined` when there is none. */
  readonly apiKeyHeaders: readonly string[] | undefined;
}

export type Admission =
  | { readonly ok: true; readonly apiKey: LocalApiKey }
  | { readonly ok: false; readonly error: GatewayError; readonly reason: string };

const PERIODS: readonly QuotaPeriod[] = ['DAY', 'WEEK', 'MONTH'];

/** Terraform writes a nested block as an object or a list of them: always a list here. */
function blocks(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
}

function number(resolver: ReferenceResolver, value: unknown, where: string): number {
  if (value === undefined) return 0; // the provider's default for every throttle and quota number
  const parsed = Number(resolver.string(value, where));
  if (!Number.isFinite(parsed) || parsed < 0) {
    throw new LocalStackError(`${where}: ${JSON.stringify(value)} is not a number ≥ 0.`);
  }
  return parsed;
}

function throttleOf(resolver: ReferenceResolver, block: Record<string, unknown>, where: string): ThrottleLimits {
  return {
    rateLimit: number(resolver, block.rate_limit, `${where}.rate_limit`),
    burstLimit: number(resolver, block.burst_limit, `${where}.burst_limit`),
  };
}

/**
 * Reads the usage plans of the stack with their keys, and registers how their `id` and `arn` resolve locally.
 * Refuses what API Gateway refuses: a key in two plans for one API stage, a key type other than API_KEY, a quota
 * period other than DAY, WEEK or MONTH.
 */
export function describeUsagePlans(
  stack: SynthesizedStackConfig,
  resolver: ReferenceResolver,
  apiKeys: readonly LocalApiKey[],
): UsagePlanDefinition[] {
  const idOf = (address: string): string => stableId(`${stack.name}/${address}`, 6);
  resolver.register('aws_api_gateway_usage_plan', (resource, attribute) => {
    if (attribute === 'id') return idOf(resource.address);
    if (attribute === 'arn') return `arn:aws:apigateway:${stack.region}::/usageplans/${idOf(resource.address)}`;
    return undefined;
  });
  const keysOfPlan = new Map<string, LocalApiKey[]>();
  for (const planKey of stack.resources('aws_api_gateway_usage_plan_key')) {
    const where = planKey.address;
    if (resolver.string(planKey.config.key_type ?? 'API_KEY', `${where}.key_type`) !== 'API_KEY') {
      throw new LocalStackError(`${where}: key_type must be API_KEY.`);
    }
    const key = stack.target(planKey.config.key_id, 'aws_api_gateway_api_key', `${where}.key_id`);
    const plan = stack.target(planKey.config.usage_plan_id, 'aws_api_gateway_usage_plan', `${where}.usage_plan_id`);
    const apiKey = apiKeys.find((k) => k.address === key.address) as LocalApiKey;
    keysOfPlan.set(plan.address, [...(keysOfPlan.get(plan.address) ?? []), apiKey]);
  }

  const plans = stack.resources('aws_api_gateway_usage_plan').map((plan): UsagePlanDefinition => {
    const where = plan.address;
    const stages = blocks(plan.config.api_stages).map((stage, index): UsagePlanStage => {
      const at = `${where}.api_stages[${index}]`;
      const methodThrottles = new Map<string, ThrottleLimits>();
      for (const throttle of blocks(stage.throttle)) {
        methodThrottles.set(resolver.string(throttle.path, `${at}.throttle.path`), throttleOf(resolver, throttle, at));
      }
      return {
        apiId: resolver.string(stage.api_id, `${at}.api_id`),
        stage: resolver.string(stage.stage, `${at}.stage`),
        methodThrottles,
      };
    });
    const [throttle] = blocks(plan.config.throttle_settings);
    const [quota] = blocks(plan.config.quota_settings);
    let quotaLimits: QuotaLimits | undefined;
    if (quota) {
      const period = resolver.string(quota.period, `${where}.quota_settings.period`) as QuotaPeriod;
      if (!PERIODS.includes(period)) {
        throw new LocalStackError(`${where}.quota_settings.period: "${period}" is not DAY, WEEK or MONTH.`);
      }
      quotaLimits = {
        limit: number(resolver, quota.limit, `${where}.quota_settings.limit`),
        offset: number(resolver, quota.offset, `${where}.quota_settings.offset`),
        period,
      };
    }
    return {
      address: where,
      id: idOf(where),
      name: plan.config.name === undefined ? plan.name : resolver.string(plan.config.name, `${where}.name`),
      stages,
      throttle: throttle && throttleOf(resolver, throttle, `${where}.throttle_settings`),
      quota: quotaLimits,
      keys: keysOfPlan.get(where) ?? [],
    };
  });

  // "A given API key can only be associated with one usage plan for each stage of your API."
  const planOfKeyAndStage = new Map<string, UsagePlanDefinition>();
  for (const plan of plans) {
    for (const key of plan.keys) {
      for (const stage of plan.stages) {
        const slot = `${key.address} ${stage.apiId}/${stage.stage}`;
        const other = planOfKeyAndStage.get(slot);
        if (other && other !== plan) {
          throw new LocalStackError(
            `${key.address} is in ${other.address} and ${plan.address}, both for stage "${stage.stage}": an API key ` +
              'can be in one usage plan per API stage (API Gateway: ConflictException).',
          );
        }
        planOfKeyAndStage.set(slot, plan);
      }
    }
  }
  return plans;
}

/** Admits requests to keyed methods, metering each API key by its usage plan. */
export class UsagePlanEnforcer {
  private readonly keysByValue: ReadonlyMap<string, LocalApiKey>;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly quotas = new Map<string, QuotaCounter>();
  private readonly startedAt: number;

  /** @param now the clock, in milliseconds (tests inject one) */
  constructor(
    apiKeys: readonly LocalApiKey[],
    private readonly plans: readonly UsagePlanDefinition[],
    private readonly now: () => number,
  ) {
    this.keysByValue = new Map(apiKeys.map((key) => [key.value, key]));
    this.startedAt = now();
  }

  admit(request: KeyedRequest): Admission {
    const forbidden = (reason: string): Admission => ({
      ok: false,
      error: { type: 'INVALID_API_KEY', message: 'Forbidden' },
      reason,
    });
    // The AUTHORIZER source takes the key from a Lambda authorizer, which the local stack does not run.
    if (request.apiKeySource !== 'HEADER') return forbidden(`api_key_source ${request.apiKeySource} is not emulated`);
    const values = request.apiKeyHeaders;
    if (values === undefined || values.length === 0 || values[0] === '') return forbidden('no x-api-key header');
    // Which of several headers would count is not documented: refuse rather than pick one.
    if (values.length > 1) return forbidden('several x-api-key headers');
    const key = this.keysByValue.get(values[0]);
    if (!key) return forbidden('the x-api-key is no API key of the stack');
    if (!key.enabled) return forbidden(`API key ${key.name} is disabled`);
    const plan = this.plans.find(
      (p) => p.keys.includes(key) && p.stages.some((s) => s.apiId === request.apiId && s.stage === request.stage),
    );
    if (!plan) return forbidden(`API key ${key.name} is in no usage plan of stage ${request.stage}`);

    const now = this.now();
    const quota = plan.quota && this.counter(`${plan.address} ${key.address}`, plan.quota);
    if (quota?.exhausted(now)) {
      return {
        ok: false,
        error: { type: 'QUOTA_EXCEEDED', message: 'Limit Exceeded' },
        reason: `API key ${key.name} has spent the ${plan.quota?.period} quota of ${plan.name}`,
      };
    }
    const stage = plan.stages.find((s) => s.apiId === request.apiId && s.stage === request.stage) as UsagePlanStage;
    const methodPath = `${request.resourcePath === '/' ? '' : request.resourcePath}/${request.httpMethod}`;
    const methodThrottle = stage.methodThrottles.get(methodPath);
    // Whether a method's throttle replaces the plan's or applies on top is not documented: both apply.
    const buckets = [
      plan.throttle && this.bucket(`${plan.address} ${key.address}`, plan.throttle),
      methodThrottle && this.bucket(`${plan.address} ${key.address} ${methodPath}`, methodThrottle),
    ].filter((bucket) => bucket !== undefined);
    if (!buckets.every((bucket) => bucket.hasToken(now))) {
      return {
        ok: false,
        error: { type: 'THROTTLED', message: 'Too Many Requests' },
        reason: `API key ${key.name} is over the throttle of ${plan.name}`,
      };
    }
    for (const bucket of buckets) bucket.takeToken();
    quota?.count(now);
    return { ok: true, apiKey: key };
  }

  private bucket(id: string, limits: ThrottleLimits): TokenBucket {
    let bucket = this.buckets.get(id);
    if (!bucket) this.buckets.set(id, (bucket = new TokenBucket(limits, this.now())));
    return bucket;
  }

  private counter(id: string, limits: QuotaLimits): QuotaCounter {
    let counter = this.quotas.get(id);
    if (!counter) this.quotas.set(id, (counter = new QuotaCounter(limits, this.startedAt)));
    return counter;
  }
}

/** What the start-up should warn about: keyed methods that refuse every request, and why. */
export function usagePlanWarnings(apis: readonly RestApiDefinition[], plans: readonly UsagePlanDefinition[]): string[] {
  const warnings: string[] = [];
  for (const api of apis) {
    const keyed = api.methods.filter((method) => method.apiKeyRequired);
    if (keyed.length === 0) continue;
    if (api.apiKeySource !== 'HEADER') {
      warnings.push(
        `${api.address}: api_key_source ${api.apiKeySource} takes API keys from Lambda authorizers, which are not ` +
          `emulated: its ${keyed.length} keyed method(s) refuse every request (403).`,
      );
      continue;
    }
    for (const stage of api.stages) {
      const covered = plans.some((plan) => plan.stages.some((s) => s.apiId === api.id && s.stage === stage.name));
      if (!covered) {
        warnings.push(
          `stage "${stage.name}" is in no usage plan: its ${keyed.length} method(s) with api_key_required refuse ` +
            'every request (403), as API Gateway does.',
        );
      }
    }
  }
  return warnings;
}
