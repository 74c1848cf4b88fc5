import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { encodeCursor } from '../../functions/categories/schema';
import { MAX_BODY_BYTES } from '../../functions/shared/request';
import { apiGatewayEvent } from '../support/api-gateway-event';
import {
  errorOf,
  fieldsOf,
  handlerFor,
  invoke,
  startCategoriesApi,
  type CategoriesApi,
  type CategoryBody,
} from './categories-harness';

let api: CategoriesApi;
let existing: CategoryBody;
beforeAll(async () => {
  api = await startCategoriesApi();
  existing = await api.create('Existing', 'Kept as is');
});
afterAll(async () => {
  await api.stop();
});

/** Every error test also checks that the table did not change. */
let snapshot: Array<Record<string, unknown>>;
beforeEach(async () => {
  snapshot = await api.tableItems();
});
afterEach(async () => {
  expect(await api.tableItems()).toEqual(snapshot);
});

const post = (body: unknown, extra: { contentType?: string | null; base64?: boolean } = {}) =>
  api.call({ method: 'POST', path: '/categories', body, ...extra });
const put = (body: unknown, extra: { contentType?: string | null; headers?: Record<string, string> } = {}) =>
  api.call({ method: 'PUT', path: `/categories/${existing.id}`, body, ...extra });

describe('400: invalid bodies name every bad field', () => {
  it.each<[string, unknown, string[]]>([
    ['missing name', { description: 'x' }, ['name']],
    ['empty object', {}, ['name']],
    ['name not a string', { name: 42 }, ['name']],
    ['name null', { name: null }, ['name']],
    ['blank name', { name: '   ' }, ['name']],
    ['name too long', { name: 'n'.repeat(101) }, ['name']],
    ['name with a control character', { name: 'a\u0007b' }, ['name']],
    ['name with a lone surrogate', { name: 'a\uD800b' }, ['name']],
    ['description not a string', { name: 'ok', description: ['x'] }, ['description']],
    ['description too long', { name: 'ok', description: 'd'.repeat(1001) }, ['description']],
    ['unknown field', { name: 'ok', colour: 'red' }, ['colour']],
    ['prototype keys', JSON.parse('{"name":"ok","__proto__":{"x":1},"constructor":1}'), ['__proto__', 'constructor']],
    ['audit field', { name: 'ok', createdBy: 'me' }, ['createdBy']],
    [
      'read-only fields',
      { name: 'ok', id: randomUUID(), version: 3, createdAt: 'x', updatedAt: 'y' },
      ['createdAt', 'id', 'updatedAt', 'version'],
    ],
    [
      'several problems at once',
      { name: 7, description: 8, id: 'x', extra: true },
      ['description', 'extra', 'id', 'name'],
    ],
  ])('POST and PUT: %s', async (_label, body, fields) => {
    for (const response of [await post(body), await put(body)]) {
      expect(response.status).toBe(400);
      expect(errorOf(response).code).toBe('ValidationFailed');
      expect(fieldsOf(response)).toEqual(fields);
    }
  });

  it('says why a field is wrong', async () => {
    const response = await post({ id: 'x', colour: 'red', name: 5 });
    expect(errorOf(response).details).toEqual([
      { field: 'colour', message: 'is not a recognised field' },
      { field: 'id', message: 'is read-only' },
      { field: 'name', message: expect.stringContaining('must be a string') },
    ]);
    const missing = await post({});
    expect(errorOf(missing).details).toEqual([{ field: 'name', message: 'is required' }]);
  });

  it.each<[string, string, string]>([
    ['invalid JSON', '{"name": ', 'InvalidJson'],
    ['trailing garbage', '{"name":"a"} x', 'InvalidJson'],
    ['empty body', '', 'InvalidBody'],
    ['whitespace body', '  \n', 'InvalidBody'],
    ['an array', '[{"name":"a"}]', 'InvalidBody'],
    ['a string', '"name"', 'InvalidBody'],
    ['null', 'null', 'InvalidBody'],
    ['a number', '12', 'InvalidBody'],
  ])('%s is a 400 %s', async (_label, body, code) => {
    for (const response of [await post(body), await put(body)]) {
      expect(response.status).toBe(400);
      expect(errorOf(response).code).toBe(code);
    }
  });

  it('refuses a base64 body that is not base64, or not UTF-8', async () => {
    for (const body of [
      '***not base64***',
      'eyJuYW1lIjoiYSJ9=',
      Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'),
    ]) {
      const event = apiGatewayEvent({ method: 'POST', path: '/categories', body: '' });
      event.body = body;
      event.isBase64Encoded = true;
      const response = await api.callEvent(event);
      expect(response.status).toBe(400);
      expect(errorOf(response).code).toBe('InvalidBody');
    }
  });
});

