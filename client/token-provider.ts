import { TokenEndpointError, TokenEndpointUnreachableError } from './errors';

/** The `fetch` the client uses; the global one by default. */
export type Fetch = typeof fetch;

export interface ClientCredentialsTokenProviderOptions {
  /** `https://<domain>.auth.<region>.amazoncognito.com/oauth2/token` (or the local stack's). */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Scopes to request; none asks for every scope the client is allowed. */
  readonly scopes?: readonly string[];
  /** Refresh this many seconds before the token expires. @default 60 */
  readonly refreshSkewSeconds?: number;
  /** How long one token request may take, in milliseconds. @default 10000 */
  readonly timeoutMs?: number;
  readonly fetch?: Fetch;
  /** Clock, in milliseconds (tests). @default Date.now */
  readonly now?: () => number;
}

/** A cached token is still handed out, when a refresh cannot reach the endpoint, until this close to expiry. */
const STILL_VALID_MARGIN_MS = 5_000;
/** After a refresh could not reach the endpoint, the next attempt waits at most this long (or half the rest of the token's life). */
const UNREACHABLE_BACKOFF_MS = 30_000;

/** A token and when it was obtained and expires. */
export interface AccessToken {
  readonly accessToken: string;
  readonly tokenType: string;
  /** Lifetime the endpoint announced, in seconds. */
  readonly expiresIn: number;
  /** When the token stops being handed out from the cache (epoch ms). */
  readonly refreshAt: number;
  readonly expiresAt: number;
}

/** Gives out bearer tokens; {@link ClientCredentialsTokenProvider} is the implementation. */
export interface TokenSource {
  getToken(): Promise<string>;
  /**
   * Drops the cached token after the API refused it as expired. With `token`, only if that token is still the
   * cached one: callers that saw the same token refused drop it once, and a newer token stays. Never cancels a
   * token request under way, which other callers may be waiting for.
   */
  invalidate(token?: string): void;
}

/**
 * OAuth2 client-credentials tokens from a Cognito token endpoint, cached until shortly before they expire
 * (Cognito charges per token request) and single-flight: concurrent callers share one request.
 *
 * A token is reused until `expires_in - refreshSkewSeconds`, but never for less than half its lifetime, so a
 * skew larger than the lifetime cannot turn every call into a token request.
 *
 * A refresh that cannot reach the endpoint (DNS, refused connection, timeout) falls back to the cached token
 * while it is still valid, and the next attempt is put off for min(30 s, half the token's remaining life): while
 * the endpoint hangs, callers get the cached token at once instead of each waiting for the timeout.
 */
export class ClientCredentialsTokenProvider implements TokenSource {
  private cached: AccessToken | undefined;
  private inflight: Promise<AccessToken> | undefined;
  private generation = 0;
  /** No refresh is attempted before this time (epoch ms, the provider's clock) after an unreachable endpoint. */
  private retryRefreshAt = 0;
  private readonly fetchFn: Fetch;
  private readonly now: () => number;
  private readonly skewMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: ClientCredentialsTokenProviderOptions) {
    if (!options.tokenUrl || !options.clientId || !options.clientSecret) {
      throw new TypeError('tokenUrl, clientId and clientSecret are required.');
    }
    const skew = options.refreshSkewSeconds ?? 60;
    if (!Number.isFinite(skew) || skew < 0) throw new RangeError('refreshSkewSeconds must be 0 or more.');
    this.skewMs = skew * 1000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? Date.now;
  }

  /** A valid access token: the cached one, or a new one (one request however many callers wait). */
  async getToken(): Promise<string> {
    return (await this.getAccessToken()).accessToken;
  }

  /** Like {@link getToken}, with the token's lifetime. */
  async getAccessToken(): Promise<AccessToken> {
    const cached = this.cached;
    const now = this.now();
    if (cached && (now < cached.refreshAt || (now < this.retryRefreshAt && this.stillValid(cached, now))))
      return cached;
    if (!this.inflight) {
      const generation = this.generation;
      const request = this.request().then(
        (token) => {
          // A token requested before invalidate() without a token is handed to its waiters but not cached.
          if (generation === this.generation) {
            this.cached = token;
            this.retryRefreshAt = 0;
          }
          return token;
        },
        (error: unknown) => {
          // An early refresh that cannot reach the endpoint rides on the cached token while it is still valid,
          // and the next attempt waits: meanwhile callers get the cached token without waiting for a timeout.
          const current = this.cached;
          const failedAt = this.now();
          if (error instanceof TokenEndpointUnreachableError && current && this.stillValid(current, failedAt)) {
            this.retryRefreshAt = failedAt + Math.min(UNREACHABLE_BACKOFF_MS, (current.expiresAt - failedAt) / 2);
            return current;
          }
          throw error;
        },
      );
      this.inflight = request;
      const clear = (): void => {
        if (this.inflight === request) this.inflight = undefined;
      };
      request.then(clear, clear);
    }
    return this.inflight;
  }

  /**
   * Drops the cached token. With `token` (the one the API refused), only if it is still the cached one, so that
   * many callers refused with the same token cause one new token request, not one each. Without it, drops
   * whatever is cached, and a token request already under way is not cached when it answers. A request under
   * way is never cancelled or repeated: whoever asks while it runs shares it.
   */
  invalidate(token?: string): void {
    if (token !== undefined) {
      if (this.cached?.accessToken === token) this.cached = undefined;
      return;
    }
    this.generation++;
    this.cached = undefined;
  }

  private stillValid(token: AccessToken, now: number): boolean {
    return now < token.expiresAt - STILL_VALID_MARGIN_MS;
  }

  private async request(): Promise<AccessToken> {
    const { tokenUrl, clientId, clientSecret, scopes } = this.options;
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scopes && scopes.length > 0) body.set('scope', scopes.join(' '));
    const started = this.now();
    let response: Response;
    try {
      response = await this.fetchFn(tokenUrl, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: body.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      throw new TokenEndpointUnreachableError(tokenUrl, { cause });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      throw new TokenEndpointUnreachableError(tokenUrl, { cause });
    }
    let json: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        json = parsed as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const error = typeof json?.error === 'string' ? json.error : 'invalid_response';
      const description = typeof json?.error_description === 'string' ? json.error_description : undefined;
      throw new TokenEndpointError(response.status, error, description);
    }
    const accessToken = json?.access_token;
    const expiresIn = json?.expires_in;
    const tokenType = json?.token_type;
    if (typeof accessToken !== 'string' || accessToken === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
      throw new TokenEndpointError(response.status, 'invalid_response', 'The answer is not a token response.');
    }
    if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
      throw new TokenEndpointError(response.status, 'invalid_response', `Unexpected token type ${String(tokenType)}.`);
    }
    const lifetimeMs = expiresIn * 1000;
    return {
      accessToken,
      tokenType,
      expiresIn,
      // Counted from when the request was sent: the token may be older than its arrival.
      refreshAt: started + Math.max(lifetimeMs - this.skewMs, lifetimeMs / 2),
      expiresAt: started + lifetimeMs,
    };
  }
}
