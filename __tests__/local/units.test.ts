/** Unit tests of the local stack's parts that the end-to-end tests cannot reach in every case. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderTemplate } from '../../common/api-gateway-responses';
import { javaDateString, requestTime } from '../../local/aws-dates';
import { checkTemplate, GatewayResponses } from '../../local/gateway-responses';
import { mapProxyResult } from '../../local/gateway';
import { schemaCompiler } from '../../local/json-schema';
import { arnMatches } from '../../local/lambda-permissions';
import { decodeSegment, matchRoute, type MethodDefinition, type ResourceNode } from '../../local/rest-api';
import { readyMessage } from '../../local/ready-message';
import type { LocalRoute } from '../../local/stack';
import { parseArguments, UsageError } from '../../local/start-arguments';
import { LocalStackError } from '../../local/errors';
import { ReferenceResolver } from '../../local/reference-resolver';
import { SynthesizedStackConfig } from '../../synth/stack-json';

describe('request-model validation (ajv, draft-04)', () => {
  const compiler = schemaCompiler();
  const categoryModel = compiler.compile(
    {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { name: { type: 'string', minLength: 1 } },
    },
    'CategoryInput',
  );

  it('accepts a body that matches and reports every problem of one that does not, with where it is', () => {
    expect(categoryModel({ name: 'x' })).toEqual([]);
    const errors = categoryModel({ name: 1, id: 'x' });
    expect(errors).toHaveLength(2);
    expect(errors.join('\n')).toMatch(/\/name must be string/);
    expect(errors.join('\n')).toMatch(/must NOT have additional properties/);
  });

  it('stops the start on a schema it cannot compile, naming the model', () => {
    expect(() => compiler.compile({ type: 'no-such-type' }, 'platform-dev BrokenModel')).toThrow(
      /^platform-dev BrokenModel: invalid JSON schema/,
    );
  });
});

describe('gateway-response templates', () => {
  it('renders $context substitutions, braced or not, unknown ones as nothing', () => {
    expect(
      renderTemplate('{"m":$context.error.messageString,"id":"${context.requestId}","x":"$context.nothing"}', {
        'error.messageString': '"Unauthorized"',
        requestId: 'r1',
      }),
    ).toBe('{"m":"Unauthorized","id":"r1","x":""}');
  });

  it('refuses VTL it would not render as API Gateway does', () => {
    expect(() => checkTemplate('#if($context.x)a#end', 'where')).toThrow(LocalStackError);
    expect(() => checkTemplate('$input.body', 'where')).toThrow(/\$input/);
    expect(() => checkTemplate('{"message":$context.error.messageString}', 'where')).not.toThrow();
  });

  it('uses the specific type, else DEFAULT_4XX/5XX, else the default body, keeping the natural status', () => {
    const responses = new GatewayResponses([
      {
        type: 'DEFAULT_4XX',
        templates: { 'application/json': '{"d4":$context.error.messageString}' },
        headers: {},
        statusCode: 499,
      },
      {
        type: 'UNAUTHORIZED',
        templates: { 'application/json': '{"u":"$context.error.responseType"}' },
        headers: { 'X-A': "'b'" },
      },
    ]);
    const context = { requestId: 'r' };
    expect(responses.render({ type: 'UNAUTHORIZED', message: 'Unauthorized' }, context, undefined)).toMatchObject({
      status: 401,
      body: '{"u":"UNAUTHORIZED"}',
      headers: { 'X-A': 'b', 'x-amzn-ErrorType': 'UnauthorizedException' },
    });
    expect(
      responses.render(
        { type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' },
        context,
        undefined,
      ),
    ).toMatchObject({
      status: 403,
      body: '{"d4":"Missing Authentication Token"}',
    });
    expect(
      responses.render({ type: 'DEFAULT_5XX', message: 'Internal server error', status: 502 }, context, undefined),
    ).toMatchObject({
      status: 502,
      body: '{"message":"Internal server error"}',
    });
  });
});

describe('routing', () => {
  const method = (httpMethod: string, resourcePath: string): MethodDefinition =>
    ({ httpMethod, resourcePath }) as MethodDefinition;
  const node = (pathPart: string, path: string, methods: string[], children: ResourceNode[] = []): ResourceNode => ({
    id: path,
    pathPart,
    path,
    children,
    methods: new Map(methods.map((m) => [m, method(m, path)])),
  });
  const root = node(
    '',
    '/',
    ['GET'],
    [
      node(
        'items',
        '/items',
        ['GET'],
        [node('special', '/items/special', ['GET']), node('{id}', '/items/{id}', ['GET', 'ANY'])],
      ),
      node('files', '/files', [], [node('{path+}', '/files/{path+}', ['GET'])]),
    ],
  );
  const route = (segments: string[], httpMethod = 'GET') => {
    const match = matchRoute(root, segments, httpMethod);
    return (
      match && { resource: match.method.resourcePath, method: match.method.httpMethod, params: match.pathParameters }
    );
  };

  it('prefers literal parts, then parameters, then greedy parameters, and the method over ANY', () => {
    expect(route([])).toEqual({ resource: '/', method: 'GET', params: null });
    expect(route(['items', 'special'])).toEqual({ resource: '/items/special', method: 'GET', params: null });
    expect(route(['items', 'a%2Fb'])).toEqual({ resource: '/items/{id}', method: 'GET', params: { id: 'a/b' } });
    expect(route(['items', 'x'], 'DELETE')).toEqual({ resource: '/items/{id}', method: 'ANY', params: { id: 'x' } });
    expect(route(['files', 'a', 'b.txt'])).toEqual({
      resource: '/files/{path+}',
      method: 'GET',
      params: { path: 'a/b.txt' },
    });
  });

  it('matches nothing for unknown paths, methods, empty segments or a bare greedy parent', () => {
    expect(route(['nothing'])).toBeUndefined();
    expect(route(['items'], 'POST')).toBeUndefined();
    expect(route(['items', ''])).toBeUndefined();
    expect(route(['files'])).toBeUndefined();
  });

  it('matches source ARNs like IAM globs', () => {
    expect(
      arnMatches('arn:aws:execute-api:r:1:abc/*/GET/items/*', 'arn:aws:execute-api:r:1:abc/dev/GET/items/42'),
    ).toBe(true);
    expect(arnMatches('arn:aws:execute-api:r:1:abc/*/GET/items', 'arn:aws:execute-api:r:1:abc/dev/GET/items/42')).toBe(
      false,
    );
    expect(arnMatches('arn:aws:execute-api:r:1:abc/*/GET/items', 'arn:aws:execute-api:r:1:abc/dev/POST/items')).toBe(
      false,
    );
  });
});

