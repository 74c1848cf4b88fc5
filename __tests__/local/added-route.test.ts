/**
 * "Add a route to the stack and the local stack serves it with no other change": a PlatformStack subclass adds
 * a function and routes (through the construct, and as raw API Gateway resources), is synthesized to a temporary
 * folder, and the local stack serves that output. Also covers what only a custom function can show: the event
 * and context the function receives, environment isolation, Lambda's module resolution, timeouts, errors,
 * malformed results, request-parameter validation, custom gateway responses, missing Lambda permissions, and
 * CORS preflights.
 */
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayRequestValidator } from '@cdktf/provider-aws/lib/api-gateway-request-validator';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { Construct } from 'constructs';
import * as fs from 'node:fs';
import { request as httpRequest } from 'node:http';
import * as path from 'node:path';
import type { OpenAPIV3_1 } from 'openapi-types';
import { startLocalStack, type LocalStack } from '../../local/stack';
import type { OpenApiDocument } from '../../openapi/document';
import { synthesizeApp } from '../../synth/synthesize';
import { stageConfig, type StageConfig } from '../../stacks/config';
import { NodeFunction } from '../../stacks/constructs/node-function';
import { PlatformStack } from '../../stacks/platform-stack';
import {
  checkAnswersAfterEach,
  type ErrorEnvelope,
  type GatewayMessage,
  http,
  synthesizedRoutes,
  temporaryDirectory,
  tokenFor,
} from './support';

jest.setTimeout(30_000);

/** Every answer of the API in this file must conform to the OpenAPI document the stack serves. */
const answers = checkAnswersAfterEach();
/** Those of the stack with CORS, against its own document. */
const corsAnswers = checkAnswersAfterEach();

const ECHO_ENTRY = path.join(__dirname, 'fixtures', 'echo-handler.ts');

/** What the echo fixture answers: the parts of the event, context and environment the tests read. */
interface EchoBody {
  readonly event: {
    readonly body: string | null;
    readonly queryStringParameters: Record<string, string> | null;
    readonly multiValueQueryStringParameters: Record<string, string[]> | null;
    readonly headers: Record<string, string>;
    readonly multiValueHeaders: Record<string, string[]>;
    readonly requestContext: {
      readonly requestId: string;
      readonly requestTimeEpoch: number;
      readonly requestTime: string;
      /** Claims as API Gateway passes them (the tests check they are all strings). */
      readonly authorizer: { readonly claims: Record<string, unknown> };
    };
  };
  readonly invocations: number;
  readonly required?: { readonly module: string; readonly ok: boolean; readonly code?: string };
  readonly loadedWith: Record<string, string | undefined>;
  readonly context: {
    readonly functionName: string;
    readonly awsRequestId: string;
    readonly memoryLimitInMB: string;
    readonly invokedFunctionArn: string;
    readonly remainingMs: number;
  };
  readonly env: Record<string, string | undefined> & { readonly LAMBDA_TASK_ROOT: string };
}

