/** Error names AWS SDK v3 uses for throttling and server-side failures that are worth retrying later. */
const TRANSIENT_ERROR_NAMES: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'RequestThrottledException',
  'TooManyRequestsException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Node.js socket error codes: the endpoint is down, unreachable or cut the connection. */
const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * True when an AWS SDK error means "temporarily unavailable" (throttling, 5xx, network failure, timeout) rather
 * than a bug or a permanent problem. By the time such an error reaches the caller the SDK has already spent its
 * retries.
 */
export function isTransientAwsError(error: unknown, depth = 0): boolean {
  // Duck-typed: socket errors come from Node.js core and need not be `instanceof` this realm's Error.
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const name = property(error, 'name');
  if (typeof name === 'string' && TRANSIENT_ERROR_NAMES.has(name)) return true;
  const code = property(error, 'code');
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return true;
  const status = property(property(error, '$metadata'), 'httpStatusCode');
  if (typeof status === 'number' && status >= 500) return true;
  const cause = property(error, 'cause');
  return isTransientAwsError(cause, depth + 1);
}
