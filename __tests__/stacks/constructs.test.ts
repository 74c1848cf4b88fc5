import { App, TerraformStack, Testing } from 'cdktf';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { domainPrefixProblem, M2mAuth, M2mAuthProps } from '../../stacks/constructs/m2m-auth';
import { Scopes, SecureRestApi } from '../../stacks/constructs/secure-rest-api';
import { BootstrapStack } from '../../stacks/bootstrap-stack';
import { stageConfig } from '../../stacks/config';
import { PlatformStack } from '../../stacks/platform-stack';

function newStack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'test');
}

function newApi(stack = newStack()): { api: SecureRestApi; handler: LambdaFunction } {
  const api = new SecureRestApi(stack, 'api', {
    name: 'test',
    userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc',
    stageName: 'test',
    throttling: { rateLimit: 1, burstLimit: 1 },
    logRetentionDays: 1,
  });
  const handler = new LambdaFunction(stack, 'fn', { functionName: 'fn', role: 'arn:aws:iam::123456789012:role/r' });
  return { api, handler };
}

describe('SecureRestApi', () => {
  it('refuses a method without scopes, which would accept only ID tokens', () => {
    const { api, handler } = newApi();
    const noScopes = [] as unknown as Scopes;
    expect(() => api.addRoute({ method: 'GET', path: '/things', scopes: noScopes, handler })).toThrow(
      /GET \/things needs at least one scope/,
    );
  });

  it('refuses the same route twice and malformed paths, naming the construct', () => {
    const { api, handler } = newApi();
    api.addRoute({ method: 'GET', path: '/things', scopes: ['s/read'], handler });
    expect(() => api.addRoute({ method: 'GET', path: '/things', scopes: ['s/read'], handler })).toThrow(
      'test/api: GET /things is defined twice.',
    );
    for (const path of ['things', '/things/', '/a//b', '/a b']) {
      expect(() => api.addRoute({ method: 'POST', path, scopes: ['s/write'], handler })).toThrow(
        /is not a resource path/,
      );
    }
  });

  it('refuses two paths that would share a construct id, naming both', () => {
    const { api, handler } = newApi();
    api.addRoute({ method: 'GET', path: '/categories/{id}', scopes: ['s/r'], handler });
    expect(() => api.addRoute({ method: 'GET', path: '/categories/id', scopes: ['s/r'], handler })).toThrow(
      'test/api: paths /categories/{id} and /categories/id cannot both be resources here; rename one of them.',
    );
  });

  it('refuses two different schemas under one model name', () => {
    const { api, handler } = newApi();
    api.addRoute({
      method: 'POST',
      path: '/a',
      scopes: ['s/w'],
      handler,
      requestModel: { name: 'Body', schema: { type: 'object' } },
    });
    expect(() =>
      api.addRoute({
        method: 'PUT',
        path: '/a',
        scopes: ['s/w'],
        handler,
        requestModel: { name: 'Body', schema: { type: 'array' } },
      }),
    ).toThrow(/two different schemas are named "Body"/);
  });

  it('shares resources between routes on the same path and nests path parameters', () => {
    const stack = newStack();
    const { api, handler } = newApi(stack);
    api.addRoute({ method: 'GET', path: '/a/{id}/b', scopes: ['s/r'], handler });
    api.addRoute({ method: 'PUT', path: '/a/{id}/b', scopes: ['s/u'], handler });
    api.addRoute({ method: 'GET', path: '/a', scopes: ['s/r'], handler });
    const json = JSON.parse(Testing.synth(stack)) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    const parts = Object.values(json.resource.aws_api_gateway_resource)
      .map((r) => r.path_part)
      .sort();
    expect(parts).toEqual(['a', 'b', '{id}']);
    const getB = Object.values(json.resource.aws_api_gateway_method).find(
      (m) => m.http_method === 'GET' && m.request_parameters !== undefined,
    );
    expect(getB?.request_parameters).toEqual({ 'method.request.path.id': true });
  });
});

