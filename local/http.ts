/** Small HTTP helpers shared by the local token endpoint and gateway. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalStackError } from './errors';

/** A request body over the limit: the gateway answers it with its REQUEST_TOO_LARGE response (413). */
export class BodyTooLargeError extends LocalStackError {
  constructor(readonly limit: number) {
    super(`HTTP content length exceeded ${limit} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

/** Reads the whole request body, refusing more than `limit` bytes. */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      request.resume();
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    request.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
}

export type HeaderValue = string | readonly string[];

/** Sends a response with the given headers and body (a string is sent as UTF-8). */
export function send(
  response: ServerResponse,
  status: number,
  headers: Readonly<Record<string, HeaderValue>>,
  body: string | Buffer,
): void {
  if (response.headersSent) return;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  response.writeHead(status, { ...headers, 'Content-Length': String(bytes.length) } as Record<
    string,
    string | string[]
  >);
  response.end(bytes);
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, HeaderValue>> = {},
): void {
  send(response, status, { 'Content-Type': 'application/json', ...headers }, JSON.stringify(body));
}

/** The media type of a `Content-Type` value, lower-cased, without parameters (`application/json`). */
export function mediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const essence = contentType.split(';', 1)[0]?.trim().toLowerCase();
  return essence === '' ? undefined : essence;
}
