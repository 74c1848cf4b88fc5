import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { ApiRequest } from '../support/api-gateway-event';
import { startDynalite, type RunningDynalite } from '../support/dynalite';
import { startFaultProxy, type FaultProxy } from './dynamodb-fault-proxy';
import { handlerFor, invoke, localDocumentClient, type ApiResponse, type ListBody } from './categories-harness';

const ITEM_COUNT = 57;

let db: RunningDynalite;
let proxy: FaultProxy;
let ids: string[];
const documentClient = () => localDocumentClient(proxy.endpoint);
let call: (request: ApiRequest) => Promise<ApiResponse>;

beforeAll(async () => {
  db = await startDynalite({ tableName: 'categories-pages' });
  proxy = await startFaultProxy(db.endpoint);
  const client = documentClient();
  call = (request) => invoke(handlerFor(client, db.tableName), request);
  const now = new Date().toISOString();
  ids = Array.from({ length: ITEM_COUNT }, () => randomUUID());
  for (let i = 0; i < ids.length; i += 25) {
    await client.send(
      new BatchWriteCommand({
        RequestItems: {
          [db.tableName]: ids.slice(i, i + 25).map((id, j) => ({
            PutRequest: {
              Item: {
                id,
                name: `Category ${i + j}`,
                createdAt: now,
                updatedAt: now,
                version: 1,
                createdBy: 'seed',
                updatedBy: 'seed',
                writeId: 'seed',
              },
            },
          })),
        },
      }),
    );
  }
});
afterEach(() => {
  delete proxy.rewrite;
});
afterAll(async () => {
  await proxy.stop();
  await db.stop();
});

/** Follows nextToken from the first page to the last; returns the pages. */
async function walk(limit?: number): Promise<ListBody[]> {
  const pages: ListBody[] = [];
  let nextToken: string | undefined;
  do {
    const query: Record<string, string> = {};
    if (limit !== undefined) query.limit = String(limit);
    if (nextToken !== undefined) query.nextToken = nextToken;
    const response = await call({ method: 'GET', path: '/categories', query });
    expect(response.status).toBe(200);
    const page = response.body as ListBody;
    pages.push(page);
    nextToken = page.nextToken;
    expect(pages.length).toBeLessThanOrEqual(ITEM_COUNT + 1);
  } while (nextToken !== undefined);
  return pages;
}

function idsOf(pages: ListBody[]): string[] {
  return pages.flatMap((page) => page.items.map((item) => item.id));
}

describe('GET /categories pagination', () => {
  it.each([1, 5, 7, 56, 57, 100])('limit=%i reaches every item exactly once, in full pages', async (limit) => {
    const pages = await walk(limit);
    const seen = idsOf(pages);
    expect(seen).toHaveLength(ITEM_COUNT);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(pages).toHaveLength(Math.ceil(ITEM_COUNT / limit));
    for (const page of pages.slice(0, -1)) expect(page.items).toHaveLength(limit);
    expect(pages[pages.length - 1]).not.toHaveProperty('nextToken');
  });

  it('defaults to pages of 20', async () => {
    const pages = await walk();
    expect(pages.map((page) => page.items.length)).toEqual([20, 20, 17]);
    expect(new Set(idsOf(pages)).size).toBe(ITEM_COUNT);
  });

  it('a token works with another page size', async () => {
    const first = (await call({ method: 'GET', path: '/categories', query: { limit: '10' } })).body as ListBody;
    const rest = await call({
      method: 'GET',
      path: '/categories',
      query: { limit: '100', nextToken: String(first.nextToken) },
    });
    const all = [...first.items, ...(rest.body as ListBody).items].map((item) => item.id);
    expect(all).toHaveLength(ITEM_COUNT);
    expect(new Set(all)).toEqual(new Set(ids));
  });

  it('follows DynamoDB when it stops early (1 MB pages): short pages still reach every item once', async () => {
    // Simulate DynamoDB's page-size cut-off: keep a random prefix of the items, with LastEvaluatedKey at the last kept.
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    let cuts = 0;
    proxy.rewrite = (operation, body) => {
      const items = (body.Items ?? []) as Array<{ id: { S: string } }>;
      if (operation !== 'Scan' || items.length < 2 || random() < 0.3) return body;
      cuts += 1;
      const keep = 1 + Math.floor(random() * (items.length - 1)); // 1 .. length-1
      const kept = items.slice(0, keep);
      return {
        ...body,
        Items: kept,
        Count: kept.length,
        ScannedCount: kept.length,
        LastEvaluatedKey: { id: kept[keep - 1]?.id },
      };
    };
    const pages = await walk(9);
    expect(cuts).toBeGreaterThan(3);
    expect(pages.some((page) => page.items.length < 9 && page.nextToken !== undefined)).toBe(true);
    const seen = idsOf(pages);
    expect(seen).toHaveLength(ITEM_COUNT);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('an empty table is one empty page without a token', async () => {
    await db.createTable('categories-empty');
    const response = await invoke(handlerFor(documentClient(), 'categories-empty'), {
      method: 'GET',
      path: '/categories',
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [] });
  });
});
