import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { TEST_CLIENT_ID } from '../support/api-gateway-event';
import {
  errorOf,
  startCategoriesApi,
  type CategoriesApi,
  type CategoryBody,
  type ListBody,
} from './categories-harness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let api: CategoriesApi;
beforeAll(async () => {
  api = await startCategoriesApi();
});
afterAll(async () => {
  await api.stop();
});

describe('POST /categories', () => {
  it('creates a category: 201, server-generated id, version 1, Location and ETag', async () => {
    const response = await api.call({
      method: 'POST',
      path: '/categories',
      body: { name: '  Books  ', description: 'Paper and ink' },
    });
    expect(response.status).toBe(201);
    const category = response.body as CategoryBody;
    expect(category).toEqual({
      id: expect.stringMatching(UUID),
      name: 'Books',
      description: 'Paper and ink',
      createdAt: expect.stringMatching(ISO),
      updatedAt: category.createdAt,
      version: 1,
    });
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers.location).toBe(`/dev/categories/${category.id}`);
    expect(response.headers.etag).toBe('"1"');
  });

  it('stores the calling client as createdBy/updatedBy without returning them', async () => {
    const response = await api.call({
      method: 'POST',
      path: '/categories',
      body: { name: 'Audited' },
      claims: { sub: 'client-from-sub', token_use: 'access', scope: 'categories/write' },
    });
    const category = response.body as CategoryBody;
    expect(Object.keys(category).sort()).toEqual(['createdAt', 'id', 'name', 'updatedAt', 'version']);
    const stored = await api.documentClient.send(
      new GetCommand({ TableName: api.db.tableName, Key: { id: category.id } }),
    );
    expect(stored.Item).toMatchObject({ createdBy: 'client-from-sub', updatedBy: 'client-from-sub' });
  });

  it('builds Location from the path the client called (stage or custom-domain base path)', async () => {
    const onProd = await api.call({ method: 'POST', path: '/categories', stage: 'prod', body: { name: 'Prod' } });
    expect(onProd.headers.location).toBe(`/prod/categories/${(onProd.body as CategoryBody).id}`);
  });

  it('accepts a base64-encoded body and JSON media types with parameters or a +json suffix', async () => {
    for (const contentType of ['application/json; charset=UTF-8', 'Application/JSON', 'application/vnd.example+json']) {
      const response = await api.call({
        method: 'POST',
        path: '/categories',
        body: { name: 'é ☃' },
        base64: true,
        contentType,
      });
      expect(response.status).toBe(201);
      expect((response.body as CategoryBody).name).toBe('é ☃');
    }
  });

  it('counts name length in characters, not UTF-16 units (100 emoji fit)', async () => {
    const response = await api.call({ method: 'POST', path: '/categories', body: { name: '😀'.repeat(100) } });
    expect(response.status).toBe(201);
  });
});

describe('GET /categories/{id}', () => {
  it('returns the category with its ETag', async () => {
    const created = await api.create('Music', 'Vinyl');
    const response = await api.call({ method: 'GET', path: `/categories/${created.id}` });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(created);
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers['content-type']).toBe('application/json');
  });

  it('is a 404 for an unknown id', async () => {
    const response = await api.call({ method: 'GET', path: '/categories/00000000-0000-4000-8000-000000000000' });
    expect(response.status).toBe(404);
    expect(errorOf(response).code).toBe('NotFound');
  });
});