describe('Lambda proxy results', () => {
  it.each([
    ['not JSON', 'oops'],
    ['null', 'null'],
    ['an array', '[]'],
    ['no statusCode', '{"body":""}'],
    ['a string statusCode', '{"statusCode":"200"}'],
    ['an object body', '{"statusCode":200,"body":{}}'],
    ['an object header value', '{"statusCode":200,"headers":{"a":{}}}'],
    ['multi-value headers that are not lists', '{"statusCode":200,"multiValueHeaders":{"a":"b"}}'],
  ])('refuses %s as malformed', (_name, payload) => {
    expect(mapProxyResult(payload, [], undefined)).toBeUndefined();
  });

  it('merges headers (multi-value wins), drops hop-by-hop ones and defaults the content type', () => {
    const mapped = mapProxyResult(
      JSON.stringify({
        statusCode: 201,
        headers: { a: '1', b: 2, 'Content-Length': '99' },
        multiValueHeaders: { A: ['x', 'y'] },
        body: 'hi',
      }),
      [],
      undefined,
    );
    expect(mapped).toEqual({
      status: 201,
      headers: { A: ['x', 'y'], b: ['2'], 'Content-Type': ['application/json'] },
      body: Buffer.from('hi'),
    });
  });

  it('decodes a base64 body only when the Accept type is a binary media type of the API', () => {
    const payload = JSON.stringify({
      statusCode: 200,
      body: Buffer.from([1, 2]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(mapProxyResult(payload, ['image/*'], 'image/png')?.body).toEqual(Buffer.from([1, 2]));
    expect(mapProxyResult(payload, [], 'image/png')?.body.toString()).toBe('AQI=');
  });
});

describe('Terraform references', () => {
  const stack = new SynthesizedStackConfig(
    'test',
    {
      provider: { aws: [{ region: 'eu-west-1' }] },
      resource: {
        aws_dynamodb_table: { t: { name: 'items' } },
        aws_sqs_queue: { q: { name: 'jobs' } },
      },
    },
    '/tmp',
  );
  const resolver = new ReferenceResolver(stack);
  resolver.register('aws_dynamodb_table', (resource, attribute) =>
    attribute === 'arn' ? `arn:local:${String(resource.config.name)}` : undefined,
  );

  it('resolves whole and embedded references, to arguments or computed attributes', () => {
    expect(stack.region).toBe('eu-west-1');
    expect(resolver.resolve('${aws_dynamodb_table.t.name}', 'x')).toBe('items');
    expect(resolver.resolve('${aws_dynamodb_table.t.arn}/index/*', 'x')).toBe('arn:local:items/index/*');
    expect(resolver.resolve({ list: ['${aws_sqs_queue.q.name}'] }, 'x')).toEqual({ list: ['jobs'] });
  });

  it('refuses expressions and attributes it cannot know, naming where they were needed', () => {
    expect(() => resolver.resolve('${lower(aws_sqs_queue.q.name)}', 'function f: variable V')).toThrow(
      /function f: variable V.*lower/,
    );
    expect(() => resolver.resolve('${aws_sqs_queue.q.url}', 'here')).toThrow(
      /here: the local stack cannot compute aws_sqs_queue\.q\.url/,
    );
    expect(() => resolver.resolve('${aws_sqs_queue.missing.name}', 'here')).toThrow(/not in the stack/);
  });
});

describe('npm start arguments', () => {
  it('parses flags in both spellings', () => {
    expect(parseArguments(['--stage', 'prod', '--port=0', '--in-memory'])).toMatchObject({
      stage: 'prod',
      port: 0,
      inMemory: true,
    });
    expect(parseArguments(['--data-dir', 'x', '--state-file=y.json'])).toMatchObject({
      dataDir: 'x',
      stateFile: 'y.json',
      inMemory: false,
      watch: false,
    });
    expect(parseArguments(['--watch'])).toMatchObject({ watch: true });
  });

  it.each([
    [['--port', '70000']],
    [['--port', 'abc']],
    [['--stage']],
    [['--stage', '../x']],
    [['--in-memory', '--data-dir', 'x']],
    [['--frobnicate']],
    [['--watch=yes']],
  ])('refuses %j', (argv) => {
    expect(() => parseArguments(argv)).toThrow(UsageError);
  });
});

describe('npm start ready message', () => {
  const config = {
    stage: 'qa',
    apiUrl: 'http://127.0.0.1:1/qa',
    tokenUrl: 'http://127.0.0.1:1/oauth2/token',
    jwksUrl: 'http://127.0.0.1:1/pool/.well-known/jwks.json',
    issuer: 'http://127.0.0.1:1/pool',
    clientId: 'id',
    clientSecret: 'secret',
    openapiUrl: 'http://127.0.0.1:1/openapi.json',
    consumers: {},
  };
  const route = (method: string, path: string, scopes: string[]): LocalRoute => ({
    method,
    path,
    authorization: 'COGNITO_USER_POOLS',
    scopes,
    integration: 'AWS_PROXY',
    functionName: 'f',
  });

  it('shows a call of a route the stack serves, with its scope', () => {
    const text = readyMessage(
      config,
      [
        route('POST', '/things', ['shop/write']),
        route('GET', '/things/{id}', ['shop/read']),
        route('GET', '/things', ['shop/read']),
      ],
      '.local/qa.json',
      1.5,
    );
    expect(text).toContain(`curl -s -H "Authorization: Bearer $TOKEN" 'http://127.0.0.1:1/qa/things'`);
    expect(text).toContain('-d scope=shop/read');
    expect(text).not.toMatch(/categories|access_points/);
  });

  it('lists the consumers with their scopes, and sends the API key where the stage has usage plans', () => {
    const reader = { clientId: 'r2', clientSecret: 'rs2', scopes: ['shop/read'], apiKey: 'k'.repeat(20) };
    const text = readyMessage(
      {
        ...config,
        apiKey: 'o'.repeat(20),
        consumers: {
          ops: {
            clientId: 'id',
            clientSecret: 'secret',
            scopes: ['shop/read', 'shop/write'],
            generation: 1,
            generations: {},
          },
          reader: { ...reader, generation: 2, generations: { 1: { ...reader, clientId: 'r1' }, 2: reader } },
        },
      },
      [route('GET', '/things', ['shop/read'])],
      '.local/qa.json',
      1,
    );
    expect(text).toMatch(/^ {2}ops {5}generation 1 {11}shop\/read shop\/write$/m);
    expect(text).toMatch(/^ {2}reader {2}generation 2 \(also 1\) {2}shop\/read$/m);
    expect(text).toContain(`-H 'x-api-key: ${'o'.repeat(20)}' 'http://127.0.0.1:1/qa/things'`);
    expect(text).not.toContain('rs2');
  });

  it('points to the OpenAPI document, for API tools such as Postman', () => {
    expect(readyMessage(config, [], 'x.json', 1)).toContain(
      'OpenAPI document (import it into Postman or any API tool): http://127.0.0.1:1/openapi.json',
    );
  });

  it('shows no API call when no route fits', () => {
    expect(readyMessage(config, [route('POST', '/things', ['shop/write'])], 'x.json', 1)).not.toContain('Bearer');
  });
});

describe('path segments', () => {
  it('are decoded by one function for routing and the event, keeping malformed percent-encoding as sent', () => {
    expect(decodeSegment('a%2Fb')).toBe('a/b');
    expect(decodeSegment('caf%C3%A9')).toBe('café');
    expect(decodeSegment('100%')).toBe('100%');
    expect(decodeSegment('%E0%A4%A')).toBe('%E0%A4%A');
  });
});

describe('FIDELITY.md', () => {
  const text = fs.readFileSync(path.join(__dirname, '..', '..', 'local', 'FIDELITY.md'), 'utf8');

  it('names the one schema validator, with no fallback', () => {
    expect(text).toContain('JSON Schema draft-04 by `ajv-draft-04`');
    expect(text).not.toMatch(/when installed|built-in validator/);
  });

  it('says a reserved concurrency of 0 throttles every invocation, answered with 500', () => {
    expect(text).toMatch(
      /\| Reserved concurrency 0: Lambda throttles every invocation[^\n]*500 `\{"message":"Internal server error"\}`/,
    );
    expect(text).toContain('a positive `reserved_concurrent_executions` lowers it');
  });
});

describe('dates in what API Gateway hands functions', () => {
  // Captured from a REST API with a Cognito authorizer: iat 1782992389 (token) → "Thu Jul 02 11:39:49 UTC 2026"
  // (claims); requestTimeEpoch 1782992634056 → requestTime "02/Jul/2026:11:43:54 +0000".
  it('writes claim dates as Java does in UTC, and requestTime as CLF', () => {
    expect(javaDateString(1782992389)).toBe('Thu Jul 02 11:39:49 UTC 2026');
    expect(javaDateString(1767225600)).toBe('Thu Jan 01 00:00:00 UTC 2026');
    expect(requestTime(new Date(1782992634056))).toBe('02/Jul/2026:11:43:54 +0000');
  });
});
