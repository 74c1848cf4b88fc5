/**
 * API keys and usage plans over real HTTP on a local prod stage (usage plans on), with a consumer whose plan is
 * small enough to spend: 403 Forbidden without a valid key, after the authorizer; the key identifies, the token
 * authorizes; 429 Too Many Requests and Limit Exceeded through the stack's gateway responses, on an injected clock.
 * Also the deployed smoke check, without AWS: a fake `terraform output` and a fake secret reader standing in for
 * Secrets Manager, pointed at this stack. Every answer is checked against the stage's OpenAPI document.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { consumerClient, FileCredentialsSource, type CredentialsSource } from '../../client';
import { platformStackName } from '../../common/stack-names';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { stageConfig } from '../../stacks/config';
import { PlatformStack } from '../../stacks/platform-stack';
import { runSmoke } from '../../smoke/run-smoke';
import { deployedTarget } from '../../smoke/target';
import { synthesizeApp } from '../../synth/synthesize';
import { checkAnswersAfterEach, http, temporaryDirectory, type GatewayMessage, type HttpResult } from './support';

jest.setTimeout(30_000);

const METERED = 'metered';
const DAY = 86_400_000;

/** Every answer, refusals included, must be one the stage's OpenAPI document describes. */
const answers = checkAnswersAfterEach();
let dir: string;
let stack: LocalStack;
/** The usage plans' clock: real time, held at `frozen`, or from `fastSince` on a hundred times faster. */
const clock = { frozen: undefined as number | undefined, fastSince: undefined as number | undefined };
const now = (): number => {
  if (clock.frozen !== undefined) return clock.frozen;
  const real = Date.now();
  return clock.fastSince === undefined ? real : real + (real - clock.fastSince) * 99;
};

