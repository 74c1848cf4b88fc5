import type { APIGatewayProxyEvent } from 'aws-lambda';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from './errors';
import { header } from './http';

/** Largest request body accepted, in bytes (after base64 decoding). */
export const MAX_BODY_BYTES = 64 * 1024;

type BodyEvent = Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded' | 'headers' | 'multiValueHeaders'>;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** True for `application/json` and structured-syntax JSON types such as `application/merge-patch+json`. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [essence = '', ...parameters] = contentType.split(';');
  const mediaType = essence.trim().toLowerCase();
  if (mediaType !== 'application/json' && !/^application\/[a-z0-9!#$&^_.-]+\+json$/.test(mediaType)) return false;
  // JSON is UTF-8 (RFC 8259); a charset parameter, if any, must say so.
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=', 2);
    if (name.trim().toLowerCase() !== 'charset') continue;
    const charset = value
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8') return false;
  }
  return true;
}

function bodyBytes(event: BodyEvent, maxBytes: number): Buffer {
  const body = event.body ?? '';
  if (!event.isBase64Encoded) {
    // Each UTF-16 code unit takes at least one UTF-8 byte: a long string is too large without encoding it.
    if (body.length > maxBytes) throw new PayloadTooLargeError(maxBytes);
    const bytes = Buffer.from(body, 'utf8');
    if (bytes.length > maxBytes) throw new PayloadTooLargeError(maxBytes);
    return bytes;
  }
  // 4 base64 characters carry 3 bytes: reject oversized bodies before decoding them.
  if (body.length > Math.ceil(maxBytes / 3) * 4) throw new PayloadTooLargeError(maxBytes);
  if (!BASE64.test(body)) throw new ValidationError('The request body is not valid base64.', undefined, 'InvalidBody');
  const bytes = Buffer.from(body, 'base64');
  if (bytes.length > maxBytes) throw new PayloadTooLargeError(maxBytes);
  return bytes;
}

/**
 * Reads a JSON request body, in this order: size (413, counted in bytes after base64 decoding), media type (415:
 * `application/json` or `application/*+json`, optionally `charset=utf-8`; a missing `Content-Type` is refused
 * too), encoding (400 unless UTF-8), presence and syntax (400). Returns the parsed value, not yet validated.
 */
export function readJsonBody(event: BodyEvent, maxBytes: number = MAX_BODY_BYTES): unknown {
  const bytes = bodyBytes(event, maxBytes);
  const contentType = header(event, 'content-type');
  if (!isJsonMediaType(contentType)) {
    throw new UnsupportedMediaTypeError(
      contentType === undefined
        ? 'A Content-Type header is required: send the body as application/json.'
        : 'The request body must be sent as application/json (UTF-8).',
    );
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ValidationError('The request body is not valid UTF-8.', undefined, 'InvalidBody');
  }
  if (text.trim() === '') throw new ValidationError('A JSON request body is required.', undefined, 'InvalidBody');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError('The request body is not valid JSON.', undefined, 'InvalidJson');
  }
}
