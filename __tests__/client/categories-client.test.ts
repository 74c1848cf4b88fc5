import {
  ApiError,
  ApiUnreachableError,
  CategoriesClient,
  ClientCredentialsTokenProvider,
  type Category,
  type TokenSource,
} from '../../client';
import { startLoopbackServer, type LoopbackServer, type RecordedRequest, type Reply } from './loopback-server';

const CATEGORY: Category = {
  id: '3f1b2a4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
  name: 'Books',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};

let server: LoopbackServer;
let tokens: TokenSource & { issued: number; invalidated: number; refused: Array<string | undefined> };

/** API Gateway's 401 for an expired token, and for any other token it refuses (missing scope, invalid). */
const EXPIRED: Reply = {
  status: 401,
  body: { message: 'The incoming token has expired' },
  headers: { 'x-amzn-ErrorType': 'UnauthorizedException' },
};
const UNAUTHORIZED: Reply = {
  status: 401,
  body: { message: 'Unauthorized' },
  headers: { 'x-amzn-ErrorType': 'UnauthorizedException' },
};

beforeAll(async () => {
  server = await startLoopbackServer(() => ({ status: 500 }));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  tokens = {
    issued: 0,
    invalidated: 0,
    refused: [],
    getToken() {
      this.issued++;
      return Promise.resolve(`token-${this.invalidated}`);
    },
    invalidate(token?: string) {
      this.invalidated++;
      this.refused.push(token);
    },
  };
});

function client(): CategoriesClient {
  return new CategoriesClient({ apiUrl: `${server.url}/dev/`, tokens });
}

