import 'cdktf/lib/testing/adapters/jest';
import { Construct } from 'constructs';
import { DefaultTokenResolver, StringConcat, TerraformStack, Testing, Tokenization } from 'cdktf';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { parseConsumerCredentials } from '../../contracts/consumer-credentials';
import { stageConfig, type StageConfig } from '../../stacks/config';
import type { ConsumerConfig } from '../../stacks/consumers';
import type { ConsumerCredentials } from '../../stacks/constructs/consumer-credentials';
import { LEGACY_CLIENT_ADDRESS } from '../../stacks/constructs/consumer-access';
import { of, only, resources, type Found, type TerraformJson } from '../support/terraform-json';
import { synthPlatform, type SynthesizedPlatform } from '../support/synth';

Testing.setupJest();

const dev = synthPlatform('dev');
const prod = synthPlatform('prod');
const READER = 'arn:aws:iam::210987654321:role/catalog-service';
const CONSUMER = (scopes: ConsumerConfig['scopes'], generations: ConsumerConfig['credentials']['generations']) => ({
  description: 'test consumer',
  scopes,
  credentials: { generations },
  limits: { rateLimit: 5, burstLimit: 10 },
});
/** A registry of its own (dev with usage plans and CORS on): ops rotating 1 → 2, reader on 2 and 3 with a reader. */
const rotating = synthPlatform('dev', { CORS_ALLOW_ORIGIN_DEV: 'https://console.example.com' }, (config) => ({
  ...config,
  usagePlans: true,
  operationsConsumer: 'ops',
  consumers: {
    ops: CONSUMER(['read', 'write', 'update', 'delete'], [1, 2]),
    reader: {
      ...CONSUMER(['read'], [2, 3]),
      accessTokenValidityMinutes: 15,
      credentials: { generations: [2, 3], readers: [READER] },
    },
  },
}));

const fullScope = (scope: string): string => `access_points/${scope}`;

function consumer(platform: SynthesizedPlatform, name: string): ConsumerCredentials {
  const found = platform.stack.consumers.consumers.get(name);
  if (!found) throw new Error(`no consumer ${name}`);
  return found;
}

/** A resource's address as Terraform writes it. */
const address = (found: Found): string => `${found.type}.${found.name}`;

/** The data source whose JSON a policy attribute holds. */
function policyDocument(json: TerraformJson, policy: unknown): Found | undefined {
  return resources({ ...json, resource: json.data ?? {} }, 'aws_iam_policy_document').find(
    (d) => policy === `\${data.aws_iam_policy_document.${d.name}.json}`,
  );
}

/**
 * The committed registry of each stage, whatever it holds: these tests check that each consumer gets what its entry
 * says, so adding or changing a consumer does not break them.
 */
