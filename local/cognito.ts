/**
 * The local Amazon Cognito: the user pools, resource servers and app clients of the synthesized stack, a token
 * endpoint for the client-credentials grant, and each pool's JWKS. Access tokens carry Cognito's claims and are
 * signed (RS256) with the pool's key, generated once and kept with the data (`credentials-store.ts`).
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import { acceptedAccessTokenMinutes, accessTokenMinutes } from '../common/cognito-token-validity';
import { resourceAttribute } from '../synth/references';
import type { Resource, SynthesizedStackConfig } from '../synth/stack-json';
import type { CredentialsStore, SigningKeyStore, StoredSigningKey } from './credentials-store';
import { LOCAL_ACCOUNT_ID } from './environment';
import { LocalStackError } from './errors';
import { mediaType, readBody, send, sendJson } from './http';
import { stableId, type ReferenceResolver } from './reference-resolver';

/** The errors of Cognito's token endpoint (all sent with HTTP 400, as Cognito does). */
export type TokenErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'unauthorized_client'
  | 'unsupported_grant_type';

export interface LocalUserPool {
  readonly address: string;
  /** `<region>_<9 characters>`, stable for a stack and resource, so the issuer survives restarts. */
  readonly poolId: string;
  readonly arn: string;
}

export interface LocalClient {
  readonly address: string;
  readonly name: string;
  readonly pool: LocalUserPool;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly oauthFlowsEnabled: boolean;
  readonly allowedFlows: readonly string[];
  /** `<resource server identifier>/<scope name>`, in the order the client lists them. */
  readonly allowedScopes: readonly string[];
  readonly accessTokenValiditySeconds: number;
}

export interface CognitoModel {
  readonly pools: readonly LocalUserPool[];
  readonly clients: readonly LocalClient[];
  /**
   * The client the local stack reports: the one the stack's `client_id` output names (the operations consumer's),
   * else the first one allowed the client-credentials grant.
   */
  readonly primaryClient: LocalClient | undefined;
}

