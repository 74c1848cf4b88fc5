/**
 * Proof (b): the token endpoint is unreachable (nothing listening, a connection reset, an endpoint that never
 * answers). `ClientCredentialsTokenProvider.getToken()` fails quickly with `TokenEndpointUnreachableError` naming
 * the URL, the failure is not cached, and once the endpoint is back the same provider gets a token that works.
 */
import * as net from 'node:net';
import { performance } from 'node:perf_hooks';
import { CategoriesClient, ClientCredentialsTokenProvider, TokenEndpointUnreachableError } from '../../client';
import { round } from '../../common/statistics';
import type { LocalStack } from '../../local/stack';
import { scopesOf, Violations } from '../support';
import { ANSWER_WITHIN_MS } from './answer-bound';
import { freePort, tcpServer } from './loopback';

export interface TokenOutageCase {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
  readonly message?: string;
}

export interface TokenOutageResult {
  readonly tokenUrl: string;
  readonly cases: readonly TokenOutageCase[];
  /** Connections the endpoint saw after recovery for 20 more token calls (0: the token is cached). */
  readonly connectionsForCachedCalls: number;
  readonly violationCount: number;
  readonly violations: readonly string[];
}

/**
 * Points a provider at a loopback port that is, in turn: closed; resetting connections; accepting and never
 * answering; then relaying to the stack's token endpoint. Checks the typed error, its message, how fast it comes,
 * that failures are not cached, and that the token obtained after recovery is accepted by the API.
 */
export async function runTokenEndpointOutage(
  stack: LocalStack,
  options: { timeoutMs?: number } = {},
): Promise<TokenOutageResult> {
  const violations = new Violations();
  const timeoutMs = options.timeoutMs ?? 1000;
  const stackPort = Number(new URL(stack.config.tokenUrl).port);
  const port = await freePort();
  const tokenUrl = `http://127.0.0.1:${port}/oauth2/token`;
  const scopes = scopesOf(stack);
  const provider = new ClientCredentialsTokenProvider({
    tokenUrl,
    clientId: stack.config.clientId,
    clientSecret: stack.config.clientSecret,
    scopes: [scopes.read],
    timeoutMs,
  });
  const api = new CategoriesClient({ apiUrl: stack.config.apiUrl, tokens: provider, timeoutMs: 5000 });
  const cases: TokenOutageCase[] = [];

  const expectUnreachable = async (name: string, run: () => Promise<unknown>): Promise<void> => {
    const started = performance.now();
    try {
      await run();
      const ms = round(performance.now() - started);
      cases.push({ name, ok: false, ms });
      violations.add(`${name}: succeeded although the token endpoint is unreachable`);
    } catch (error) {
      const ms = round(performance.now() - started);
      const typed = error instanceof TokenEndpointUnreachableError;
      const message = (error as Error).message;
      cases.push({ name, ok: typed, ms, error: (error as Error).name, message });
      if (!typed)
        violations.add(`${name}: failed with ${(error as Error).name} (${message}), not TokenEndpointUnreachableError`);
      else {
        if (error.url !== tokenUrl) violations.add(`${name}: the error's url is ${error.url}`);
        if (!message.includes(tokenUrl)) violations.add(`${name}: the message does not name ${tokenUrl}: ${message}`);
      }
      if (ms > ANSWER_WITHIN_MS) violations.add(`${name}: took ${ms} ms (more than ${ANSWER_WITHIN_MS} ms)`);
    }
  };

  // Nothing listening.
  await expectUnreachable('connection refused', () => provider.getToken());
  await expectUnreachable('connection refused, 5 concurrent callers', async () => {
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => provider.getToken()));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (results.some((r) => r.status === 'fulfilled') || !failure) return 'a caller got a token';
    for (const r of results) {
      if (!((r as PromiseRejectedResult).reason instanceof TokenEndpointUnreachableError))
        throw (r as PromiseRejectedResult).reason;
    }
    throw failure.reason;
  });
  await expectUnreachable('connection refused, through CategoriesClient.list()', () => api.list());

  // Accepts, then resets every connection.
  let server = await tcpServer(port, (socket) => socket.resetAndDestroy());
  await expectUnreachable('connection reset', () => provider.getToken());
  await server.close();

  // Accepts and never answers: the provider's own timeout must end the wait.
  server = await tcpServer(port, () => undefined);
  await expectUnreachable(`no answer (timeoutMs ${timeoutMs})`, () => provider.getToken());
  await server.close();

  // Back: a relay to the stack's token endpoint on the same port. The same provider must now get a token.
  server = await tcpServer(port, (socket) => {
    const upstream = net.connect(stackPort, '127.0.0.1');
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  try {
    const started = performance.now();
    try {
      const token = await provider.getToken();
      const page = await api.list({ limit: 1 });
      cases.push({
        name: 'endpoint back: token issued and accepted by the API',
        ok: true,
        ms: round(performance.now() - started),
      });
      if (token.split('.').length !== 3) violations.add('the token after recovery is not a JWT');
      if (!Array.isArray(page.items))
        violations.add('the API did not list categories with the token obtained after recovery');
    } catch (error) {
      cases.push({
        name: 'endpoint back',
        ok: false,
        ms: round(performance.now() - started),
        error: (error as Error).name,
        message: (error as Error).message,
      });
      violations.add(
        `after the endpoint came back, the provider still fails: ${(error as Error).name}: ${(error as Error).message}`,
      );
    }
    const before = server.connections();
    await Promise.all(Array.from({ length: 20 }, () => provider.getToken()));
    const connectionsForCachedCalls = server.connections() - before;
    if (connectionsForCachedCalls > 0)
      violations.add(`${connectionsForCachedCalls} token request(s) for a token that was cached`);
    return {
      tokenUrl,
      cases,
      connectionsForCachedCalls,
      violationCount: violations.count,
      violations: violations.messages,
    };
  } finally {
    await server.close();
  }
}

export function formatTokenOutage(result: TokenOutageResult): string {
  return (
    `token endpoint unreachable: ${result.cases.map((c) => `${c.name} → ${c.ok ? (c.error ?? 'ok') : `FAILED ${c.error ?? ''}`} in ${c.ms} ms`).join('; ')}; ` +
    `${result.connectionsForCachedCalls} requests for 20 cached calls; ${result.violationCount} violation(s)`
  );
}
