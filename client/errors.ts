/** Errors of the client library: every failure a caller can meet, typed. */

/** The token endpoint refused the request (`{"error": "invalid_client"}` and the like). */
export class TokenEndpointError extends Error {
  /**
   * @param status HTTP status of the token endpoint's answer
   * @param error the OAuth error code (`invalid_client`, `invalid_scope`, ...), or `invalid_response` when the
   *   answer was not a token response at all
   */
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description?: string,
  ) {
    super(`Token endpoint refused the request: ${error} (HTTP ${status})${description ? `: ${description}` : ''}`);
    this.name = 'TokenEndpointError';
  }
}

/** The token endpoint could not be reached (DNS, connection refused, timeout...). */
export class TokenEndpointUnreachableError extends Error {
  constructor(
    readonly url: string,
    options: { cause: unknown },
  ) {
    super(`Token endpoint ${url} is unreachable: ${describeCause(options.cause)}`, options);
    this.name = 'TokenEndpointUnreachableError';
  }
}

/**
 * Where an API error came from, as far as the answer tells. `gateway` when it carries `x-amzn-ErrorType`, which
 * API Gateway sets on the errors it sends itself (observed behaviour, not documented) and the service's functions
 * never set: so a body refused by the request model, which the stack's gateway response gives the service's
 * `{"error": {"code": "ValidationFailed", ...}}` shape, is `gateway`. Without that header the body's shape
 * decides: `{"error": {...}}` is `service`, anything else (`{"message": ...}`) `gateway`; a proxy that strips the
 * header makes such a gateway refusal read as `service`. Branch on `status` and `code`, not on this.
 */
export type ApiErrorSource = 'service' | 'gateway';

export interface ApiErrorDetail {
  readonly field: string;
  readonly message: string;
}

/** An HTTP error answer of the API, whichever part of it answered. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /**
     * The service's error code (`NotFound`, `PreconditionFailed`, `ValidationFailed`...), or for gateway answers
     * one derived from API Gateway's error type (`Unauthorized`, `MissingAuthenticationToken`, `BadRequest`...).
     */
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
    readonly details: readonly ApiErrorDetail[] | undefined,
    readonly source: ApiErrorSource,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Whether retrying the same request later may succeed (throttling, unavailability, gateway timeouts). */
  get retryable(): boolean {
    return this.status === 429 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/** The API could not be reached. */
export class ApiUnreachableError extends Error {
  constructor(
    readonly url: string,
    options: { cause: unknown },
  ) {
    super(`API ${url} is unreachable: ${describeCause(options.cause)}`, options);
    this.name = 'ApiUnreachableError';
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: unknown }).cause;
    return inner instanceof Error ? `${cause.message} (${inner.message})` : cause.message;
  }
  return String(cause);
}

/**
 * A credentials source could not give credentials: missing, unreadable, refused, or not valid credentials. The
 * message names the source and what was wrong, never a secret.
 */
export class CredentialsSourceError extends Error {
  constructor(
    /** The source's description: `secret arn:aws:secretsmanager:…`, `file .local/stack.json`, … */
    readonly source: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CredentialsSourceError';
  }
}
