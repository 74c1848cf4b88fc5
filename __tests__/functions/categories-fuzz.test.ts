import { encodeCursor } from '../../functions/categories/schema';
import { apiGatewayEvent, type ApiRequest } from '../support/api-gateway-event';
import {
  startCategoriesApi,
  type ApiResponse,
  type CategoriesApi,
  type CategoryBody,
  type ErrorBody,
} from './categories-harness';
import { prng } from '../../common/prng';

/**
 * Property: no malformed request is ever a 5xx, each gets the status its kind calls for with a well-formed error
 * body, and none changes the table. Deterministic (seeded); override with FUZZ_SEED / FUZZ_RUNS to explore.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20260101);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1200);
const CONCURRENCY = 16;
const TIME_BUDGET_MS = 8_000;

const random = prng(SEED);
const int = (max: number) => Math.floor(random() * max);
function pick<T>(values: readonly T[]): T {
  return values[int(values.length)];
}
const ALPHABET = 'abcXYZ019 -_.~!$&\'()*+,;=:@/?#[]%"\\{}<>\u0000\u0007\n\t\u00e9\u2603\ud83d\ude00\ud800';
function randomString(maxLength: number): string {
  let value = '';
  const length = int(maxLength + 1);
  for (let i = 0; i < length; i += 1) value += pick([...ALPHABET]);
  return value;
}
/** A random key that is not one of the writable fields. */
const randomKey = () =>
  pick([
    'colour',
    'Name',
    'NAME',
    'name ',
    '__proto__',
    'constructor',
    'createdBy',
    'writeId',
    '',
    'x'.repeat(1 + int(300)),
  ]);
const randomValue = (): unknown =>
  pick<() => unknown>([
    () => int(1000) - 500,
    () => random() < 0.5,
    () => null,
    () => [],
    () => ({}),
    () => [randomString(5)],
    () => ({ nested: randomString(5) }),
    () => Infinity, // JSON.stringify turns it into null
  ])();

interface Case {
  readonly kind: string;
  readonly request: ApiRequest | (() => ReturnType<typeof apiGatewayEvent>);
  readonly expected: readonly number[];
}

/** A body that is invalid for POST/PUT (400). */
function invalidBody(): { body: unknown; expected: number[] } {
  const name = () =>
    pick<unknown>(['', '   ', '\t\n', 'n'.repeat(101 + int(50)), 'a\u0000b', 'x\ud800', randomValue()]);
  const variants: Array<() => unknown> = [
    () => ({ name: name() }),
    () => ({
      name: 'ok',
      description: pick<unknown>(['d'.repeat(1001 + int(100)), 'a\u0001', 'x\udc00', randomValue()]),
    }),
    () => ({ name: 'ok', [randomKey()]: randomString(10) }),
    () => ({ name: 'ok', [pick(['id', 'version', 'createdAt', 'updatedAt'])]: randomValue() }),
    () => ({ description: randomString(20) }),
    () => randomValue(),
    () => pick(['{', '{"name":', '{"name":"a",}', "{'name':'a'}", 'nul', '{"name":"a"}}', '\u0000', randomString(30)]),
    () => JSON.stringify({ name: 'ok' }).slice(0, int(12)),
  ];
  const body = pick(variants)();
  return { body, expected: [400] };
}

const UNKNOWN_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const malformedId = () =>
  pick([
    randomString(40),
    UNKNOWN_ID.toUpperCase(),
    `${UNKNOWN_ID}0`,
    UNKNOWN_ID.slice(1),
    UNKNOWN_ID.replace(/-/g, ''),
    `{${UNKNOWN_ID}}`,
    '',
    'x'.repeat(int(5000)),
  ]);

