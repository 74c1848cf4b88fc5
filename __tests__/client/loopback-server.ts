/** A tiny scripted HTTP server on 127.0.0.1 for the client tests: records requests, answers with a handler. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Wait this long before answering (ms). */
  readonly delayMs?: number;
  /** Drop the connection instead of answering, as an unreachable endpoint would. */
  readonly destroy?: boolean;
}

export interface LoopbackServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  handler: (request: RecordedRequest) => Reply;
  close(): Promise<void>;
}

export async function startLoopbackServer(handler: (request: RecordedRequest) => Reply): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const state = { handler };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const reply = state.handler(recorded);
      const answer = (): void => {
        if (reply.destroy) {
          req.socket.destroy();
          return;
        }
        const body =
          reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
        res.end(body);
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get handler() {
      return state.handler;
    },
    set handler(next) {
      state.handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
