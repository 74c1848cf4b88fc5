/**
 * The local stack, end to end over real HTTP on 127.0.0.1: the token endpoint, the Cognito authorizer (every
 * refusal proven not to reach the function), the CRUD routes, and the routes served equal to the synthesized
 * methods. Also runs the smoke test against it.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createRemoteJWKSet, jwtVerify, generateKeyPair, SignJWT } from 'jose';
import * as fs from 'node:fs';
import { request as httpRequest } from 'node:http';
import * as path from 'node:path';
import { CategoriesClient, ClientCredentialsTokenProvider } from '../../client';
import type { Category } from '../../functions/categories/model';
import type { OpenAPIV3_1 } from 'openapi-types';
import { startLocalStack, LocalStackError, type LocalStack } from '../../local/stack';
import type { OpenApiDocument } from '../../openapi/document';
import { runSmoke } from '../../smoke/run-smoke';
import { localTarget } from '../../smoke/target';
import { synthesize } from '../../synth/synthesize';
import {
  checkAnswersAfterEach,
  decodeJwtPart,
  dynamoClient,
  type ErrorEnvelope,
  type GatewayMessage,
  http,
  type HttpResult,
  itemCount,
  synthesizedRoutes,
  tableName,
  temporaryDirectory,
  tokenFor,
  type TokenResponse,
} from './support';

jest.setTimeout(30_000);

/** Every answer of the API in this file must conform to the OpenAPI document the stack serves. */
const answers = checkAnswersAfterEach();

const SCOPES = ['access_points/read', 'access_points/write', 'access_points/update', 'access_points/delete'];

/** A page of `GET /categories`. */
interface CategoryPage {
  readonly items: readonly Category[];
  readonly nextToken?: string;
}

/** The public keys at the JWKS endpoint (`d` would be the private exponent: it must never be there). */
interface Jwks {
  readonly keys: ReadonlyArray<{
    readonly kty: string;
    readonly alg: string;
    readonly use: string;
    readonly kid: string;
    readonly n: string;
    readonly e: string;
    readonly d?: string;
  }>;
}

let stack: LocalStack;
let dir: string;
let synthDir: string;
let stackFile: string;
let table: string;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  dir = temporaryDirectory('local-stack-');
  synthDir = path.join(dir, 'synth');
  const stacks = synthesize(synthDir, {});
  stackFile = stacks.find((s) => s.name === 'platform-dev')!.synthesizedFile;
  table = tableName(stackFile);
  stack = await startLocalStack({
    synthDir,
    port: 0,
    inMemory: true,
    stateFile: path.join(dir, 'stack.json'),
    functionsDir: path.join(dir, 'functions'),
    functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    onApiExchange: answers.observe,
  });
  await answers.load(stack.config.openapiUrl);
  dynamo = dynamoClient(stack.dynamodbEndpoint);
});

