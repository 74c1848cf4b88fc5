/**
 * API keys and usage plans as the local gateway enforces them, on a small stack of their own and an injected
 * clock: which key is admitted, the token bucket, the quota (failing closed where AWS does not say what a period
 * is), and what the start refuses as API Gateway would.
 */
import { describeApiKeys, type LocalApiKey } from '../../local/api-keys';
import { CredentialsStore } from '../../local/credentials-store';
import { LocalStackError } from '../../local/errors';
import { QuotaCounter } from '../../local/quota';
import { ReferenceResolver } from '../../local/reference-resolver';
import { describeRestApis, registerApiAttributes } from '../../local/rest-api';
import { schemaCompiler } from '../../local/json-schema';
import { TokenBucket } from '../../local/token-bucket';
import {
  describeUsagePlans,
  UsagePlanEnforcer,
  usagePlanWarnings,
  type Admission,
  type KeyedRequest,
} from '../../local/usage-plans';
import { SynthesizedStackConfig } from '../../synth/stack-json';
import type { Config, TerraformJson } from '../../synth/terraform-json';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** 2026-03-04T23:00:00Z: an hour before a UTC midnight. */
const T0 = Date.UTC(2026, 2, 4, 23);

const API = '${aws_api_gateway_rest_api.api.id}';
const STAGE = '${aws_api_gateway_stage.prod.stage_name}';
const FIXED_VALUE = 'fixed-value-of-twenty-chars';

/** A REST API with stage `prod`, keys and one usage plan; `plan` and `more` adjust it. */
function stackWith(plan: Config = {}, more: Record<string, Record<string, Config>> = {}): SynthesizedStackConfig {
  const json: TerraformJson = {
    resource: {
      aws_api_gateway_rest_api: { api: { name: 'things' } },
      aws_api_gateway_stage: { prod: { stage_name: 'prod', rest_api_id: API } },
      aws_api_gateway_api_key: {
        reader: { name: 'reader-1' },
        fixed: { name: 'fixed', value: FIXED_VALUE },
        off: { name: 'off', enabled: false },
        outsider: { name: 'outsider' },
      },
      aws_api_gateway_usage_plan: {
        plan: {
          name: 'plan',
          api_stages: [{ api_id: API, stage: STAGE }],
          throttle_settings: { rate_limit: 2, burst_limit: 3 },
          ...plan,
        },
      },
      aws_api_gateway_usage_plan_key: Object.fromEntries(
        ['reader', 'fixed', 'off'].map((key) => [
          key,
          {
            key_id: `\${aws_api_gateway_api_key.${key}.id}`,
            key_type: 'API_KEY',
            usage_plan_id: '${aws_api_gateway_usage_plan.plan.id}',
          },
        ]),
      ),
      ...more,
    },
  };
  return new SynthesizedStackConfig('platform-test', json, '/nowhere');
}

interface Setup {
  readonly keys: Record<string, LocalApiKey>;
  readonly admit: (value: string | readonly string[] | undefined, overrides?: Partial<KeyedRequest>) => Admission;
  readonly clock: { now: number };
  readonly apiId: string;
}

function setup(stack = stackWith()): Setup {
  const resolver = new ReferenceResolver(stack);
  registerApiAttributes(stack, resolver, 'http://127.0.0.1:1');
  const apiKeys = describeApiKeys(stack, resolver, CredentialsStore.open(undefined, stack));
  const plans = describeUsagePlans(stack, resolver, apiKeys);
  const clock = { now: T0 };
  const enforcer = new UsagePlanEnforcer(apiKeys, plans, () => clock.now);
  const apiId = resolver.string(API, 'test');
  const keys = Object.fromEntries(apiKeys.map((key) => [key.name, key]));
  return {
    keys,
    clock,
    apiId,
    admit: (value, overrides = {}) =>
      enforcer.admit({
        apiId,
        apiKeySource: 'HEADER',
        stage: 'prod',
        httpMethod: 'GET',
        resourcePath: '/things/{id}',
        apiKeyHeaders: value === undefined ? undefined : typeof value === 'string' ? [value] : value,
        ...overrides,
      }),
  };
}

const outcome = (admission: Admission): string =>
  admission.ok ? 'admitted' : `${admission.error.type} ${admission.error.message}`;