/** The platform plus an echo function behind new routes. */
class ExtendedPlatform extends PlatformStack {
  constructor(scope: Construct, id: string, config: StageConfig) {
    super(scope, id, config);
    const echo = new NodeFunction(this, 'echo', {
      functionName: `${config.namePrefix}-echo`,
      bundleName: 'local-test-echo',
      entry: ECHO_ENTRY,
      logRetentionDays: 1,
      timeout: 1,
      environment: { GREETING: 'hello', TABLE_ARN: this.table.arn },
    });
    const read = [this.auth.scope('read')] as const;
    this.api.addRoute({ method: 'GET', path: '/echo/{name}', scopes: read, handler: echo.function });
    // Reserved concurrency 0: Lambda throttles every invocation.
    const paused = new NodeFunction(this, 'paused', {
      functionName: `${config.namePrefix}-paused`,
      bundleName: 'local-test-echo',
      entry: ECHO_ENTRY,
      logRetentionDays: 1,
      timeout: 1,
      reservedConcurrency: 0,
    });
    this.api.addRoute({ method: 'GET', path: '/paused', scopes: read, handler: paused.function });
    this.api.addRoute({
      method: 'POST',
      path: '/echo/{name}',
      scopes: [this.auth.scope('write')],
      handler: echo.function,
      requestModel: {
        name: 'EchoInput',
        schema: {
          $schema: 'http://json-schema.org/draft-04/schema#',
          type: 'object',
          required: ['message'],
          additionalProperties: false,
          properties: { message: { type: 'string', maxLength: 5 } },
        },
      },
    });

    // Raw API Gateway resources, outside the construct: a required query parameter and header, a short
    // integration timeout, and a route without a Lambda permission.
    const api = this.api.api;
    const raw = new ApiGatewayResource(this, 'raw', {
      restApiId: api.id,
      parentId: api.rootResourceId,
      pathPart: 'raw',
    });
    const slow = new ApiGatewayResource(this, 'raw-slow', { restApiId: api.id, parentId: raw.id, pathPart: 'slow' });
    const forbidden = new ApiGatewayResource(this, 'raw-unpermitted', {
      restApiId: api.id,
      parentId: raw.id,
      pathPart: 'unpermitted',
    });
    const validator = new ApiGatewayRequestValidator(this, 'raw-validator', {
      restApiId: api.id,
      name: 'parameters-only',
      validateRequestParameters: true,
    });
    const rawMethod = (
      name: string,
      resource: ApiGatewayResource,
      extra: { timeoutMilliseconds?: number } = {},
    ): void => {
      const method = new ApiGatewayMethod(this, `raw-method-${name}`, {
        restApiId: api.id,
        resourceId: resource.id,
        httpMethod: 'GET',
        authorization: 'COGNITO_USER_POOLS',
        authorizerId: this.api.authorizer.id,
        authorizationScopes: [...read],
        requestParameters:
          name === 'raw' ? { 'method.request.querystring.q': true, 'method.request.header.X-Trace': true } : {},
        requestValidatorId: name === 'raw' ? validator.id : undefined,
      });
      new ApiGatewayIntegration(this, `raw-integration-${name}`, {
        restApiId: api.id,
        resourceId: resource.id,
        httpMethod: method.httpMethod,
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: echo.function.invokeArn,
        ...extra,
      });
    };
    rawMethod('raw', raw);
    rawMethod('slow', slow, { timeoutMilliseconds: 300 });
    rawMethod('unpermitted', forbidden);
    new LambdaPermission(this, 'raw-permission', {
      action: 'lambda:InvokeFunction',
      functionName: echo.function.functionName,
      principal: 'apigateway.amazonaws.com',
      sourceArn: `${api.executionArn}/*/GET/raw`,
    });
    new LambdaPermission(this, 'raw-slow-permission', {
      action: 'lambda:InvokeFunction',
      functionName: echo.function.functionName,
      principal: 'apigateway.amazonaws.com',
      sourceArn: `${api.executionArn}/*/GET/raw/slow`,
    });
    new ApiGatewayGatewayResponse(this, 'bad-parameters', {
      restApiId: api.id,
      responseType: 'BAD_REQUEST_PARAMETERS',
      statusCode: '422',
      responseTemplates: {
        'application/json':
          '{"type":"$context.error.responseType","message":$context.error.messageString,"trace":"$context.requestId"}',
      },
      responseParameters: {
        'gatewayresponse.header.X-Refused': "'yes'",
        'gatewayresponse.header.X-Trace-Echo': 'method.request.header.X-Trace',
      },
    });
  }
}

let stack: LocalStack;
let dir: string;
let stackFile: string;
let token: string;
const logs: string[] = [];