/** Fixed credentials for the primary client (`LOCAL_CLIENT_ID` / `LOCAL_CLIENT_SECRET`), over the stored ones. */
export interface ClientCredentials {
  readonly clientId?: string;
  readonly clientSecret?: string;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const GRANT_TYPES = new Set(['authorization_code', 'refresh_token', 'client_credentials']);

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Reads the user pools and clients of the stack and registers how their computed attributes resolve locally
 * (pool id and ARN, client id and secret, the resource server's `scope_identifiers`). Client ids and secrets come
 * from `store` (kept across restarts), the primary client's from `credentials` where given. Refuses configurations
 * Cognito refuses at deployment (client credentials without a secret or mixed with other flows, scopes no
 * resource server defines, token validity out of range).
 */
export function describeCognito(
  stack: SynthesizedStackConfig,
  resolver: ReferenceResolver,
  store: CredentialsStore,
  credentials: ClientCredentials = {},
): CognitoModel {
  const pools = new Map<string, LocalUserPool>();
  for (const pool of stack.resources('aws_cognito_user_pool')) {
    const poolId = `${stack.region}_${stableId(`${stack.name}/${pool.address}`, 9, BASE62)}`;
    pools.set(pool.name, {
      address: pool.address,
      poolId,
      arn: `arn:aws:cognito-idp:${stack.region}:${LOCAL_ACCOUNT_ID}:userpool/${poolId}`,
    });
  }
  resolver.register('aws_cognito_user_pool', (resource, attribute) => {
    const pool = pools.get(resource.name);
    if (attribute === 'id') return pool?.poolId;
    if (attribute === 'arn') return pool?.arn;
    if (attribute === 'endpoint') return `cognito-idp.${stack.region}.amazonaws.com/${pool?.poolId}`;
    return undefined;
  });

  const scopesByPool = new Map<string, Set<string>>();
  resolver.register('aws_cognito_resource_server', (resource, attribute) => {
    if (attribute !== 'scope_identifiers') return undefined;
    return resourceServerScopes(resolver, resource);
  });
  for (const server of stack.resources('aws_cognito_resource_server')) {
    const poolId = resolver.string(server.config.user_pool_id, server.address);
    const scopes = scopesByPool.get(poolId) ?? new Set<string>();
    for (const scope of resourceServerScopes(resolver, server)) scopes.add(scope);
    scopesByPool.set(poolId, scopes);
  }

  const clients: LocalClient[] = [];
  const clientResources = stack.resources('aws_cognito_user_pool_client');
  const named = resourceAttribute(stack.json.output?.client_id?.value);
  const primaryName =
    (named?.type === 'aws_cognito_user_pool_client' && clientResources.some((c) => c.name === named.name)
      ? named.name
      : undefined) ??
    clientResources.find((c) => list(c.config.allowed_oauth_flows).map(String).includes('client_credentials'))?.name;
  const ids = new Map<string, { id: string; secret: string | undefined }>();
  for (const client of clientResources) {
    const isPrimary = client.name === primaryName;
    const stored = store.client(client.address, client.config.generate_secret === true);
    const id = (isPrimary ? credentials.clientId : undefined) ?? stored.clientId;
    const secret =
      stored.clientSecret === undefined
        ? undefined
        : ((isPrimary ? credentials.clientSecret : undefined) ?? stored.clientSecret);
    ids.set(client.name, { id, secret });
  }
  resolver.register('aws_cognito_user_pool_client', (resource, attribute) => {
    const entry = ids.get(resource.name);
    if (attribute === 'id') return entry?.id;
    if (attribute === 'client_secret') return entry?.secret;
    return undefined;
  });

  for (const client of clientResources) {
    const where = client.address;
    const poolId = resolver.string(client.config.user_pool_id, where);
    const pool = [...pools.values()].find((p) => p.poolId === poolId);
    if (!pool) throw new LocalStackError(`${where}: user_pool_id does not name a user pool of the stack.`);
    const flows = list(client.config.allowed_oauth_flows).map(String);
    const entry = ids.get(client.name) as { id: string; secret: string | undefined };
    if (flows.includes('client_credentials')) {
      if (entry.secret === undefined) {
        throw new LocalStackError(
          `${where}: the client_credentials flow needs a client secret (generate_secret = true).`,
        );
      }
      if (flows.some((flow) => flow !== 'client_credentials')) {
        throw new LocalStackError(`${where}: client_credentials cannot be combined with the code or implicit flows.`);
      }
    }
    const allowedScopes = list(
      resolver.resolve(client.config.allowed_oauth_scopes, `${where}.allowed_oauth_scopes`),
    ).flatMap((scope) => list(scope).map(String));
    const defined = scopesByPool.get(poolId) ?? new Set<string>();
    const undefinedScope = allowedScopes.find((scope) => !defined.has(scope) && !isStandardScope(scope));
    if (undefinedScope !== undefined) {
      throw new LocalStackError(
        `${where}: scope "${undefinedScope}" is not defined by a resource server of the pool (Cognito: ScopeDoesNotExistException).`,
      );
    }
    clients.push({
      address: where,
      name: typeof client.config.name === 'string' ? client.config.name : client.name,
      pool,
      clientId: entry.id,
      clientSecret: entry.secret,
      oauthFlowsEnabled: client.config.allowed_oauth_flows_user_pool_client === true,
      allowedFlows: flows,
      allowedScopes: [...new Set(allowedScopes)],
      accessTokenValiditySeconds: accessTokenValidity(client),
    });
  }
  return {
    pools: [...pools.values()],
    clients,
    primaryClient: clients.find(
      (client) =>
        client.address === `aws_cognito_user_pool_client.${primaryName}` &&
        client.allowedFlows.includes('client_credentials'),
    ),
  };
}

function isStandardScope(scope: string): boolean {
  return ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'].includes(scope);
}

function resourceServerScopes(resolver: ReferenceResolver, server: Resource): string[] {
  const identifier = resolver.string(server.config.identifier, `${server.address}.identifier`);
  return list(server.config.scope).map((scope) => {
    const name = resolver.string((scope as Record<string, unknown>).scope_name, `${server.address}.scope`);
    return `${identifier}/${name}`;
  });
}

/** The client's access-token validity in seconds, from `access_token_validity` and `token_validity_units`. */
function accessTokenValidity(client: Resource): number {
  const units = list(client.config.token_validity_units)[0] as Record<string, unknown> | undefined;
  const unit = typeof units?.access_token === 'string' ? units.access_token : undefined;
  const value =
    typeof client.config.access_token_validity === 'number' ? client.config.access_token_validity : undefined;
  const minutes = accessTokenMinutes(value, unit);
  if (minutes === undefined) throw new LocalStackError(`${client.address}: unknown token validity unit "${unit}".`);
  const seconds = minutes * 60;
  if (!acceptedAccessTokenMinutes(minutes)) {
    throw new LocalStackError(
      `${client.address}: access tokens valid for ${seconds} s; Cognito accepts 5 minutes to 1 day.`,
    );
  }
  return seconds;
}

type Jose = typeof import('jose');
type PrivateKey = Awaited<ReturnType<Jose['importJWK']>>;

interface SigningKey {
  readonly kid: string;
  readonly privateKey: PrivateKey;
  readonly publicJwk: JWK;
}

/**
 * The headers of every answer of the token endpoint. The content type as "The token issuer endpoint" (Amazon
 * Cognito developer guide) shows it in full, in its error map and its `client_secret_post` example (its other
 * examples abbreviate it to `application/json`); `Access-Control-Allow-Origin: *`, which that page documents; the
 * caching and security headers of captured real answers of the endpoint, which the guide's userInfo example shows
 * too (RFC 6749 §5.1 asks for `no-store` on token answers). Each answer also gets its `x-amz-cognito-request-id`.
 */
const TOKEN_ENDPOINT_HEADERS = {
  'Content-Type': 'application/json;charset=UTF-8',
  'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate',
  Pragma: 'no-cache',
  Expires: '0',
  'Access-Control-Allow-Origin': '*',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'X-XSS-Protection': '1; mode=block',
  'Strict-Transport-Security': 'max-age=31536000 ; includeSubDomains',
} as const;

/** Options for minting tokens directly (tests of the authorizer: expired, foreign-issuer, id tokens...). */
export interface SignOptions {
  /** Header fields to set or override (`kid`, `alg`). */
  readonly header?: Record<string, unknown>;
}

/** The running local Cognito: token endpoint and JWKS of every pool. */
export class LocalCognito {
  private constructor(
    readonly model: CognitoModel,
    private readonly baseUrl: string,
    private readonly keys: ReadonlyMap<string, SigningKey>,
    private readonly jose: Jose,
  ) {}

  /**
   * One RS256 signing key per pool: the one `keyStore` holds (so tokens issued before a restart stay valid, as a
   * pool's keys do), else a new one, handed to `keyStore`. Without a store, new keys at every start.
   */
  static async start(model: CognitoModel, baseUrl: string, keyStore?: SigningKeyStore): Promise<LocalCognito> {
    const jose = await import('jose');
    const keys = new Map<string, SigningKey>();
    await Promise.all(
      model.pools.map(async (pool) => {
        const stored = keyStore?.signingKey(pool.address) ?? (await newSigningKey(jose));
        keyStore?.setSigningKey(pool.address, stored);
        const { kid, privateJwk } = stored;
        const privateKey = await jose.importJWK(privateJwk, 'RS256');
        const publicJwk = { kty: privateJwk.kty, n: privateJwk.n, e: privateJwk.e, alg: 'RS256', kid, use: 'sig' };
        keys.set(pool.poolId, { kid, privateKey, publicJwk });
      }),
    );
    return new LocalCognito(model, baseUrl, keys, jose);
  }

  get tokenUrl(): string {
    return `${this.baseUrl}/oauth2/token`;
  }

  issuer(poolId: string): string {
    return `${this.baseUrl}/${poolId}`;
  }

  jwksUrl(poolId: string): string {
    return `${this.issuer(poolId)}/.well-known/jwks.json`;
  }

  jwks(poolId: string): { keys: JWK[] } {
    const key = this.keys.get(poolId);
    return { keys: key ? [key.publicJwk] : [] };
  }

  /** Signs `payload` with the pool's key (header `{ alg: RS256, kid }` unless overridden). For tests. */
  async sign(poolId: string, payload: Record<string, unknown>, options: SignOptions = {}): Promise<string> {
    const key = this.keys.get(poolId);
    if (!key) throw new LocalStackError(`No user pool ${poolId} in the local stack.`);
    const header = { alg: 'RS256', kid: key.kid, ...options.header };
    return new this.jose.SignJWT(payload).setProtectedHeader(header).sign(key.privateKey);
  }

  /** Handles the token endpoint, JWKS and OpenID discovery paths; returns false for any other path. */
  async handle(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
    if (pathname === '/oauth2/token') {
      await this.token(request, response);
      return true;
    }
    const match = /^\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/.exec(pathname);
    const pool = match ? this.model.pools.find((p) => p.poolId === match[1]) : undefined;
    if (!match || !pool) return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendJson(response, 405, { message: 'Method Not Allowed' }, { Allow: 'GET' });
      return true;
    }
    if (match[2] === 'jwks.json') {
      sendJson(response, 200, this.jwks(pool.poolId));
    } else {
      const issuer = this.issuer(pool.poolId);
      sendJson(response, 200, {
        issuer,
        jwks_uri: this.jwksUrl(pool.poolId),
        token_endpoint: this.tokenUrl,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['token'],
        subject_types_supported: ['public'],
      });
    }
    return true;
  }

  private async token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const answer = (status: number, body: object, headers: Record<string, string> = {}): void =>
      send(
        response,
        status,
        { ...TOKEN_ENDPOINT_HEADERS, 'x-amz-cognito-request-id': randomUUID(), ...headers },
        JSON.stringify(body),
      );
    const fail = (error: TokenErrorCode): void => answer(400, { error });
    if (request.method !== 'POST') {
      // The endpoint "only supports HTTPS POST" ("The token issuer endpoint"); what it answers otherwise is not
      // documented.
      answer(405, { error: 'invalid_request' }, { Allow: 'POST' });
      return;
    }
    let raw: Buffer;
    try {
      raw = await readBody(request, 64 * 1024);
    } catch {
      fail('invalid_request');
      return;
    }
    if (mediaType(request.headers['content-type']) !== 'application/x-www-form-urlencoded') {
      fail('invalid_request');
      return;
    }
    const form = new URLSearchParams(raw.toString('utf8'));
    const params = new Map<string, string>();
    for (const [name, value] of form) {
      // RFC 6749 §3.2: parameters must not be repeated.
      if (params.has(name)) return fail('invalid_request');
      params.set(name, value);
    }
    const grantType = params.get('grant_type');
    if (grantType === undefined || grantType === '') return fail('invalid_request');
    if (!GRANT_TYPES.has(grantType)) return fail('unsupported_grant_type');

    // Node.js keeps only the first of several Authorization headers; which one the client meant is ambiguous.
    const authorizations = request.rawHeaders.filter(
      (value, i) => i % 2 === 0 && value.toLowerCase() === 'authorization',
    );
    if (authorizations.length > 1) return fail('invalid_request');
    const authenticated = this.authenticate(request.headers.authorization, params);
    if (typeof authenticated === 'string') return fail(authenticated);
    const client = authenticated;
    if (grantType !== 'client_credentials' || !client.oauthFlowsEnabled || !client.allowedFlows.includes(grantType)) {
      return fail('unauthorized_client');
    }

    const requested = (params.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
    const scopes = requested.length === 0 ? [...client.allowedScopes] : [...new Set(requested)];
    if (scopes.length === 0 || scopes.some((scope) => !client.allowedScopes.includes(scope)))
      return fail('invalid_scope');

    const now = Math.floor(Date.now() / 1000);
    const accessToken = await this.sign(client.pool.poolId, {
      sub: client.clientId,
      token_use: 'access',
      scope: scopes.join(' '),
      auth_time: now,
      iss: this.issuer(client.pool.poolId),
      exp: now + client.accessTokenValiditySeconds,
      iat: now,
      version: 2,
      jti: randomUUID(),
      client_id: client.clientId,
    });
    answer(200, { access_token: accessToken, expires_in: client.accessTokenValiditySeconds, token_type: 'Bearer' });
  }

  /**
   * Client authentication: HTTP Basic (`client_secret_basic`) or `client_id` + `client_secret` in the body
   * (`client_secret_post`). Both mechanisms at once is `invalid_request` (RFC 6749 §5.2); none, an unknown
   * client or a wrong secret is `invalid_client`.
   */
  private authenticate(header: string | undefined, params: ReadonlyMap<string, string>): LocalClient | TokenErrorCode {
    let clientId: string | undefined;
    let secret: string | undefined;
    if (header !== undefined) {
      const match = /^basic\s+(\S+)\s*$/i.exec(header);
      if (!match) return 'invalid_client';
      const decoded = Buffer.from(match[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon <= 0) return 'invalid_client';
      if (params.has('client_secret')) return 'invalid_request';
      clientId = decoded.slice(0, colon);
      secret = decoded.slice(colon + 1);
      // Cognito's own examples repeat client_id in the body next to Basic: allowed when it is the same client.
      const bodyId = params.get('client_id');
      if (bodyId !== undefined && bodyId !== clientId) return 'invalid_client';
    } else {
      clientId = params.get('client_id');
      secret = params.get('client_secret');
    }
    if (!clientId || secret === undefined) return 'invalid_client';
    const client = this.model.clients.find((c) => c.clientId === clientId);
    if (!client || client.clientSecret === undefined || !sameSecret(secret, client.clientSecret))
      return 'invalid_client';
    return client;
  }
}

async function newSigningKey(jose: Jose): Promise<StoredSigningKey> {
  const { privateKey } = await jose.generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  return { kid: randomBytes(32).toString('base64'), privateJwk: await jose.exportJWK(privateKey) };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