afterAll(async () => {
  dynamo?.destroy();
  await stack?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

function tokenRequest(body: string, headers: Record<string, string> = {}, method = 'POST') {
  return http(stack.config.tokenUrl, {
    method,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: method === 'GET' ? undefined : body,
  });
}

describe('start-up', () => {
  it('reports no leftover choice of schema validator (ajv-draft-04 is the only one)', () => {
    expect(Object.keys(stack)).not.toContain('schemaValidator');
  });

  it('writes stack.json with the stage, URLs and client credentials', () => {
    const written = JSON.parse(fs.readFileSync(path.join(dir, 'stack.json'), 'utf8')) as object;
    expect(written).toEqual(stack.config);
    expect(Object.keys(written).sort()).toEqual([
      'apiUrl',
      'clientId',
      'clientSecret',
      'consumers',
      'issuer',
      'jwksUrl',
      'openapiUrl',
      'stage',
      'tokenUrl',
    ]);
    expect(stack.config.stage).toBe('dev');
    expect(stack.config.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/dev$/);
    expect(stack.config.jwksUrl).toBe(`${stack.config.issuer}/.well-known/jwks.json`);
    expect(stack.config.issuer).toMatch(/\/us-east-1_[A-Za-z0-9]{9}$/);
  });

  it("lists every consumer of the stack's consumers output: the top-level credentials are the operations consumer's", () => {
    const { operations, 'catalog-reader': reader } = stack.config.consumers;
    expect(Object.keys(stack.config.consumers).sort()).toEqual(['catalog-reader', 'operations']);
    expect(operations).toEqual({
      clientId: stack.config.clientId,
      clientSecret: stack.config.clientSecret,
      scopes: SCOPES,
      generation: 1,
      generations: { 1: { clientId: stack.config.clientId, clientSecret: stack.config.clientSecret, scopes: SCOPES } },
    });
    expect(reader).toMatchObject({ scopes: ['access_points/read'], generation: 1 });
    expect(reader.clientId).not.toBe(operations.clientId);
    // Dev has no usage plans: no API keys anywhere.
    expect(JSON.stringify(stack.config)).not.toContain('apiKey');
  });

  it('serves the OpenAPI document of the stage at openapiUrl, with its own API and token URLs', async () => {
    expect(stack.config.openapiUrl).toBe(stack.config.apiUrl.replace(/\/dev$/, '/openapi.json'));
    const served = await http(stack.config.openapiUrl);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/json');
    const document = served.json as OpenApiDocument;
    expect(document.servers).toEqual([{ url: stack.config.apiUrl, description: 'Stage dev' }]);
    const scheme = document.components?.securitySchemes?.['cognito-access-token'] as OpenAPIV3_1.OAuth2SecurityScheme;
    expect(scheme.flows.clientCredentials?.tokenUrl).toBe(stack.config.tokenUrl);
    expect(Object.keys(document.paths ?? {})).toEqual(['/categories', '/categories/{id}']);
    expect((await http(stack.config.openapiUrl, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a port in use with a clear error', async () => {
    const port = Number(new URL(stack.config.apiUrl).port);
    await expect(startLocalStack({ synthDir, port, inMemory: true, stateFile: false })).rejects.toThrow(
      LocalStackError,
    );
    await expect(startLocalStack({ synthDir, port, inMemory: true, stateFile: false })).rejects.toThrow(
      /Port \d+ on 127\.0\.0\.1 is in use/,
    );
  });

  it('refuses an unknown stage, naming the stacks there are', async () => {
    await expect(startLocalStack({ synthDir, stage: 'qa', port: 0, inMemory: true, stateFile: false })).rejects.toThrow(
      /No stack "platform-qa".*platform-dev/,
    );
  });
});

describe('token endpoint', () => {
  it('issues an RS256 access token with Cognito claims for all allowed scopes (HTTP Basic)', async () => {
    const started = Math.floor(Date.now() / 1000);
    const result = await tokenRequest('grant_type=client_credentials', {
      Authorization: basic(stack.config.clientId, stack.config.clientSecret),
    });
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(result.headers.get('cache-control')).toBe('no-cache, no-store, max-age=0, must-revalidate');
    expect(result.headers.get('pragma')).toBe('no-cache');
    expect(result.headers.get('access-control-allow-origin')).toBe('*');
    expect(result.headers.get('x-amz-cognito-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(result.json as TokenResponse).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(result.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const token = (result.json as TokenResponse).access_token;
    const header = decodeJwtPart(token, 0);
    expect(header).toEqual({ alg: 'RS256', kid: expect.any(String) });
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(stack.config.jwksUrl)), {
      issuer: stack.config.issuer,
    });
    expect(Object.keys(payload).sort()).toEqual([
      'auth_time',
      'client_id',
      'exp',
      'iat',
      'iss',
      'jti',
      'scope',
      'sub',
      'token_use',
      'version',
    ]);
    expect(payload).toMatchObject({
      sub: stack.config.clientId,
      client_id: stack.config.clientId,
      token_use: 'access',
      version: 2,
    });
    expect((payload.scope as string).split(' ').sort()).toEqual([...SCOPES].sort());
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.iat).toBeGreaterThanOrEqual(started);
    expect(payload.auth_time).toBe(payload.iat);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts client_id and client_secret in the body, and limits the token to the requested scopes', async () => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: stack.config.clientId,
      client_secret: stack.config.clientSecret,
      scope: 'access_points/read access_points/delete',
    });
    const result = await tokenRequest(body.toString());
    expect(result.status).toBe(200);
    expect(decodeJwtPart((result.json as TokenResponse).access_token, 1).scope).toBe(
      'access_points/read access_points/delete',
    );
  });

  const good = (): string => basic(stack.config.clientId, stack.config.clientSecret);
  const cases: Array<[string, () => Promise<HttpResult>, number, string]> = [
    [
      'a wrong secret',
      () => tokenRequest('grant_type=client_credentials', { Authorization: basic(stack.config.clientId, 'wrong') }),
      400,
      'invalid_client',
    ],
    [
      'an unknown client',
      () =>
        tokenRequest('grant_type=client_credentials', {
          Authorization: basic('nosuchclient', stack.config.clientSecret),
        }),
      400,
      'invalid_client',
    ],
    ['no client authentication', () => tokenRequest('grant_type=client_credentials'), 400, 'invalid_client'],
    [
      'a client_id without its secret',
      () => tokenRequest(`grant_type=client_credentials&client_id=${stack.config.clientId}`),
      400,
      'invalid_client',
    ],
    [
      'a malformed Basic header',
      () => tokenRequest('grant_type=client_credentials', { Authorization: 'Basic !!!' }),
      400,
      'invalid_client',
    ],
    [
      'Basic and a body secret at once',
      () =>
        tokenRequest(`grant_type=client_credentials&client_secret=${stack.config.clientSecret}`, {
          Authorization: good(),
        }),
      400,
      'invalid_request',
    ],
    [
      'no grant_type',
      () => tokenRequest('scope=access_points/read', { Authorization: good() }),
      400,
      'invalid_request',
    ],
    [
      'a repeated parameter',
      () => tokenRequest('grant_type=client_credentials&grant_type=client_credentials', { Authorization: good() }),
      400,
      'invalid_request',
    ],
    [
      'a JSON body',
      () =>
        http(stack.config.tokenUrl, {
          method: 'POST',
          headers: { Authorization: good(), 'Content-Type': 'application/json' },
          body: '{"grant_type":"client_credentials"}',
        }),
      400,
      'invalid_request',
    ],
    [
      'an unknown grant type',
      () => tokenRequest('grant_type=password', { Authorization: good() }),
      400,
      'unsupported_grant_type',
    ],
    [
      'a grant the client is not allowed',
      () => tokenRequest('grant_type=authorization_code&code=x', { Authorization: good() }),
      400,
      'unauthorized_client',
    ],
    [
      'a scope the client is not allowed',
      () => tokenRequest('grant_type=client_credentials&scope=access_points/admin', { Authorization: good() }),
      400,
      'invalid_scope',
    ],
    [
      'one bad scope among good ones',
      () => tokenRequest('grant_type=client_credentials&scope=access_points/read%20openid', { Authorization: good() }),
      400,
      'invalid_scope',
    ],
    ['GET', () => tokenRequest('', { Authorization: good() }, 'GET'), 405, 'invalid_request'],
  ];
  it.each(cases)('refuses %s', async (_name, request, status, error) => {
    const result = await request();
    expect(result.status).toBe(status);
    expect(result.json).toEqual({ error });
    expect(result.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(result.headers.get('cache-control')).toContain('no-store');
  });

  it('refuses two Authorization headers as invalid_request, whichever comes first', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        stack.config.tokenUrl,
        {
          method: 'POST',
          headers: {
            Authorization: [good(), basic('nosuchclient', 'x')],
            'Content-Type': 'application/x-www-form-urlencoded',
          },
        },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on('error', reject);
      request.end('grant_type=client_credentials');
    });
    expect(answer).toEqual({ status: 400, body: JSON.stringify({ error: 'invalid_request' }) });
  });

  it('serves the JWKS and OpenID discovery under the issuer', async () => {
    const jwks = await http(stack.config.jwksUrl);
    expect(jwks.status).toBe(200);
    const { keys } = jwks.json as Jwks;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(keys[0].d).toBeUndefined();
    const discovery = await http(`${stack.config.issuer}/.well-known/openid-configuration`);
    expect(discovery.json).toMatchObject({
      issuer: stack.config.issuer,
      jwks_uri: stack.config.jwksUrl,
      token_endpoint: stack.config.tokenUrl,
    });
  });
});