describe('CategoriesClient', () => {
  it('creates a category and returns it with its ETag and Location', async () => {
    server.handler = () => ({
      status: 201,
      body: CATEGORY,
      headers: { ETag: '"1"', Location: `/dev/categories/${CATEGORY.id}` },
    });
    const created = await client().create({ name: 'Books' });
    expect(created).toEqual({ category: CATEGORY, etag: '"1"', location: `/dev/categories/${CATEGORY.id}` });
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/dev/categories', body: '{"name":"Books"}' });
    expect(request.headers.authorization).toBe('Bearer token-0');
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('lists with limit and nextToken, and pages through everything with listAll', async () => {
    server.handler = (request) =>
      request.url.includes('nextToken=abc')
        ? { status: 200, body: { items: [{ ...CATEGORY, id: 'b' }] } }
        : { status: 200, body: { items: [{ ...CATEGORY, id: 'a' }], nextToken: 'abc' } };
    const page = await client().list({ limit: 1 });
    expect(page).toEqual({ items: [{ ...CATEGORY, id: 'a' }], nextToken: 'abc' });
    expect(server.requests[0].url).toBe('/dev/categories?limit=1');
    const all: string[] = [];
    for await (const category of client().listAll(1)) all.push(category.id);
    expect(all).toEqual(['a', 'b']);
  });

  it('sends If-Match from an ETag or a version number, and encodes ids', async () => {
    server.handler = (request) =>
      request.method === 'DELETE'
        ? { status: 204 }
        : { status: 200, body: { ...CATEGORY, version: 4 }, headers: { ETag: '"4"' } };
    const replaced = await client().replace('a/b', { name: 'Novels' }, { ifMatch: '"3"' });
    expect(replaced.etag).toBe('"4"');
    await client().remove('x', { ifMatch: 4 });
    await client().remove('y');
    expect(server.requests.map((r) => [r.method, r.url, r.headers['if-match']])).toEqual([
      ['PUT', '/dev/categories/a%2Fb', '"3"'],
      ['DELETE', '/dev/categories/x', '"4"'],
      ['DELETE', '/dev/categories/y', undefined],
    ]);
  });

  it("turns the service's error body into an ApiError with code, details and request id", async () => {
    const reply: Reply = {
      status: 400,
      body: {
        error: {
          code: 'ValidationFailed',
          message: 'The request body is invalid.',
          details: [{ field: 'name', message: 'is required' }],
          requestId: 'req-1',
        },
      },
    };
    server.handler = () => reply;
    const error = await client()
      .create({ name: '' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'ValidationFailed',
      message: 'The request body is invalid.',
      requestId: 'req-1',
      details: [{ field: 'name', message: 'is required' }],
      source: 'service',
      retryable: false,
    });
  });

  it("turns API Gateway's {message} body into an ApiError named after its error type", async () => {
    server.handler = () => ({
      status: 403,
      body: { message: 'Missing Authentication Token' },
      headers: { 'x-amzn-ErrorType': 'MissingAuthenticationTokenException', 'x-amzn-RequestId': 'req-2' },
    });
    await expect(client().get('a')).rejects.toMatchObject({
      status: 403,
      code: 'MissingAuthenticationToken',
      message: 'Missing Authentication Token',
      requestId: 'req-2',
      source: 'gateway',
    });
    server.handler = () => ({ status: 504, body: { message: 'Endpoint request timed out' } });
    await expect(client().get('a')).rejects.toMatchObject({
      status: 504,
      code: 'GatewayTimeout',
      source: 'gateway',
      retryable: true,
    });
  });

  it('retries a 401 for an expired token once with a fresh token, then reports it', async () => {
    server.handler = (request) =>
      request.headers.authorization === 'Bearer token-1' ? { status: 200, body: { items: [] } } : EXPIRED;
    expect(await client().list()).toEqual({ items: [] });
    expect(tokens.invalidated).toBe(1);
    expect(tokens.refused).toEqual(['token-0']);
    expect(server.requests).toHaveLength(2);

    server.handler = () => EXPIRED;
    await expect(client().list()).rejects.toMatchObject({ status: 401, code: 'Unauthorized', source: 'gateway' });
    expect(server.requests).toHaveLength(4);
  });

  it('reports any other 401 (missing scope, invalid token) at once, without dropping the token', async () => {
    server.handler = () => UNAUTHORIZED;
    const error = await client()
      .create({ name: 'Books' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'Unauthorized', message: 'Unauthorized', source: 'gateway' });
    expect(server.requests).toHaveLength(1);
    expect(tokens.issued).toBe(1);
    expect(tokens.invalidated).toBe(0);
  });

  it("labels the gateway's model refusal, in the service's error shape, by its x-amzn-ErrorType", async () => {
    server.handler = () => ({
      status: 400,
      body: { error: { code: 'ValidationFailed', message: 'Invalid request body', requestId: 'req-3' } },
      headers: { 'x-amzn-ErrorType': 'BadRequestException', 'x-amzn-RequestId': 'req-3' },
    });
    await expect(client().create({ name: 'Books' })).rejects.toMatchObject({
      status: 400,
      code: 'ValidationFailed',
      message: 'Invalid request body',
      requestId: 'req-3',
      source: 'gateway',
    });
  });

  it('reports an unreachable API as ApiUnreachableError', async () => {
    const closed = await startLoopbackServer(() => ({ status: 200 }));
    await closed.close();
    const error = await new CategoriesClient({ apiUrl: closed.url, tokens }).list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiUnreachableError);
  });
});

describe('CategoriesClient with ClientCredentialsTokenProvider', () => {
  let endpoints: LoopbackServer;
  let issued: number;
  let api: (request: RecordedRequest) => Reply;
  const tokenRequests = (): number => endpoints.requests.filter((r) => r.url === '/oauth2/token').length;
  const apiRequests = (): RecordedRequest[] => endpoints.requests.filter((r) => r.url.startsWith('/dev/'));

  beforeAll(async () => {
    endpoints = await startLoopbackServer(() => ({ status: 500 }));
  });
  afterAll(() => endpoints.close());
  beforeEach(() => {
    endpoints.requests.length = 0;
    issued = 0;
    endpoints.handler = (request) =>
      request.url === '/oauth2/token'
        ? {
            status: 200,
            body: { access_token: `token-${++issued}`, expires_in: 3600, token_type: 'Bearer' },
            delayMs: 20,
          }
        : api(request);
  });

  function realClient(): CategoriesClient {
    const tokens = new ClientCredentialsTokenProvider({
      tokenUrl: `${endpoints.url}/oauth2/token`,
      clientId: 'c',
      clientSecret: 's',
    });
    return new CategoriesClient({ apiUrl: `${endpoints.url}/dev`, tokens });
  }

  it('makes one token request for 20 concurrent calls refused for a missing scope, and reports each', async () => {
    api = () => UNAUTHORIZED;
    const client = realClient();
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => client.create({ name: `c${i}` })));
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error: unknown = (result as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 401, code: 'Unauthorized' });
    }
    expect(tokenRequests()).toBe(1);
    expect(apiRequests()).toHaveLength(20);
    // Later calls keep the cached token: still one token request.
    await expect(client.list()).rejects.toMatchObject({ status: 401 });
    expect(tokenRequests()).toBe(1);
  });

  it('shares one new token among concurrent calls refused as expired, and retries each once', async () => {
    api = (request) =>
      request.headers.authorization === 'Bearer token-1' ? EXPIRED : { status: 200, body: { items: [] } };
    const client = realClient();
    const results = await Promise.all(Array.from({ length: 20 }, () => client.list()));
    expect(results).toEqual(Array.from({ length: 20 }, () => ({ items: [] })));
    expect(tokenRequests()).toBe(2);
    expect(apiRequests()).toHaveLength(40);
    expect(apiRequests().filter((r) => r.headers.authorization === 'Bearer token-2')).toHaveLength(20);
    await client.list();
    expect(tokenRequests()).toBe(2);
  });
});