describe('413: bodies over 64 KiB, counted in bytes', () => {
  /** A valid JSON body of exactly `bytes` bytes (whitespace padding). */
  const bodyOf = (bytes: number, name = 'Padded') => {
    const head = JSON.stringify({ name });
    return `${head.slice(0, -1)}${' '.repeat(bytes - Buffer.byteLength(head))}}`;
  };

  it('accepts exactly 64 KiB and refuses one byte more', async () => {
    const exact = await post(bodyOf(MAX_BODY_BYTES));
    expect(exact.status).toBe(201);
    snapshot = await api.tableItems();
    const over = await post(bodyOf(MAX_BODY_BYTES + 1));
    expect(over.status).toBe(413);
    expect(errorOf(over).code).toBe('PayloadTooLarge');
  });

  it('counts UTF-8 bytes, not characters', async () => {
    // 40,000 characters, but 80,000+ bytes.
    const response = await post({ name: 'x', description: 'é'.repeat(40_000) });
    expect(response.status).toBe(413);
  });

  it('counts decoded bytes of base64 bodies', async () => {
    const over = await api.call({
      method: 'POST',
      path: '/categories',
      body: bodyOf(MAX_BODY_BYTES + 1),
      base64: true,
    });
    expect(over.status).toBe(413);
    const exact = await api.call({ method: 'POST', path: '/categories', body: bodyOf(MAX_BODY_BYTES), base64: true });
    expect(exact.status).toBe(201);
    snapshot = await api.tableItems();
  });

  it('applies to PUT too, and wins over a wrong content type', async () => {
    expect((await put(bodyOf(MAX_BODY_BYTES + 1))).status).toBe(413);
    expect((await post(bodyOf(MAX_BODY_BYTES + 1), { contentType: 'text/plain' })).status).toBe(413);
  });
});

