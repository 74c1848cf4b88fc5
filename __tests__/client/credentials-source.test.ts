/**
 * The credentials sources of the typed client. The Secrets Manager one at the request level — a loopback server
 * stands in for Secrets Manager and checks it is asked exactly one GetSecretValue of the ARN — and fed what the
 * stack writes: the synthesized secret version's `secret_string` expression, evaluated with made-up values for
 * what Terraform knows only after apply. Then the file and environment sources, and the client they feed.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  consumerClient,
  CredentialsSourceError,
  EnvironmentCredentialsSource,
  FileCredentialsSource,
  SecretsManagerCredentialsSource,
  type ConsumerCredentials,
} from '../../client';
import { temporaryDirectory } from '../local/support';
import { evaluateTemplate, type HclValue } from '../support/hcl-expression';
import { synthPlatform } from '../support/synth';
import { startLoopbackServer, type LoopbackServer, type RecordedRequest, type Reply } from './loopback-server';

const SECRET = 'c0nsumer-secret-that-must-never-be-shown-0123456789abcdefghijk';
const API_KEY = 'ApiKeyValueOfFortyLettersAndDigits012345';
const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:m2m-api-prod/consumers/catalog-reader/1-AbCdEf';
const DOMAIN = 'eu-west-1-abcd1234e';
const API_URL = 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod';

/** What Terraform would know after apply, by the attribute the stack's expression reads. */
const AFTER_APPLY: Readonly<Record<string, HclValue>> = {
  id: '4example0client0id0000000a',
  client_secret: SECRET,
  domain: DOMAIN,
  invoke_url: API_URL,
  value: API_KEY,
};

/** The SecretString the prod stack writes for catalog-reader's generation 1, as Terraform would write it. */
function secretStringTheStackWrites(): string {
  const { json } = synthPlatform('prod');
  const versions = Object.values(json.resource.aws_secretsmanager_secret_version ?? {});
  const expression = versions
    .map((version) => String(version.secret_string))
    .find((text) => text.includes('"consumer" = "catalog-reader"') && text.includes('"generation" = 1'));
  if (expression === undefined) throw new Error("no secret version of catalog-reader's generation 1");
  const references = Object.fromEntries(
    [...expression.matchAll(/\baws_[\w-]+\.[\w-]+\.(\w+)/g)].map(([traversal, attribute]) => [
      traversal,
      AFTER_APPLY[attribute] ?? `unexpected attribute ${attribute}`,
    ]),
  );
  return evaluateTemplate(expression, references) as string;
}

const EXPECTED: ConsumerCredentials = {
  version: 1,
  consumer: 'catalog-reader',
  generation: 1,
  clientId: '4example0client0id0000000a',
  clientSecret: SECRET,
  tokenUrl: `https://${DOMAIN}.auth.us-east-1.amazoncognito.com/oauth2/token`,
  apiUrl: API_URL,
  scopes: ['access_points/read'],
  apiKey: API_KEY,
};

let server: LoopbackServer;
let secretString: string;

beforeAll(async () => {
  secretString = secretStringTheStackWrites();
  server = await startLoopbackServer(() => ({ status: 500 }));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

/** Secrets Manager's answer to GetSecretValue (awsJson1_1); `null`: a binary secret. */
function secretValue(request: RecordedRequest, value: string | null = secretString): Reply {
  const { SecretId } = JSON.parse(request.body) as { SecretId: string };
  return {
    status: 200,
    headers: { 'Content-Type': 'application/x-amz-json-1.1' },
    body: {
      ARN: SecretId,
      Name: 'm2m-api-prod/consumers/catalog-reader/1',
      VersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      ...(value === null ? { SecretBinary: 'AAEC' } : { SecretString: value }),
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1_760_000_000,
    },
  };
}

function secretsManagerError(type: string, message: string): Reply {
  return {
    status: 400,
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-ErrorType': type },
    body: { __type: type, message },
  };
}

function sdkClient(): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint: server.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
    maxAttempts: 1,
  });
}

