import { lambdaReservedConcurrency } from '../../policy/rules/lambda-concurrency';
import { lambdaEnvironmentSecrets } from '../../policy/rules/lambda-environment-secrets';
import { lambdaPermissionSourceArn } from '../../policy/rules/lambda-permission';
import { lambdaRuntime } from '../../policy/rules/lambda-runtime';
import { lambdaTracing } from '../../policy/rules/lambda-tracing';
import { addresses, check } from './fixtures/check';
import { PlanBuilder, ref, UNKNOWN } from './fixtures/plan-builder';
import { API, CLIENT, compliantPlatform, FUNCTION, GET_PERMISSION } from './fixtures/platform';

const LAMBDA_RULES = [
  lambdaTracing,
  lambdaReservedConcurrency,
  lambdaRuntime,
  lambdaPermissionSourceArn,
  lambdaEnvironmentSecrets,
];

describe.each(LAMBDA_RULES.map((rule) => [rule.id, rule] as const))('%s', (_, rule) => {
  it('passes on a compliant function', () => {
    expect(check(rule, compliantPlatform())).toEqual([]);
  });

  it('passes when the plan has no Lambda resources', () => {
    expect(check(rule, new PlanBuilder().add('aws_dynamodb_table.t', { name: 'table' }))).toEqual([]);
  });
});

const withVariables = (variables: Record<string, unknown>, sensitive?: Record<string, unknown>) =>
  compliantPlatform().with(
    FUNCTION,
    { environment: [{ variables }] },
    sensitive ? { sensitive: { environment: [{ variables: sensitive }] } } : {},
  );

describe('CKV_AWS_50 tracing', () => {
  it.each([['PassThrough'], [undefined]])('fails tracing mode %s', (mode) => {
    const fixture = compliantPlatform().with(FUNCTION, { tracing_config: mode ? [{ mode }] : undefined });
    expect(addresses(check(lambdaTracing, fixture))).toEqual([FUNCTION]);
  });
});

describe('CKV_AWS_115 reserved concurrency', () => {
  it('fails a function on the unreserved pool (the provider plans -1)', () => {
    const findings = check(
      lambdaReservedConcurrency,
      compliantPlatform().with(FUNCTION, { reserved_concurrent_executions: -1 }),
    );
    expect(addresses(findings)).toEqual([FUNCTION]);
    expect(findings[0].message).toMatch(/not set/);
  });
});

describe('CKV_AWS_363 runtime', () => {
  it.each(['nodejs18.x', 'nodejs20.x', 'python3.9', 'go1.x'])('fails %s, past its end of support', (runtime) => {
    const findings = check(lambdaRuntime, compliantPlatform().with(FUNCTION, { runtime }));
    expect(addresses(findings)).toEqual([FUNCTION]);
    expect(findings[0].message).toMatch(/reached end of support/);
    expect(findings[0].severity).toBeUndefined();
  });

  it('passes nodejs22.x, and warns (without failing) in the last 90 days before its end of support', () => {
    expect(check(lambdaRuntime, compliantPlatform())).toEqual([]);
    const warnings = check(lambdaRuntime, compliantPlatform(), { now: new Date('2027-03-01T00:00:00Z') });
    expect(warnings).toEqual([expect.objectContaining({ address: FUNCTION, severity: 'warning' })]);
    expect(warnings[0].message).toMatch(/2027-04-30 \(in 60 days\)/);
  });

  it('passes runtimes it does not list (newer ones) and container images', () => {
    expect(check(lambdaRuntime, compliantPlatform().with(FUNCTION, { runtime: 'nodejs26.x' }))).toEqual([]);
    expect(
      check(lambdaRuntime, compliantPlatform().with(FUNCTION, { runtime: undefined, package_type: 'Image' })),
    ).toEqual([]);
  });
});

