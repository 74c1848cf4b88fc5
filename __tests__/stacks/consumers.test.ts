import 'cdktf/lib/testing/adapters/jest';
import { Construct } from 'constructs';
import { DefaultTokenResolver, StringConcat, TerraformStack, Testing, Tokenization } from 'cdktf';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { parseConsumerCredentials } from '../../contracts/consumer-credentials';
import { DEFAULT_CONSUMERS, type StageConfig } from '../../stacks/config';
import type { ConsumerCredentials } from '../../stacks/constructs/consumer-credentials';
import { LEGACY_CLIENT_ADDRESS } from '../../stacks/constructs/consumer-access';
import { of, only, resources, type Found, type TerraformJson } from '../support/terraform-json';
import { synthPlatform, type SynthesizedPlatform } from '../support/synth';

Testing.setupJest();

const dev = synthPlatform('dev');
const prod = synthPlatform('prod');
const READER = 'arn:aws:iam::210987654321:role/catalog-service';
/** dev with usage plans and CORS on, operations rotating (1 → 2), catalog-reader on 2 and 3 with a reader. */
const rotating = synthPlatform('dev', { CORS_ALLOW_ORIGIN_DEV: 'https://console.example.com' }, (config) => ({
  ...config,
  usagePlans: true,
  consumers: {
    operations: { ...DEFAULT_CONSUMERS.operations, credentials: { generations: [1, 2] } },
    'catalog-reader': {
      ...DEFAULT_CONSUMERS['catalog-reader'],
      accessTokenValidityMinutes: 15,
      credentials: { generations: [2, 3], readers: [READER] },
    },
  },
}));

const ALL_SCOPES = ['access_points/read', 'access_points/write', 'access_points/update', 'access_points/delete'];

function consumer(platform: SynthesizedPlatform, name: string): ConsumerCredentials {
  const found = platform.stack.consumers.consumers.get(name);
  if (!found) throw new Error(`no consumer ${name}`);
  return found;
}

/** A resource's address as Terraform writes it. */
const address = (found: Found): string => `${found.type}.${found.name}`;

