import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { HttpError } from './errors';
import type { ErrorBody } from './http-contract';

export type ResponseHeaders = Record<string, string>;

/** Headers every response carries: the API is JSON-only, authenticated and per-client, so nothing is cacheable. */
const BASE_HEADERS: Readonly<ResponseHeaders> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** A JSON response with `Content-Type: application/json`. */
export function json(statusCode: number, body: unknown, headers: ResponseHeaders = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { ...BASE_HEADERS, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** 204 No Content: no body, hence no `Content-Type`. */
export function noContent(headers: ResponseHeaders = {}): APIGatewayProxyResult {
  return { statusCode: 204, headers: { ...BASE_HEADERS, ...headers }, body: '' };
}

/** `{ "error": { code, message, details?, requestId } }` with the error's status and headers. */
export function errorResponse(error: HttpError, requestId: string): APIGatewayProxyResult {
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: [...error.details] }),
      requestId,
    },
  };
  return json(error.statusCode, body, { ...error.headers });
}

/**
 * All values of a request header, looked up case-insensitively. API Gateway REST proxy events carry both
 * `headers` (last value wins) and `multiValueHeaders`; the latter is preferred when present.
 */
export function headerValues(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>,
  name: string,
): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const [key, list] of Object.entries(event.multiValueHeaders ?? {})) {
    if (key.toLowerCase() === wanted && Array.isArray(list)) {
      for (const value of list) if (typeof value === 'string') values.push(value);
    }
  }
  if (values.length > 0) return values;
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && typeof value === 'string') values.push(value);
  }
  return values;
}

/** One request header, case-insensitively; several values are joined with ", " as HTTP allows for lists. */
export function header(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>,
  name: string,
): string | undefined {
  const values = headerValues(event, name);
  return values.length === 0 ? undefined : values.join(', ');
}
