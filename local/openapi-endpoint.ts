/**
 * Serves the stage's OpenAPI document at `GET /openapi.json`, generated at start-up from the same synthesized stack
 * as everything else, with the local API and token URLs. The path cannot meet the API: every API path starts with
 * a stage name, and a stage name has only letters, digits, `-` and `_` (API Gateway API reference, `Stage.stageName`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OpenApiDocument } from '../openapi/document';
import { send, sendJson } from './http';

export const OPENAPI_PATH = '/openapi.json';

export class OpenApiEndpoint {
  private readonly body: string;

  constructor(document: OpenApiDocument) {
    this.body = `${JSON.stringify(document, null, 2)}\n`;
  }

  /** Answers `GET /openapi.json`; returns false for any other path. */
  handle(request: IncomingMessage, response: ServerResponse, pathname: string): boolean {
    if (pathname !== OPENAPI_PATH) return false;
    request.resume();
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendJson(response, 405, { message: 'Method Not Allowed' }, { Allow: 'GET, HEAD' });
      return true;
    }
    // Any origin may read it, so browser-based API tools can load it by link.
    const headers = {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache',
      'Access-Control-Allow-Origin': '*',
    };
    send(response, 200, headers, request.method === 'HEAD' ? '' : this.body);
    return true;
  }
}
