/**
 * Proof under hostile input: thousands of generated malicious or malformed requests against the local stack.
 *
 *   tsx scripts/proofs/hostile-input.ts [--count 3000] [--seed 1]
 *
 * Starts its own local stack (DynamoDB in memory, free port on 127.0.0.1), creates a few categories, snapshots
 * the tables, then sends `count` requests (at least 3000, at most 20 000; 90 s at most) generated from a seeded
 * PRNG, one at a time over raw sockets so that every byte is the generator's (duplicate headers, raw paths,
 * broken framing):
 *
 * - tokens: alg none, a foreign RSA key under the pool's kid, expired, not yet valid, wrong issuer, ID tokens,
 *   missing, empty or foreign scopes, a valid token lacking the method's scope, no client_id or exp, tampered
 *   payload or header, truncated or foreign signatures, HS256 signed with the public key, other algorithms under
 *   the pool's kid, unknown kids, oversize tokens, malformed JWTs, wrong schemes, several Authorization headers
 *   (refused, fail closed), tokens in the query string or a cookie — sent with writes that would succeed if the
 *   token were accepted;
 * - bodies (with a valid token): invalid JSON, wrong types, unknown and read-only fields, empty, blank, too long,
 *   control characters, lone surrogates, duplicate keys, deep nesting, 70 KB, 1 MB and 10 MB bodies, binary,
 *   base64, UTF-16, and valid JSON under non-JSON content types;
 * - headers: unmatchable If-Match values, duplicated headers, method-override headers, huge and many headers,
 *   odd Accept, Host and Content-Type values, chunked and broken framing, a client that hangs up mid-body;
 * - paths and queries: traversal (`..`, encoded and double-encoded), encoded slashes, unicode and overlong UTF-8,
 *   NUL and CRLF, very long and deep paths, unknown routes and stages, trailing and double slashes, repeated
 *   and odd query parameters;
 * - cursors: garbage and tampered nextToken values;
 * - the token endpoint and the JWKS: malformed token requests.
 *
 * Violations (any one fails the proof; the CLI exits 1): a 5xx, a timeout or a connection closed without an
 * answer; a 5xx in the gateway's own log; a function invocation caused by a request that did not carry a valid
 * token with the scope of its method (each request's invocations are counted on their own); a 2xx from the API
 * stage to such a request; any change to the tables. Requests that carry a valid token are all harmless by
 * construction (invalid bodies, unknown ids, If-Match values that cannot match, reads), so any change to the
 * data is a defect.
 */