describe('PUT /categories/{id}', () => {
  it('replaces name and description, removes an omitted description, increments the version', async () => {
    const created = await api.create('Games', 'Board games');
    const response = await api.call({
      method: 'PUT',
      path: `/categories/${created.id}`,
      body: { name: 'Video games' },
      headers: { 'If-Match': '"1"' },
      claims: { client_id: 'other-client', sub: 'other-client' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    const updated = response.body as CategoryBody;
    expect(updated).toEqual({
      id: created.id,
      name: 'Video games',
      createdAt: created.createdAt,
      updatedAt: expect.stringMatching(ISO),
      version: 2,
    });
    expect(updated.updatedAt >= created.updatedAt).toBe(true);
    const stored = await api.documentClient.send(
      new GetCommand({ TableName: api.db.tableName, Key: { id: created.id } }),
    );
    expect(stored.Item).toMatchObject({ createdBy: TEST_CLIENT_ID, updatedBy: 'other-client', version: 2 });
    expect(stored.Item).not.toHaveProperty('description');
    const read = await api.call({ method: 'GET', path: `/categories/${created.id}` });
    expect(read.body).toEqual(updated);
  });

  it.each([
    ['without If-Match', undefined],
    ['with If-Match: *', '*'],
    ['with a weak tag', 'W/"1"'],
    ['with an unquoted tag', '1'],
    ['with a list containing the version', '"7", "1"'],
  ])('succeeds %s', async (_label, ifMatch) => {
    const created = await api.create('Tools');
    const response = await api.call({
      method: 'PUT',
      path: `/categories/${created.id}`,
      body: { name: 'Hand tools', description: 'Hammers' },
      ...(ifMatch === undefined ? {} : { headers: { 'if-match': ifMatch } }),
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'Hand tools', description: 'Hammers', version: 2 });
  });

  it('is a 412 when If-Match names another version, and changes nothing', async () => {
    const created = await api.create('Garden');
    const before = await api.tableItems();
    const response = await api.call({
      method: 'PUT',
      path: `/categories/${created.id}`,
      body: { name: 'Yard' },
      headers: { 'If-Match': '"2"' },
    });
    expect(response.status).toBe(412);
    expect(errorOf(response).code).toBe('PreconditionFailed');
    expect(await api.tableItems()).toEqual(before);
  });

  it('is a 404 for an unknown id, with or without If-Match, and creates nothing', async () => {
    const before = await api.tableItems();
    const variants: Array<Record<string, string>> = [{}, { 'If-Match': '"1"' }, { 'If-Match': '*' }];
    for (const headers of variants) {
      const response = await api.call({
        method: 'PUT',
        path: '/categories/00000000-0000-4000-8000-000000000001',
        body: { name: 'Ghost' },
        headers,
      });
      expect(response.status).toBe(404);
    }
    expect(await api.tableItems()).toEqual(before);
  });
});

describe('DELETE /categories/{id}', () => {
  it('deletes: 204 without a body or content type, then 404', async () => {
    const created = await api.create('Toys');
    const response = await api.call({ method: 'DELETE', path: `/categories/${created.id}` });
    expect(response.status).toBe(204);
    expect(response.rawBody).toBe('');
    expect(response.headers['content-type']).toBeUndefined();
    expect((await api.call({ method: 'GET', path: `/categories/${created.id}` })).status).toBe(404);
    expect((await api.call({ method: 'DELETE', path: `/categories/${created.id}` })).status).toBe(404);
  });

  it('honours If-Match: 412 on another version (item kept), 204 on the current one', async () => {
    const created = await api.create('Food');
    const stale = await api.call({
      method: 'DELETE',
      path: `/categories/${created.id}`,
      headers: { 'If-Match': '"9"' },
    });
    expect(stale.status).toBe(412);
    expect((await api.call({ method: 'GET', path: `/categories/${created.id}` })).status).toBe(200);
    const current = await api.call({
      method: 'DELETE',
      path: `/categories/${created.id}`,
      headers: { 'If-Match': '"1"' },
    });
    expect(current.status).toBe(204);
    const again = await api.call({
      method: 'DELETE',
      path: `/categories/${created.id}`,
      headers: { 'If-Match': '"1"' },
    });
    expect(again.status).toBe(404);
  });
});

describe('GET /categories', () => {
  it('lists categories without audit attributes', async () => {
    const created = await api.create('Listed', 'Visible');
    const response = await api.call({ method: 'GET', path: '/categories', query: { limit: '100' } });
    expect(response.status).toBe(200);
    const list = response.body as ListBody;
    expect(list.items).toContainEqual(created);
    for (const item of list.items) {
      expect(item).not.toHaveProperty('createdBy');
      expect(item).not.toHaveProperty('updatedBy');
      expect(item).not.toHaveProperty('writeId');
    }
  });
});
