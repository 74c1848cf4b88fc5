/** What the hostile-input generator produces (one request), and what it generates from (the context). */
import type { ScopeNames } from '../support';

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