import { DynamoDBClient, ListTablesCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { generateKeyPair, SignJWT } from 'jose';
import { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto';
import * as net from 'node:net';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { prng } from '../../__tests__/support/prng';
import type { LocalStack } from '../../local/stack';
import {
  numberFlags,
  round,
  scopesOf,
  sortedTally,
  startProofStack,
  tally,
  tokensFor,
  Violations,
  writeProofReport,
  type ScopeNames,
} from './support';

export const MIN_COUNT = 3000;
export const MAX_COUNT = 20_000;
const MAX_RUN_MS = 90_000;
const REQUEST_TIMEOUT_MS = 10_000;

export type Family = 'token' | 'body' | 'header' | 'path' | 'query' | 'cursor' | 'framing' | 'token-endpoint';

/** One generated request. */
export interface HostileRequest {
  readonly family: Family;
  /** What makes it hostile, e.g. `token: alg none`. */
  readonly label: string;
  readonly method: string;
  /** The request target exactly as sent (origin-form, raw). */
  readonly target: string;
  /** Header lines as sent, duplicates included; `Host` and framing headers are added unless present. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer;
  /** The complete request bytes, for framing tests: sent instead of method/target/headers/body. */
  readonly raw?: Buffer;
  /** Close the sending side after the request (a client hanging up mid-body). */
  readonly halfClose?: boolean;
  /** Carries a valid token with the scope its method needs: the only requests that may reach the function. */
  readonly mayInvoke: boolean;
}

export interface RawAnswer {
  /** HTTP status, or what went wrong: `timeout`, `no-answer`, `error:<code>`. */
  readonly status: number | string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The tokens the generator uses: valid ones from the token endpoint, and forged or broken ones. */
export interface TokenSet {
  /** Real access tokens, by the scope they carry (`all`: every scope). */
  readonly valid: Readonly<Record<keyof ScopeNames | 'all', string>>;
  /** Signed with the pool's key, all scopes, a 20 KB claim: valid, but too large for any header limit. */
  readonly oversizeValid: string;
  /** Tokens that must be refused whatever the method. */
  readonly invalid: ReadonlyArray<{ readonly label: string; readonly token: string }>;
}

export interface HostileContext {
  readonly stage: string;
  readonly poolId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: ScopeNames;
  readonly tokens: TokenSet;
  /** Categories that exist (version 1) during the whole run. */
  readonly existingIds: readonly string[];
}

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');
const jsonPart = (value: unknown): string => b64url(JSON.stringify(value));

/** Builds the token set: real tokens per scope, and every kind of forged or broken token. */
export async function prepareTokens(stack: LocalStack, scopes: ScopeNames): Promise<TokenSet> {
  const { config } = stack;
  const get = (list: readonly string[]): Promise<string> => tokensFor(config, list).getToken();
  const all = [scopes.read, scopes.write, scopes.update, scopes.delete];
  const valid = {
    read: await get([scopes.read]),
    write: await get([scopes.write]),
    update: await get([scopes.update]),
    delete: await get([scopes.delete]),
    all: await get(all),
  };
  const [validHeader, validPayload, validSignature] = valid.all.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(validHeader, 'base64url').toString('utf8')) as { kid: string };
  const kid = header.kid;
  const now = Math.floor(Date.now() / 1000);
  const claims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => {
    const base: Record<string, unknown> = {
      sub: config.clientId,
      client_id: config.clientId,
      token_use: 'access',
      scope: all.join(' '),
      auth_time: now,
      iss: config.issuer,
      exp: now + 3600,
      iat: now,
      version: 2,
      jti: '6f1c1b7e-2d5f-4c57-9a43-3c0a3a5d2e11',
    };
    for (const [key, value] of Object.entries(overrides)) {
      if (value === undefined) delete base[key];
      else base[key] = value;
    }
    return base;
  };
  const pool = (overrides: Record<string, unknown>, headerFields?: Record<string, unknown>): Promise<string> =>
    stack.signToken(claims(overrides), headerFields ? { header: headerFields } : undefined);

  const jwks = (await (await fetch(config.jwksUrl)).json()) as { keys: JsonWebKey[] };
  const publicJwk = jwks.keys[0] as JsonWebKey;
  const publicPem = createPublicKey({ key: publicJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string;
  const hs256 = (secret: string | Buffer): string => {
    const signingInput = `${jsonPart({ alg: 'HS256', kid, typ: 'JWT' })}.${jsonPart(claims())}`;
    return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
  };
  const foreign = await generateKeyPair('RS256');
  const foreignSigned = (headerFields: Record<string, unknown>): Promise<string> =>
    new SignJWT(claims() as import('jose').JWTPayload).setProtectedHeader({ alg: 'RS256', ...headerFields }).sign(foreign.privateKey);
  const otherAlgorithm = async (alg: string): Promise<string> =>
    new SignJWT(claims() as import('jose').JWTPayload).setProtectedHeader({ alg, kid }).sign((await generateKeyPair(alg)).privateKey);
  const unsigned = (alg: string, signature = ''): string => `${jsonPart({ alg, kid })}.${jsonPart(claims())}.${signature}`;
  const otherIssuer = config.issuer.replace(/[^/]+$/, 'us-east-1_Other1234');
  const read = await pool({ scope: scopes.read });
  const [readHeader, readPayload, readSignature] = read.split('.') as [string, string, string];

  const invalid: Array<{ label: string; token: string }> = [
    { label: 'alg none', token: unsigned('none') },
    { label: 'alg None with a signature', token: unsigned('None', validSignature) },
    { label: 'alg NONE', token: unsigned('NONE') },
    { label: 'foreign RSA key under the pool kid', token: await foreignSigned({ kid }) },
    { label: 'foreign RSA key without kid', token: await foreignSigned({}) },
    { label: 'foreign RSA key with a jku header', token: await foreignSigned({ kid, jku: 'http://127.0.0.1:9/jwks.json' }) },
    { label: 'expired', token: await pool({ exp: now - 60, iat: now - 3660, auth_time: now - 3660 }) },
    { label: 'expired long ago', token: await pool({ exp: 1_000_000_000, iat: 999_996_400, auth_time: 999_996_400 }) },
    { label: 'not yet valid (nbf)', token: await pool({ nbf: now + 3600 }) },
    { label: 'wrong issuer', token: await pool({ iss: otherIssuer }) },
    { label: 'issuer with a trailing slash', token: await pool({ iss: `${config.issuer}/` }) },
    { label: 'no issuer', token: await pool({ iss: undefined }) },
    { label: 'ID token (token_use id)', token: await pool({ token_use: 'id', aud: config.clientId }) },
    { label: 'no token_use', token: await pool({ token_use: undefined }) },
    { label: 'no scope claim', token: await pool({ scope: undefined }) },
    { label: 'empty scope', token: await pool({ scope: '' }) },
    { label: 'scopes of another resource server', token: await pool({ scope: all.map((s) => s.replace(/^[^/]+/, 'other_api')).join(' ') }) },
    { label: 'look-alike scopes', token: await pool({ scope: all.map((s) => `${s}_all x${s}`).join(' ') }) },
    { label: 'no client_id', token: await pool({ client_id: undefined }) },
    { label: 'no exp', token: await pool({ exp: undefined }) },
    { label: 'exp as a string', token: await pool({ exp: String(now + 3600) }) },
    { label: 'payload tampered (scope escalated)', token: `${readHeader}.${jsonPart(claims())}.${readSignature}` },
    { label: 'header tampered (kid)', token: `${jsonPart({ alg: 'RS256', kid: `${kid}x` })}.${validPayload}.${validSignature}` },
    { label: 'signature of another token', token: `${validHeader}.${readPayload}.${validSignature}` },
    { label: 'signature truncated by 4', token: `${validHeader}.${validPayload}.${validSignature.slice(0, -4)}` },
    { label: 'signature cut in half', token: `${validHeader}.${validPayload}.${validSignature.slice(0, validSignature.length >> 1)}` },
    { label: 'signature with one character changed', token: `${validHeader}.${validPayload}.${validSignature[0] === 'A' ? 'B' : 'A'}${validSignature.slice(1)}` },
    { label: 'empty signature', token: `${validHeader}.${validPayload}.` },
    { label: 'HS256 signed with the public key (PEM)', token: hs256(publicPem) },
    { label: 'HS256 signed with the public key (JWK JSON)', token: hs256(JSON.stringify(publicJwk)) },
    { label: 'HS256 signed with the modulus', token: hs256(Buffer.from(String(publicJwk.n), 'base64url')) },
    { label: 'RS512 under the pool kid (foreign key)', token: await otherAlgorithm('RS512') },
    { label: 'PS256 under the pool kid (foreign key)', token: await otherAlgorithm('PS256') },
    { label: 'ES256 under the pool kid', token: await otherAlgorithm('ES256') },
    { label: 'unknown kid, pool key', token: await pool({}, { kid: 'no-such-kid' }) },
    { label: 'kid path traversal', token: await pool({}, { kid: '../../../../etc/passwd' }) },
    { label: 'no kid, pool key', token: await pool({}, { kid: undefined }) },
    { label: 'oversize garbage signature (8 KB)', token: `${validHeader}.${validPayload}.${'A'.repeat(8192)}` },
    { label: 'two parts', token: `${validHeader}.${validPayload}` },
    { label: 'four parts', token: `${valid.all}.${validSignature}` },
    { label: 'five parts (JWE shaped)', token: `${validHeader}.${validPayload}.${validSignature}.${validSignature}.${validSignature}` },
    { label: 'padded base64', token: `${validHeader}==.${validPayload}.${validSignature}` },
    { label: 'standard base64 characters', token: `${validHeader}.${validPayload}.${validSignature.replace(/-/g, '+').replace(/_/g, '/')}+/` },
    { label: 'header not JSON', token: `${b64url('not json')}.${validPayload}.${validSignature}` },
    { label: 'payload not JSON', token: `${validHeader}.${b64url('[1,2,3')}.${validSignature}` },
    { label: 'dots only', token: '..' },
    { label: 'garbage', token: 'not-a-token' },
    { label: 'unicode', token: 'ťőķéñ.ťőķéñ.ťőķéñ' },
  ];
  const oversizeValid = await pool({ pad: 'x'.repeat(20_000) });
  return { valid, oversizeValid, invalid };
}

// ---------------------------------------------------------------------------------------------------------------
// The generator

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Bodies the API must refuse under any content type (as text, before encoding). */
function invalidBodies(random: Random): Array<[string, Buffer]> {
  const text = (label: string, value: string): [string, Buffer] => [label, Buffer.from(value, 'utf8')];
  const json = (label: string, value: unknown): [string, Buffer] => text(label, JSON.stringify(value));
  const id = uuid(random);
  return [
    text('empty body', ''),
    text('blank body', '  \n\t '),
    text('lone brace', '{'),
    text('unterminated object', '{"name":"x"'),
    text('unterminated string', '{"name":"x}'),
    text('trailing comma', '{"name":"x",}'),
    text('single quotes', "{'name':'x'}"),
    text('unquoted key', '{name:"x"}'),
    text('NaN value', '{"name":NaN}'),
    text('Infinity value', '{"name":Infinity}'),
    text('two objects', '{"name":"x"}{"name":"y"}'),
    text('trailing garbage', '{"name":"x"} trailing'),
    text('comment', '{"name":"x" /* c */}'),
    text('null', 'null'),
    text('true', 'true'),
    text('number', '42'),
    text('string', '"name"'),
    text('array', '[]'),
    json('array of objects', [{ name: 'x' }]),
    json('empty object', {}),
    json('description only', { description: 'no name' }),
    json('name a number', { name: 123 }),
    json('name null', { name: null }),
    json('name true', { name: true }),
    json('name an array', { name: ['x'] }),
    json('name an object', { name: { first: 'x' } }),
    json('description a number', { name: 'x', description: 5 }),
    json('description null', { name: 'x', description: null }),
    json('description an array', { name: 'x', description: ['d'] }),
    json('read-only id', { name: 'x', id }),
    json('read-only version', { name: 'x', version: 1 }),
    json('read-only version 99', { name: 'x', version: 99 }),
    json('read-only createdAt', { name: 'x', createdAt: '2020-01-01T00:00:00.000Z' }),
    json('read-only updatedAt', { name: 'x', updatedAt: '2020-01-01T00:00:00.000Z' }),
    json('internal createdBy', { name: 'x', createdBy: 'someone-else' }),
    json('internal writeId', { name: 'x', writeId: id }),
    json('unknown field', { name: 'x', admin: true }),
    text('__proto__ field', '{"name":"x","__proto__":{"admin":true}}'),
    text('constructor field', '{"name":"x","constructor":{"prototype":{"admin":true}}}'),
    json('Name capitalised', { Name: 'x' }),
    json('key with a space', { 'name ': 'x' }),
    json('empty name', { name: '' }),
    json('blank name', { name: '   \t ' }),
    json('name of 101 characters', { name: 'n'.repeat(101) }),
    json('name of 101 emoji', { name: '😀'.repeat(101) }),
    json('name with NUL', { name: 'a\u0000b' }),
    json('name with a control character', { name: 'a\u001fb' }),
    json('name with DEL', { name: 'a\u007fb' }),
    json('name with a newline', { name: 'a\nb' }),
    text('name a lone surrogate', '{"name":"\\ud800"}'),
    text('name a lone low surrogate', '{"name":"a\\udc00b"}'),
    json('description of 1001 characters', { name: 'x', description: 'd'.repeat(1001) }),
    json('description with NUL', { name: 'x', description: 'a\u0000b' }),
    text('duplicate key, last invalid', '{"name":"ok","name":123}'),
    text('duplicate key, last empty', '{"name":"ok","name":""}'),
    text('deep array nesting', `${'['.repeat(10_000)}${']'.repeat(10_000)}`),
    text('deep object nesting', `{"name":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`),
    text('70 KB body', JSON.stringify({ name: 'x', description: 'd'.repeat(70_000) })),
    ['base64 of a valid body', Buffer.from(Buffer.from('{"name":"base64"}').toString('base64'))],
    ['gzip of a valid body', gzipSync(Buffer.from('{"name":"gzip"}'))],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"name":"utf16"}', 'utf16le')])],
    ['UTF-16LE without BOM', Buffer.from('{"name":"utf16"}', 'utf16le')],
    ['invalid UTF-8 in an invalid body', Buffer.concat([Buffer.from('{"name":5,"x":"'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from('"}')])],
    ['random binary', Buffer.from(Array.from({ length: 64 + Math.floor(random() * 2048) }, () => Math.floor(random() * 256)))],
  ];
}

/** Bodies that are valid JSON categories: only ever sent with a content type the API refuses, or without a valid token. */
const VALID_BODIES = ['{"name":"hostile"}', '{"name":"hostile","description":"written by a hostile request"}'];

/** Content types for invalid bodies (anything goes). */
const ANY_CONTENT_TYPES: ReadonlyArray<string | undefined> = [
  'application/json',
  'application/json; charset=utf-8',
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/octet-stream',
  'application/merge-patch+json',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
  '',
  ';;;',
  'application/json\t',
];

/** Content types the function refuses (415) even for a valid JSON body. */
const REFUSED_CONTENT_TYPES: ReadonlyArray<string | undefined> = [
  undefined,
  '',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'application/xml',
  'application/octet-stream',
  'application/javascript',
  'application/json; charset=iso-8859-1',
  'application/json; charset=utf-16',
  'application/jsonx',
  'json',
  'application/json, text/plain',
  '*/*',
  'application/*',
];

/** If-Match values that can never match version 1 (nor mean "any"): a write carrying one must fail. */
const UNMATCHABLE_IF_MATCH: readonly string[] = [
  '"2"',
  'W/"2"',
  '"0"',
  '"-1"',
  '"1.0"',
  '"01"',
  '""',
  '"',
  'W/',
  'abc',
  '"abc"',
  ', ,',
  '"2", "3"',
  '**',
  '"*"',
  '*, "2"',
  '"1',
  '1"',
  '"9007199254740993"',
  '"99999999999999999999"',
  '"１"',
  Array.from({ length: 101 }, (_, i) => `"${i + 2}"`).join(', '),
  `"${'9'.repeat(4000)}"`,
];

/**
 * The hostile requests, generated one at a time (large bodies are not all held at once) from `random`: the same
 * seed gives the same sequence of cases.
 */
export function* generateHostileRequests(context: HostileContext, random: Random, count: number): Generator<HostileRequest> {
  const { stage, tokens, existingIds } = context;
  const S = `/${stage}`;
  const scopeOfMethod: Readonly<Record<string, keyof ScopeNames>> = { GET: 'read', POST: 'write', PUT: 'update', DELETE: 'delete' };
  const bearer = (token: string): string => `Bearer ${token}`;
  const existing = (): string => pick(random, existingIds);
  const missing = (): string => uuid(random);
  const someId = (): string => (random() < 0.6 ? existing() : missing());
  /** Generated, not yet handed out (a case may produce two requests). */
  const requests: HostileRequest[] = [];
  const add = (request: HostileRequest): void => {
    requests.push(request);
  };
  const contentTypeHeader = (type: string | undefined): Array<[string, string]> => (type === undefined ? [] : [['Content-Type', type]]);

  /** A request that would change data if its (invalid) token were accepted. */
  const harmfulWithoutAuth = (): { method: string; target: string; headers: Array<[string, string]>; body?: Buffer } => {
    switch (Math.floor(random() * 5)) {
      case 0:
        return { method: 'POST', target: `${S}/categories`, headers: [['Content-Type', 'application/json']], body: Buffer.from(pick(random, VALID_BODIES)) };
      case 1:
        return { method: 'PUT', target: `${S}/categories/${existing()}`, headers: [['Content-Type', 'application/json'], ['If-Match', '"1"']], body: Buffer.from(pick(random, VALID_BODIES)) };
      case 2:
        return { method: 'DELETE', target: `${S}/categories/${existing()}`, headers: [] };
      case 3:
        return { method: 'GET', target: `${S}/categories/${existing()}`, headers: [] };
      default:
        return { method: 'GET', target: `${S}/categories?limit=100`, headers: [] };
    }
  };

  const generators: Array<[number, () => void]> = [
    // Tokens that must be refused, on requests that would change data if one were accepted.
    [
      0.3,
      () => {
        const request = harmfulWithoutAuth();
        const scope = scopeOfMethod[request.method] as keyof ScopeNames;
        const roll = random();
        let label: string;
        let authorization: string[];
        let target = request.target;
        if (roll < 0.08) {
          // Printable garbage of any length up to 4 KB.
          const garbage = Array.from({ length: 1 + Math.floor(random() * 4096) }, () => String.fromCharCode(0x21 + Math.floor(random() * 94))).join('');
          label = 'random printable garbage';
          authorization = [random() < 0.5 ? bearer(garbage) : garbage];
        } else if (roll < 0.6) {
          const forged = pick(random, tokens.invalid);
          label = forged.label;
          authorization = [random() < 0.8 ? bearer(forged.token) : forged.token];
        } else if (roll < 0.75) {
          const wrong = pick(random, (['read', 'write', 'update', 'delete'] as const).filter((s) => s !== scope));
          label = `valid token with the ${wrong} scope only`;
          authorization = [bearer(tokens.valid[wrong])];
        } else {
          const token = tokens.valid[scope];
          const variant = Math.floor(random() * 12);
          label = [
            'no Authorization header',
            'empty Authorization header',
            'scheme only',
            'lower-case bearer scheme',
            'Token scheme',
            'Basic client credentials',
            'token in the query string',
            'bearer token in a cookie',
            'two Authorization headers (garbage, then valid)',
            'two Authorization headers (valid, then garbage)',
            'valid token twice',
            'Bearer with a tab',
          ][variant] as string;
          const basic = Buffer.from(`${context.clientId}:${context.clientSecret}`).toString('base64');
          authorization = [
            [],
            [''],
            ['Bearer'],
            [`bearer ${token}`],
            [`Token ${token}`],
            [`Basic ${basic}`],
            [],
            [],
            ['Bearer garbage', bearer(token)],
            [bearer(token), 'Bearer garbage'],
            [bearer(token), bearer(token)],
            [`Bearer\t${token}`],
          ][variant] as string[];
          if (variant === 6) target += `${target.includes('?') ? '&' : '?'}access_token=${token}`;
          if (variant === 7) request.headers.push(['Cookie', `token=${token}; Authorization=Bearer%20${token}`]);
        }
        add({
          family: 'token',
          label: `token: ${label}`,
          method: request.method,
          target,
          headers: [...authorization.map((value): [string, string] => ['Authorization', value]), ...request.headers],
          body: request.body,
          mayInvoke: false,
        });
        // A validly signed token of 20 KB: valid, but no header limit lets it through.
        if (random() < 0.01) {
          add({
            family: 'token',
            label: 'token: oversize (20 KB), validly signed',
            method: 'GET',
            target: `${S}/categories`,
            headers: [['Authorization', bearer(tokens.oversizeValid)]],
            mayInvoke: true,
          });
        }
      },
    ],
    // Malformed bodies with a valid token of the right scope.
    [
      0.2,
      () => {
        const put = random() < 0.4;
        const method = put ? 'PUT' : 'POST';
        const target = put ? `${S}/categories/${someId()}` : `${S}/categories`;
        const token = random() < 0.5 ? tokens.valid.all : tokens.valid[put ? 'update' : 'write'];
        const ifMatch: Array<[string, string]> = put ? (pick(random, [[], [['If-Match', '"1"']], [['If-Match', '*']], [['If-Match', pick(random, UNMATCHABLE_IF_MATCH)]]]) as Array<[string, string]>) : [];
        let label: string;
        let body: Buffer;
        let contentType: Array<[string, string]>;
        const roll = random();
        if (roll < 0.65) {
          const [bodyLabel, bytes] = pick(random, invalidBodies(random));
          const type = pick(random, ANY_CONTENT_TYPES);
          label = `${bodyLabel} as ${type ?? 'no content type'}`;
          body = bytes;
          contentType = contentTypeHeader(type);
        } else if (roll < 0.9) {
          const type = pick(random, REFUSED_CONTENT_TYPES);
          label = `valid JSON as ${type === undefined ? 'no content type' : JSON.stringify(type)}`;
          body = Buffer.from(pick(random, VALID_BODIES));
          contentType = contentTypeHeader(type);
        } else if (roll < 0.95) {
          const order = random() < 0.5 ? ['text/plain', 'application/json'] : ['application/json', 'text/plain'];
          label = `valid JSON with two Content-Type headers (${order.join(', ')})`;
          body = Buffer.from(pick(random, VALID_BODIES));
          contentType = order.map((type): [string, string] => ['Content-Type', type]);
        } else if (roll < 0.985) {
          label = '1 MB of garbage';
          body = Buffer.alloc(1024 * 1024, 0x7b);
          contentType = [['Content-Type', 'application/json']];
        } else {
          label = '10 MB + 1 byte';
          body = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
          contentType = [['Content-Type', 'application/json']];
        }
        add({ family: 'body', label: `body: ${label}`, method, target, headers: [['Authorization', bearer(token)], ...contentType, ...ifMatch], body, mayInvoke: true });
      },
    ],
    // Header oddities with a valid token: harmless reads, and writes whose If-Match cannot match.
    [
      0.14,
      () => {
        const roll = random();
        const all = bearer(tokens.valid.all);
        if (roll < 0.4) {
          const del = random() < 0.5;
          const values = random() < 0.8 ? [pick(random, UNMATCHABLE_IF_MATCH)] : [pick(random, UNMATCHABLE_IF_MATCH), pick(random, UNMATCHABLE_IF_MATCH)];
          add({
            family: 'header',
            label: `header: ${del ? 'DELETE' : 'PUT'} with If-Match ${values.map((v) => (v.length > 24 ? `${v.slice(0, 24)}…` : v)).join(' + ')}`,
            method: del ? 'DELETE' : 'PUT',
            target: `${S}/categories/${someId()}`,
            headers: [
              ['Authorization', random() < 0.5 ? all : bearer(tokens.valid[del ? 'delete' : 'update'])],
              ...(del ? [] : ([['Content-Type', 'application/json']] as Array<[string, string]>)),
              ...values.map((v): [string, string] => ['If-Match', v]),
            ],
            body: del ? undefined : Buffer.from(pick(random, VALID_BODIES)),
            mayInvoke: true,
          });
          return;
        }
        const read = bearer(tokens.valid.read);
        const variants: Array<[string, Array<[string, string]>]> = [
          ['X-HTTP-Method-Override: DELETE', [['X-HTTP-Method-Override', 'DELETE']]],
          ['X-HTTP-Method: PUT', [['X-HTTP-Method', 'PUT']]],
          ['X-Original-URL to another route', [['X-Original-URL', `${S}/categories/${existing()}`], ['X-Rewrite-URL', `${S}/admin`]]],
          ['8 KB header', [['X-Padding', 'p'.repeat(8 * 1024)]]],
          ['20 KB header', [['X-Padding', 'p'.repeat(20 * 1024)]]],
          ['300 headers', Array.from({ length: 300 }, (_, i): [string, string] => [`X-H${i}`, String(i)])],
          ['latin-1 bytes in a header', [['X-Latin', 'caf\u00e9 \u00ff\u00fe']]],
          ['odd Accept', [['Accept', 'application/octet-stream;q=1, */*;q=0']]],
          ['binary Accept', [['Accept', 'image/png']]],
          ['garbage Host', [['Host', 'evil.example:99999']]],
          ['empty Host', [['Host', '']]],
          ['X-Forwarded-For spoofing', [['X-Forwarded-For', '10.0.0.1, 169.254.169.254'], ['X-Forwarded-Proto', 'https']]],
          ['Content-Length on a GET', [['Content-Type', 'application/json']]],
          ['Expect: 100-continue', [['Expect', '100-continue']]],
          ['Range header', [['Range', 'bytes=0-10']]],
          ['header named __proto__', [['__proto__', '{"admin":true}']]],
          ['headers named constructor and hasOwnProperty', [['constructor', 'x'], ['hasOwnProperty', 'y'], ['toString', 'z']]],
          ['If-None-Match and If-Modified-Since', [['If-None-Match', '"1"'], ['If-Modified-Since', 'Thu, 01 Jan 1970 00:00:00 GMT']]],
          ['Bearer with two spaces', []],
          ['Bearer with trailing spaces', []],
          ['lower-case header name', []],
        ];
        const [label, extra] = pick(random, variants);
        let authorization: Array<[string, string]> = [['Authorization', read]];
        if (label === 'Bearer with two spaces') authorization = [['Authorization', `Bearer  ${tokens.valid.read}`]];
        if (label === 'Bearer with trailing spaces') authorization = [['Authorization', `Bearer ${tokens.valid.read}   `]];
        if (label === 'lower-case header name') authorization = [['authorization', read]];
        add({
          family: 'header',
          label: `header: ${label}`,
          method: 'GET',
          target: random() < 0.5 ? `${S}/categories` : `${S}/categories/${existing()}`,
          headers: [...authorization, ...extra],
          body: label === 'Content-Length on a GET' ? Buffer.from(pick(random, VALID_BODIES)) : undefined,
          mayInvoke: true,
        });
      },
    ],
    // Paths, with a token carrying every scope: harmless whichever route they reach.
    [
      0.16,
      () => {
        const id = someId();
        const paths: Array<[string, string]> = [
          ['dot-dot', `${S}/categories/..`],
          ['dot-dot back into the collection', `${S}/categories/../categories`],
          ['dot segment', `${S}/categories/./${id}`],
          ['dot-dot after the id', `${S}/categories/${id}/..`],
          ['dot-dot out of the stage', `${S}/../${stage}/categories`],
          ['dot-dot above the root', `/../..${S}/categories`],
          ['encoded dot-dot', `${S}/categories/%2e%2e`],
          ['encoded dot-dot slash', `${S}/categories/%2e%2e%2f${id}`],
          ['traversal to /etc/passwd', `${S}/categories/..%2f..%2f..%2fetc%2fpasswd`],
          ['double-encoded traversal', `${S}/categories/%252e%252e%252f${id}`],
          ['dot-dot semicolon', `${S}/categories/..;/${id}`],
          ['backslash traversal', `${S}/categories/..%5c${id}`],
          ['encoded slash after the stage', `${S}%2fcategories`],
          ['encoded slash before the id', `${S}/categories%2f${id}`],
          ['encoded slash after the id', `${S}/categories/${id}%2f`],
          ['encoded slash in the id', `${S}/categories/a%2Fb`],
          ['an encoded slash as the id', `${S}/categories/%2F`],
          ['emoji id', `${S}/categories/%F0%9F%98%80`],
          ['accented route', `${S}/cat%C3%A9gories`],
          ['overlong UTF-8 dots', `${S}/categories/%C0%AE%C0%AE%C0%AF`],
          ['invalid UTF-8', `${S}/categories/%FF%FE`],
          ['right-to-left override', `${S}/categories/%E2%80%AE${id}`],
          ['fullwidth route', `${S}/%EF%BD%83%EF%BD%81%EF%BD%94%EF%BD%85%EF%BD%87%EF%BD%8F%EF%BD%92%EF%BD%89%EF%BD%85%EF%BD%93`],
          ['upper-case id', `${S}/categories/${id.toUpperCase()}`],
          ['NUL in the id', `${S}/categories/${id}%00`],
          ['CRLF injection', `${S}/categories/${id}%0d%0aSet-Cookie:%20x=1`],
          ['lone percent', `${S}/categories/%`],
          ['bad percent escape', `${S}/categories/%zz`],
          ['long id (1000)', `${S}/categories/${'a'.repeat(1000)}`],
          ['long id (8000)', `${S}/categories/${'a'.repeat(8000)}`],
          ['long path (20000)', `${S}/categories/${'a'.repeat(20_000)}`],
          ['deep path', `${S}/categories${'/x'.repeat(500)}`],
          ['unknown route', `${S}/admin`],
          ['sub-resource', `${S}/categories/${id}/children`],
          ['capitalised route', `${S}/Categories`],
          ['other stage', '/prod/categories'],
          ['stage prefix', `/${stage}x/categories`],
          ['upper-case stage', `/${stage.toUpperCase()}/categories`],
          ['encoded stage', `/%${stage.charCodeAt(0).toString(16)}${stage.slice(1)}/categories`],
          ['root', '/'],
          ['stage only', S],
          ['stage with a slash', `${S}/`],
          ['trailing slash', `${S}/categories/`],
          ['trailing slash after the id', `${S}/categories/${id}/`],
          ['double slash', `${S}//categories`],
          ['double slash before the id', `${S}/categories//${id}`],
          ['leading double slash', `/${S}/categories`],
          ['matrix parameter', `${S}/categories;jsessionid=1`],
          ['__proto__ route', `${S}/__proto__`],
          ['constructor route', `${S}/categories/constructor`],
          ['hasOwnProperty id', `${S}/categories/hasOwnProperty`],
          ['dotfile', '/.env'],
          ['git config', '/.git/config'],
          ['token endpoint traversal', '/oauth2/token/..'],
          ['JWKS traversal', `/${context.poolId}/.well-known/../.well-known/jwks.json`],
          ['absolute-form target', `http://evil.example${S}/categories`],
          ['asterisk target', '*'],
        ];
        const [label, target] = pick(random, paths);
        const method = pick(random, ['GET', 'GET', 'PUT', 'DELETE', 'POST', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE']);
        const headers: Array<[string, string]> = [['Authorization', bearer(tokens.valid.all)]];
        let body: Buffer | undefined;
        if (method === 'PUT') {
          headers.push(['Content-Type', 'application/json'], ['If-Match', pick(random, UNMATCHABLE_IF_MATCH)]);
          body = Buffer.from(pick(random, VALID_BODIES));
        } else if (method === 'DELETE') {
          headers.push(['If-Match', pick(random, UNMATCHABLE_IF_MATCH)]);
        } else if (method === 'POST' || method === 'PATCH') {
          headers.push(['Content-Type', 'application/json']);
          body = pick(random, invalidBodies(random))[1];
        }
        add({ family: 'path', label: `path: ${label} (${method})`, method, target, headers, body, mayInvoke: Object.hasOwn(scopeOfMethod, method) });
      },
    ],
    // Query strings of the listing, with a read token.
    [
      0.06,
      () => {
        const queries: Array<[string, string]> = [
          ['repeated limit', 'limit=1&limit=2'],
          ['limit 0', 'limit=0'],
          ['negative limit', 'limit=-1'],
          ['limit 101', 'limit=101'],
          ['limit in exponent form', 'limit=1e1'],
          ['limit in hex', 'limit=0x10'],
          ['limit with a space', 'limit=%205'],
          ['fullwidth limit', 'limit=%EF%BC%91%EF%BC%90'],
          ['empty limit', 'limit='],
          ['limit without a value', 'limit'],
          ['huge limit', `limit=${'9'.repeat(400)}`],
          ['NUL limit', 'limit=%00'],
          ['empty name', '=1'],
          ['ampersands only', '&&&'],
          ['array syntax', 'limit[]=1&limit[]=2'],
          ['__proto__ parameter', '__proto__=1&limit=5'],
          ['constructor parameter', 'constructor=x'],
          ['hasOwnProperty parameter', 'hasOwnProperty=1'],
          ['toString and valueOf parameters', 'toString=1&valueOf=2&limit=3'],
          ['unknown parameter', 'admin=true'],
          ['bad percent escape', '%zz=1'],
          ['semicolon separator', 'limit=5;limit=6'],
          ['10 KB parameter', `q=${'x'.repeat(10_000)}`],
          ['200 parameters', Array.from({ length: 200 }, (_, i) => `p${i}=${i}`).join('&')],
          ['repeated nextToken', 'nextToken=a&nextToken=b'],
          ['question marks', '??limit=5?'],
          ['fragment', 'limit=5#frag'],
        ];
        const [label, query] = pick(random, queries);
        add({
          family: 'query',
          label: `query: ${label}`,
          method: 'GET',
          target: `${S}/categories?${query}`,
          headers: [['Authorization', bearer(random() < 0.5 ? tokens.valid.read : tokens.valid.all)]],
          mayInvoke: true,
        });
      },
    ],
    // Cursors.
    [
      0.06,
      () => {
        const id = existing();
        const cursor = (value: unknown): string => b64url(JSON.stringify(value));
        const tokensList: Array<[string, string]> = [
          ['garbage', 'garbage'],
          ['empty', ''],
          ['not base64url', '!!!$$$'],
          ['standard base64 alphabet', Buffer.from(JSON.stringify({ id })).toString('base64')],
          ['valid base64 of garbage', b64url('\u0000\u0001binary')],
          ['id not a UUID', cursor({ id: 'not-a-uuid' })],
          ['id a number', cursor({ id: 5 })],
          ['DynamoDB attribute shape', cursor({ id: { S: id } })],
          ['extra key', cursor({ id, admin: true })],
          ['another key name', cursor({ pk: id })],
          ['an array', cursor([id])],
          ['null', cursor(null)],
          ['__proto__', b64url(`{"id":"${id}","__proto__":{"x":1}}`)],
          ['too long', b64url(JSON.stringify({ id: id.repeat(20) }))],
          ['tampered: one character changed', `${cursor({ id }).slice(0, -2)}A${cursor({ id }).slice(-1)}`],
          ['tampered: truncated', cursor({ id }).slice(0, -5)],
          ['upper-case UUID', cursor({ id: id.toUpperCase() })],
          ['a cursor of an unknown id', cursor({ id: missing() })],
          ['a cursor of an existing id', cursor({ id })],
        ];
        const [label, value] = pick(random, tokensList);
        add({
          family: 'cursor',
          label: `cursor: ${label}`,
          method: 'GET',
          target: `${S}/categories?nextToken=${encodeURIComponent(value)}${random() < 0.5 ? `&limit=${1 + Math.floor(random() * 100)}` : ''}`,
          headers: [['Authorization', bearer(tokens.valid.read)]],
          mayInvoke: true,
        });
      },
    ],
    // Broken HTTP framing, raw bytes.
    [
      0.04,
      () => {
        const token = random() < 0.5 ? tokens.valid.all : pick(random, tokens.invalid).token;
        const mayInvoke = token === tokens.valid.all;
        const auth = `Authorization: Bearer ${token}\r\n`;
        const target = `${S}/categories`;
        const body = '{"name":5}';
        const raws: Array<[string, string | Buffer, boolean?]> = [
          ['lower-case method', `get ${target} HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`],
          ['unknown method', `FOO ${target} HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`],
          ['no Host header', `GET ${target} HTTP/1.1\r\n${auth}Connection: close\r\n\r\n`],
          ['HTTP/1.0', `GET ${target} HTTP/1.0\r\n${auth}\r\n`],
          ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
          ['raw UTF-8 in the path', Buffer.concat([Buffer.from(`GET ${target}/`), Buffer.from('日本語', 'utf8'), Buffer.from(` HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`)])],
          ['space in the path', `GET ${target}/a b HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`],
          ['no path', `GET HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`],
          ['Content-Length and Transfer-Encoding', `POST ${target} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`],
          ['two Content-Length headers', `POST ${target} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n${body}`],
          ['negative Content-Length', `POST ${target} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: -1\r\nConnection: close\r\n\r\n${body}`],
          ['chunked body', `POST ${target} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`],
          ['broken chunk size', `POST ${target} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n${body}\r\n0\r\n\r\n`],
          ['obsolete line folding', `GET ${target} HTTP/1.1\r\nHost: x\r\n${auth}X-Folded: a\r\n b\r\nConnection: close\r\n\r\n`],
          ['header without a colon', `GET ${target} HTTP/1.1\r\nHost: x\r\n${auth}NoColonHere\r\nConnection: close\r\n\r\n`],
          ['bare LF line endings', `GET ${target} HTTP/1.1\nHost: x\n${auth.replace('\r\n', '\n')}Connection: close\n\n`],
          ['NUL in a header', `GET ${target} HTTP/1.1\r\nHost: x\r\n${auth}X-Nul: a\u0000b\r\nConnection: close\r\n\r\n`],
          ['a body cut short (the client hangs up)', `POST ${target} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"cut`, true],
        ];
        const [label, bytes, halfClose] = pick(random, raws);
        add({
          family: 'framing',
          label: `framing: ${label}${mayInvoke ? '' : ' (invalid token)'}`,
          method: '',
          target: '',
          headers: [],
          raw: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1'),
          halfClose: halfClose === true,
          mayInvoke,
        });
      },
    ],
    // The token endpoint and the JWKS.
    [
      0.04,
      () => {
        const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
        const good = basic(context.clientId, context.clientSecret);
        const form: Array<[string, string]> = [['Content-Type', 'application/x-www-form-urlencoded']];
        const variants: Array<[string, string, Array<[string, string]>, string | Buffer | undefined]> = [
          ['garbage form', 'POST', form, '%%%&&&=='],
          ['1 MB form', 'POST', form, Buffer.alloc(1024 * 1024, 0x61)],
          ['JSON body', 'POST', [['Authorization', good], ['Content-Type', 'application/json']], '{"grant_type":"client_credentials"}'],
          ['repeated grant_type', 'POST', [['Authorization', good], ...form], 'grant_type=client_credentials&grant_type=client_credentials'],
          ['unknown scope', 'POST', [['Authorization', good], ...form], 'grant_type=client_credentials&scope=admin'],
          ['scope with NUL', 'POST', [['Authorization', good], ...form], 'grant_type=client_credentials&scope=%00'],
          ['password grant', 'POST', [['Authorization', good], ...form], 'grant_type=password&username=a&password=b'],
          ['wrong secret', 'POST', [['Authorization', basic(context.clientId, 'wrong')], ...form], 'grant_type=client_credentials'],
          ['10 KB client id', 'POST', [['Authorization', basic('c'.repeat(10_000), 'x')], ...form], 'grant_type=client_credentials'],
          ['unicode client id', 'POST', [['Authorization', basic('ćłïéñţ', 'x')], ...form], 'grant_type=client_credentials'],
          ['Basic without colon', 'POST', [['Authorization', `Basic ${Buffer.from('nocolon').toString('base64')}`], ...form], 'grant_type=client_credentials'],
          ['Basic not base64', 'POST', [['Authorization', 'Basic %%%'], ...form], 'grant_type=client_credentials'],
          ['two Authorization headers', 'POST', [['Authorization', good], ['Authorization', basic('x', 'y')], ...form], 'grant_type=client_credentials'],
          ['GET', 'GET', [['Authorization', good]], undefined],
          ['DELETE', 'DELETE', [['Authorization', good]], undefined],
          ['JWKS POST', 'POST', form, 'x=1'],
          ['JWKS of an unknown pool', 'GET', [], undefined],
          ['discovery', 'GET', [], undefined],
        ];
        const [label, method, headers, body] = pick(random, variants);
        const target = label.startsWith('JWKS of')
          ? '/us-east-1_Unknown12/.well-known/jwks.json'
          : label === 'discovery'
            ? `/${context.poolId}/.well-known/openid-configuration`
            : label.startsWith('JWKS')
              ? `/${context.poolId}/.well-known/jwks.json`
              : '/oauth2/token';
        add({
          family: 'token-endpoint',
          label: `token endpoint: ${label}`,
          method,
          target,
          headers,
          body: body === undefined ? undefined : Buffer.from(body),
          mayInvoke: false,
        });
      },
    ],
  ];
  const total = generators.reduce((sum, [weight]) => sum + weight, 0);
  for (let produced = 0; produced < count; produced++) {
    while (requests.length === 0) {
      let roll = random() * total;
      for (const [weight, generate] of generators) {
        roll -= weight;
        if (roll < 0) {
          generate();
          break;
        }
      }
    }
    yield requests.shift() as HostileRequest;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sending

/** The request's bytes: request line, headers as given (plus Host, Content-Length and Connection: close), body. */
export function requestBytes(request: HostileRequest, port: number): Buffer {
  if (request.raw) return request.raw;
  const names = new Set(request.headers.map(([name]) => name.toLowerCase()));
  const lines = [`${request.method} ${request.target} HTTP/1.1`];
  if (!names.has('host')) lines.push(`Host: 127.0.0.1:${port}`);
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  if (request.body !== undefined && !names.has('content-length') && !names.has('transfer-encoding')) {
    lines.push(`Content-Length: ${request.body.length}`);
  }
  lines.push('Connection: close', '', '');
  const head = Buffer.from(lines.join('\r\n'), 'utf8');
  return request.body === undefined ? head : Buffer.concat([head, request.body]);
}

/** Sends one request on a fresh connection to 127.0.0.1 and reads the answer until the server closes it. */
export function sendRaw(port: number, request: HostileRequest, timeoutMs = REQUEST_TIMEOUT_MS): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    let failure: string | undefined;
    const socket = net.connect({ port, host: '127.0.0.1' });
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseAnswer(Buffer.concat(chunks), failure));
    };
    const timer = setTimeout(() => {
      failure = 'timeout';
      finish();
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer (413, 431) and close while a large request is still being written: the answer counts.
      failure ??= `error:${error.code ?? error.message}`;
      finish();
    });
    socket.on('close', finish);
    socket.on('end', finish);
    socket.write(requestBytes(request, port), () => {
      if (request.halfClose) socket.end();
    });
  });
}

function parseAnswer(bytes: Buffer, failure: string | undefined): RawAnswer {
  let text = bytes.toString('latin1');
  // Interim answers (100 Continue) precede the final one.
  while (/^HTTP\/1\.[01] 1\d\d/.test(text) && text.includes('\r\n\r\n')) {
    const skip = text.indexOf('\r\n\r\n') + 4;
    text = text.slice(skip);
    bytes = bytes.subarray(skip);
  }
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  if (!match) return { status: failure ?? 'no-answer', headers: {}, body: '' };
  const end = text.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of text.slice(0, end === -1 ? text.length : end).split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = end === -1 ? '' : bytes.subarray(end + 4).toString('utf8');
  return { status: Number(match[1]), headers, body };
}

// ---------------------------------------------------------------------------------------------------------------
// The proof

type Item = Record<string, AttributeValue>;

/** Every item of every table, sorted: what must not change. */
export async function snapshotTables(endpoint: string): Promise<Record<string, Item[]>> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  try {
    const snapshot: Record<string, Item[]> = {};
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    for (const table of TableNames) {
      const items: Item[] = [];
      let start: Item | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      snapshot[table] = items.map((item) => JSON.stringify(item, Object.keys(item).sort())).sort().map((json) => JSON.parse(json) as Item);
    }
    return snapshot;
  } finally {
    client.destroy();
  }
}

export interface HostileInputOptions {
  /** Requests to send, 3000 to 20 000. @default 3000 */
  readonly count?: number;
  /** Seed of the generator. @default 1 */
  readonly seed?: number;
  /** Categories created first (they must survive unchanged). @default 5 */
  readonly existing?: number;
}

export interface HostileInputResult {
  readonly seed: number;
  readonly generated: number;
  readonly sent: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  /** Answers by status (or `timeout`, `no-answer`, `error:...`). */
  readonly statuses: Readonly<Record<string, number>>;
  readonly byFamily: Readonly<Record<string, { readonly sent: number; readonly statuses: Readonly<Record<string, number>> }>>;
  /** Requests carrying a valid token with the scope of their method, and how many of them reached the function. */
  readonly mayInvoke: number;
  readonly invocations: number;
  readonly invocationsWithoutValidToken: number;
  /** Answers of 5xx and lines of the gateway's log reporting one. */
  readonly serverErrors: number;
  readonly loggedServerErrors: number;
  readonly itemsBefore: number;
  readonly dataUnchanged: boolean;
  readonly violationCount: number;
  readonly violations: readonly string[];
}

/**
 * Runs the hostile requests against a running local stack. `gatewayLog` must collect the stack's log lines (the
 * gateway's `→ <status>` lines), so that a 5xx the client never saw (it hung up) is found too.
 */
export async function runHostileInput(stack: LocalStack, gatewayLog: string[], options: HostileInputOptions = {}): Promise<HostileInputResult> {
  const count = Math.trunc(options.count ?? MIN_COUNT);
  if (!(count >= MIN_COUNT && count <= MAX_COUNT)) throw new RangeError(`count must be ${MIN_COUNT} to ${MAX_COUNT}.`);
  const seed = options.seed ?? 1;
  const scopes = scopesOf(stack);
  const port = Number(new URL(stack.config.apiUrl).port);
  const violations = new Violations();

  // A few categories that every request may aim at; they must come out unchanged.
  const tokens = await prepareTokens(stack, scopes);
  const existingIds: string[] = [];
  for (let i = 0; i < Math.max(1, Math.min(options.existing ?? 5, 50)); i++) {
    const response = await fetch(`${stack.config.apiUrl}/categories`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.valid.write}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: `Existing ${i + 1}`, description: 'must not change' }),
    });
    const body = (await response.json()) as { id?: string };
    if (response.status !== 201 || typeof body.id !== 'string') throw new Error(`seeding failed: ${response.status}`);
    existingIds.push(body.id);
  }
  const before = await snapshotTables(stack.dynamodbEndpoint);
  const itemsBefore = Object.values(before).reduce((sum, items) => sum + items.length, 0);

  const context: HostileContext = {
    stage: stack.config.stage,
    poolId: stack.config.issuer.split('/').at(-1) as string,
    clientId: stack.config.clientId,
    clientSecret: stack.config.clientSecret,
    scopes,
    tokens,
    existingIds,
  };
  const requests = generateHostileRequests(context, prng(seed), count);
  let mayInvoke = 0;

  const statuses: Record<string, number> = {};
  const byFamily: Record<string, { sent: number; statuses: Record<string, number> }> = {};
  let sent = 0;
  let invocations = 0;
  let invocationsWithoutValidToken = 0;
  let serverErrors = 0;
  const logStart = gatewayLog.length;
  const started = performance.now();
  const deadline = started + MAX_RUN_MS;
  for (const request of requests) {
    if (performance.now() > deadline) {
      violations.add(`stopped after ${sent} of ${count} requests: the run took longer than ${MAX_RUN_MS / 1000} s`);
      break;
    }
    if (request.mayInvoke) mayInvoke++;
    const invocationsBefore = stack.invocations();
    const answer = await sendRaw(port, request);
    const delta = stack.invocations() - invocationsBefore;
    sent++;
    tally(statuses, answer.status);
    const family = (byFamily[request.family] ??= { sent: 0, statuses: {} });
    family.sent++;
    tally(family.statuses, answer.status);
    invocations += delta;
    const where = `${request.label} — ${request.raw ? 'raw bytes' : `${request.method} ${request.target.length > 120 ? `${request.target.slice(0, 120)}…` : request.target}`}`;
    if (typeof answer.status !== 'number') {
      violations.add(`${where}: no answer (${answer.status})`);
    } else if (answer.status >= 500) {
      serverErrors++;
      violations.add(`${where}: ${answer.status} ${answer.body.slice(0, 200)}`);
    }
    if (delta > 0 && !request.mayInvoke) {
      invocationsWithoutValidToken += delta;
      violations.add(`${where}: reached the function without a valid token for its method`);
    }
    if (delta > 1) violations.add(`${where}: ${delta} invocations for one request`);
    if (!request.mayInvoke && typeof answer.status === 'number' && answer.status < 300 && request.target.startsWith(`/${context.stage}`)) {
      violations.add(`${where}: the API answered ${answer.status} without a valid token`);
    }
  }
  const seconds = (performance.now() - started) / 1000;

  const loggedServerErrors = gatewayLog.slice(logStart).filter((line) => /→ 5\d\d\b/.test(line) || line.startsWith('[local]'));
  for (const line of loggedServerErrors) violations.add(`gateway log: ${line.slice(0, 200)}`);

  const after = await snapshotTables(stack.dynamodbEndpoint);
  const dataUnchanged = JSON.stringify(after) === JSON.stringify(before);
  if (!dataUnchanged) {
    const describe = (snapshot: Record<string, Item[]>): string[] => Object.values(snapshot).flat().map((item) => JSON.stringify(item));
    const was = new Set(describe(before));
    const now = new Set(describe(after));
    for (const item of now) if (!was.has(item)) violations.add(`data changed: new or modified item ${item.slice(0, 300)}`);
    for (const item of was) if (!now.has(item)) violations.add(`data changed: item gone or modified ${item.slice(0, 300)}`);
  }

  return {
    seed,
    generated: count,
    sent,
    seconds: round(seconds),
    requestsPerSecond: round(sent / Math.max(seconds, 0.001), 1),
    statuses: sortedTally(statuses),
    byFamily: Object.fromEntries(Object.entries(byFamily).sort().map(([name, f]) => [name, { sent: f.sent, statuses: sortedTally(f.statuses) }])),
    mayInvoke,
    invocations,
    invocationsWithoutValidToken,
    serverErrors,
    loggedServerErrors: loggedServerErrors.length,
    itemsBefore,
    dataUnchanged,
    violationCount: violations.count,
    violations: violations.messages,
  };
}

