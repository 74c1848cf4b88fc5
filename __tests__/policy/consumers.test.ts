import { evaluatePlans, RULES } from '../../policy';
import {
  apiGatewayKeysInThrottledPlans,
  apiGatewayMethodsRequireKeys,
} from '../../policy/rules/api-gateway-usage-plans';
import {
  cognitoAccessTokenValidity,
  cognitoClientCredentialsOnly,
  cognitoClientSecret,
  cognitoTokenRevocation,
} from '../../policy/rules/cognito-m2m-client';
import { kmsKeyRotation } from '../../policy/rules/kms-key-rotation';
import { secretsManagerCustomerManagedKey, secretsManagerRecoveryWindow } from '../../policy/rules/secrets-manager';
import { addresses, check, NOW } from './fixtures/check';
import {
  API_KEY,
  compliantConsumers,
  KEY,
  KEY_ALIAS,
  READER_CLIENT,
  SECRET,
  USAGE_PLAN,
  USAGE_PLAN_KEY,
} from './fixtures/consumers';
import { PlanBuilder, ref, UNKNOWN } from './fixtures/plan-builder';
import { API, CLIENT, compliantPlatform, GET_METHOD, POST_METHOD, RESOURCE } from './fixtures/platform';

const CONSUMER_RULES = [
  secretsManagerCustomerManagedKey,
  secretsManagerRecoveryWindow,
  kmsKeyRotation,
  apiGatewayMethodsRequireKeys,
  apiGatewayKeysInThrottledPlans,
];

it('passes a stage with consumers, usage plans and their secrets on every rule', () => {
  const report = evaluatePlans([compliantConsumers().input('platform-test')], { suppressions: [], now: NOW });
  expect(report.stacks[0]).toMatchObject({ ok: true, failed: 0, passed: RULES.length });
});

describe.each(CONSUMER_RULES.map((r) => [r.id, r] as const))('%s', (_, rule) => {
  it('passes on the compliant consumers', () => {
    expect(check(rule, compliantConsumers())).toEqual([]);
  });

  it('passes when the plan has no matching resources', () => {
    expect(check(rule, new PlanBuilder().add('aws_sqs_queue.q', { name: 'queue' }))).toEqual([]);
  });
});

describe('the Cognito client rules hold for every app client, not just the first', () => {
  it.each([
    [cognitoClientCredentialsOnly, { allowed_oauth_flows: ['client_credentials', 'implicit'] }],
    [cognitoClientSecret, { generate_secret: false }],
    [cognitoAccessTokenValidity, { access_token_validity: 2, token_validity_units: [{ access_token: 'days' }] }],
    [cognitoTokenRevocation, { enable_token_revocation: false }],
  ])('%s', (rule, patch) => {
    expect(addresses(check(rule, compliantConsumers().with(READER_CLIENT, patch)))).toEqual([READER_CLIENT]);
    expect(addresses(check(rule, compliantConsumers().with(CLIENT, patch)))).toEqual([CLIENT]);
  });
});

