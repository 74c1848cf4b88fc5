import { isTransientAwsError } from '../../functions/shared/aws-errors';
import { requireEnv } from '../../functions/shared/env';
import { ServiceUnavailableError, ValidationError } from '../../functions/shared/errors';
import { formatETag, parseIfMatch } from '../../functions/shared/etag';
import { errorResponse, header } from '../../functions/shared/http';
import { isJsonMediaType, readJsonBody } from '../../functions/shared/request';

describe('parseIfMatch', () => {
  it.each<[string | undefined, ReturnType<typeof parseIfMatch>]>([
    [undefined, undefined],
    ['*', { kind: 'any' }],
    [' * ', { kind: 'any' }],
    ['"3"', { kind: 'versions', versions: [3] }],
    ['W/"3"', { kind: 'versions', versions: [3] }],
    ['3', { kind: 'versions', versions: [3] }],
    ['"1", W/"2" ,3', { kind: 'versions', versions: [1, 2, 3] }],
    ['"1", "1"', { kind: 'versions', versions: [1] }],
    ['', { kind: 'versions', versions: [] }],
    ['"abc", "0", "-1", "1.5", "01", "9007199254740993"', { kind: 'versions', versions: [] }],
    ['*, "1"', { kind: 'versions', versions: [1] }],
  ])('%p', (value, expected) => {
    expect(parseIfMatch(value)).toEqual(expected);
  });

  it('formats strong tags that it parses back', () => {
    expect(parseIfMatch(formatETag(42))).toEqual({ kind: 'versions', versions: [42] });
  });

  it('refuses more than 100 tags', () => {
    const tags = Array.from({ length: 101 }, (_, i) => `"${i + 1}"`).join(',');
    expect(() => parseIfMatch(tags)).toThrow(ValidationError);
  });
});

describe('isJsonMediaType', () => {
  it.each([
    ['application/json', true],
    ['APPLICATION/JSON', true],
    ['application/json;charset=utf-8', true],
    ['application/json; charset="UTF-8"', true],
    ['application/json; charset=utf8; foo=bar', true],
    ['application/problem+json', true],
    ['application/json; charset=latin1', false],
    ['text/json', false],
    ['application/json+xml', false],
    ['application/+json', false],
    ['application/json, text/plain', false],
    ['', false],
    [undefined, false],
  ])('%p → %p', (value, expected) => {
    expect(isJsonMediaType(value)).toBe(expected);
  });
});

describe('readJsonBody', () => {
  const event = (body: string | null, isBase64Encoded = false, contentType = 'application/json') => ({
    body,
    isBase64Encoded,
    headers: { 'Content-Type': contentType },
    multiValueHeaders: {},
  });

  it('parses UTF-8 JSON, base64 or not', () => {
    expect(readJsonBody(event('{"a":"é"}'))).toEqual({ a: 'é' });
    expect(readJsonBody(event(Buffer.from('{"a":"é"}').toString('base64'), true))).toEqual({ a: 'é' });
  });

  it('checks size before media type, and media type before syntax', () => {
    expect(() => readJsonBody(event('x'.repeat(11), false, 'text/plain'), 10)).toThrow(/must not exceed 10 bytes/);
    expect(() => readJsonBody(event('{', false, 'text/plain'))).toThrow(/application\/json/);
    expect(() => readJsonBody(event('{'))).toThrow(/not valid JSON/);
  });

  it('refuses invalid UTF-8', () => {
    expect(() => readJsonBody(event(Buffer.from([0x22, 0xc3, 0x28, 0x22]).toString('base64'), true))).toThrow(/UTF-8/);
  });
});

describe('header', () => {
  it('is case-insensitive and prefers all multi-value entries', () => {
    expect(header({ headers: { 'IF-MATCH': '"2"' }, multiValueHeaders: {} }, 'if-match')).toBe('"2"');
    expect(
      header({ headers: { 'If-Match': '"2"' }, multiValueHeaders: { 'If-Match': ['"1"', '"2"'] } }, 'if-match'),
    ).toBe('"1", "2"');
    expect(header({ headers: {}, multiValueHeaders: {} }, 'if-match')).toBeUndefined();
  });
});

describe('errorResponse', () => {
  it('carries Retry-After for 503 and never the cause', () => {
    const response = errorResponse(
      new ServiceUnavailableError({ cause: new Error('connect ECONNREFUSED 10.0.0.1:443') }),
      'r-1',
    );
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'Retry-After': '1', 'Content-Type': 'application/json' });
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'ServiceUnavailable', message: expect.any(String), requestId: 'r-1' },
    });
    expect(response.body).not.toContain('ECONNREFUSED');
  });
});

describe('isTransientAwsError', () => {
  const named = (name: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error('x'), { name, ...extra });

  it.each([
    named('ProvisionedThroughputExceededException'),
    named('ThrottlingException'),
    named('RequestLimitExceeded'),
    named('InternalServerError'),
    named('ServiceUnavailable'),
    named('TimeoutError'),
    named('Error', { code: 'ECONNREFUSED' }),
    named('Error', { code: 'ECONNRESET' }),
    named('UnknownError', { $metadata: { httpStatusCode: 502 } }),
    named('Error', { cause: named('Error', { code: 'ETIMEDOUT' }) }),
  ])('transient: %p', (error) => {
    expect(isTransientAwsError(error)).toBe(true);
  });

  it.each([
    named('ConditionalCheckFailedException', { $metadata: { httpStatusCode: 400 } }),
    named('ValidationException'),
    named('ResourceNotFoundException'),
    named('AccessDeniedException'),
    new TypeError('bug'),
    'ECONNREFUSED',
    null,
  ])('not transient: %p', (error) => {
    expect(isTransientAwsError(error)).toBe(false);
  });

  it('survives cyclic causes', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = a;
    expect(isTransientAwsError(a)).toBe(false);
  });
});

describe('requireEnv', () => {
  it('returns the value or fails naming the variable', () => {
    expect(requireEnv('X', { X: 'v' })).toBe('v');
    expect(() => requireEnv('TABLE_NAME', {})).toThrow('Environment variable TABLE_NAME is required');
    expect(() => requireEnv('TABLE_NAME', { TABLE_NAME: '' })).toThrow(/TABLE_NAME/);
  });
});
