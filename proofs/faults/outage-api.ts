/** The outage scenario's way to the API: one token with every scope, a generous timeout, every outcome an answer. */
import { callApi, type ApiAnswer, type ApiRequest } from '../api-call';

const REQUEST_TIMEOUT_MS = 15_000;

/** Sends one request to a path of the API (e.g. `/categories?limit=5`). */
export type OutageApi = (path: string, request?: Omit<ApiRequest, 'token' | 'timeoutMs'>) => Promise<ApiAnswer>;

export function outageApi(apiUrl: string, token: string): OutageApi {
  return (path, request = {}) => callApi(`${apiUrl}${path}`, { ...request, token, timeoutMs: REQUEST_TIMEOUT_MS });
}
