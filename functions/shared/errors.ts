/** One problem with one input field, e.g. `{ field: 'name', message: 'is required' }`. */
export interface ErrorDetail {
  readonly field: string;
  readonly message: string;
}

/**
 * Base of the typed errors the handlers map to HTTP responses. The message and details are sent to the client,
 * so they must never contain internal information (use `cause` for that: it is logged, never returned).
 */
export abstract class HttpError extends Error {
  abstract readonly statusCode: number;
  readonly code: string;
  readonly details?: readonly ErrorDetail[];
  /** Extra response headers, e.g. `Retry-After`. */
  readonly headers: Readonly<Record<string, string>>;

  protected constructor(
    code: string,
    message: string,
    options: { details?: readonly ErrorDetail[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options.details !== undefined && options.details.length > 0) this.details = options.details;
    this.headers = { ...options.headers };
  }
}

/** 400: the request is malformed (body, query string, fields). */
export class ValidationError extends HttpError {
  readonly statusCode = 400;
  constructor(message: string, details?: readonly ErrorDetail[], code = 'ValidationFailed') {
    super(code, message, details === undefined ? {} : { details });
  }
}

/** 404: no such resource (or route). */
export class NotFoundError extends HttpError {
  readonly statusCode = 404;
  constructor(message: string, code = 'NotFound') {
    super(code, message);
  }
}

/** 412: an `If-Match` precondition does not hold. */
export class PreconditionFailedError extends HttpError {
  readonly statusCode = 412;
  constructor(message: string, code = 'PreconditionFailed') {
    super(code, message);
  }
}

/** 413: the request body is larger than the limit. */
export class PayloadTooLargeError extends HttpError {
  readonly statusCode = 413;
  constructor(maxBytes: number) {
    super('PayloadTooLarge', `The request body must not exceed ${maxBytes} bytes.`);
  }
}

/** 415: the request body is not in a media type the endpoint accepts. */
export class UnsupportedMediaTypeError extends HttpError {
  readonly statusCode = 415;
  constructor(message: string) {
    super('UnsupportedMediaType', message);
  }
}

/** 503: a dependency is throttling or unavailable; the client may retry after `retryAfterSeconds`. */
export class ServiceUnavailableError extends HttpError {
  readonly statusCode = 503;
  readonly retryAfterSeconds: number;
  constructor(options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    const retryAfterSeconds = options.retryAfterSeconds ?? 1;
    super('ServiceUnavailable', 'The service is temporarily unavailable. Retry the request later.', {
      headers: { 'Retry-After': String(retryAfterSeconds) },
      cause: options.cause,
    });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** 500: a bug or an unexpected state. The client only learns the request id. */
export class InternalError extends HttpError {
  readonly statusCode = 500;
  constructor(options: { cause?: unknown } = {}) {
    super('InternalError', 'An unexpected error occurred. Quote the request id when reporting it.', options);
  }
}