describe.each([
  ['dev', dev, 7],
  ['prod', prod, 30],
] as const)('the default consumers of %s', (stage, platform, recoveryDays) => {
  const { json } = platform;

  it.each([
    ['operations', ALL_SCOPES],
    ['catalog-reader', ['access_points/read']],
  ])('%s: one app client for its one credential generation, allowed exactly its scopes', (name, scopes) => {
    const { generations, current } = consumer(platform, name);
    expect(generations.map((g) => g.generation)).toEqual([1]);
    expect(current.generation).toBe(1);
    const client = of(json, current.client);
    expect(client.config).toMatchObject({
      name: `m2m-api-${stage}-${name}-1`,
      allowed_oauth_flows: ['client_credentials'],
      generate_secret: true,
      allowed_oauth_scopes: scopes,
      access_token_validity: 60,
      enable_token_revocation: true,
    });
  });

  it.each(['operations', 'catalog-reader'])(
    '%s: its credentials in its own secret, under the customer managed key, with a recovery window',
    (name) => {
      const { current } = consumer(platform, name);
      const key = of(json, platform.stack.consumers.key.key);
      expect(of(json, current.secret).config).toEqual({
        name: `m2m-api-${stage}/consumers/${name}/1`,
        description: expect.stringContaining(name),
        kms_key_id: key.ref('arn'),
        recovery_window_in_days: recoveryDays,
      });
      const version = of(json, current.secretVersion);
      expect(version.config.secret_id).toBe(of(json, current.secret).ref('id'));
      const client = of(json, current.client);
      const secretString = version.config.secret_string as string;
      expect(secretString).toMatch(/^\$\{jsonencode\(\{.*\}\)\}$/);
      for (const part of [
        '"version" = 1',
        `"consumer" = "${name}"`,
        '"generation" = 1',
        `"clientId" = ${address(client)}.id`,
        `"clientSecret" = ${address(client)}.client_secret`,
        `"apiUrl" = ${address(only(json, 'aws_api_gateway_stage'))}.invoke_url`,
      ]) {
        expect(secretString).toContain(part);
      }
      expect(secretString.includes('"apiKey"')).toBe(stage === 'prod');
    },
  );

  it('encrypts the secrets with a rotating key of its own, usable by the account only when nobody else reads them', () => {
    const key = of(json, platform.stack.consumers.key.key);
    expect(key.config).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(of(json, platform.stack.consumers.key.alias).config).toMatchObject({
      name: `alias/m2m-api-${stage}/consumer-secrets`,
      target_key_id: key.ref('key_id'),
    });
    const policy = of(json, platform.stack.consumers.key.policy);
    const document = resources({ ...json, resource: json.data ?? {} } as TerraformJson, 'aws_iam_policy_document').find(
      (d) => policy.config.policy === `\${data.aws_iam_policy_document.${d.name}.json}`,
    );
    const arn = (index: number) => `\${element(split(":", ${key.ref('arn').slice(2, -1)}), ${index})}`;
    expect(document?.config.statement).toEqual([
      {
        sid: 'EnableIamPolicies',
        effect: 'Allow',
        principals: [{ type: 'AWS', identifiers: [`arn:${arn(1)}:iam::${arn(4)}:root`] }],
        actions: ['kms:*'],
        resources: ['*'],
      },
    ]);
    expect(resources(json, 'aws_secretsmanager_secret_policy')).toHaveLength(0);
  });

  it('moves the app client of stacks before consumers to the operations consumer, renamed in place', () => {
    const operations = of(json, consumer(platform, 'operations').current.client);
    expect((json as TerraformJson & { moved?: unknown }).moved).toEqual([
      { from: LEGACY_CLIENT_ADDRESS, to: address(operations) },
    ]);
    // Written directly, not through cdktf's move API, whose validation runs `terraform version` on every synth.
    expect(platform.stack.hasResourceMove()).toBe(false);
  });

  it('outputs the operations credentials for the walk-through, and per consumer its scopes, clients and secrets', () => {
    const { output } = json;
    const operations = consumer(platform, 'operations').current;
    expect(output.client_id.value).toBe(of(json, operations.client).ref('id'));
    expect(output.client_secret).toMatchObject({
      value: of(json, operations.client).ref('client_secret'),
      sensitive: true,
    });
    expect(output.consumer_secrets_key_arn.value).toBe(of(json, platform.stack.consumers.key.key).ref('arn'));
    const reader = consumer(platform, 'catalog-reader').current;
    expect(output.consumers.sensitive).toBeUndefined();
    expect(output.consumers.value).toMatchObject({
      'catalog-reader': {
        scopes: ['access_points/read'],
        current_generation: 1,
        client_ids: { '1': of(json, reader.client).ref('id') },
        secret_arns: { '1': of(json, reader.secret).ref('arn') },
      },
      operations: { scopes: ALL_SCOPES, client_ids: { '1': of(json, operations.client).ref('id') } },
    });
  });

  it('saves Logs Insights queries for requests, errors and latency per consumer over the access log', () => {
    const queries = resources(json, 'aws_cloudwatch_query_definition');
    expect(queries.map((q) => q.config.name).sort()).toEqual(
      ['errors', 'latency', 'requests'].map((q) => `m2m-api-${stage}/consumers/${q}`),
    );
    const accessLogs = of(json, platform.stack.api.accessLogGroup);
    for (const query of queries) {
      expect(query.config.log_group_names).toEqual([accessLogs.ref('name')]);
      const text = query.config.query_string as string;
      for (const name of ['operations', 'catalog-reader']) {
        const client = of(json, consumer(platform, name).current.client);
        expect(text).toContain(`"${client.ref('id')}", "${name}/1"`);
      }
      expect(text).toMatch(/^fields (replace\()+clientId, .* as consumer\n\| /);
    }
  });
});

describe('usage plans', () => {
  it('are off in dev: no API keys, no usage plans, no method requires a key', () => {
    for (const type of ['aws_api_gateway_api_key', 'aws_api_gateway_usage_plan', 'aws_api_gateway_usage_plan_key']) {
      expect(resources(dev.json, type)).toHaveLength(0);
    }
    for (const method of resources(dev.json, 'aws_api_gateway_method')) {
      expect(method.config).not.toHaveProperty('api_key_required');
    }
    expect(dev.json.output).not.toHaveProperty('api_key');
  });

  it('are on in prod: every method requires a key from the x-api-key header', () => {
    expect(only(prod.json, 'aws_api_gateway_rest_api').config.api_key_source).toBe('HEADER');
    const methods = resources(prod.json, 'aws_api_gateway_method');
    expect(methods).toHaveLength(5);
    for (const method of methods) expect(method.config.api_key_required).toBe(true);
    const format = JSON.parse(
      (only(prod.json, 'aws_api_gateway_stage').config.access_log_settings as { format: string }).format,
    ) as Record<string, string>;
    expect(format).toMatchObject({
      clientId: '$context.authorizer.claims.client_id',
      apiKeyId: '$context.identity.apiKeyId',
    });
  });

  it.each([
    ['operations', { burst_limit: 20, rate_limit: 10 }, undefined],
    ['catalog-reader', { burst_limit: 100, rate_limit: 50 }, { limit: 1_000_000, period: 'DAY' }],
  ])('give %s its own plan on the stage, with its limits, and a key per generation', (name, throttle, quota) => {
    const credentials = consumer(prod, name);
    if (!credentials.usagePlan) throw new Error(`${name} has no usage plan`);
    const plan = of(prod.json, credentials.usagePlan);
    const stage = only(prod.json, 'aws_api_gateway_stage');
    expect(plan.config).toEqual({
      name: `m2m-api-prod-${name}`,
      description: DEFAULT_CONSUMERS[name].description,
      api_stages: [{ api_id: only(prod.json, 'aws_api_gateway_rest_api').ref('id'), stage: stage.ref('stage_name') }],
      throttle_settings: throttle,
      ...(quota && { quota_settings: quota }),
    });
    if (!credentials.current.apiKey) throw new Error(`${name} has no API key`);
    const key = of(prod.json, credentials.current.apiKey);
    expect(key.config).toMatchObject({ name: `m2m-api-prod-${name}-1`, enabled: true });
    expect(key.config).not.toHaveProperty('value'); // API Gateway generates it
    const planKeys = resources(prod.json, 'aws_api_gateway_usage_plan_key').filter(
      (k) => k.config.key_id === key.ref('id'),
    );
    expect(planKeys.map((k) => k.config)).toEqual([
      { key_id: key.ref('id'), key_type: 'API_KEY', usage_plan_id: plan.ref('id') },
    ]);
    expect(of(prod.json, credentials.current.secretVersion).config.secret_string).toContain(
      `"apiKey" = ${address(key)}.value`,
    );
  });

  it("output the operations consumer's API key, sensitive", () => {
    const { apiKey } = consumer(prod, 'operations').current;
    if (!apiKey) throw new Error('prod has usage plans: operations has an API key');
    const key = of(prod.json, apiKey);
    expect(prod.json.output.api_key).toMatchObject({ value: key.ref('value'), sensitive: true });
  });
});

describe('rotation, readers and per-consumer settings', () => {
  const { json } = rotating;

  it('runs two generations side by side, each its own client with the same scopes and its own secret and key', () => {
    for (const [name, generations] of [
      ['operations', [1, 2]],
      ['catalog-reader', [2, 3]],
    ] as const) {
      const credentials = consumer(rotating, name);
      expect(credentials.generations.map((g) => g.generation)).toEqual(generations);
      expect(credentials.current.generation).toBe(generations[1]);
      const clients = credentials.generations.map((g) => of(json, g.client).config);
      expect(clients.map((c) => c.name)).toEqual(generations.map((g) => `m2m-api-dev-${name}-${g}`));
      expect(new Set(clients.map((c) => JSON.stringify(c.allowed_oauth_scopes))).size).toBe(1);
      expect(credentials.generations.map((g) => of(json, g.secret).config.name)).toEqual(
        generations.map((g) => `m2m-api-dev/consumers/${name}/${g}`),
      );
      expect(new Set(credentials.generations.map((g) => g.apiKey?.node.path)).size).toBe(2);
    }
    expect(resources(json, 'aws_cognito_user_pool_client')).toHaveLength(4);
  });

  it('hands the newest generation to the outputs, and still moves the pre-consumer client to operations/1', () => {
    const operations = consumer(rotating, 'operations');
    expect(json.output.client_id.value).toBe(of(json, operations.current.client).ref('id'));
    expect(operations.current.generation).toBe(2);
    const first = of(json, operations.generations[0].client);
    expect((json as TerraformJson & { moved?: unknown }).moved).toEqual([
      { from: LEGACY_CLIENT_ADDRESS, to: address(first) },
    ]);
  });

  it('gives a consumer its own token lifetime', () => {
    for (const generation of consumer(rotating, 'catalog-reader').generations) {
      expect(of(json, generation.client).config.access_token_validity).toBe(15);
    }
  });

  it("lets the listed readers read only that consumer's secrets, through a resource policy that blocks public access", () => {
    const reader = consumer(rotating, 'catalog-reader');
    const policies = resources(json, 'aws_secretsmanager_secret_policy');
    expect(policies.map((p) => p.config.secret_arn).sort()).toEqual(
      reader.generations.map((g) => of(json, g.secret).ref('arn')).sort(),
    );
    const documents = resources({ ...json, resource: json.data ?? {} } as TerraformJson, 'aws_iam_policy_document');
    for (const policy of policies) {
      expect(policy.config.block_public_policy).toBe(true);
      const document = documents.find(
        (d) => policy.config.policy === `\${data.aws_iam_policy_document.${d.name}.json}`,
      );
      expect(document?.config.statement).toEqual([
        {
          sid: 'ConsumerReadsItsCredentials',
          effect: 'Allow',
          principals: [{ type: 'AWS', identifiers: [READER] }],
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: ['*'],
        },
      ]);
    }
  });

  it("lets the readers decrypt through Secrets Manager only, and only that consumer's secrets", () => {
    const keyPolicy = of(json, rotating.stack.consumers.key.policy);
    const document = resources({ ...json, resource: json.data ?? {} } as TerraformJson, 'aws_iam_policy_document').find(
      (d) => keyPolicy.config.policy === `\${data.aws_iam_policy_document.${d.name}.json}`,
    );
    const statements = document?.config.statement as Record<string, unknown>[];
    expect(statements.map((s) => s.sid)).toEqual(['EnableIamPolicies', 'ReadCatalogReaderSecrets']);
    expect(statements[1]).toMatchObject({
      effect: 'Allow',
      principals: [{ type: 'AWS', identifiers: [READER] }],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      condition: [
        { test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.us-east-1.amazonaws.com'] },
        {
          test: 'StringLike',
          variable: 'kms:EncryptionContext:SecretARN',
          values: [
            expect.stringMatching(/:secretsmanager:us-east-1:.*:secret:m2m-api-dev\/consumers\/catalog-reader\/\*$/),
          ],
        },
      ],
    });
  });

  it('keeps the CORS preflights free of API keys', () => {
    const methods = resources(json, 'aws_api_gateway_method');
    const preflights = methods.filter((m) => m.config.http_method === 'OPTIONS');
    expect(preflights).toHaveLength(2);
    for (const method of preflights) expect(method.config).not.toHaveProperty('api_key_required');
    for (const method of methods.filter((m) => m.config.http_method !== 'OPTIONS')) {
      expect(method.config.api_key_required).toBe(true);
    }
  });
});

describe('the secret a consumer reads', () => {
  /** Stand-ins for what Terraform knows only after apply, by attribute. */
  const AFTER_APPLY: Record<string, string> = {
    id: '4example0client0id0000000a',
    client_secret: 'example-client-secret',
    invoke_url: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod',
    domain: 'us-east-1-abc',
    value: 'example-api-key-value',
  };

  it.each(['operations', 'catalog-reader'])('%s: what the stack writes is what the contract parses', (name) => {
    const { current, scopes } = consumer(prod, name);
    const references = Tokenization.resolve(current.document, {
      scope: prod.stack,
      resolver: new DefaultTokenResolver(new StringConcat()),
    }) as unknown;
    const resolved = JSON.stringify(references).replace(
      /\$\{[a-z_]+\.[\w-]+\.([a-z_]+)\}/g,
      (_, attribute: string) => AFTER_APPLY[attribute] ?? `unmapped ${attribute}`,
    );
    expect(parseConsumerCredentials(resolved, `the ${name} secret`)).toEqual({
      version: 1,
      consumer: name,
      generation: 1,
      clientId: AFTER_APPLY.id,
      clientSecret: AFTER_APPLY.client_secret,
      tokenUrl: 'https://us-east-1-abc.auth.us-east-1.amazoncognito.com/oauth2/token',
      apiUrl: AFTER_APPLY.invoke_url,
      scopes,
      apiKey: AFTER_APPLY.value,
    });
  });
});

describe('the pre-consumer client address', () => {
  it.each(['platform-dev', 'platform-prod'])(
    'is where cdktf put the client M2mAuth made at auth/client in %s',
    (name) => {
      const stack = new TerraformStack(Testing.app(), name);
      const legacy = new CognitoUserPoolClient(new Construct(stack, 'auth'), 'client', { name: 'x', userPoolId: 'y' });
      expect(`${legacy.terraformResourceType}.${legacy.friendlyUniqueId}`).toBe(LEGACY_CLIENT_ADDRESS);
    },
  );
});

describe('a stage configuration', () => {
  it('is refused with every consumer problem named, before anything is built', () => {
    const broken = (config: StageConfig): StageConfig => ({
      ...config,
      consumers: {
        ...config.consumers,
        'catalog-reader': { ...config.consumers['catalog-reader'], scopes: ['admin' as 'read'] },
      },
    });
    expect(() => synthPlatform('prod', {}, broken)).toThrow(
      /Stage "prod", consumer "catalog-reader": scope "admin" is not defined/,
    );
  });
});