beforeAll(async () => {
  dir = temporaryDirectory('api-keys-http-');
  const config = stageConfig('prod', {});
  const synthDir = path.join(dir, 'synth');
  synthesizeApp(synthDir, (app) => {
    new PlatformStack(app, platformStackName('prod'), {
      ...config,
      consumers: {
        ...config.consumers,
        [METERED]: {
          description: 'A consumer with a small plan',
          scopes: ['read'],
          credentials: { generations: [1] },
          limits: { rateLimit: 1, burstLimit: 2, quota: { limit: 5, period: 'DAY' } },
        },
      },
    });
  });
  stack = await startLocalStack({
    synthDir,
    stage: 'prod',
    port: 0,
    inMemory: true,
    now,
    stateFile: path.join(dir, 'stack.json'),
    functionsDir: path.join(dir, 'functions'),
    functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    onApiExchange: answers.observe,
  });
  await answers.load(stack.config.openapiUrl);
});
afterAll(async () => {
  await stack?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const credentialsOf = (consumer: string): CredentialsSource =>
  new FileCredentialsSource({ file: path.join(dir, 'stack.json'), consumer });

async function tokenOf(consumer: string): Promise<string> {
  return consumerClient(await credentialsOf(consumer).load()).tokens.getToken();
}

function list(headers: Record<string, string>): Promise<HttpResult> {
  return http(`${stack.config.apiUrl}/categories`, { headers });
}

const message = (result: HttpResult): string => (result.json as GatewayMessage).message;

describe('API keys on a stage with usage plans', () => {
  it("lists each consumer's API key in stack.json, the operations consumer's at the top as the api_key output", () => {
    const { consumers, apiKey } = stack.config;
    expect(apiKey).toBe(consumers.operations.apiKey);
    for (const consumer of Object.values(consumers)) expect(consumer.apiKey).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(new Set(Object.values(consumers).map((consumer) => consumer.apiKey)).size).toBe(3);
  });

  it('refuses a request without a valid key with 403 Forbidden, but only once the authorizer let it through', async () => {
    const token = await tokenOf(METERED);
    const key = stack.config.consumers[METERED].apiKey as string;
    for (const headers of [
      { Authorization: `Bearer ${token}` } as Record<string, string>,
      { Authorization: `Bearer ${token}`, 'x-api-key': 'x'.repeat(40) },
    ]) {
      const result = await list(headers);
      expect(result.status).toBe(403);
      expect(result.json).toEqual({ message: 'Forbidden', requestId: result.headers.get('x-amzn-requestid') });
      expect(result.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
    }
    // The authorizer comes first: no token (or a bad one) is a 401, with or without a key.
    const withoutValidToken: Array<Record<string, string>> = [
      {},
      { 'x-api-key': key },
      { Authorization: 'Bearer x.y.z', 'x-api-key': key },
    ];
    for (const headers of withoutValidToken) {
      expect(message(await list(headers))).toBe('Unauthorized');
    }
  });

  it('admits a consumer with its key; the key identifies, the token authorizes', async () => {
    const token = await tokenOf(METERED);
    const own = stack.config.consumers[METERED].apiKey as string;
    expect((await list({ Authorization: `Bearer ${token}`, 'x-api-key': own })).status).toBe(200);
    // Another consumer's key does not lend its rights: the read-only token cannot write with the operations key.
    const write = await http(`${stack.config.apiUrl}/categories`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'x-api-key': stack.config.apiKey as string,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ name: 'Nope' }),
    });
    expect(write.status).toBe(401);
  });

  it('passes the deployed smoke check, reading every consumer from its secret, without AWS', async () => {
    const outputs = {
      api_url: { value: stack.config.apiUrl },
      token_endpoint: { value: stack.config.tokenUrl },
      client_id: { value: stack.config.clientId },
      client_secret: { value: stack.config.clientSecret, sensitive: true },
      api_key: { value: stack.config.apiKey, sensitive: true },
      scopes: { value: stack.config.consumers.operations.scopes },
      consumers: {
        value: Object.fromEntries(
          Object.entries(stack.config.consumers).map(([name, consumer]) => [
            name,
            {
              scopes: consumer.scopes,
              current_generation: 1,
              client_ids: { 1: consumer.clientId },
              secret_arns: {
                1: `arn:aws:secretsmanager:us-east-1:111122223333:secret:m2m-api-prod/consumers/${name}/1-AbCdEf`,
              },
            },
          ]),
        ),
      },
    };
    const outdir = path.join(dir, 'cdktf.out');
    fs.mkdirSync(path.join(outdir, 'stacks', 'platform-prod'), { recursive: true });
    const terraform = path.join(dir, 'terraform');
    fs.writeFileSync(terraform, `#!/bin/sh\ncat <<'JSON'\n${JSON.stringify(outputs)}\nJSON\n`, { mode: 0o755 });
    const asked: string[] = [];
    const secretSource = (arn: string): CredentialsSource => {
      asked.push(arn);
      const consumer = /consumers\/([a-z-]+)\/1-/.exec(arn)?.[1] as string;
      return { description: `secret ${arn}`, load: () => credentialsOf(consumer).load() };
    };
    const target = await deployedTarget('platform-prod', outdir, terraform, secretSource);
    expect(asked.map((arn) => /consumers\/([a-z-]+)\//.exec(arn)?.[1]).sort()).toEqual([
      'catalog-reader',
      METERED,
      'operations',
    ]);
    const lines: string[] = [];
    // The operations consumer's plan (10 a second) would pace the smoke check's ~50 requests: let its bucket refill.
    clock.fastSince = Date.now();
    const result = await runSmoke(target, (line) => lines.push(line)).finally(() => {
      clock.fastSince = undefined;
    });
    expect(lines.filter((line) => line.includes('✘'))).toEqual([]);
    expect(result.ok).toBe(true);
    expect(lines).toContainEqual(
      expect.stringMatching(/✔ metered\/1: credentials from secret arn:aws:secretsmanager:/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/✔ GET \/categories with a read token but no API key → 403/));
  });

  it("throttles each key by its plan: 429 Too Many Requests, through the stack's THROTTLED response", async () => {
    clock.frozen = Date.now() + 2 * DAY; // a day the quota has not seen
    try {
      const headers = {
        Authorization: `Bearer ${await tokenOf(METERED)}`,
        'x-api-key': stack.config.consumers[METERED].apiKey as string,
      };
      const statuses = [(await list(headers)).status, (await list(headers)).status];
      const throttled = await list(headers);
      expect([...statuses, throttled.status]).toEqual([200, 200, 429]);
      expect(throttled.json).toEqual({
        message: 'Too Many Requests',
        requestId: throttled.headers.get('x-amzn-requestid'),
      });
      expect(throttled.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
      // Other keys have buckets of their own.
      const operations = { Authorization: headers.Authorization, 'x-api-key': stack.config.apiKey as string };
      expect((await list(operations)).status).toBe(200);
      clock.frozen += 1_000; // rate 1 a second
      expect([(await list(headers)).status, (await list(headers)).status]).toEqual([200, 429]);
    } finally {
      clock.frozen = undefined;
    }
  });

  it('stops a key at its quota: 429 Limit Exceeded, until a day has passed', async () => {
    clock.frozen = Date.now() + 4 * DAY;
    try {
      const headers = {
        Authorization: `Bearer ${await tokenOf(METERED)}`,
        'x-api-key': stack.config.consumers[METERED].apiKey as string,
      };
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        clock.frozen += 1_000;
        statuses.push((await list(headers)).status);
      }
      clock.frozen += 1_000;
      const spent = await list(headers);
      expect([...statuses, spent.status]).toEqual([200, 200, 200, 200, 200, 429]);
      expect(spent.json).toEqual({ message: 'Limit Exceeded', requestId: spent.headers.get('x-amzn-requestid') });
      expect(spent.headers.get('x-amzn-errortype')).toBe('LimitExceededException');
      clock.frozen += DAY - 60_000;
      expect((await list(headers)).status).toBe(429);
      clock.frozen += 2 * 60_000; // counted per minute: free once their minute has left the last 24 hours
      expect((await list(headers)).status).toBe(200);
    } finally {
      clock.frozen = undefined;
    }
  });
});