/** The message of what `load()` rejects with (a CredentialsSourceError, checked). */
async function failure(load: () => Promise<unknown>): Promise<string> {
  const error = await load().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CredentialsSourceError);
  return (error as Error).message;
}

describe('SecretsManagerCredentialsSource', () => {
  it('makes exactly one GetSecretValue of the ARN, and parses what the stack writes', async () => {
    server.handler = (request) => secretValue(request);
    const source = new SecretsManagerCredentialsSource({ secretId: ARN, client: sdkClient() });
    await expect(source.load()).resolves.toEqual(EXPECTED);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/');
    expect(request.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(request.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(JSON.parse(request.body)).toEqual({ SecretId: ARN });
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/secretsmanager\/aws4_request/,
    );
  });

  it("signs for the ARN's region by default, with the SDK's default credentials", async () => {
    server.handler = (request) => secretValue(request);
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: server.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDDEFAULT',
      AWS_SECRET_ACCESS_KEY: 'example',
      AWS_MAX_ATTEMPTS: '1',
    });
    try {
      await expect(new SecretsManagerCredentialsSource({ secretId: ARN }).load()).resolves.toEqual(EXPECTED);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
    expect(server.requests[0].headers.authorization).toContain('/eu-west-1/secretsmanager/aws4_request');
  });

  it.each([
    ['AccessDeniedException', 'User: arn:aws:sts::1:assumed-role/x is not authorized', /kms:Decrypt/],
    ['ResourceNotFoundException', "Secrets Manager can't find the specified secret.", /Check the ARN/],
  ])('reports %s naming the secret and what to do', async (type, message, hint) => {
    server.handler = () => secretsManagerError(type, message);
    const source = new SecretsManagerCredentialsSource({ secretId: ARN, client: sdkClient() });
    const text = await failure(() => source.load());
    expect(text).toContain(`Cannot read secret ${ARN}: ${type}: ${message.replace(/\.$/, '')}.`);
    expect(text).toMatch(hint);
  });

  it('refuses a secret that is binary, not JSON, or not credentials — never repeating its value', async () => {
    const source = new SecretsManagerCredentialsSource({ secretId: ARN, client: sdkClient() });
    server.handler = (request) => secretValue(request, null);
    expect(await failure(() => source.load())).toBe(`secret ${ARN} holds no SecretString.`);
    server.handler = (request) => secretValue(request, `{"clientSecret": "${SECRET}"`);
    expect(await failure(() => source.load())).not.toContain(SECRET);
    server.handler = (request) => secretValue(request, JSON.stringify({ ...EXPECTED, version: SECRET }));
    const invalid = await failure(() => source.load());
    expect(invalid).toMatch(new RegExp(`^secret ${ARN.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} does not hold valid`));
    expect(invalid).not.toContain(SECRET);
  });
});

