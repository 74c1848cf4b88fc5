/**
 * A raw-socket HTTP/1.1 client: sends a hostile request's exact bytes (duplicate headers, raw paths, broken framing)
 * on a fresh connection to 127.0.0.1, and reads whatever answer comes.
 */
import * as net from 'node:net';
import type { HostileRequest } from './hostile-request';

const REQUEST_TIMEOUT_MS = 10_000;

export interface RawAnswer {
  /** HTTP status, or what went wrong: `timeout`, `no-answer`, `error:<code>`. */
  readonly status: number | string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The request's bytes: request line, headers as given (plus Host, Content-Length and Connection: close), body. */
function requestBytes(request: HostileRequest, port: number): Buffer {
  if (request.raw) return request.raw;
  const names = new Set(request.headers.map(([name]) => name.toLowerCase()));
  const lines = [`${request.method} ${request.target} HTTP/1.1`];
  if (!names.has('host')) lines.push(`Host: 127.0.0.1:${port}`);
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  if (request.body !== undefined && !names.has('content-length') && !names.has('transfer-encoding')) {
    lines.push(`Content-Length: ${request.body.length}`);
  }
  lines.push('Connection: close', '', '');
  const head = Buffer.from(lines.join('\r\n'), 'utf8');
  return request.body === undefined ? head : Buffer.concat([head, request.body]);
}

/** Sends one request on a fresh connection to 127.0.0.1 and reads the answer until the server closes it. */
export function sendRaw(port: number, request: HostileRequest, timeoutMs = REQUEST_TIMEOUT_MS): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    let failure: string | undefined;
    const socket = net.connect({ port, host: '127.0.0.1' });
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseAnswer(Buffer.concat(chunks), failure));
    };
    const timer = setTimeout(() => {
      failure = 'timeout';
      finish();
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer (413, 431) and close while a large request is still being written: the answer counts.
      failure ??= `error:${error.code ?? error.message}`;
      finish();
    });
    socket.on('close', finish);
    socket.on('end', finish);
    socket.write(requestBytes(request, port), () => {
      if (request.halfClose) socket.end();
    });
  });
}

function parseAnswer(bytes: Buffer, failure: string | undefined): RawAnswer {
  let text = bytes.toString('latin1');
  // Interim answers (100 Continue) precede the final one.
  while (/^HTTP\/1\.[01] 1\d\d/.test(text) && text.includes('\r\n\r\n')) {
    const skip = text.indexOf('\r\n\r\n') + 4;
    text = text.slice(skip);
    bytes = bytes.subarray(skip);
  }
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  if (!match) return { status: failure ?? 'no-answer', headers: {}, body: '' };
  const end = text.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of text
    .slice(0, end === -1 ? text.length : end)
    .split('\r\n')
    .slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = end === -1 ? '' : bytes.subarray(end + 4).toString('utf8');
  return { status: Number(match[1]), headers, body };
}