describe('Cognito authorizer', () => {
  const now = (): number => Math.floor(Date.now() / 1000);
  const claims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    sub: stack.config.clientId,
    token_use: 'access',
    scope: SCOPES.join(' '),
    auth_time: now(),
    iss: stack.config.issuer,
    exp: now() + 600,
    iat: now(),
    version: 2,
    jti: '2c5b5c2e-6b8e-4d1b-9f56-1f0b8c1f0a11',
    client_id: stack.config.clientId,
    ...overrides,
  });

  /** POSTs a new category with `authorization`; returns the response after checking nothing was created or invoked. */
  async function postRefused(authorization: string | undefined, expectedMessage = 'Unauthorized'): Promise<void> {
    const before = { items: await itemCount(dynamo, table), invocations: stack.invocations() };
    const result = await http(`${stack.config.apiUrl}/categories`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(authorization === undefined ? {} : { Authorization: authorization }),
      },
      body: JSON.stringify({ name: 'should never exist' }),
    });
    expect(result.status).toBe(401);
    expect((result.json as GatewayMessage).message).toBe(expectedMessage);
    expect(result.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
    expect(await itemCount(dynamo, table)).toBe(before.items);
    expect(stack.invocations()).toBe(before.invocations);
  }

  it('lets a valid token through (control case for the refusals below)', async () => {
    const before = stack.invocations();
    const token = await stack.signToken(claims());
    const result = await http(`${stack.config.apiUrl}/categories`, { headers: { Authorization: `Bearer ${token}` } });
    expect(result.status).toBe(200);
    expect(stack.invocations()).toBe(before + 1);
  });

  it('accepts the raw token without "Bearer "', async () => {
    const result = await http(`${stack.config.apiUrl}/categories`, {
      headers: { Authorization: await stack.signToken(claims()) },
    });
    expect(result.status).toBe(200);
  });

  it('refuses a request without a token', () => postRefused(undefined));
  it('refuses an empty Authorization header', () => postRefused(''));
  it('refuses a malformed token', () => postRefused('Bearer not.a.jwt'));
  it('refuses a lower-case "bearer" scheme (fail closed)', async () =>
    postRefused(`bearer ${await stack.signToken(claims())}`));
  it('refuses an expired token with "The incoming token has expired"', async () => {
    await postRefused(
      `Bearer ${await stack.signToken(claims({ iat: now() - 7200, auth_time: now() - 7200, exp: now() - 3600 }))}`,
      'The incoming token has expired',
    );
  });
  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await stack.signToken(claims({ scope: 'access_points/read' }))).split('.');
    const forged = Buffer.from(JSON.stringify(claims())).toString('base64url');
    await postRefused(`Bearer ${header}.${forged}.${signature}`);
  });
  it('refuses a token signed by another key under the same kid', async () => {
    const kid = decodeJwtPart(await stack.signToken(claims()), 0).kid as string;
    const { privateKey } = await generateKeyPair('RS256');
    const foreign = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
    await postRefused(`Bearer ${foreign}`);
  });
  it('refuses an unsigned token (alg none)', async () => {
    const kid = decodeJwtPart(await stack.signToken(claims()), 0).kid as string;
    const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    await postRefused(`Bearer ${part({ alg: 'none', kid })}.${part(claims())}.`);
  });
  it('refuses a token from another issuer', async () => {
    await postRefused(
      `Bearer ${await stack.signToken(claims({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1234' }))}`,
    );
  });
  it('refuses an ID token', async () => {
    await postRefused(`Bearer ${await stack.signToken(claims({ token_use: 'id', aud: stack.config.clientId }))}`);
  });
  it('refuses a token without client_id', async () => {
    await postRefused(`Bearer ${await stack.signToken(claims({ client_id: undefined }))}`);
  });
  it('refuses a token without exp', async () => {
    await postRefused(`Bearer ${await stack.signToken(claims({ exp: undefined }))}`);
  });
  it("refuses a valid token that lacks the method's scope", async () => {
    await postRefused(
      `Bearer ${await tokenFor(stack, ['access_points/read', 'access_points/update', 'access_points/delete'])}`,
    );
  });
  it('refuses a real token of the endpoint for a method whose scope it lacks, for every method', async () => {
    const readOnly = await tokenFor(stack, ['access_points/read']);
    const id = '3f1b2a4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
    for (const [method, pathname] of [
      ['POST', '/categories'],
      ['PUT', `/categories/${id}`],
      ['DELETE', `/categories/${id}`],
    ] as const) {
      const result = await http(`${stack.config.apiUrl}${pathname}`, {
        method,
        headers: { Authorization: `Bearer ${readOnly}`, 'Content-Type': 'application/json' },
        body: method === 'DELETE' ? undefined : JSON.stringify({ name: 'x' }),
      });
      expect([401, 403]).toContain(result.status);
    }
  });
});