describe('API keys', () => {
  it('admits an enabled key of a usage plan of the stage, and tells which key it was', () => {
    const { admit, keys } = setup();
    const admitted = admit(keys['reader-1'].value);
    expect(admitted).toEqual({ ok: true, apiKey: keys['reader-1'] });
    expect(keys['reader-1'].value).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(keys['reader-1'].id).toMatch(/^[a-z0-9]{10}$/);
    expect(outcome(admit(FIXED_VALUE))).toBe('admitted');
  });

  it.each([
    ['no header', undefined, 'no x-api-key header'],
    ['an empty header', '', 'no x-api-key header'],
    ['two headers', ['a', 'b'], 'several x-api-key headers'],
    ['an unknown key', 'x'.repeat(40), 'no API key of the stack'],
  ])('refuses %s with 403 Forbidden (INVALID_API_KEY)', (_, value, reason) => {
    const refused = setup().admit(value);
    expect(outcome(refused)).toBe('INVALID_API_KEY Forbidden');
    expect(!refused.ok && refused.reason).toContain(reason);
  });

  it('refuses a disabled key, a key of no usage plan, and a key on a stage its plan does not cover', () => {
    const { admit, keys } = setup();
    expect(!admit(keys.off.value).ok && outcome(admit(keys.off.value))).toBe('INVALID_API_KEY Forbidden');
    expect(outcome(admit(keys.outsider.value))).toBe('INVALID_API_KEY Forbidden');
    expect(outcome(admit(keys['reader-1'].value, { stage: 'dev' }))).toBe('INVALID_API_KEY Forbidden');
    expect(outcome(admit(keys['reader-1'].value, { apiId: 'otherapi00' }))).toBe('INVALID_API_KEY Forbidden');
  });

  it('refuses every key when the API takes keys from a Lambda authorizer, which is not emulated', () => {
    const { admit, keys } = setup();
    expect(outcome(admit(keys['reader-1'].value, { apiKeySource: 'AUTHORIZER' }))).toBe('INVALID_API_KEY Forbidden');
  });

  it('refuses at start what API Gateway refuses at deployment', () => {
    const short = stackWith({}, { aws_api_gateway_api_key: { short: { name: 'short', value: 'too-short' } } });
    expect(() => setup(short)).toThrow(/aws_api_gateway_api_key\.short: an API key value has 20 to 128 characters/);
    const twice = stackWith(
      {},
      {
        aws_api_gateway_api_key: { a: { value: FIXED_VALUE }, b: { value: FIXED_VALUE } },
      },
    );
    expect(() => setup(twice)).toThrow(/have the same value/);
    const badPeriod = stackWith({ quota_settings: { limit: 5, period: 'YEAR' } });
    expect(() => setup(badPeriod)).toThrow(/"YEAR" is not DAY, WEEK or MONTH/);
    const twoPlans = stackWith(
      {},
      {
        aws_api_gateway_usage_plan: {
          plan: { name: 'plan', api_stages: [{ api_id: API, stage: STAGE }] },
          other: { name: 'other', api_stages: [{ api_id: API, stage: STAGE }] },
        },
        aws_api_gateway_usage_plan_key: {
          one: {
            key_id: '${aws_api_gateway_api_key.reader.id}',
            usage_plan_id: '${aws_api_gateway_usage_plan.plan.id}',
          },
          two: {
            key_id: '${aws_api_gateway_api_key.reader.id}',
            usage_plan_id: '${aws_api_gateway_usage_plan.other.id}',
          },
        },
      },
    );
    expect(() => setup(twoPlans)).toThrow(LocalStackError);
    expect(() => setup(twoPlans)).toThrow(/one usage plan per API stage \(API Gateway: ConflictException\)/);
  });
});

/** Four requests at once against the plan's burst of 3. */
const BURST_OF_THREE = ['admitted', 'admitted', 'admitted', 'THROTTLED Too Many Requests'];

describe('throttling', () => {
  it('is a token bucket: the burst at once, then the rate', () => {
    const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 3 }, 0);
    const take = (now: number): boolean => bucket.hasToken(now) && (bucket.takeToken(), true);
    expect([take(0), take(0), take(0), take(0)]).toEqual([true, true, true, false]);
    expect(take(499)).toBe(false);
    expect([take(500), take(500)]).toEqual([true, false]);
    expect([take(10_000), take(10_000), take(10_000), take(10_000)]).toEqual([true, true, true, false]);
    const none = new TokenBucket({ rateLimit: 100, burstLimit: 0 }, 0);
    expect([none.hasToken(0), none.hasToken(60_000)]).toEqual([false, false]);
    const slow = new TokenBucket({ rateLimit: 0.5, burstLimit: 1 }, 0);
    expect([slow.hasToken(0) && (slow.takeToken(), true), slow.hasToken(1_999), slow.hasToken(2_000)]).toEqual([
      true,
      false,
      true,
    ]);
  });

  it("answers 429 Too Many Requests (THROTTLED) per key, by the usage plan's throttle", () => {
    const { admit, keys, clock } = setup();
    const reader = (): string => outcome(admit(keys['reader-1'].value));
    expect([reader(), reader(), reader(), reader()]).toEqual(BURST_OF_THREE);
    // Another key has a bucket of its own.
    expect(outcome(admit(FIXED_VALUE))).toBe('admitted');
    clock.now += 500;
    expect([reader(), reader()]).toEqual(['admitted', 'THROTTLED Too Many Requests']);
  });

  it("applies a method's own throttle on top of the plan's", () => {
    const { admit, keys } = setup(
      stackWith({
        api_stages: [
          { api_id: API, stage: STAGE, throttle: [{ path: '/things/{id}/GET', rate_limit: 1, burst_limit: 1 }] },
        ],
      }),
    );
    const value = keys['reader-1'].value;
    expect([outcome(admit(value)), outcome(admit(value))]).toEqual(['admitted', 'THROTTLED Too Many Requests']);
    // Other methods: only the plan's bucket (3), of which one token is spent.
    const put = (): string => outcome(admit(value, { httpMethod: 'PUT' }));
    expect([put(), put(), put()]).toEqual(['admitted', 'admitted', 'THROTTLED Too Many Requests']);
  });
});

