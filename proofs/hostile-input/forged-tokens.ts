/**
 * The tokens of the hostile requests: real ones from the token endpoint (one per scope, one with every scope, one
 * too large for any header), and every kind of forged or broken token that must be refused.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto';
import type { LocalStack } from '../../local/stack';
import { everyScope, providersByScope, tokenWithEveryScope, type ScopeNames } from '../support';
import { b64url, jsonPart } from './encoding';
import type { TokenSet } from './hostile-request';

/** Builds the token set: real tokens per scope, and every kind of forged or broken token. */
export async function prepareTokens(stack: LocalStack, scopes: ScopeNames): Promise<TokenSet> {
  const { config } = stack;
  const all = everyScope(scopes);
  const providers = providersByScope(config, scopes);
  const valid = {
    read: await providers.read.getToken(),
    write: await providers.write.getToken(),
    update: await providers.update.getToken(),
    delete: await providers.delete.getToken(),
    all: await tokenWithEveryScope(config, scopes),
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
  const publicJwk = jwks.keys[0];
  const publicPem = createPublicKey({ key: publicJwk, format: 'jwk' }).export({
    type: 'spki',
    format: 'pem',
  }) as string;
  const hs256 = (secret: string | Buffer): string => {
    const signingInput = `${jsonPart({ alg: 'HS256', kid, typ: 'JWT' })}.${jsonPart(claims())}`;
    return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
  };
  const foreign = await generateKeyPair('RS256');
  const foreignSigned = (headerFields: Record<string, unknown>): Promise<string> =>
    new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', ...headerFields }).sign(foreign.privateKey);
  const otherAlgorithm = async (alg: string): Promise<string> =>
    new SignJWT(claims()).setProtectedHeader({ alg, kid }).sign((await generateKeyPair(alg)).privateKey);
  const unsigned = (alg: string, signature = ''): string =>
    `${jsonPart({ alg, kid })}.${jsonPart(claims())}.${signature}`;
  const otherIssuer = config.issuer.replace(/[^/]+$/, 'us-east-1_Other1234');
  const read = await pool({ scope: scopes.read });
  const [readHeader, readPayload, readSignature] = read.split('.') as [string, string, string];

  const invalid: Array<{ label: string; token: string }> = [
    { label: 'alg none', token: unsigned('none') },
    { label: 'alg None with a signature', token: unsigned('None', validSignature) },
    { label: 'alg NONE', token: unsigned('NONE') },
    { label: 'foreign RSA key under the pool kid', token: await foreignSigned({ kid }) },
    { label: 'foreign RSA key without kid', token: await foreignSigned({}) },
    {
      label: 'foreign RSA key with a jku header',
      token: await foreignSigned({ kid, jku: 'http://127.0.0.1:9/jwks.json' }),
    },
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
    {
      label: 'scopes of another resource server',
      token: await pool({ scope: all.map((s) => s.replace(/^[^/]+/, 'other_api')).join(' ') }),
    },
    { label: 'look-alike scopes', token: await pool({ scope: all.map((s) => `${s}_all x${s}`).join(' ') }) },
    { label: 'no client_id', token: await pool({ client_id: undefined }) },
    { label: 'no exp', token: await pool({ exp: undefined }) },
    { label: 'exp as a string', token: await pool({ exp: String(now + 3600) }) },
    { label: 'payload tampered (scope escalated)', token: `${readHeader}.${jsonPart(claims())}.${readSignature}` },
    {
      label: 'header tampered (kid)',
      token: `${jsonPart({ alg: 'RS256', kid: `${kid}x` })}.${validPayload}.${validSignature}`,
    },
    { label: 'signature of another token', token: `${validHeader}.${readPayload}.${validSignature}` },
    { label: 'signature truncated by 4', token: `${validHeader}.${validPayload}.${validSignature.slice(0, -4)}` },
    {
      label: 'signature cut in half',
      token: `${validHeader}.${validPayload}.${validSignature.slice(0, validSignature.length >> 1)}`,
    },
    {
      label: 'signature with one character changed',
      token: `${validHeader}.${validPayload}.${validSignature[0] === 'A' ? 'B' : 'A'}${validSignature.slice(1)}`,
    },
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
    {
      label: 'five parts (JWE shaped)',
      token: `${validHeader}.${validPayload}.${validSignature}.${validSignature}.${validSignature}`,
    },
    { label: 'padded base64', token: `${validHeader}==.${validPayload}.${validSignature}` },
    {
      label: 'standard base64 characters',
      token: `${validHeader}.${validPayload}.${validSignature.replace(/-/g, '+').replace(/_/g, '/')}+/`,
    },
    { label: 'header not JSON', token: `${b64url('not json')}.${validPayload}.${validSignature}` },
    { label: 'payload not JSON', token: `${validHeader}.${b64url('[1,2,3')}.${validSignature}` },
    { label: 'dots only', token: '..' },
    { label: 'garbage', token: 'not-a-token' },
    { label: 'unicode', token: 'ťőķéñ.ťőķéñ.ťőķéñ' },
  ];
  const oversizeValid = await pool({ pad: 'x'.repeat(20_000) });
  return { valid, oversizeValid, invalid };
}
