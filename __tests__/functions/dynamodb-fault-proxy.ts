import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does with one DynamoDB request:
 * - `forward`: pass it through;
 * - `throttle`: answer 400 ProvisionedThroughputExceededException, as DynamoDB does, without forwarding;
 * - `server-error`: answer 500 InternalServerError without forwarding;
 * - `drop-response`: forward it (so the write happens), then cut the connection before answering;
 * - `reset`: cut the connection without forwarding (endpoint down);
 * - `hang`: never answer.
 */
export type FaultAction = 'forward' | 'throttle' | 'server-error' | 'drop-response' | 'reset' | 'hang';

/** Decides per request; `operation` is the DynamoDB operation name, e.g. `UpdateItem`. */
export type FaultRule = (operation: string, body: Record<string, unknown>) => FaultAction;

/** Rewrites a forwarded response body (JSON) of an operation. */
export type ResponseRewrite = (operation: string, body: Record<string, unknown>) => Record<string, unknown>;

export interface FaultProxy {
  readonly endpoint: string;
  /** Operation names seen so far, in arrival order. */
  readonly operations: string[];
  rule: FaultRule;
  rewrite?: ResponseRewrite;
  stop(): Promise<void>;
}

function awsError(type: string, message: string): string {
  return JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });
}

/** A loopback HTTP proxy in front of a DynamoDB endpoint that injects the failures real DynamoDB can produce. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const hanging = new Set<() => void>();

  const proxy: FaultProxy = {
    endpoint: '',
    operations: [],
    rule: () => 'forward',
    stop: () => Promise.resolve(),
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      proxy.operations.push(operation);
      const parsed = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
      const action = proxy.rule(operation, parsed);
      const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'FAULTPROXY' };
      switch (action) {
        case 'throttle':
          res.writeHead(400, headers).end(awsError('ProvisionedThroughputExceededException', 'Rate exceeded'));
          return;
        case 'server-error':
          res.writeHead(500, headers).end(awsError('InternalServerError', 'Internal server error'));
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'hang':
          hanging.add(() => req.socket.destroy());
          return;
        default:
          break;
      }
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (upstreamRes) => {
          const body: Buffer[] = [];
          upstreamRes.on('data', (chunk: Buffer) => body.push(chunk));
          upstreamRes.on('end', () => {
            if (action === 'drop-response') {
              req.socket.destroy();
              return;
            }
            let payload = Buffer.concat(body);
            const responseHeaders: IncomingHttpHeaders = { ...upstreamRes.headers };
            if (proxy.rewrite !== undefined && (upstreamRes.statusCode ?? 500) < 300) {
              const rewritten = proxy.rewrite(
                operation,
                JSON.parse(payload.toString('utf8')) as Record<string, unknown>,
              );
              payload = Buffer.from(JSON.stringify(rewritten), 'utf8');
              delete responseHeaders['x-amz-crc32'];
              responseHeaders['content-length'] = String(payload.length);
            }
            res.writeHead(upstreamRes.statusCode ?? 500, responseHeaders).end(payload);
          });
        },
      );
      forwarded.on('error', () => req.socket.destroy());
      forwarded.end(raw);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(proxy, {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const release of hanging) release();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
  return proxy;
}
