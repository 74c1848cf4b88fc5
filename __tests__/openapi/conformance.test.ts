/**
 * The response check the end-to-end tests run on every answer: it passes answers the document describes and refuses
 * each kind of answer it does not (undeclared status, missing header, wrong body, wrong media type, a body where
 * none is declared), so a local stack or function that drifts from the document fails those tests.
 */
import { openApiDocument } from '../../openapi/document';
import { DocumentConformance, type ObservedAnswer } from '../../openapi/conformance';
import { SynthesizedStackConfig } from '../../synth/stack-json';
import { synthPlatform } from '../support/synth';

const ID = '3f1b2a4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const CATEGORY = {
  id: ID,
  name: 'Books',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};
const JSON_HEADERS = { 'Content-Type': 'application/json', 'x-amzn-RequestId': 'req-1' };

function answer(overrides: Partial<ObservedAnswer> & { json?: unknown }): ObservedAnswer {
  const { json, ...rest } = overrides;
  return {
    method: 'GET',
    path: `/categories/${ID}`,
    resourcePath: '/categories/{id}',
    status: 200,
    headers: { ...JSON_HEADERS, ETag: '"1"' },
    body: Buffer.from(JSON.stringify(json ?? CATEGORY)),
    ...rest,
  };
}

let conformance: DocumentConformance;
beforeAll(async () => {
  const { json } = synthPlatform('dev');
  conformance = await DocumentConformance.of(openApiDocument(new SynthesizedStackConfig('platform-dev', json, '/')));
});

const problems = (observed: ObservedAnswer): readonly string[] => conformance.checkAnswer(observed).problems;

describe('answers the document describes', () => {
  it.each<[string, ObservedAnswer]>([
    ['a category with its ETag', answer({})],
    [
      'a page',
      answer({ path: '/categories', resourcePath: '/categories', json: { items: [CATEGORY], nextToken: 'abc' } }),
    ],
    [
      'a created category with Location and ETag',
      answer({
        method: 'POST',
        path: '/categories',
        resourcePath: '/categories',
        status: 201,
        headers: { ...JSON_HEADERS, ETag: '"1"', Location: `/dev/categories/${ID}` },
      }),
    ],
    [
      'a deletion',
      answer({ method: 'DELETE', status: 204, headers: { 'x-amzn-RequestId': 'r' }, body: Buffer.alloc(0) }),
    ],
    [
      'a 401 from the gateway',
      answer({ status: 401, headers: JSON_HEADERS, json: { message: 'Unauthorized', requestId: 'r' } }),
    ],
    [
      'a 503 with Retry-After',
      answer({
        status: 503,
        headers: { ...JSON_HEADERS, 'Retry-After': '1' },
        json: { error: { code: 'ServiceUnavailable', message: 'Retry', requestId: 'r' } },
      }),
    ],
    [
      'a 502 of a failed function',
      answer({ status: 502, headers: JSON_HEADERS, json: { message: 'Internal server error', requestId: 'r' } }),
    ],
    [
      'a 413 refused before routing',
      answer({
        method: 'PUT',
        resourcePath: undefined,
        status: 413,
        headers: JSON_HEADERS,
        json: { message: 'Too large', requestId: 'r' },
      }),
    ],
  ])('pass: %s', (_name, observed) => {
    expect(problems(observed)).toEqual([]);
  });

  it('leaves paths the document does not describe to the tests that send them', () => {
    const result = conformance.checkAnswer(answer({ path: '/nothing', resourcePath: undefined, status: 403 }));
    expect(result).toEqual({ problems: [], described: false });
  });
});

describe('answers the document does not describe', () => {
  it.each<[string, ObservedAnswer, RegExp]>([
    ['an undeclared status', answer({ status: 418 }), /status 418 is not declared for getCategory/],
    [
      'a 201 without ETag',
      answer({
        method: 'POST',
        path: '/categories',
        resourcePath: '/categories',
        status: 201,
        headers: { ...JSON_HEADERS, Location: '/x' },
      }),
      /etag/i,
    ],
    ['a malformed ETag', answer({ headers: { ...JSON_HEADERS, ETag: 'W/1' } }), /etag.*pattern/i],
    [
      'a category leaking an audit field',
      answer({ json: { ...CATEGORY, createdBy: 'client' } }),
      /additional properties/,
    ],
    ['a category without its version', answer({ json: { ...CATEGORY, version: undefined } }), /version/],
    [
      'a page without items',
      answer({ path: '/categories', resourcePath: '/categories', json: { nextToken: 'x' } }),
      /items/,
    ],
    [
      'a gateway body of another shape',
      answer({ status: 401, headers: JSON_HEADERS, json: { error: 'no' } }),
      /message|additional/,
    ],
    [
      'text instead of JSON',
      answer({ headers: { 'Content-Type': 'text/plain', ETag: '"1"', 'x-amzn-RequestId': 'r' } }),
      /Content-Type text\/plain/,
    ],
    [
      'a body with a 204',
      answer({ method: 'DELETE', status: 204, headers: { 'x-amzn-RequestId': 'r' } }),
      /a body, where the document declares none/,
    ],
    ['no request id', answer({ headers: { 'Content-Type': 'application/json', ETag: '"1"' } }), /x-amzn-requestid/i],
    [
      'a route the gateway served but the document lacks',
      answer({ resourcePath: '/secret' }),
      /no operation get \/secret/,
    ],
  ])('refuse: %s', (_name, observed, reason) => {
    const found = problems(observed);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(reason);
  });
});
