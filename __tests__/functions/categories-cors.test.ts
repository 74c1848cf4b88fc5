import { createHandler } from '../../functions/categories/app';
import { DynamoDbCategoryStore } from '../../functions/categories/dynamodb-store';
import { startDynalite, type RunningDynalite } from '../support/dynalite';
import { handlerFor, invoke, localDocumentClient, silentLogger } from './categories-harness';

describe('CORS headers from the function', () => {
  let db: RunningDynalite;
  let client: ReturnType<typeof localDocumentClient>;
  beforeAll(async () => {
    db = await startDynalite({ tableName: 'cors-categories' });
    client = localDocumentClient(db.endpoint);
  });
  afterAll(async () => {
    client.destroy();
    await db.stop();
  });

  it('are on every response, success and error, when an origin is configured', async () => {
    const handler = createHandler({
      store: new DynamoDbCategoryStore(client, db.tableName),
      logger: silentLogger(),
      corsAllowOrigin: 'https://console.example.com',
    });
    const created = await invoke(handler, { method: 'POST', path: '/categories', body: { name: 'cors' } });
    const missing = await invoke(handler, { method: 'GET', path: '/categories/00000000-0000-4000-8000-000000000000' });
    expect([created.status, missing.status]).toEqual([201, 404]);
    for (const response of [created, missing]) {
      expect(response.headers['access-control-allow-origin']).toBe('https://console.example.com');
      expect(response.headers['access-control-expose-headers']).toBe('ETag, Location');
    }
  });

  it('are absent by default', async () => {
    const response = await invoke(handlerFor(client, db.tableName), { method: 'GET', path: '/categories' });
    expect(response.status).toBe(200);
    expect(response.headers).not.toHaveProperty('access-control-allow-origin');
  });
});