describe('M2mAuth', () => {
  const base: M2mAuthProps<'read'> = {
    name: 'test',
    region: 'us-east-1',
    resourceServerIdentifier: 'api',
    scopes: [{ name: 'read', description: 'Read' }],
  };

  it.each([
    ['My_Domain', /lower-case letters, digits and hyphens/],
    ['-leading', /starting and ending with a letter or digit/],
    ['trailing-', /starting and ending/],
    ['x'.repeat(64), /1 to 63/],
    ['my-aws-api', /reserved word "aws"/],
    ['amazon-things', /reserved word "amazon"/],
    ['cognito-dev', /reserved word "cognito"/],
  ])('refuses the domain prefix %p', (prefix, why) => {
    expect(domainPrefixProblem(prefix)).toMatch(why);
    expect(() => new M2mAuth(newStack(), 'auth', { ...base, domainPrefix: prefix })).toThrow(
      new RegExp(`^test/auth: Cognito domain prefix "${prefix}" is invalid`),
    );
  });

  it.each(['a', 'acme-dev', 'a1-b2-c3', 'x'.repeat(63)])('accepts the domain prefix %p', (prefix) => {
    expect(domainPrefixProblem(prefix)).toBeUndefined();
  });

  it.each([0, 4, 1441, 2.5])('refuses a client access-token validity of %p minutes', (minutes) => {
    const stack = newStack();
    const auth = new M2mAuth(stack, 'auth', base);
    expect(() =>
      auth.addClient(stack, 'client', { name: 'test-client', scopes: ['read'], accessTokenValidityMinutes: minutes }),
    ).toThrow(
      /^test\/auth: client "test-client": accessTokenValidityMinutes is .*; Cognito accepts whole minutes from 5 to 1440/,
    );
  });

  it('refuses a client without scopes, with a scope the resource server lacks, or with a name Cognito refuses', () => {
    const stack = newStack();
    const auth = new M2mAuth(stack, 'auth', base);
    const noScopes = [] as unknown as readonly ['read'];
    expect(() => auth.addClient(stack, 'a', { name: 'a', scopes: noScopes })).toThrow(/give at least one scope/);
    expect(() => auth.addClient(stack, 'b', { name: 'b', scopes: ['write' as 'read'] })).toThrow(
      'test/auth: the resource server defines no scope "write".',
    );
    for (const name of ['', 'slash/name', 'x'.repeat(129)]) {
      expect(() => auth.addClient(stack, `c${name.length}`, { name, scopes: ['read'] })).toThrow(
        /Cognito accepts 1–128 letters, digits, spaces and _\+=,\.@- in a client name/,
      );
    }
  });

  it('refuses a resource server without scopes, and a method scope it does not define', () => {
    expect(() => new M2mAuth(newStack(), 'auth', { ...base, scopes: [] })).toThrow(/define at least one scope/);
    const auth = new M2mAuth(newStack(), 'auth', base);
    expect(auth.scope('read')).toBe('api/read');
    expect(() => auth.scope('write' as 'read')).toThrow('test/auth: the resource server defines no scope "write".');
  });
});

describe('BootstrapStack', () => {
  it('sets the API Gateway CloudWatch role in every stage region, with one global role', () => {
    const stack = new BootstrapStack(Testing.app(), 'bootstrap', {
      region: 'us-east-1',
      stateBucket: 'example-state',
      apiRegions: ['eu-west-1', 'us-east-1', 'eu-west-1'],
    });
    const json = JSON.parse(Testing.synth(stack)) as {
      provider: { aws: { region: string; alias?: string }[] };
      resource: Record<string, Record<string, { provider?: string; region?: string }>>;
    };
    expect(json.provider.aws.map((p) => [p.region, p.alias])).toEqual([
      ['us-east-1', undefined],
      ['eu-west-1', 'eu-west-1'],
    ]);
    const accounts = Object.values(json.resource.aws_api_gateway_account);
    expect(accounts.map((a) => a.provider ?? 'default').sort()).toEqual(['aws.eu-west-1', 'default']);
    expect(Object.keys(json.resource.aws_iam_role)).toHaveLength(1);
  });
});

describe('stage configuration', () => {
  it('names the stage, the bad prefix and the variable to change when a configured prefix is invalid', () => {
    const config = stageConfig('prod', { DOMAIN_PREFIX_PROD: 'Amazon_Prod' });
    expect(() => new PlatformStack(new App({ outdir: Testing.app().outdir }), 'platform-prod', config)).toThrow(
      /^Stage "prod": Cognito domain prefix "Amazon_Prod" is invalid: .*Set DOMAIN_PREFIX_PROD/,
    );
  });

  it('changes nothing in the configuration it is given', () => {
    const config = stageConfig('dev', {});
    const before = JSON.stringify(config);
    new PlatformStack(Testing.app(), 'platform-dev', config);
    expect(JSON.stringify(config)).toBe(before);
  });
});