beforeAll(async () => {
  dir = temporaryDirectory('local-added-route-');
  const outdir = path.join(dir, 'synth');
  const stacks = synthesizeApp(outdir, (app) => new ExtendedPlatform(app, 'platform-dev', stageConfig('dev', {})));
  stackFile = stacks.find((s) => s.name === 'platform-dev')!.synthesizedFile;
  stack = await startLocalStack({
    synthDir: outdir,
    port: 0,
    inMemory: true,
    stateFile: false,
    functionsDir: path.join(dir, 'functions'),
    functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    log: (line) => logs.push(line),
    onApiExchange: answers.observe,
  });
  await answers.load(stack.config.openapiUrl);
  token = await tokenFor(stack);
});

afterAll(async () => {
  await stack?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const api = (pathname: string): string => `${stack.config.apiUrl}${pathname}`;

describe('a route added to the stack', () => {
  it('is served, with every other synthesized method, and nothing else', () => {
    const served = stack.routes.map((route) => `${route.method} ${route.path}`).sort();
    expect(served).toEqual(synthesizedRoutes(stackFile));
    expect(served).toEqual(
      expect.arrayContaining(['GET /echo/{name}', 'POST /echo/{name}', 'GET /raw', 'GET /raw/slow', 'GET /categories']),
    );
  });

  it('is in the OpenAPI document the stack serves, with its scope, parameters, model and gateway responses', async () => {
    const document = (await http(stack.config.openapiUrl)).json as OpenApiDocument;
    const operations = Object.entries(document.paths ?? {}).flatMap(([route, item]) =>
      Object.entries(item ?? {}).map(([method, operation]) => [`${method.toUpperCase()} ${route}`, operation] as const),
    );
    expect(operations.map(([route]) => route).sort()).toEqual(stack.routes.map((r) => `${r.method} ${r.path}`).sort());
    const operation = (route: string): OpenAPIV3_1.OperationObject =>
      operations.find(([key]) => key === route)?.[1] as OpenAPIV3_1.OperationObject;
    expect(operation('GET /echo/{name}').security).toEqual([{ 'cognito-access-token': ['access_points/read'] }]);
    expect(operation('GET /echo/{name}').parameters).toEqual([
      { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    // A function without a known contract may answer anything.
    expect(operation('GET /echo/{name}').responses?.default).toMatchObject({ content: { '*/*': {} } });
    const post = operation('POST /echo/{name}');
    expect(post.security).toEqual([{ 'cognito-access-token': ['access_points/write'] }]);
    expect(post.requestBody).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/EchoInput' } } },
    });
    expect(document.components?.schemas?.EchoInput).toEqual({
      type: 'object',
      required: ['message'],
      additionalProperties: false,
      properties: { message: { type: 'string', maxLength: 5 } },
    });
    // Raw resources beside the construct: their required parameters, and the stack's own gateway response (422).
    const raw = operation('GET /raw');
    expect(raw.parameters).toEqual(
      expect.arrayContaining([
        { name: 'q', in: 'query', required: true, schema: { type: 'string' } },
        { name: 'X-Trace', in: 'header', required: true, schema: { type: 'string' } },
      ]),
    );
    expect((raw.responses?.['422'] as OpenAPIV3_1.ResponseObject).content?.['application/json']?.schema).toEqual({
      type: 'object',
      properties: { type: { type: 'string' }, message: { type: 'string' }, trace: { type: 'string' } },
      required: ['type', 'message', 'trace'],
      additionalProperties: false,
    });
  });

  it('is authorized like the others', async () => {
    expect((await http(api('/echo/abc'))).status).toBe(401);
    const writeOnly = await tokenFor(stack, ['access_points/write']);
    expect((await http(api('/echo/abc'), { headers: { Authorization: writeOnly } })).status).toBe(401);
  });
});

describe('the proxy event and context', () => {
  let body: EchoBody;
  let response: Awaited<ReturnType<typeof http>>;
  beforeAll(async () => {
    response = await fetchEcho();
    body = response.json as EchoBody;
  });
  /** A raw request (fetch would join the repeated header into one value). */
  function fetchEcho(): Promise<Awaited<ReturnType<typeof http>>> {
    const url = new URL(`${api('/echo/hello%20world')}?color=red&color=blue&empty=`);
    const headers = { Authorization: `Bearer ${token}`, 'X-Custom': ['one', 'two'], 'User-Agent': 'echo-test/1' };
    return new Promise((resolve, reject) => {
      const request = httpRequest(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const responseHeaders = new Headers();
          for (let i = 0; i < res.rawHeaders.length; i += 2)
            responseHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
          resolve({ status: res.statusCode ?? 0, headers: responseHeaders, text, json: JSON.parse(text) });
        });
      });
      request.on('error', reject);
      request.end();
    });
  }

  it('has the resource template, path, method, and decoded path parameters', () => {
    expect(response.status).toBe(200);
    expect(body.event).toMatchObject({
      resource: '/echo/{name}',
      path: '/echo/hello world',
      httpMethod: 'GET',
      pathParameters: { name: 'hello world' },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
  });

  it('has single- and multi-value query parameters and headers (names as sent)', () => {
    expect(body.event.queryStringParameters).toEqual({ color: 'blue', empty: '' });
    expect(body.event.multiValueQueryStringParameters).toEqual({ color: ['red', 'blue'], empty: [''] });
    expect(body.event.multiValueHeaders['X-Custom']).toEqual(['one', 'two']);
    expect(body.event.headers['X-Custom']).toBe('two');
    expect(body.event.headers['X-Forwarded-Proto']).toBe('http');
    expect(body.event.headers['X-Forwarded-For']).toBe('127.0.0.1');
    expect(body.event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}/);
  });

  it('has the request context API Gateway sends, with the claims as strings', () => {
    const context = body.event.requestContext;
    expect(context).toMatchObject({
      resourcePath: '/echo/{name}',
      httpMethod: 'GET',
      path: '/dev/echo/hello%20world',
      stage: 'dev',
      accountId: '000000000000',
      protocol: 'HTTP/1.1',
      identity: { sourceIp: '127.0.0.1', userAgent: 'echo-test/1' },
    });
    expect(context.requestId).toBe(response.headers.get('x-amzn-requestid'));
    expect(typeof context.requestTimeEpoch).toBe('number');
    expect(context.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    const claims = context.authorizer.claims;
    expect(Object.values(claims).every((value) => typeof value === 'string')).toBe(true);
    expect(claims).toMatchObject({
      client_id: stack.config.clientId,
      sub: stack.config.clientId,
      token_use: 'access',
      version: '2',
    });
    // As AWS passes them: exp and iat as Java dates in UTC, auth_time a number in a string.
    const javaDate = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/;
    expect(claims.exp).toMatch(javaDate);
    expect(claims.iat).toMatch(javaDate);
    expect(claims.auth_time).toMatch(/^\d+$/);
    expect(Date.parse(String(claims.exp))).toBeGreaterThan(Date.now());
  });

  it("gives the context the function's name, memory and remaining time under its timeout", () => {
    expect(body.context).toMatchObject({
      functionName: 'm2m-api-dev-echo',
      memoryLimitInMB: '256',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:m2m-api-dev-echo',
    });
    expect(body.context.remainingMs).toBeGreaterThan(0);
    expect(body.context.remainingMs).toBeLessThanOrEqual(1000);
    expect(body.context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("runs with the function's own environment, references resolved, and no other function's", () => {
    expect(body.env).toMatchObject({
      GREETING: 'hello',
      TABLE_ARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/m2m-api-dev-categories',
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'm2m-api-dev-echo',
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodbEndpoint,
    });
    expect(body.env._X_AMZN_TRACE_ID).toContain('Root=1-');
    expect(body.env.TABLE_NAME).toBeUndefined();
    expect(body.env.POWERTOOLS_SERVICE_NAME).toBeUndefined();
    expect(body.loadedWith).toEqual({ GREETING: 'hello' });
    expect(process.env.GREETING).toBeUndefined();
  });

  it('runs the code extracted from the asset zip, in its own task root', () => {
    expect(body.env.LAMBDA_TASK_ROOT).toBe(path.join(dir, 'functions', 'm2m-api-dev-echo'));
    expect(fs.existsSync(path.join(body.env.LAMBDA_TASK_ROOT, 'index.js'))).toBe(true);
  });

  it('maps the result: status, headers and multi-value headers', () => {
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('passes a request body as text', async () => {
    const result = await http(api('/echo/x'), {
      method: 'POST',
      headers: { Authorization: token, 'Content-Type': 'application/json' },
      body: '{"message":"hi"}',
    });
    expect(result.status).toBe(200);
    expect((result.json as EchoBody).event).toMatchObject({
      body: '{"message":"hi"}',
      isBase64Encoded: false,
      httpMethod: 'POST',
    });
  });

  it('passes through any status code the function returns', async () => {
    expect((await http(`${api('/echo/x')}?status=418`, { headers: { Authorization: token } })).status).toBe(418);
  });
});

describe('the Lambda runtime', () => {
  it('resolves the runtime-provided AWS SDK, but not other packages the bundle left out', async () => {
    const sdk = await http(`${api('/echo/x')}?require=@aws-sdk/client-dynamodb`, { headers: { Authorization: token } });
    expect((sdk.json as EchoBody).required).toEqual({ module: '@aws-sdk/client-dynamodb', ok: true });
    const zod = await http(`${api('/echo/x')}?require=zod`, { headers: { Authorization: token } });
    expect((zod.json as EchoBody).required).toEqual({ module: 'zod', ok: false, code: 'MODULE_NOT_FOUND' });
  });

  it('answers 502 when the function throws, and keeps serving', async () => {
    const result = await http(`${api('/echo/x')}?throw=1`, { headers: { Authorization: token } });
    expect(result.status).toBe(502);
    expect((result.json as GatewayMessage).message).toBe('Internal server error');
    expect((await http(api('/echo/x'), { headers: { Authorization: token } })).status).toBe(200);
  });

  it('answers 502 for a malformed proxy result', async () => {
    const result = await http(`${api('/echo/x')}?malformed=1`, { headers: { Authorization: token } });
    expect(result.status).toBe(502);
    expect((result.json as GatewayMessage).message).toBe('Internal server error');
  });

  it('stops a function at its timeout (502) and starts a fresh environment for the next invocation', async () => {
    const started = Date.now();
    const result = await http(`${api('/echo/x')}?sleep=3000`, { headers: { Authorization: token } });
    const elapsed = Date.now() - started;
    expect(result.status).toBe(502);
    expect((result.json as GatewayMessage).message).toBe('Internal server error');
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2500);
    const next = await http(api('/echo/x'), { headers: { Authorization: token } });
    expect(next.status).toBe(200);
    expect((next.json as EchoBody).invocations).toBe(1); // a cold start: module state is new
  });

  it('answers 504 when the integration times out first', async () => {
    const started = Date.now();
    const result = await http(`${api('/raw/slow')}?sleep=800`, { headers: { Authorization: token } });
    expect(result.status).toBe(504);
    expect((result.json as GatewayMessage).message).toBe('Endpoint request timed out');
    expect(Date.now() - started).toBeLessThan(750);
  });

  it('throttles every invocation of a function with reserved concurrency 0: 500, and its code never runs', async () => {
    expect(logs.some((line) => line.includes('m2m-api-dev-paused has reserved_concurrent_executions = 0'))).toBe(true);
    for (let i = 0; i < 3; i++) {
      const result = await http(api('/paused'), { headers: { Authorization: token } });
      expect(result.status).toBe(500);
      expect((result.json as GatewayMessage).message).toBe('Internal server error');
      expect(result.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    }
    expect(stack.invocations('m2m-api-dev-paused')).toBe(0);
  });

  it('keeps a base64 result as text when the API declares no binary media types', async () => {
    const result = await http(`${api('/echo/x')}?binary=1`, { headers: { Authorization: token, Accept: 'image/png' } });
    expect(result.text).toBe(Buffer.from([0, 1, 2, 255]).toString('base64'));
  });
});

describe('request validation and gateway responses', () => {
  it("validates the body against the route's model before the function runs", async () => {
    const before = stack.invocations('m2m-api-dev-echo');
    for (const bad of ['{"message":"too long"}', '{"message":"ok","extra":1}', '{}', 'not json', '']) {
      const result = await http(api('/echo/x'), {
        method: 'POST',
        headers: { Authorization: token, 'Content-Type': 'application/json' },
        body: bad,
      });
      expect([bad, result.status, (result.json as Partial<ErrorEnvelope>).error?.message]).toEqual([
        bad,
        400,
        'Invalid request body',
      ]);
    }
    expect(stack.invocations('m2m-api-dev-echo')).toBe(before);
  });

  it('does not validate a body of a content type the method has no model for', async () => {
    const result = await http(api('/echo/x'), {
      method: 'POST',
      headers: { Authorization: token, 'Content-Type': 'text/plain' },
      body: 'anything',
    });
    expect(result.status).toBe(200);
    expect((result.json as EchoBody).event.body).toBe('anything');
  });

  it("refuses missing required parameters with the stack's own gateway response (status, template, headers)", async () => {
    const before = stack.invocations('m2m-api-dev-echo');
    const result = await http(api('/raw'), { headers: { Authorization: token, 'X-Trace': 'abc' } });
    expect(result.status).toBe(422);
    expect(result.json).toEqual({
      type: 'BAD_REQUEST_PARAMETERS',
      message: 'Missing required request parameters: [q]',
      trace: result.headers.get('x-amzn-requestid'),
    });
    expect(result.headers.get('x-refused')).toBe('yes');
    expect(result.headers.get('x-trace-echo')).toBe('abc');
    expect(stack.invocations('m2m-api-dev-echo')).toBe(before);
    const ok = await http(`${api('/raw')}?q=1`, { headers: { Authorization: token, 'X-Trace': 'abc' } });
    expect(ok.status).toBe(200);
  });

  it('answers 500 when no Lambda permission lets API Gateway invoke the function', async () => {
    const before = stack.invocations('m2m-api-dev-echo');
    const result = await http(api('/raw/unpermitted'), { headers: { Authorization: token } });
    expect(result.status).toBe(500);
    expect((result.json as GatewayMessage).message).toBe('Internal server error');
    expect(stack.invocations('m2m-api-dev-echo')).toBe(before);
  });
});

describe('CORS preflights', () => {
  let cors: LocalStack;
  let corsDir: string;
  beforeAll(async () => {
    corsDir = temporaryDirectory('local-cors-');
    const outdir = path.join(corsDir, 'synth');
    synthesizeApp(
      outdir,
      (app) =>
        new PlatformStack(
          app,
          'platform-dev',
          stageConfig('dev', { CORS_ALLOW_ORIGIN_DEV: 'https://console.example.com' }),
        ),
    );
    cors = await startLocalStack({
      synthDir: outdir,
      port: 0,
      inMemory: true,
      stateFile: false,
      functionsDir: path.join(corsDir, 'functions'),
      onApiExchange: corsAnswers.observe,
    });
    await corsAnswers.load(cors.config.openapiUrl);
  });
  afterAll(async () => {
    await cors?.stop();
    if (corsDir) fs.rmSync(corsDir, { recursive: true, force: true });
  });

  it('answers OPTIONS from the MOCK integration without a token, and adds the origin to gateway refusals', async () => {
    expect(
      cors.routes
        .filter((route) => route.method === 'OPTIONS')
        .map((route) => route.path)
        .sort(),
    ).toEqual(['/categories', '/categories/{id}']);
    const result = await http(`${cors.config.apiUrl}/categories`, { method: 'OPTIONS' });
    expect(result.status).toBe(204);
    expect(result.headers.get('access-control-allow-origin')).toBe('https://console.example.com');
    expect(result.headers.get('access-control-allow-methods')).toContain('GET');
    const refused = await http(`${cors.config.apiUrl}/categories`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://console.example.com');
  });
});
