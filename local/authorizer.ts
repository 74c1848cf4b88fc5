/**
 * The Cognito user-pool authorizer of API Gateway (COGNITO_USER_POOLS), with aws-jwt-verify's `JwtVerifier`:
 * signature against the pool's JWKS (fetched over HTTP from the local issuer, like API Gateway fetches it from
 * Cognito), expiry, issuer, and Cognito's own checks; then the method's authorization scopes.
 */
import { JwtVerifier } from 'aws-jwt-verify';
import { JwtExpiredError } from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { SimpleFetcher, type Fetcher } from 'aws-jwt-verify/https';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { javaDateString } from './aws-dates';
import { LocalStackError, TokenRejectedError } from './errors';

export interface AuthorizerIssuer {
  readonly issuer: string;
  readonly jwksUri: string;
}

export type AuthorizationResult =
  | { readonly ok: true; readonly claims: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly message: 'Unauthorized' | 'The incoming token has expired' };

/** Fetches the JWKS with the global `fetch`, which (unlike the library's default) also speaks plain HTTP. */
class LoopbackFetcher implements Fetcher {
  private readonly https = new SimpleFetcher();

  async fetch(uri: string, requestOptions?: Record<string, unknown>, data?: ArrayBuffer): Promise<ArrayBuffer> {
    if (uri.startsWith('https:')) return this.https.fetch(uri, requestOptions, data);
    const response = await fetch(uri, { signal: AbortSignal.timeout(3000) });
    if (response.status !== 200) throw new LocalStackError(`${uri}: status ${response.status}, expected 200`);
    return response.arrayBuffer();
  }
}

/**
 * The claims as API Gateway passes them to the integration (`requestContext.authorizer.claims`): every value a
 * string, and `exp` and `iat` not as the token's numbers but as dates (`Thu Jul 02 12:39:49 UTC 2026`), while
 * `auth_time` stays a number in a string (`"1782992389"`). Not documented (amazon-api-gateway-developer-guide#158);
 * seen in captured events of REST APIs with Cognito authorizers, access tokens included, which also show a
 * one-element array (`cognito:groups`) as its element. Several elements are joined with `,` as reported, not
 * documented (access tokens of the client-credentials grant have no arrays). A function must read only what both
 * forms share: `client_id` and `sub`, never the dates.
 */
function claimsAsStrings(payload: JwtPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    claims[name] =
      (name === 'exp' || name === 'iat') && typeof value === 'number' ? javaDateString(value) : claimAsString(value);
  }
  return claims;
}

function claimAsString(value: unknown): string {
  if (Array.isArray(value)) return value.map(claimAsString).join(',');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Extracts the token from the identity source: the raw token or `Bearer <token>` (exactly this spelling: a
 * spelling API Gateway might refuse is refused here too). Several `Authorization` headers are refused.
 */
function tokenFrom(header: string | readonly string[] | undefined): string | undefined {
  if (header === undefined || typeof header !== 'string') return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  const token = value.startsWith('Bearer ') ? value.slice('Bearer '.length).trim() : value;
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token) ? token : undefined;
}

/** One COGNITO_USER_POOLS authorizer: the issuers of its `provider_arns`. */
export class CognitoAuthorizer {
  private readonly verifier;

  constructor(
    readonly name: string,
    issuers: readonly AuthorizerIssuer[],
  ) {
    if (issuers.length === 0) throw new LocalStackError(`Authorizer ${name} has no user pool.`);
    const jwksCache = new SimpleJwksCache({ fetcher: new LoopbackFetcher() });
    this.verifier = JwtVerifier.create(
      issuers.map(({ issuer, jwksUri }) => ({
        issuer,
        jwksUri,
        audience: null,
        customJwtCheck: ({ payload }: { payload: JwtPayload }) => checkCognitoAccessToken(payload),
      })),
      { jwksCache },
    );
  }

  /**
   * Verifies the `Authorization` header for a method demanding one of `scopes`. Every failure but expiry is
   * `Unauthorized`; a valid token without any of the scopes is `Unauthorized` too (fail closed: 401).
   */
  async authorize(
    header: string | readonly string[] | undefined,
    scopes: readonly string[],
  ): Promise<AuthorizationResult> {
    const token = tokenFrom(header);
    // A method without authorization scopes accepts only ID tokens, and refuses access tokens; the local
    // Cognito issues access tokens only (client credentials), so such a method refuses every token.
    if (token === undefined || scopes.length === 0) return { ok: false, message: 'Unauthorized' };
    try {
      const payload = await this.verifier.verify(token, { scope: [...scopes] });
      return { ok: true, claims: claimsAsStrings(payload) };
    } catch (error) {
      if (error instanceof JwtExpiredError) return { ok: false, message: 'The incoming token has expired' };
      return { ok: false, message: 'Unauthorized' };
    }
  }
}

/**
 * Cognito's checks on top of the generic ones: an access token (`token_use: access`) naming its client, with an
 * expiry (aws-jwt-verify accepts tokens without `exp`; Cognito never issues one, so none is accepted).
 */
function checkCognitoAccessToken(payload: JwtPayload): void {
  if (typeof payload.exp !== 'number') throw new TokenRejectedError('The token has no exp claim.');
  if (payload.token_use !== 'access') throw new TokenRejectedError('The token is not an access token.');
  if (typeof payload.client_id !== 'string' || payload.client_id === '')
    throw new TokenRejectedError('The token names no client.');
}