/** Starts a local stack of its own (in memory), runs {@link runHostileInput} against it, and stops it. */
export async function hostileInputLocalStack(options: HostileInputOptions = {}): Promise<HostileInputResult> {
  const log: string[] = [];
  const proof = await startProofStack({ log: (line) => log.push(line) });
  try {
    return await runHostileInput(proof.stack, log, options);
  } finally {
    await proof.stop();
  }
}

export function formatHostileInput(result: HostileInputResult): string {
  return (
    `hostile input: ${result.sent} requests (seed ${result.seed}) in ${result.seconds} s (${result.requestsPerSecond} req/s); ` +
    `statuses ${JSON.stringify(result.statuses)}; ${result.mayInvoke} carried a valid token for their method, ` +
    `${result.invocations} reached the function, ${result.invocationsWithoutValidToken} without a valid token; ` +
    `5xx ${result.serverErrors} answered, ${result.loggedServerErrors} logged; ` +
    `${result.itemsBefore} items ${result.dataUnchanged ? 'unchanged' : 'CHANGED'}; ${result.violationCount} violation(s)`
  );
}

async function main(): Promise<void> {
  const flags = numberFlags(process.argv.slice(2), {
    count: { fallback: MIN_COUNT, min: MIN_COUNT, max: MAX_COUNT },
    seed: { fallback: 1, min: 0, max: 2 ** 32 - 1 },
  });
  const result = await hostileInputLocalStack({ count: flags.count, seed: flags.seed });
  console.log(formatHostileInput(result));
  console.log(`figures in ${writeProofReport('hostile-input', result)}`);
  if (result.violationCount > 0) {
    console.error(`HOSTILE INPUT FAILED: ${result.violationCount} violation(s):\n  ${result.violations.join('\n  ')}`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
