import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { CATEGORY_STORE_ACTIONS } from '../../functions/categories/store-permissions';
import type { ApiRequest } from '../support/api-gateway-event';
import { startDynalite, type RunningDynalite } from '../support/dynalite';
import { startFaultProxy, type FaultProxy } from './dynamodb-fault-proxy';
import { handlerFor, invoke, localDocumentClient, type ApiResponse, type CategoryBody } from './categories-harness';

let db: RunningDynalite;
let proxy: FaultProxy;
let call: (request: ApiRequest) => Promise<ApiResponse>;

beforeAll(async () => {
  db = await startDynalite({ tableName: 'categories-store' });
  proxy = await startFaultProxy(db.endpoint);
  const handler = handlerFor(localDocumentClient(proxy.endpoint), db.tableName);
  call = (request) => invoke(handler, request);
});
beforeEach(() => {
  proxy.rule = () => 'forward';
  proxy.operations.length = 0;
});
afterAll(async () => {
  await proxy.stop();
  await db.stop();
});

async function create(name: string): Promise<CategoryBody> {
  const response = await call({ method: 'POST', path: '/categories', body: { name } });
  expect(response.status).toBe(201);
  return response.body as CategoryBody;
}

async function stored(id: string): Promise<Record<string, unknown> | undefined> {
  const client = localDocumentClient(db.endpoint);
  try {
    return (await client.send(new GetCommand({ TableName: db.tableName, Key: { id } }))).Item;
  } finally {
    client.destroy();
  }
}

describe('IAM actions', () => {
  it('CATEGORY_STORE_ACTIONS is exactly what the store sends over every route and outcome', async () => {
    const a = await create('A');
    await call({ method: 'GET', path: '/categories' });
    await call({ method: 'GET', path: `/categories/${a.id}` });
    await call({ method: 'PUT', path: `/categories/${a.id}`, body: { name: 'B' } });
    await call({ method: 'PUT', path: `/categories/${a.id}`, body: { name: 'C' }, headers: { 'If-Match': '"1"' } });
    await call({ method: 'DELETE', path: `/categories/${a.id}`, headers: { 'If-Match': '"1"' } });
    await call({ method: 'DELETE', path: `/categories/${a.id}` });
    await call({ method: 'DELETE', path: `/categories/${a.id}` });
    const actions = new Set(proxy.operations.map((operation) => `dynamodb:${operation}`));
    expect([...actions].sort()).toEqual([...CATEGORY_STORE_ACTIONS].sort());
  });
});

describe('a write whose response is lost is retried by the SDK and recognised', () => {
  /** Forwards the first `operation` but cuts the connection before the answer, then behaves. */
  function loseFirstResponse(operation: string): void {
    let lost = false;
    proxy.rule = (name) => {
      if (name !== operation || lost) return 'forward';
      lost = true;
      return 'drop-response';
    };
  }

  it('POST: 201 for the write that landed, and a single item', async () => {
    loseFirstResponse('PutItem');
    const response = await call({ method: 'POST', path: '/categories', body: { name: 'Once' } });
    expect(response.status).toBe(201);
    // The retry hit attribute_not_exists and the re-read found this request's own write.
    expect(proxy.operations).toEqual(['PutItem', 'PutItem', 'GetItem']);
    const category = response.body as CategoryBody;
    expect(await stored(category.id)).toMatchObject({ name: 'Once', version: 1 });
  });

  it('PUT with If-Match: 200 (not a 412 against itself) with the version it wrote', async () => {
    const created = await create('Before');
    loseFirstResponse('UpdateItem');
    const response = await call({
      method: 'PUT',
      path: `/categories/${created.id}`,
      body: { name: 'After' },
      headers: { 'If-Match': '"1"' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'After', version: 2 });
    expect(response.headers.etag).toBe('"2"');
    expect(proxy.operations.filter((operation) => operation === 'UpdateItem')).toHaveLength(2);
    expect(await stored(created.id)).toMatchObject({ name: 'After', version: 2 });
  });

  it('PUT with If-Match: still a 412 when another client changed the item', async () => {
    const created = await create('Shared');
    const other = await call({ method: 'PUT', path: `/categories/${created.id}`, body: { name: 'Other' } });
    expect(other.status).toBe(200);
    const response = await call({
      method: 'PUT',
      path: `/categories/${created.id}`,
      body: { name: 'Mine' },
      headers: { 'If-Match': '"1"' },
    });
    expect(response.status).toBe(412);
    expect(await stored(created.id)).toMatchObject({ name: 'Other', version: 2 });
  });
});