describe('415: only JSON bodies', () => {
  it.each<[string, string | null]>([
    ['missing Content-Type', null],
    ['text/plain', 'text/plain'],
    ['form encoding', 'application/x-www-form-urlencoded'],
    ['XML', 'application/xml'],
    ['a JSON look-alike', 'application/jsonp'],
    ['a non-UTF-8 charset', 'application/json; charset=iso-8859-1'],
    ['an empty value', ''],
  ])('%s is a 415 on POST and PUT', async (_label, contentType) => {
    for (const response of [await post({ name: 'ok' }, { contentType }), await put({ name: 'ok' }, { contentType })]) {
      expect(response.status).toBe(415);
      expect(errorOf(response).code).toBe('UnsupportedMediaType');
    }
  });

  it('matches the header name case-insensitively', async () => {
    const response = await api.call({
      method: 'POST',
      path: '/categories',
      body: '{"name":"Lower-case header"}',
      contentType: null,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(201);
    snapshot = await api.tableItems();
  });
});

describe('404: unknown and malformed ids never reach a 500', () => {
  const malformed = [
    'not-a-uuid',
    'x',
    '00000000-0000-4000-8000-00000000000',
    '00000000-0000-4000-8000-0000000000000',
    'ABCDEF00-0000-4000-8000-000000000000',
    '%00',
    '..%2F..%2Fetc',
    ' ',
    'é',
    'a'.repeat(2048),
  ];

  it.each(['GET', 'PUT', 'DELETE'])('%s with a malformed id is a 404', async (method) => {
    for (const id of malformed) {
      const response = await api.call({
        method,
        path: `/categories/${encodeURIComponent(id)}`,
        ...(method === 'PUT' ? { body: { name: 'ok' } } : {}),
      });
      expect(response.status).toBe(404);
      expect(errorOf(response).code).toBe('NotFound');
    }
  });

  it('PUT with a malformed id is a 404 even when the body is invalid too', async () => {
    const response = await api.call({
      method: 'PUT',
      path: '/categories/not-a-uuid',
      body: '{',
      contentType: 'text/plain',
    });
    expect(response.status).toBe(404);
  });

  it('a missing path parameter is a 404', async () => {
    const event = apiGatewayEvent({ method: 'GET', path: `/categories/${existing.id}` });
    event.pathParameters = null;
    expect((await api.callEvent(event)).status).toBe(404);
  });

  it.each<[string, string]>([
    ['PATCH', '/categories/{id}'],
    ['POST', '/categories/{id}'],
    ['DELETE', '/categories'],
    ['PUT', '/categories'],
    ['GET', '/products'],
    ['HEAD', '/categories'],
  ])('an unknown route (%s %s) is a 404 RouteNotFound', async (method, resource) => {
    const response = await api.call({ method, path: '/categories', resource, body: { name: 'ok' } });
    expect(response.status).toBe(404);
    expect(errorOf(response).code).toBe('RouteNotFound');
  });
});

describe('412: If-Match that cannot match', () => {
  it.each(['"2"', 'W/"0"', '"abc"', 'garbage', '', '"1', '"-1"', '"1.0"', '"01"', '"99999999999999999999"'])(
    'If-Match %p on PUT and DELETE is a 412',
    async (ifMatch) => {
      const headers = { 'If-Match': ifMatch };
      for (const response of [
        await put({ name: 'Changed' }, { headers }),
        await api.call({ method: 'DELETE', path: `/categories/${existing.id}`, headers }),
      ]) {
        expect(response.status).toBe(412);
        expect(errorOf(response).code).toBe('PreconditionFailed');
      }
    },
  );

  it('too many entity tags is a 400 naming If-Match', async () => {
    const tags = Array.from({ length: 101 }, (_, i) => `"${i + 1}"`).join(', ');
    const response = await put({ name: 'Changed' }, { headers: { 'If-Match': tags } });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe('InvalidIfMatch');
    expect(fieldsOf(response)).toEqual(['If-Match']);
  });
});

describe('400: list query parameters', () => {
  const list = (query: Record<string, string | string[]>) => api.call({ method: 'GET', path: '/categories', query });

  it.each(['0', '101', '-1', '1.5', 'abc', '', ' 5', '05', '1e2', '99999999999999999999'])(
    'limit=%p',
    async (limit) => {
      const response = await list({ limit });
      expect(response.status).toBe(400);
      expect(errorOf(response).code).toBe('ValidationFailed');
      expect(fieldsOf(response)).toEqual(['limit']);
    },
  );

  it('names unknown and repeated parameters', async () => {
    const response = await list({ limit: ['5', '6'], pageSize: '5', sort: 'name' });
    expect(response.status).toBe(400);
    expect(fieldsOf(response)).toEqual(['limit', 'pageSize', 'sort']);
  });

  const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';
  it.each<[string, string]>([
    ['random text', 'hello'],
    ['base64 with padding', `${encodeCursor({ id: uuid })}=`],
    [
      'standard base64 alphabet',
      Buffer.from(JSON.stringify({ id: uuid }))
        .toString('base64')
        .replace(/=+$/, '') + '+/',
    ],
    ['JSON that is not an object', Buffer.from('[1]').toString('base64url')],
    ['not JSON', Buffer.from('{id:').toString('base64url')],
    ['an id that is not a UUID', Buffer.from(JSON.stringify({ id: 'x' })).toString('base64url')],
    ['an upper-case UUID', Buffer.from(JSON.stringify({ id: uuid.toUpperCase() })).toString('base64url')],
    ['an extra key', Buffer.from(JSON.stringify({ id: uuid, name: 'x' })).toString('base64url')],
    ['a numeric id', Buffer.from(JSON.stringify({ id: 5 })).toString('base64url')],
    ['another key attribute', Buffer.from(JSON.stringify({ pk: uuid })).toString('base64url')],
    ['a non-canonical spelling', Buffer.from(JSON.stringify({ id: uuid }, null, 1)).toString('base64url')],
    ['an empty token', ''],
    ['a huge token', 'A'.repeat(10_000)],
  ])('nextToken: %s is a 400 InvalidNextToken', async (_label, nextToken) => {
    const response = await list({ nextToken });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe('InvalidNextToken');
    expect(fieldsOf(response)).toEqual(['nextToken']);
  });

  it('a well-formed token for a key that does not exist is fine (a position, not a reference)', async () => {
    const response = await list({ nextToken: encodeCursor({ id: uuid }) });
    expect(response.status).toBe(200);
  });
});

describe('500: unexpected failures reveal nothing but the request id', () => {
  it('a missing table (misconfiguration) is a bare 500', async () => {
    const handler = handlerFor(api.documentClient, 'no-such-table');
    for (const request of [
      { method: 'GET', path: '/categories' },
      { method: 'POST', path: '/categories', body: { name: 'x' } },
    ]) {
      const response = await invoke(handler, request);
      expect(response.status).toBe(500);
      const error = errorOf(response);
      expect(error).toEqual({
        code: 'InternalError',
        message: expect.not.stringMatching(/ResourceNotFound|table|at /i),
        requestId: response.requestId,
      });
      expect(response.rawBody).not.toMatch(/ResourceNotFound|stack|no-such-table|\.ts:/);
    }
  });

  it('a corrupted item is a 500, not a crash and not a 4xx', async () => {
    const id = randomUUID();
    await api.documentClient.send(
      new PutCommand({ TableName: api.db.tableName, Item: { id, name: 'Broken', version: 'one' } }),
    );
    const response = await api.call({ method: 'GET', path: `/categories/${id}` });
    expect(response.status).toBe(500);
    expect(errorOf(response).code).toBe('InternalError');
    expect(response.rawBody).not.toMatch(/version|Malformed/);
    snapshot = await api.tableItems();
  });
});
