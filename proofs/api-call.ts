/**
 * One request to the API with plain fetch, so that every outcome is counted: a status, or `network-error` when no
 * answer came (refused, reset, timed out).
 */
import { performance } from 'node:perf_hooks';

export interface ApiAnswer {
  readonly status: number | 'network-error';
  readonly headers: Headers | undefined;
  /** The body parsed as JSON; undefined when it is empty or not JSON. */
  readonly body: unknown;
  readonly text: string;
  /** performance.now() when the request was sent, and when its answer (or its failure) was in. */
  readonly started: number;
  readonly ended: number;
}

export interface ApiRequest {
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token: string;
  /** @default 'GET' */
  readonly method?: string;
  /** Sent as JSON (with `Content-Type: application/json`). */
  readonly body?: unknown;
  readonly ifMatch?: string;
  /** Sends `Accept: application/json`. */
  readonly acceptJson?: boolean;
  readonly timeoutMs: number;
}

export async function callApi(url: string, request: ApiRequest): Promise<ApiAnswer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${request.token}` };
  if (request.acceptJson) headers['Accept'] = 'application/json';
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  if (request.ifMatch !== undefined) headers['If-Match'] = request.ifMatch;
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, body, text, started, ended: performance.now() };
  } catch {
    return {
      status: 'network-error',
      headers: undefined,
      body: undefined,
      text: '',
      started,
      ended: performance.now(),
    };
  }
}