describe('quotas', () => {
  it('answer 429 Limit Exceeded (QUOTA_EXCEEDED) once spent; throttled and refused requests do not count', () => {
    const { admit, keys, clock } = setup(stackWith({ quota_settings: { limit: 4, period: 'DAY' } }));
    const reader = (): string => outcome(admit(keys['reader-1'].value));
    expect([reader(), reader(), reader(), reader()]).toEqual(BURST_OF_THREE);
    clock.now += 1_000;
    expect([reader(), reader()]).toEqual(['admitted', 'QUOTA_EXCEEDED Limit Exceeded']);
    expect(outcome(admit(FIXED_VALUE))).toBe('admitted');
  });

  it('fail closed on what a period is: refused until a whole day after, UTC midnight or not', () => {
    const { admit, keys, clock } = setup(stackWith({ quota_settings: { limit: 2, period: 'DAY' } }));
    const reader = (): string => outcome(admit(keys['reader-1'].value));
    expect([reader(), reader(), reader()]).toEqual(['admitted', 'admitted', 'QUOTA_EXCEEDED Limit Exceeded']);
    clock.now = T0 + 2 * 60 * MINUTE; // past UTC midnight: a calendar day would have reset
    expect(reader()).toBe('QUOTA_EXCEEDED Limit Exceeded');
    clock.now = T0 + DAY + MINUTE; // the minute the requests were counted in has left the last 24 hours
    expect(reader()).toBe('admitted');
  });

  it('count over 7 days for WEEK and 31 days for MONTH', () => {
    const week = new QuotaCounter({ limit: 1, offset: 0, period: 'WEEK' }, 0);
    week.count(0);
    expect([week.exhausted(7 * DAY - 1), week.exhausted(7 * DAY + MINUTE)]).toEqual([true, false]);
    const month = new QuotaCounter({ limit: 1, offset: 0, period: 'MONTH' }, 0);
    month.count(0);
    expect([month.exhausted(31 * DAY - 1), month.exhausted(31 * DAY + MINUTE)]).toEqual([true, false]);
  });

  it('subtract the offset from the limit in the initial period only', () => {
    const counter = new QuotaCounter({ limit: 3, offset: 2, period: 'DAY' }, 0);
    counter.count(0);
    expect(counter.exhausted(0)).toBe(true);
    counter.count(DAY + 2 * MINUTE);
    expect(counter.exhausted(DAY + 2 * MINUTE)).toBe(false);
  });
});

describe('start-up warnings', () => {
  it('name keyed methods that refuse every request', () => {
    const stack = stackWith(
      {},
      {
        aws_api_gateway_resource: {
          things: {
            rest_api_id: API,
            parent_id: '${aws_api_gateway_rest_api.api.root_resource_id}',
            path_part: 'things',
          },
        },
        aws_api_gateway_method: {
          get: {
            rest_api_id: API,
            resource_id: '${aws_api_gateway_resource.things.id}',
            http_method: 'GET',
            authorization: 'NONE',
            api_key_required: true,
          },
        },
        aws_api_gateway_integration: {
          get: {
            rest_api_id: API,
            resource_id: '${aws_api_gateway_resource.things.id}',
            http_method: 'GET',
            type: 'MOCK',
          },
        },
      },
    );
    const resolver = new ReferenceResolver(stack);
    registerApiAttributes(stack, resolver, 'http://127.0.0.1:1');
    const apis = describeRestApis(stack, resolver, schemaCompiler());
    expect(apis[0].methods[0].apiKeyRequired).toBe(true);
    const plans = describeUsagePlans(
      stack,
      resolver,
      describeApiKeys(stack, resolver, CredentialsStore.open(undefined, stack)),
    );
    expect(usagePlanWarnings(apis, plans)).toEqual([]);
    expect(usagePlanWarnings(apis, [])).toEqual([
      expect.stringMatching(/stage "prod" is in no usage plan: its 1 method/),
    ]);
    expect(usagePlanWarnings([{ ...apis[0], apiKeySource: 'AUTHORIZER' }], plans)).toEqual([
      expect.stringMatching(/api_key_source AUTHORIZER .* refuse every request \(403\)/),
    ]);
  });
});
