/**
 * Errors the local stack raises on purpose, each saying what is wrong and what to do. `startLocalStack` rejects with
 * a `LocalStackError` for every problem of its configuration — a synthesized stack it cannot serve, options or an
 * environment it cannot use — so a caller can tell those from bugs: anything else thrown from `local/` is one.
 */
export class LocalStackError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalStackError';
  }
}

/**
 * A token the local authorizer refuses for a reason of Cognito's own (no expiry, not an access token, no client).
 * The authorizer answers it with 401 `Unauthorized`, as API Gateway does; it never reaches a caller.
 */
export class TokenRejectedError extends LocalStackError {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRejectedError';
  }
}