describe('CKV_AWS_149 secrets under a customer managed key', () => {
  it.each([
    [
      'no key (aws/secretsmanager)',
      { kms_key_id: undefined },
      /kms_key_id is not set: the secret uses the AWS managed key/,
    ],
    [
      'the AWS managed alias',
      { kms_key_id: 'alias/aws/secretsmanager' },
      /"alias\/aws\/secretsmanager", an AWS managed key/,
    ],
    [
      'the AWS managed alias by ARN',
      { kms_key_id: 'arn:aws:kms:us-east-1:123456789012:alias/aws/secretsmanager' },
      /an AWS managed key/,
    ],
    ['a key known only after apply', { kms_key_id: UNKNOWN }, /known only after apply/],
  ])('fails %s', (_, patch, message) => {
    const findings = check(secretsManagerCustomerManagedKey, compliantConsumers().with(SECRET, patch));
    expect(addresses(findings)).toEqual([SECRET]);
    expect(findings[0].message).toMatch(message);
  });

  it.each([
    ['an alias of the stack', ref(KEY_ALIAS, 'arn')],
    ['a key ARN given literally', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
  ])('accepts %s', (_, kmsKeyId) => {
    expect(
      check(secretsManagerCustomerManagedKey, compliantConsumers().with(SECRET, { kms_key_id: kmsKeyId })),
    ).toEqual([]);
  });
});

describe('M2M_SECRET_1 recovery window', () => {
  it('fails a secret deleted without recovery, and one whose window is unknown before apply', () => {
    expect(
      check(secretsManagerRecoveryWindow, compliantConsumers().with(SECRET, { recovery_window_in_days: 0 })),
    ).toEqual([{ address: SECRET, message: 'recovery_window_in_days is 0: a deleted secret cannot be recovered' }]);
    const unknown = check(
      secretsManagerRecoveryWindow,
      compliantConsumers().with(SECRET, { recovery_window_in_days: UNKNOWN }),
    );
    expect(unknown[0].message).toMatch(/known only after apply/);
  });

  it("accepts an unset window (Secrets Manager's default is 30 days)", () => {
    expect(
      check(secretsManagerRecoveryWindow, compliantConsumers().with(SECRET, { recovery_window_in_days: undefined })),
    ).toEqual([]);
  });
});

describe('CKV_AWS_7 key rotation', () => {
  it('fails a symmetric key without rotation, and leaves asymmetric keys alone', () => {
    expect(addresses(check(kmsKeyRotation, compliantConsumers().with(KEY, { enable_key_rotation: false })))).toEqual([
      KEY,
    ]);
    expect(
      addresses(check(kmsKeyRotation, compliantConsumers().with(KEY, { enable_key_rotation: undefined }))),
    ).toEqual([KEY]);
    const asymmetric = compliantConsumers().with(KEY, {
      enable_key_rotation: undefined,
      customer_master_key_spec: 'RSA_2048',
    });
    expect(check(kmsKeyRotation, asymmetric)).toEqual([]);
  });
});

describe('M2M_USAGE_1 methods require keys once usage plans cover the API', () => {
  it('fails a method that would bypass the usage plans', () => {
    const findings = check(
      apiGatewayMethodsRequireKeys,
      compliantConsumers().with(POST_METHOD, { api_key_required: false }),
    );
    expect(findings).toEqual([
      { address: POST_METHOD, message: 'POST: api_key_required is not true, so its requests bypass the usage plans' },
    ]);
    expect(
      addresses(
        check(apiGatewayMethodsRequireKeys, compliantConsumers().with(GET_METHOD, { api_key_required: undefined })),
      ),
    ).toEqual([GET_METHOD]);
  });

  it('leaves CORS preflights without a key', () => {
    const fixture = compliantConsumers().add('aws_api_gateway_method.options_categories', {
      rest_api_id: ref(API, 'id'),
      resource_id: ref(RESOURCE, 'id'),
      http_method: 'OPTIONS',
      authorization: 'NONE',
    });
    expect(check(apiGatewayMethodsRequireKeys, fixture)).toEqual([]);
  });

  it('asks nothing of APIs no usage plan covers', () => {
    expect(check(apiGatewayMethodsRequireKeys, compliantPlatform())).toEqual([]);
    const otherApi = compliantConsumers().with(USAGE_PLAN, {
      api_stages: [{ api_id: ref('aws_api_gateway_rest_api.other', 'id'), stage: 'v1' }],
    });
    expect(check(apiGatewayMethodsRequireKeys, otherApi.with(POST_METHOD, { api_key_required: false }))).toEqual([]);
  });
});

describe('M2M_USAGE_2 every key in a throttled usage plan', () => {
  it('fails a key in no usage plan', () => {
    expect(check(apiGatewayKeysInThrottledPlans, compliantConsumers().without(USAGE_PLAN_KEY))).toEqual([
      { address: API_KEY, message: 'no aws_api_gateway_usage_plan_key puts the key in a usage plan' },
    ]);
  });

  it.each([
    [
      'without throttling',
      { throttle_settings: undefined },
      /throttle_settings\[0\].rate_limit is not set; throttle_settings\[0\].burst_limit is not set/,
    ],
    ['with a zero rate', { throttle_settings: [{ rate_limit: 0, burst_limit: 5 }] }, /rate_limit is not set/],
    [
      'on no API of the stack',
      { api_stages: [{ api_id: 'abc123', stage: 'v1' }] },
      /api_stages names no REST API of the stack/,
    ],
  ])('fails a key whose only plan is %s', (_, patch, message) => {
    const findings = check(apiGatewayKeysInThrottledPlans, compliantConsumers().with(USAGE_PLAN, patch));
    expect(addresses(findings)).toEqual([API_KEY]);
    expect(findings[0].message).toMatch(message);
    expect(findings[0].message).toContain(USAGE_PLAN);
  });

  it('accepts a key in several plans when one of them throttles', () => {
    const fixture = compliantConsumers()
      .add('aws_api_gateway_usage_plan.open', { name: 'open', api_stages: [{ api_id: ref(API, 'id'), stage: 'test' }] })
      .add('aws_api_gateway_usage_plan_key.open', {
        key_id: ref(API_KEY, 'id'),
        key_type: 'API_KEY',
        usage_plan_id: ref('aws_api_gateway_usage_plan.open', 'id'),
      });
    expect(check(apiGatewayKeysInThrottledPlans, fixture)).toEqual([]);
  });
});
