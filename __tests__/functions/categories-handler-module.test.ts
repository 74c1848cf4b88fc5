import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyHandler, APIGatewayProxyResult } from 'aws-lambda';
import { createHandler } from '../../functions/categories/app';
import { DynamoDbCategoryStore } from '../../functions/categories/dynamodb-store';
import { accessTokenClaims, apiGatewayEvent, lambdaContext, type ApiRequest } from '../support/api-gateway-event';
import { LOCAL_CREDENTIALS, startDynalite, type RunningDynalite } from '../support/dynalite';
import { invoke, localDocumentClient, type CategoryBody } from './categories-harness';

let db: RunningDynalite;
beforeAll(async () => {
  db = await startDynalite({ tableName: 'categories-module' });
});
afterAll(async () => {
  await db.stop();
});

const originalEnv = { ...process.env };
afterEach(() => {
  process.env = { ...originalEnv };
});

/**
 * Loads `functions/categories/handler.ts` afresh with the given environment, as a Lambda init would. The
 * environment stays in place for the test (the SDK resolves endpoint and credentials lazily, on first use).
 */
function loadHandlerModule(env: Record<string, string | undefined>): { handler: APIGatewayProxyHandler } {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  let loaded: { handler: APIGatewayProxyHandler } | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<{ handler: APIGatewayProxyHandler }>('../../functions/categories/handler');
  });
  return loaded as { handler: APIGatewayProxyHandler };
}

async function run(handler: APIGatewayProxyHandler, request: ApiRequest): Promise<APIGatewayProxyResult> {
  const result = await handler(apiGatewayEvent(request), lambdaContext(), () => undefined);
  if (result === undefined) throw new Error('the handler returned nothing');
  return result;
}

describe('functions/categories/handler.ts (the Lambda entry point)', () => {
  it('fails at load with a clear message when TABLE_NAME is missing', () => {
    expect(() => loadHandlerModule({ TABLE_NAME: undefined })).toThrow(/TABLE_NAME is required/);
    expect(() => loadHandlerModule({ TABLE_NAME: '  ' })).toThrow(/TABLE_NAME/);
  });

  it('serves requests from the table in TABLE_NAME at the endpoint in AWS_ENDPOINT_URL_DYNAMODB', async () => {
    const { handler } = loadHandlerModule({
      TABLE_NAME: db.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
    });
    const created = await run(handler, { method: 'POST', path: '/categories', body: { name: 'Through the module' } });
    expect(created.statusCode).toBe(201);
    const id = (JSON.parse(created.body) as CategoryBody).id;
    // The item is in dynalite: read it with a client of our own.
    const fetched = await invoke(
      createHandler({
        store: new DynamoDbCategoryStore(localDocumentClient(db.endpoint), db.tableName),
        logger: new Logger({ logLevel: 'SILENT' }),
      }),
      { method: 'GET', path: `/categories/${id}` },
    );
    expect(fetched.status).toBe(200);
    expect((fetched.body as CategoryBody).name).toBe('Through the module');
  });
});

describe('structured logs', () => {
  /** Captures the JSON lines the logger writes to stdout during `body`. */
  async function captureLogs(body: () => Promise<void>): Promise<Array<Record<string, unknown>>> {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
    const errorSpy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
    try {
      await body();
    } finally {
      spy.mockRestore();
      errorSpy.mockRestore();
    }
    return lines
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it('carry the request id and client id of each invocation, and no keys from the previous one', async () => {
    const logger = new Logger({ serviceName: 'categories', logLevel: 'INFO' });
    const handler = createHandler({
      store: new DynamoDbCategoryStore(localDocumentClient(db.endpoint), db.tableName),
      logger,
    });
    const logs = await captureLogs(async () => {
      await invoke(handler, {
        method: 'GET',
        path: '/categories',
        requestId: 'req-1',
        claims: accessTokenClaims('client-one'),
      });
      await invoke(handler, {
        method: 'POST',
        path: '/categories',
        body: '{',
        requestId: 'req-2',
        claims: { sub: 'client-two' },
      });
      await invoke(handler, { method: 'GET', path: '/categories', requestId: 'req-3', claims: null });
      logger.info('Between invocations');
    });
    const handled = logs.filter((log) => log.message === 'Request handled');
    expect(handled).toEqual([
      expect.objectContaining({
        request_id: 'req-1',
        client_id: 'client-one',
        status: 200,
        route: 'GET /categories',
        service: 'categories',
        level: 'INFO',
      }),
      expect.objectContaining({ request_id: 'req-2', client_id: 'client-two', status: 400, route: 'POST /categories' }),
      expect.objectContaining({ request_id: 'req-3', client_id: 'unknown', status: 200 }),
    ]);
    for (const log of handled) expect(log).toHaveProperty('function_request_id');
    const between = logs.find((log) => log.message === 'Between invocations');
    expect(between).toBeDefined();
    expect(between).not.toHaveProperty('request_id');
    expect(between).not.toHaveProperty('client_id');
  });

  it('log the detail of an unexpected error that the response does not show', async () => {
    const logger = new Logger({ serviceName: 'categories', logLevel: 'INFO' });
    const handler = createHandler({
      store: new DynamoDbCategoryStore(localDocumentClient(db.endpoint), 'no-such-table'),
      logger,
    });
    let status = 0;
    let body = '';
    const logs = await captureLogs(async () => {
      const response = await invoke(handler, { method: 'GET', path: '/categories', requestId: 'req-500' });
      status = response.status;
      body = response.rawBody;
    });
    expect(status).toBe(500);
    expect(body).not.toContain('ResourceNotFoundException');
    const errors = logs.filter((log) => log.level === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      request_id: 'req-500',
      error: expect.objectContaining({ name: 'ResourceNotFoundException' }),
    });
  });
});
