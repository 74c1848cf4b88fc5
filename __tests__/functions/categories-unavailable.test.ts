import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ApiRequest } from '../support/api-gateway-event';
import { startDynalite, type RunningDynalite } from '../support/dynalite';
import { startFaultProxy, type FaultAction, type FaultProxy } from './dynamodb-fault-proxy';
import {
  errorOf,
  handlerFor,
  invoke,
  localDocumentClient,
  startCategoriesApi,
  type ApiResponse,
  type CategoriesApi,
  type CategoryBody,
} from './categories-harness';

/** The handler's own client settings (2 attempts, 1 s timeouts) must give up within a couple of seconds. */
const FAIL_FAST_MS = 2_500;

function expectUnavailable(response: ApiResponse): void {
  expect(response.status).toBe(503);
  expect(response.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
  const error = errorOf(response);
  expect(error.code).toBe('ServiceUnavailable');
  expect(response.rawBody).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|Throughput|stack/);
}

async function timed(run: () => Promise<ApiResponse>): Promise<{ response: ApiResponse; ms: number }> {
  const started = Date.now();
  const response = await run();
  return { response, ms: Date.now() - started };
}

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const EVERY_ROUTE: ApiRequest[] = [
  { method: 'GET', path: '/categories' },
  { method: 'POST', path: '/categories', body: { name: 'New' } },
  { method: 'GET', path: `/categories/${ID}` },
  { method: 'PUT', path: `/categories/${ID}`, body: { name: 'New' } },
  { method: 'DELETE', path: `/categories/${ID}` },
];

describe('DynamoDB down', () => {
  it('every route is a fast 503 with Retry-After when dynalite is stopped', async () => {
    const db: RunningDynalite = await startDynalite({ tableName: 'categories-down' });
    const client = localDocumentClient(db.endpoint);
    const handler = handlerFor(client, db.tableName);
    expect((await invoke(handler, { method: 'GET', path: '/categories' })).status).toBe(200); // warm connection
    await db.stop();
    try {
      for (const request of EVERY_ROUTE) {
        const { response, ms } = await timed(() => invoke(handler, request));
        expectUnavailable(response);
        expect(ms).toBeLessThan(FAIL_FAST_MS);
      }
    } finally {
      client.destroy();
    }
  });

  it('a closed loopback port is a fast 503', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const client = localDocumentClient(`http://127.0.0.1:${port}`);
    try {
      const { response, ms } = await timed(() => invoke(handlerFor(client, 'categories'), EVERY_ROUTE[1]));
      expectUnavailable(response);
      expect(ms).toBeLessThan(FAIL_FAST_MS);
    } finally {
      client.destroy();
    }
  });
});

describe('DynamoDB failing mid-request: 503 and no partial write', () => {
  let api: CategoriesApi;
  let proxy: FaultProxy;
  let call: (request: ApiRequest) => Promise<ApiResponse>;
  let existing: CategoryBody;

  beforeAll(async () => {
    api = await startCategoriesApi('categories-faults');
    proxy = await startFaultProxy(api.db.endpoint);
    const handler = handlerFor(localDocumentClient(proxy.endpoint), api.db.tableName);
    call = (request) => invoke(handler, request);
    existing = await api.create('Stable', 'Must survive');
  });
  afterEach(() => {
    proxy.rule = () => 'forward';
  });
  afterAll(async () => {
    await proxy.stop();
    await api.stop();
  });

  const writes: Array<[string, string, () => ApiRequest]> = [
    ['POST', 'PutItem', () => ({ method: 'POST', path: '/categories', body: { name: 'Never stored' } })],
    [
      'PUT',
      'UpdateItem',
      () => ({ method: 'PUT', path: `/categories/${existing.id}`, body: { name: 'Never stored' } }),
    ],
    [
      'PUT with If-Match',
      'UpdateItem',
      () => ({
        method: 'PUT',
        path: `/categories/${existing.id}`,
        body: { name: 'Never' },
        headers: { 'If-Match': '"1"' },
      }),
    ],
    ['DELETE', 'DeleteItem', () => ({ method: 'DELETE', path: `/categories/${existing.id}` })],
  ];
  // Throttling is retried with a back-off of up to 0.5 s, so it is exercised on one write (and on reads) below.
  const faults: FaultAction[] = ['server-error', 'reset'];

  for (const fault of faults) {
    it.each(writes)(
      `%s with %s answered by "${fault}" is a 503 and the table is unchanged`,
      async (_label, operation, request) => {
        const before = await api.tableItems();
        proxy.rule = (name) => (name === operation ? fault : 'forward');
        const { response, ms } = await timed(() => call(request()));
        expectUnavailable(response);
        expect(ms).toBeLessThan(FAIL_FAST_MS);
        expect(await api.tableItems()).toEqual(before);
      },
    );
  }

  it('a write throttled to exhaustion is a 503 and the table is unchanged', async () => {
    const before = await api.tableItems();
    proxy.rule = (name) => (name === 'UpdateItem' ? 'throttle' : 'forward');
    const { response, ms } = await timed(() => call((writes[2] as [string, string, () => ApiRequest])[2]()));
    expectUnavailable(response);
    expect(ms).toBeLessThan(FAIL_FAST_MS);
    expect(await api.tableItems()).toEqual(before);
  });

  it('reads throttled to exhaustion are a 503 too', async () => {
    proxy.rule = (name) => (name === 'GetItem' || name === 'Scan' ? 'throttle' : 'forward');
    expectUnavailable(await call({ method: 'GET', path: `/categories/${existing.id}` }));
    expectUnavailable(await call({ method: 'GET', path: '/categories' }));
  });

  it('a single throttle is absorbed by the SDK retry (no 503)', async () => {
    let throttled = 0;
    proxy.rule = (name) => (name === 'GetItem' && throttled++ === 0 ? 'throttle' : 'forward');
    const response = await call({ method: 'GET', path: `/categories/${existing.id}` });
    expect(response.status).toBe(200);
    expect(throttled).toBe(2);
  });

  it('an endpoint that accepts but never answers is a 503 within the request timeouts', async () => {
    const before = await api.tableItems();
    proxy.rule = () => 'hang';
    const { response, ms } = await timed(() =>
      call({ method: 'PUT', path: `/categories/${existing.id}`, body: { name: 'x' } }),
    );
    expectUnavailable(response);
    expect(ms).toBeLessThan(FAIL_FAST_MS + 500);
    proxy.rule = () => 'forward';
    expect(await api.tableItems()).toEqual(before);
  });
});