describe('FileCredentialsSource and EnvironmentCredentialsSource', () => {
  let dir: string;
  beforeEach(() => {
    dir = temporaryDirectory('credentials-source-');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const generationOf = (clientId: string) => ({ clientId, clientSecret: SECRET, scopes: ['access_points/read'] });
  const stackJson = {
    stage: 'dev',
    apiUrl: 'http://127.0.0.1:3100/dev',
    tokenUrl: 'http://127.0.0.1:3100/oauth2/token',
    clientId: 'ops',
    clientSecret: 'ops-secret',
    consumers: {
      'catalog-reader': {
        ...generationOf('two'),
        generation: 2,
        generations: { 1: generationOf('one'), 2: generationOf('two') },
      },
    },
  };

  it("reads a consumer's entry of the local stack's stack.json, its current generation or the one asked for", async () => {
    const file = path.join(dir, 'stack.json');
    fs.writeFileSync(file, JSON.stringify(stackJson));
    const local = { tokenUrl: stackJson.tokenUrl, apiUrl: stackJson.apiUrl, scopes: ['access_points/read'] };
    await expect(new FileCredentialsSource({ file, consumer: 'catalog-reader' }).load()).resolves.toEqual({
      version: 1,
      consumer: 'catalog-reader',
      generation: 2,
      clientId: 'two',
      clientSecret: SECRET,
      ...local,
    });
    await expect(
      new FileCredentialsSource({ file, consumer: 'catalog-reader', generation: 1 }).load(),
    ).resolves.toMatchObject({
      generation: 1,
      clientId: 'one',
    });
    expect(await failure(() => new FileCredentialsSource({ file, consumer: 'nobody' }).load())).toMatch(
      /has no consumer "nobody": its consumers are catalog-reader/,
    );
    expect(await failure(() => new FileCredentialsSource({ file }).load())).toMatch(/^Name the consumer/);
    expect(
      await failure(() => new FileCredentialsSource({ file, consumer: 'catalog-reader', generation: 3 }).load()),
    ).toBe('catalog-reader has no generation 3 (live: 1, 2).');
  });

  it("reads a file in the secret's shape, and says when it is missing or someone else's", async () => {
    const file = path.join(dir, 'catalog-reader.json');
    fs.writeFileSync(file, secretString);
    await expect(new FileCredentialsSource({ file }).load()).resolves.toEqual(EXPECTED);
    expect(await failure(() => new FileCredentialsSource({ file, consumer: 'operations' }).load())).toBe(
      `${file} holds the credentials of catalog-reader, not operations.`,
    );
    const missing = path.join(dir, 'missing.json');
    expect(await failure(() => new FileCredentialsSource({ file: missing }).load())).toMatch(/does not exist/);
  });

  it('reads the JSON of the secret from an environment variable', async () => {
    await expect(
      new EnvironmentCredentialsSource({ env: { CONSUMER_CREDENTIALS: secretString } }).load(),
    ).resolves.toEqual(EXPECTED);
    const source = new EnvironmentCredentialsSource({ variable: 'READER_CREDENTIALS', env: {} });
    expect(await failure(() => source.load())).toBe(
      "environment variable READER_CREDENTIALS is not set: set it to the JSON of the consumer's credentials secret.",
    );
    const broken = new EnvironmentCredentialsSource({ env: { CONSUMER_CREDENTIALS: SECRET } });
    expect(await failure(() => broken.load())).not.toContain(SECRET);
  });
});

describe('consumerClient', () => {
  const tokenEndpointAndApi = (request: RecordedRequest): Reply =>
    request.url === '/oauth2/token'
      ? { status: 200, body: { access_token: 'a.b.c', token_type: 'Bearer', expires_in: 3600 } }
      : { status: 200, body: { items: [] } };

  it('sends the API key with every API request, never to the token endpoint', async () => {
    server.handler = tokenEndpointAndApi;
    const { api } = consumerClient({
      ...EXPECTED,
      tokenUrl: `${server.url}/oauth2/token`,
      apiUrl: `${server.url}/prod`,
    });
    await api.list();
    await api.list();
    const [token, ...calls] = server.requests;
    expect(token.url).toBe('/oauth2/token');
    expect(token.headers).not.toHaveProperty('x-api-key');
    expect(token.body).toBe('grant_type=client_credentials');
    expect(calls.map((call) => [call.url, call.headers['x-api-key'], call.headers.authorization])).toEqual([
      ['/prod/categories', API_KEY, 'Bearer a.b.c'],
      ['/prod/categories', API_KEY, 'Bearer a.b.c'],
    ]);
  });

  it('sends no API key when the credentials carry none', async () => {
    server.handler = tokenEndpointAndApi;
    const { api } = consumerClient({
      ...EXPECTED,
      apiKey: undefined,
      tokenUrl: `${server.url}/oauth2/token`,
      apiUrl: `${server.url}/dev`,
    });
    await api.list();
    expect(server.requests[1].headers).not.toHaveProperty('x-api-key');
  });
});
