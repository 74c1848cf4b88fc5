/**
 * The typed client and the OpenAPI document generated from the stack cannot drift apart: every client method sends
 * a request the document's operation accepts (same method, path, parameters and body type), reads the document's
 * success answer into its typed result, and turns every error status the document declares for the operation into
 * an ApiError with that status; and every operation of the categories function has a client method.
 */
import { ApiError, CategoriesClient, type Fetch, type TokenSource } from '../../client';
import { CLIENT_ROUTES } from '../../client/categories-client';
import { CATEGORIES_CONTRACT } from '../../functions/categories/contract';
import { DocumentConformance } from '../../openapi/conformance';
import { openApiDocument, type OpenApiDocument } from '../../openapi/document';
import { SynthesizedStackConfig } from '../../synth/stack-json';
import { synthPlatform } from '../support/synth';

const API_URL = 'https://api.example.com/dev';
const ID = '3f1b2a4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const CATEGORY = {
  id: ID,
  name: 'Books',
  description: 'Paper',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  version: 1,
};
/** Error bodies of every shape the API answers with; the document picks which belong to a status. */
const ERROR_BODIES = [
  { error: { code: 'NotFound', message: 'Category not found.', requestId: 'req-1' } },
  { error: { code: 'ValidationFailed', message: 'Invalid request body', requestId: 'req-1' } },
  { message: 'Unauthorized', requestId: 'req-1' },
];
const HEADERS = { 'x-amzn-RequestId': 'req-1', ETag: '"1"', Location: `/dev/categories/${ID}` };

type Call = (client: CategoriesClient) => Promise<unknown>;
/** A call of each client method, and the result it must make of the document's success answer. */
const CALLS: Record<keyof typeof CLIENT_ROUTES, { call: Call; body: unknown; result: unknown }> = {
  list: {
    call: (c) => c.list({ limit: 5, nextToken: 'abc' }),
    body: { items: [CATEGORY], nextToken: 'next' },
    result: { items: [CATEGORY], nextToken: 'next' },
  },
  create: {
    call: (c) => c.create({ name: 'Books', description: 'Paper' }),
    body: CATEGORY,
    result: { category: CATEGORY, etag: '"1"', location: `/dev/categories/${ID}` },
  },
  get: { call: (c) => c.get(ID), body: CATEGORY, result: { category: CATEGORY, etag: '"1"' } },
  replace: {
    call: (c) => c.replace(ID, { name: 'Books' }, { ifMatch: '"1"' }),
    body: CATEGORY,
    result: { category: CATEGORY, etag: '"1"' },
  },
  remove: { call: (c) => c.remove(ID, { ifMatch: 1 }), body: undefined, result: undefined },
};

interface Sent {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/** A client whose every request is recorded and answered with `status` and `body`. */
function clientAnswering(status: number, body: unknown, sent: Sent[]): CategoriesClient {
  const fetchFn: Fetch = (input, init) => {
    sent.push({
      method: init?.method ?? 'GET',
      url: new URL(input instanceof Request ? input.url : input),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: typeof init?.body === 'string' ? init.body : undefined,
    });
    const headers = body === undefined ? HEADERS : { ...HEADERS, 'Content-Type': 'application/json' };
    return Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status, headers }));
  };
  const tokens: TokenSource = { getToken: () => Promise.resolve('token'), invalidate: () => undefined };
  return new CategoriesClient({ apiUrl: API_URL, tokens, fetch: fetchFn });
}

let document: OpenApiDocument;
let conformance: DocumentConformance;
beforeAll(async () => {
  document = openApiDocument(new SynthesizedStackConfig('platform-dev', synthPlatform('dev').json, '/'));
  conformance = await DocumentConformance.of(document);
});

function operation(operationId: string): { route: string; statuses: string[] } {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {})) {
      const found = op as { operationId?: string; responses?: Record<string, unknown> };
      if (found.operationId === operationId) {
        return { route: `${method.toUpperCase()} ${path}`, statuses: Object.keys(found.responses ?? {}) };
      }
    }
  }
  throw new Error(`the document has no operation ${operationId}`);
}

describe.each(Object.entries(CLIENT_ROUTES))('client.%s', (name, route) => {
  const { call, body, result } = CALLS[name as keyof typeof CLIENT_ROUTES];
  const { operationId } = CATEGORIES_CONTRACT.operations[route];

  it('calls the operation of its route, with the same method and path, sending what the operation accepts', async () => {
    const { route: documented, statuses } = operation(operationId);
    expect(documented).toBe(route);
    const success = statuses.find((s) => /^2\d\d$/.test(s));
    const sent: Sent[] = [];
    await call(clientAnswering(Number(success), body, sent));
    expect(sent).toHaveLength(1);
    const [request] = sent;
    const checked = conformance.checkRequest({
      method: request.method,
      path: request.url.pathname.replace(/^\/dev/, ''),
      query: request.url.search.slice(1),
      headers: request.headers,
      body: request.body,
    });
    expect(checked).toEqual({ operationId, problems: [] });
  });

  it("reads the document's success answer into its typed result", async () => {
    const success = Number(operation(operationId).statuses.find((s) => /^2\d\d$/.test(s)));
    const answer = conformance.checkAnswer({
      method: route.split(' ')[0],
      path: route.split(' ')[1].replace('{id}', ID),
      resourcePath: route.split(' ')[1],
      status: success,
      headers: body === undefined ? HEADERS : { ...HEADERS, 'Content-Type': 'application/json' },
      body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
    });
    expect(answer.problems).toEqual([]);
    await expect(call(clientAnswering(success, body, []))).resolves.toEqual(result);
  });

  it('turns every error status the document declares for the operation into an ApiError of that status', async () => {
    const errors = operation(operationId).statuses.filter((s) => s !== 'default' && !/^2/.test(s));
    expect(errors.length).toBeGreaterThan(3);
    for (const declared of errors) {
      const status = declared === '5XX' ? 502 : Number(declared);
      const bodies = ERROR_BODIES.filter(
        (errorBody) =>
          conformance.checkAnswer({
            method: route.split(' ')[0],
            path: route.split(' ')[1].replace('{id}', ID),
            resourcePath: route.split(' ')[1],
            status,
            headers: { ...HEADERS, 'Retry-After': '1', 'Content-Type': 'application/json' },
            body: Buffer.from(JSON.stringify(errorBody)),
          }).problems.length === 0,
      );
      expect([declared, bodies.length > 0]).toEqual([declared, true]);
      for (const errorBody of bodies) {
        const failure = await call(clientAnswering(status, errorBody, [])).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(ApiError);
        expect([declared, (failure as ApiError).status]).toEqual([declared, status]);
      }
    }
  });
});

it('has a method for every operation of the categories function, and no other', () => {
  const documented = Object.values(document.paths ?? {}).flatMap((item) =>
    Object.entries(item ?? {})
      .filter(([method]) => method !== 'options')
      .map(([, op]) => (op as { operationId: string }).operationId),
  );
  const called = Object.values(CLIENT_ROUTES).map((route) => CATEGORIES_CONTRACT.operations[route].operationId);
  expect(called.sort()).toEqual(documented.sort());
});