describe.each([
  ['dev', dev],
  ['prod', prod],
] as const)('the committed consumers of %s', (stage, platform) => {
  const { json } = platform;
  const config = stageConfig(stage, {});
  const registry = Object.entries(config.consumers);

  it('include the operations consumer, with every scope', () => {
    expect(config.consumers[config.operationsConsumer]?.scopes).toEqual(['read', 'write', 'update', 'delete']);
  });

  it.each(registry)('%s: an app client per credential generation, allowed exactly its scopes', (name, entry) => {
    const { generations, current } = consumer(platform, name);
    expect(generations.map((g) => g.generation)).toEqual([...entry.credentials.generations]);
    expect(current.generation).toBe(Math.max(...entry.credentials.generations));
    for (const { generation, client } of generations) {
      expect(of(json, client).config).toMatchObject({
        name: `m2m-api-${stage}-${name}-${generation}`,
        allowed_oauth_flows: ['client_credentials'],
        generate_secret: true,
        allowed_oauth_scopes: entry.scopes.map(fullScope),
        access_token_validity: entry.accessTokenValidityMinutes ?? config.accessTokenValidityMinutes,
        enable_token_revocation: true,
      });
    }
  });

  it.each(registry)(
    '%s: each generation in its own secret, under the customer managed key, with a recovery window',
    (name, entry) => {
      const key = of(json, platform.stack.consumers.key.key);
      for (const { generation, client, secret, secretVersion, apiKey } of consumer(platform, name).generations) {
        expect(of(json, secret).config).toEqual({
          name: `m2m-api-${stage}/consumers/${name}/${generation}`,
          description: expect.stringContaining(entry.description),
          kms_key_id: key.ref('arn'),
          recovery_window_in_days: config.secretRecoveryDays,
        });
        const version = of(json, secretVersion);
        expect(version.config.secret_id).toBe(of(json, secret).ref('id'));
        const secretString = version.config.secret_string as string;
        expect(secretString).toMatch(/^\$\{jsonencode\(\{.*\}\)\}$/);
        for (const part of [
          '"version" = 1',
          `"consumer" = "${name}"`,
          `"generation" = ${generation}`,
          `"clientId" = ${address(of(json, client))}.id`,
          `"clientSecret" = ${address(of(json, client))}.client_secret`,
          `"apiUrl" = ${address(only(json, 'aws_api_gateway_stage'))}.invoke_url`,
          `"scopes" = [${entry.scopes.map((s) => `"${fullScope(s)}"`).join(', ')}]`,
        ]) {
          expect(secretString).toContain(part);
        }
        expect(secretString.includes(`"apiKey" = ${apiKey ? address(of(json, apiKey)) : ''}`)).toBe(config.usagePlans);
      }
    },
  );

  it('encrypts the secrets with a rotating key of its own, which only the account and the listed readers may use', () => {
    const key = of(json, platform.stack.consumers.key.key);
    expect(key.config).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(of(json, platform.stack.consumers.key.alias).config).toMatchObject({
      name: `alias/m2m-api-${stage}/consumer-secrets`,
      target_key_id: key.ref('key_id'),
    });
    const statements = policyDocument(json, of(json, platform.stack.consumers.key.policy).config.policy)?.config
      .statement as Record<string, unknown>[];
    const arn = (index: number) => `\${element(split(":", ${key.ref('arn').slice(2, -1)}), ${index})}`;
    expect(statements[0]).toEqual({
      sid: 'EnableIamPolicies',
      effect: 'Allow',
      principals: [{ type: 'AWS', identifiers: [`arn:${arn(1)}:iam::${arn(4)}:root`] }],
      actions: ['kms:*'],
      resources: ['*'],
    });
    const withReaders = registry.filter(([, entry]) => (entry.credentials.readers ?? []).length > 0);
    expect(statements).toHaveLength(1 + withReaders.length);
    expect(resources(json, 'aws_secretsmanager_secret_policy')).toHaveLength(
      withReaders.reduce((count, [, entry]) => count + entry.credentials.generations.length, 0),
    );
  });

  it('moves the app client of stacks before consumers to the operations consumer, renamed in place', () => {
    const operations = consumer(platform, config.operationsConsumer).generations.find((g) => g.generation === 1);
    expect(json.moved).toEqual(
      operations ? [{ from: LEGACY_CLIENT_ADDRESS, to: address(of(json, operations.client)) }] : undefined,
    );
    // Written directly, not through cdktf's move API, whose validation runs `terraform version` on every synth.
    expect(platform.stack.hasResourceMove()).toBe(false);
  });

  it('outputs the operations credentials for the walk-through, and per consumer its scopes, clients and secrets', () => {
    const { output } = json;
    const operations = consumer(platform, config.operationsConsumer).current;
    expect(output.client_id.value).toBe(of(json, operations.client).ref('id'));
    expect(output.client_secret).toMatchObject({
      value: of(json, operations.client).ref('client_secret'),
      sensitive: true,
    });
    expect(output.consumer_secrets_key_arn.value).toBe(of(json, platform.stack.consumers.key.key).ref('arn'));
    expect(output.consumers.sensitive).toBeUndefined();
    const byGeneration = (name: string, pick: (g: ConsumerCredentials['current']) => string) =>
      Object.fromEntries(consumer(platform, name).generations.map((g) => [String(g.generation), pick(g)]));
    expect(output.consumers.value).toEqual(
      Object.fromEntries(
        registry.map(([name, entry]) => [
          name,
          {
            scopes: entry.scopes.map(fullScope),
            current_generation: Math.max(...entry.credentials.generations),
            client_ids: byGeneration(name, (g) => of(json, g.client).ref('id')),
            secret_arns: byGeneration(name, (g) => of(json, g.secret).ref('arn')),
            ...(config.usagePlans && {
              usage_plan_id: expect.stringMatching(/^\$\{aws_api_gateway_usage_plan\..*\.id\}$/),
              api_key_ids: byGeneration(name, (g) => (g.apiKey ? of(json, g.apiKey).ref('id') : 'none')),
            }),
          },
        ]),
      ),
    );
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
      for (const [name] of registry) {
        for (const { generation, client } of consumer(platform, name).generations) {
          expect(text).toContain(`"${of(json, client).ref('id')}", "${name}/${generation}"`);
        }
      }
      expect(text).toMatch(/^fields (replace\()+clientId, .* as consumer\n\| /);
    }
  });
});