describe('CRUD through the gateway', () => {
  let token: string;
  const api = (pathname: string): string => `${stack.config.apiUrl}${pathname}`;
  const json = (method: string, body: unknown, extra: Record<string, string> = {}) => ({
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...extra },
    body: JSON.stringify(body),
  });
  beforeAll(async () => {
    token = await tokenFor(stack);
  });

  it('creates, reads, lists, replaces (If-Match), and deletes a category', async () => {
    const created = await http(api('/categories'), json('POST', { name: 'Books', description: 'Paper' }));
    expect(created.status).toBe(201);
    const category = created.json as Category;
    expect(category).toMatchObject({ name: 'Books', description: 'Paper', version: 1 });
    expect(created.headers.get('location')).toBe(`/dev/categories/${category.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);

    const read = await http(api(`/categories/${category.id}`), { headers: { Authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
    expect(read.json).toEqual(category);

    const listed = await http(api('/categories?limit=100'), { headers: { Authorization: token } });
    expect(listed.status).toBe(200);
    expect((listed.json as CategoryPage).items.map((c) => c.id)).toContain(category.id);

    const replaced = await http(
      api(`/categories/${category.id}`),
      json('PUT', { name: 'Novels' }, { 'If-Match': '"1"' }),
    );
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ id: category.id, name: 'Novels', version: 2 });
    expect((replaced.json as Category).description).toBeUndefined();

    const stale = await http(api(`/categories/${category.id}`), json('PUT', { name: 'Stale' }, { 'If-Match': '"1"' }));
    expect(stale.status).toBe(412);
    expect((stale.json as ErrorEnvelope).error.code).toBe('PreconditionFailed');

    const staleDelete = await http(api(`/categories/${category.id}`), {
      method: 'DELETE',
      headers: { Authorization: token, 'If-Match': '"1"' },
    });
    expect(staleDelete.status).toBe(412);

    const deleted = await http(api(`/categories/${category.id}`), {
      method: 'DELETE',
      headers: { Authorization: token, 'If-Match': '"2"' },
    });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');

    const gone = await http(api(`/categories/${category.id}`), { headers: { Authorization: token } });
    expect(gone.status).toBe(404);
    expect((gone.json as ErrorEnvelope).error).toMatchObject({
      code: 'NotFound',
      requestId: gone.headers.get('x-amzn-requestid'),
    });
  });

  it('refuses a body the model rejects at the gateway, before the function runs', async () => {
    const before = stack.invocations();
    const result = await http(api('/categories'), json('POST', { name: 'Books', id: 'chosen-by-client' }));
    expect(result.status).toBe(400);
    const { error } = result.json as ErrorEnvelope;
    expect(error).toMatchObject({ code: 'ValidationFailed', message: 'Invalid request body' });
    expect(error.requestId).toBe(result.headers.get('x-amzn-requestid'));
    expect(stack.invocations()).toBe(before);
  });

  it('leaves what the model accepts to the function (its own 400 for a too-long name)', async () => {
    const before = stack.invocations();
    const result = await http(api('/categories'), json('POST', { name: 'x'.repeat(101) }));
    expect(result.status).toBe(400);
    expect((result.json as ErrorEnvelope).error.details).toEqual([expect.objectContaining({ field: 'name' })]);
    expect(stack.invocations()).toBe(before + 1);
  });

  it('tells the client which refusal the gateway sent and which the function did, though both share one shape', async () => {
    const { tokenUrl, clientId, clientSecret, apiUrl } = stack.config;
    const client = new CategoriesClient({
      apiUrl,
      tokens: new ClientCredentialsTokenProvider({ tokenUrl, clientId, clientSecret }),
    });
    const withId = { name: 'Books', id: 'chosen-by-client' };
    await expect(client.create(withId)).rejects.toMatchObject({
      status: 400,
      code: 'ValidationFailed',
      message: 'Invalid request body',
      source: 'gateway',
    });
    await expect(client.create({ name: 'x'.repeat(101) })).rejects.toMatchObject({
      status: 400,
      code: 'ValidationFailed',
      source: 'service',
    });
  });

  it('answers 403 Missing Authentication Token for unknown paths and methods, token or not', async () => {
    for (const [method, pathname] of [
      ['GET', '/nothing'],
      ['PATCH', '/categories'],
      ['DELETE', '/categories'],
      ['GET', '/categories/a/b'],
      ['GET', '/categories/'],
      ['GET', ''],
    ]) {
      const result = await http(api(pathname), { method, headers: { Authorization: token } });
      expect([method, pathname, result.status, (result.json as GatewayMessage).message]).toEqual([
        method,
        pathname,
        403,
        'Missing Authentication Token',
      ]);
    }
    const otherStage = await http(stack.config.apiUrl.replace(/\/dev$/, '/prod/categories'), {
      headers: { Authorization: token },
    });
    expect(otherStage.status).toBe(403);
  });
});

describe('routes', () => {
  it('serves exactly the synthesized methods', async () => {
    const served = stack.routes.map((route) => `${route.method} ${route.path}`).sort();
    expect(served).toEqual(synthesizedRoutes(stackFile));
    expect(served).toEqual(
      expect.arrayContaining([
        'DELETE /categories/{id}',
        'GET /categories',
        'GET /categories/{id}',
        'POST /categories',
        'PUT /categories/{id}',
      ]),
    );
    // Each one is live: without a token the authorizer answers (401), not the router (403).
    for (const route of stack.routes.filter((r) => r.authorization === 'COGNITO_USER_POOLS')) {
      const pathname = route.path.replace(/\{[^}]+\}/g, '3f1b2a4c-5d6e-4f70-8a9b-0c1d2e3f4a5b');
      const result = await http(`${stack.config.apiUrl}${pathname}`, { method: route.method });
      expect([route.method, route.path, result.status]).toEqual([route.method, route.path, 401]);
    }
  });

  it("carries each method's authorization scopes from the stack", () => {
    const scopes = Object.fromEntries(stack.routes.map((route) => [`${route.method} ${route.path}`, route.scopes]));
    expect(scopes['GET /categories']).toEqual(['access_points/read']);
    expect(scopes['POST /categories']).toEqual(['access_points/write']);
    expect(scopes['PUT /categories/{id}']).toEqual(['access_points/update']);
    expect(scopes['DELETE /categories/{id}']).toEqual(['access_points/delete']);
  });
});

describe('smoke test', () => {
  it('passes against the local stack and leaves nothing behind', async () => {
    const before = await itemCount(dynamo, table);
    const lines: string[] = [];
    const result = await runSmoke(localTarget(path.join(dir, 'stack.json')), (line) => lines.push(line));
    expect(lines.filter((line) => line.includes('✘'))).toEqual([]);
    expect(result).toMatchObject({ ok: true, failed: 0 });
    expect(result.passed).toBeGreaterThanOrEqual(12);
    expect(lines.at(-1)).toMatch(/^SMOKE PASSED/);
    expect(await itemCount(dynamo, table)).toBe(before);
  });

  it('fails (exit verdict) when the credentials are wrong', async () => {
    const lines: string[] = [];
    const result = await runSmoke({ ...localTarget(path.join(dir, 'stack.json')), clientSecret: 'wrong' }, (line) =>
      lines.push(line),
    );
    expect(result.ok).toBe(false);
    expect(lines.at(-1)).toMatch(/^SMOKE FAILED/);
  });
});

describe('persistence', () => {
  it('keeps tables and items across a restart with a data folder', async () => {
    const dataDir = path.join(dir, 'data');
    const options = {
      synthDir,
      port: 0,
      dataDir,
      stateFile: false as const,
      functionsDir: path.join(dir, 'functions-persist'),
      functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    };
    const first = await startLocalStack(options);
    let id: string;
    try {
      const token = await tokenFor(first);
      const created = await http(`${first.config.apiUrl}/categories`, {
        method: 'POST',
        headers: { Authorization: token, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Persistent' }),
      });
      expect(created.status).toBe(201);
      id = (created.json as Category).id;
    } finally {
      await first.stop();
    }
    const second = await startLocalStack(options);
    try {
      const read = await http(`${second.config.apiUrl}/categories/${id}`, {
        headers: { Authorization: await tokenFor(second) },
      });
      expect(read.status).toBe(200);
      expect((read.json as Category).name).toBe('Persistent');
    } finally {
      await second.stop();
    }
  });
});