function generate(ids: readonly string[]): Case {
  const id = pick(ids);
  const kinds: Array<() => Case> = [
    () => ({
      kind: 'POST invalid body',
      request: { method: 'POST', path: '/categories', body: invalidBody().body },
      expected: [400],
    }),
    () => ({
      kind: 'PUT invalid body',
      request: { method: 'PUT', path: `/categories/${id}`, body: invalidBody().body },
      expected: [400],
    }),
    () => ({
      kind: 'POST/PUT bad content type',
      request: {
        method: pick(['POST', 'PUT']),
        path: pick(['/categories', `/categories/${id}`]),
        body: { name: 'valid' },
        contentType: pick([
          null,
          '',
          'text/plain',
          'application/xml',
          'application/json-seq',
          'json',
          'application/json; charset=utf-16',
          randomString(15),
        ]),
      },
      expected: [415, 404], // 404: POST /categories/{id} and PUT /categories are not routes
    }),
    () => ({
      kind: 'oversized body',
      request: {
        method: pick(['POST', 'PUT']),
        path: pick(['/categories', `/categories/${id}`]),
        body: { name: 'big', description: 'é'.repeat(32_768 + int(10_000)) },
        base64: random() < 0.5,
      },
      expected: [413, 404],
    }),
    () => ({
      kind: 'base64 flag on garbage',
      request: () => {
        const event = apiGatewayEvent({ method: 'POST', path: '/categories', body: '' });
        event.body = pick([
          '***',
          '%%%%',
          'eyJuYW1lIjoiYSJ9=',
          Buffer.from([0xc3, 0x28]).toString('base64'),
          randomString(20).replace(/[A-Za-z0-9+/=]/g, '') + '!',
        ]);
        event.isBase64Encoded = true;
        return event;
      },
      expected: [400],
    }),
    () => ({
      // Every seeded item is at version 1: none of these tags may match it (random text has no digits or '*').
      kind: 'stale or garbage If-Match',
      request: {
        method: pick(['PUT', 'DELETE']),
        path: `/categories/${id}`,
        body: { name: 'would overwrite' },
        headers: {
          [pick(['If-Match', 'if-match', 'IF-MATCH'])]: pick([
            '"2"',
            '"0"',
            'W/"9"',
            '"x"',
            randomString(12).replace(/[0-9*]/g, ''),
            '',
            '"1',
            '1.0',
            '"18446744073709551617"',
            '"2", W/"3"',
          ]),
        },
      },
      expected: [412],
    }),
    () => ({
      kind: 'malformed or unknown id',
      request: () => {
        const event = apiGatewayEvent({
          method: pick(['GET', 'PUT', 'DELETE']),
          path: `/categories/${UNKNOWN_ID}`,
          body: { name: 'ghost' },
          headers: random() < 0.3 ? { 'If-Match': pick(['*', '"1"']) } : {},
        });
        // Path parameters arrive decoded; anything may be in them.
        event.pathParameters = { id: pick([malformedId(), UNKNOWN_ID]) };
        return event;
      },
      expected: [404],
    }),
    () => ({
      kind: 'bad list query',
      request: {
        method: 'GET',
        path: '/categories',
        query: pick<Record<string, string | string[]>>([
          {
            limit: pick(
              ['0', '101', '-5', '2.5', 'ten', '', ' 1', '1 ', '007', '1e1', randomString(6)].filter(
                (v) => !/^([1-9]|[1-9][0-9]|100)$/.test(v),
              ),
            ),
          },
          { [randomKey() || 'unknown']: randomString(8) },
          { limit: ['1', '2'] },
          {
            nextToken: pick([
              randomString(30),
              Buffer.from(randomString(30)).toString('base64url') + '=',
              Buffer.from(JSON.stringify({ id: randomString(8) })).toString('base64url'),
              `${encodeCursor({ id: UNKNOWN_ID })}x`,
              'A'.repeat(500),
            ]),
          },
          { nextToken: [encodeCursor({ id: UNKNOWN_ID }), encodeCursor({ id: UNKNOWN_ID })] },
        ]),
      },
      expected: [400],
    }),
    () => ({
      kind: 'unknown route',
      request: {
        method: pick(['PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'POST', 'get', randomString(6)]),
        path: '/categories',
        resource: pick(['/categories/{id}', '/categories/{id}/items', '/', '/Categories', randomString(10)]),
        body: { name: 'x' },
      },
      expected: [404],
    }),
  ];
  const generated = pick(kinds)();
  // Random header noise that must not change the outcome.
  if (typeof generated.request !== 'function' && random() < 0.3) {
    return {
      ...generated,
      request: {
        ...generated.request,
        headers: {
          ...generated.request.headers,
          [`X-${randomString(5).replace(/[^A-Za-z]/g, '') || 'Noise'}`]: randomString(20),
        },
      },
    };
  }
  return generated;
}

let api: CategoriesApi;
let seeded: CategoryBody[];
beforeAll(async () => {
  api = await startCategoriesApi('categories-fuzz');
  seeded = await Promise.all(
    ['One', 'Two', 'Three', 'Four', 'Five'].map((name) => api.create(name, `${name} description`)),
  );
});
afterAll(async () => {
  await api.stop();
});

it(`${RUNS} malformed requests (seed ${SEED}): never a 5xx, always the expected 4xx, table unchanged`, async () => {
  const before = await api.tableItems();
  const ids = seeded.map((category) => category.id);
  const cases = Array.from({ length: RUNS }, () => generate(ids));
  const failures: string[] = [];
  const statusCounts: Record<string, number> = {};
  const started = Date.now();

  let next = 0;
  const worker = async () => {
    while (next < cases.length && Date.now() - started < TIME_BUDGET_MS) {
      const index = next++;
      const testCase = cases[index];
      let response: ApiResponse;
      try {
        response =
          typeof testCase.request === 'function'
            ? await api.callEvent(testCase.request())
            : await api.call(testCase.request);
      } catch (error) {
        failures.push(`#${index} ${testCase.kind}: handler threw ${String(error)}`);
        continue;
      }
      statusCounts[response.status] = (statusCounts[response.status] ?? 0) + 1;
      const body = response.body as ErrorBody | undefined;
      const wellFormed =
        response.headers['content-type'] === 'application/json' &&
        typeof body?.error?.code === 'string' &&
        body.error.requestId === response.requestId &&
        !/\bat .+:\d+:\d+|Exception|node_modules/.test(response.rawBody);
      if (!testCase.expected.includes(response.status) || !wellFormed) {
        failures.push(
          `#${index} ${testCase.kind}: ${response.status} ${response.rawBody.slice(0, 200)} for ${typeof testCase.request === 'function' ? 'a raw event' : JSON.stringify(testCase.request).slice(0, 300)}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = Date.now() - started;

  expect(failures).toEqual([]);
  expect(next).toBeGreaterThanOrEqual(1000); // the time budget must not have cut the run short
  expect(Object.keys(statusCounts).filter((status) => Number(status) >= 500)).toEqual([]);
  expect(await api.tableItems()).toEqual(before);
  // For the record: how many of each status, and how long.
  process.stdout.write(`fuzz seed=${SEED} runs=${next} in ${elapsed} ms: ${JSON.stringify(statusCounts)}\n`);
}, 20_000);