describe('usage plans', () => {
  it('are off in dev: no API keys, no usage plans, no method requires a key', () => {
    expect(stageConfig('dev').usagePlans).toBe(false);
    for (const type of ['aws_api_gateway_api_key', 'aws_api_gateway_usage_plan', 'aws_api_gateway_usage_plan_key']) {
      expect(resources(dev.json, type)).toHaveLength(0);
    }
    for (const method of resources(dev.json, 'aws_api_gateway_method')) {
      expect(method.config).not.toHaveProperty('api_key_required');
    }
    expect(dev.json.output).not.toHaveProperty('api_key');
  });

  it('are on in prod: every method requires a key from the x-api-key header', () => {
    expect(stageConfig('prod').usagePlans).toBe(true);
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

  it.each(Object.entries(stageConfig('prod').consumers))(
    'give %s its own plan on the stage, with its limits, and a key per generation',
    (name, entry) => {
      const credentials = consumer(prod, name);
      if (!credentials.usagePlan || !entry.limits) throw new Error(`${name} has no usage plan or no limits`);
      const plan = of(prod.json, credentials.usagePlan);
      const stage = only(prod.json, 'aws_api_gateway_stage');
      const { rateLimit, burstLimit, quota } = entry.limits;
      expect(plan.config).toEqual({
        name: `m2m-api-prod-${name}`,
        description: entry.description,
        api_stages: [{ api_id: only(prod.json, 'aws_api_gateway_rest_api').ref('id'), stage: stage.ref('stage_name') }],
        throttle_settings: { rate_limit: rateLimit, burst_limit: burstLimit },
        ...(quota && { quota_settings: { limit: quota.limit, period: quota.period } }),
      });
      for (const { generation, apiKey, secretVersion } of credentials.generations) {
        if (!apiKey) throw new Error(`${name}/${generation} has no API key`);
        const key = of(prod.json, apiKey);
        expect(key.config).toMatchObject({ name: `m2m-api-prod-${name}-${generation}`, enabled: true });
        expect(key.config).not.toHaveProperty('value'); // API Gateway generates it
        const planKeys = resources(prod.json, 'aws_api_gateway_usage_plan_key').filter(
          (k) => k.config.key_id === key.ref('id'),
        );
        expect(planKeys.map((k) => k.config)).toEqual([
          { key_id: key.ref('id'), key_type: 'API_KEY', usage_plan_id: plan.ref('id') },
        ]);
        expect(of(prod.json, secretVersion).config.secret_string).toContain(`"apiKey" = ${address(key)}.value`);
      }
    },
  );

  it("output the operations consumer's API key, sensitive", () => {
    const { apiKey } = consumer(prod, stageConfig('prod').operationsConsumer).current;
    if (!apiKey) throw new Error('prod has usage plans: operations has an API key');
    const key = of(prod.json, apiKey);
    expect(prod.json.output.api_key).toMatchObject({ value: key.ref('value'), sensitive: true });
  });
});

describe('rotation, readers and per-consumer settings', () => {
  const { json } = rotating;

  it('runs two generations side by side, each its own client with the same scopes and its own secret and key', () => {
    for (const [name, generations] of [
      ['ops', [1, 2]],
      ['reader', [2, 3]],
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
    const operations = consumer(rotating, 'ops');
    expect(json.output.client_id.value).toBe(of(json, operations.current.client).ref('id'));
    expect(operations.current.generation).toBe(2);
    const first = of(json, operations.generations[0].client);
    expect(json.moved).toEqual([{ from: LEGACY_CLIENT_ADDRESS, to: address(first) }]);
  });

  it('gives a consumer its own token lifetime', () => {
    for (const generation of consumer(rotating, 'reader').generations) {
      expect(of(json, generation.client).config.access_token_validity).toBe(15);
    }
  });

  it("lets the listed readers read only that consumer's secrets, through a resource policy that blocks public access", () => {
    const reader = consumer(rotating, 'reader');
    const policies = resources(json, 'aws_secretsmanager_secret_policy');
    expect(policies.map((p) => p.config.secret_arn).sort()).toEqual(
      reader.generations.map((g) => of(json, g.secret).ref('arn')).sort(),
    );
    for (const policy of policies) {
      expect(policy.config.block_public_policy).toBe(true);
      expect(policyDocument(json, policy.config.policy)?.config.statement).toEqual([
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
    const document = policyDocument(json, keyPolicy.config.policy);
    const statements = document?.config.statement as Record<string, unknown>[];
    expect(statements.map((s) => s.sid)).toEqual(['EnableIamPolicies', 'ReadReaderSecrets']);
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
          values: [expect.stringMatching(/:secretsmanager:us-east-1:.*:secret:m2m-api-dev\/consumers\/reader\/\*$/)],
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

  it.each(Object.keys(stageConfig('prod').consumers))(
    '%s: what the stack writes is what the contract parses',
    (name) => {
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
        generation: current.generation,
        clientId: AFTER_APPLY.id,
        clientSecret: AFTER_APPLY.client_secret,
        tokenUrl: 'https://us-east-1-abc.auth.us-east-1.amazoncognito.com/oauth2/token',
        apiUrl: AFTER_APPLY.invoke_url,
        scopes,
        apiKey: AFTER_APPLY.value,
      });
    },
  );
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
        broken: { ...config.consumers[config.operationsConsumer], scopes: ['read', 'admin' as 'read'] },
      },
    });
    expect(() => synthPlatform('prod', {}, broken)).toThrow(
      /Stage "prod", consumer "broken": scope "admin" is not defined/,
    );
  });
});