describe('CKV_AWS_364 permission source ARN', () => {
  it('fails an API Gateway permission without source_arn: any API in any account could invoke', () => {
    const findings = check(
      lambdaPermissionSourceArn,
      compliantPlatform().with(GET_PERMISSION, { source_arn: undefined }),
    );
    expect(addresses(findings)).toEqual([GET_PERMISSION]);
    expect(findings[0].message).toMatch(/source_arn is not set/);
  });

  it('fails a source_arn that is not the execution ARN of an API', () => {
    const wildcard = compliantPlatform().with(GET_PERMISSION, {
      source_arn: 'arn:aws:execute-api:us-east-1:123456789012:*',
    });
    expect(check(lambdaPermissionSourceArn, wildcard)[0].message).toMatch(/not the execute-api ARN of one API/);
    const otherAttribute = compliantPlatform().with(GET_PERMISSION, { source_arn: `${ref(API, 'arn')}/*` });
    expect(check(lambdaPermissionSourceArn, otherAttribute)[0].message).toMatch(/does not reference the execution_arn/);
  });

  it('accepts a literal execute-api ARN of one API', () => {
    const fixture = compliantPlatform().with(GET_PERMISSION, {
      source_arn: 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*/GET/categories',
    });
    expect(check(lambdaPermissionSourceArn, fixture)).toEqual([]);
  });

  it('fails a permission for principal "*"', () => {
    expect(
      check(lambdaPermissionSourceArn, compliantPlatform().with(GET_PERMISSION, { principal: '*' }))[0].message,
    ).toMatch(/anyone/);
  });

  it('accepts source_account for services other than API Gateway, and ignores account principals', () => {
    const events = compliantPlatform().with(GET_PERMISSION, {
      principal: 'events.amazonaws.com',
      source_arn: undefined,
      source_account: '123456789012',
    });
    expect(check(lambdaPermissionSourceArn, events)).toEqual([]);
    const account = compliantPlatform().with(GET_PERMISSION, { principal: '123456789012', source_arn: undefined });
    expect(check(lambdaPermissionSourceArn, account)).toEqual([]);
  });
});

describe('CKV_AWS_45 no secrets in the environment', () => {
  it.each([
    ['an AWS access key id', { AWS_KEY: 'AKIAIOSFODNN7EXAMPLE' }, /AWS access key id/],
    ['a secret-named variable with a literal value', { DB_PASSWORD: 'hunter2-hunter2' }, /name says it is a secret/],
    ['an API key', { STRIPE_API_KEY: 'not-a-real-key-1234' }, /name says it is a secret/],
    ['a private key', { SIGNING: '-----BEGIN RSA PRIVATE KEY-----\nMIIB' }, /private key/],
    ['a URL with a password', { DATABASE_URL: 'postgres://app:s3cret@db.internal:5432/app' }, /URL with a password/],
    ['the Cognito client secret', { CLIENT_CREDENTIAL: ref(CLIENT, 'client_secret') }, /client_secret, a secret/],
  ])('fails %s', (_, variables, message) => {
    const findings = check(lambdaEnvironmentSecrets, withVariables(variables));
    expect(addresses(findings)).toEqual([FUNCTION]);
    expect(findings[0].message).toMatch(message);
  });

  it('fails a value the plan marks sensitive', () => {
    const findings = check(lambdaEnvironmentSecrets, withVariables({ UPSTREAM: UNKNOWN }, { UPSTREAM: true }));
    expect(findings[0].message).toMatch(/environment variable UPSTREAM: its value is sensitive/);
  });

  it('accepts pointers to secrets and ordinary names', () => {
    const fixture = withVariables({
      DB_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db',
      API_KEY_PARAMETER: '/m2m/api-key',
      TOKEN_URL: 'https://example.auth.us-east-1.amazoncognito.com/oauth2/token',
      CLIENT_ID: ref(CLIENT, 'id'),
      TABLE_NAME: ref('aws_dynamodb_table.categories', 'name'),
      LOG_LEVEL: 'INFO',
    });
    expect(check(lambdaEnvironmentSecrets, fixture)).toEqual([]);
  });
});
