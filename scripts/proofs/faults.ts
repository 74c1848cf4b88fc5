/**
 * Proofs under faults, on 127.0.0.1 only:
 *
 * (a) DynamoDB stops in the middle of a run and comes back. While it is down every route answers 503 JSON with
 *     `Retry-After` within a few seconds (never another 5xx, never a hang); nothing is half-written; a POST made
 *     while it was down is not there afterwards; the API recovers once it is back; what was written before the
 *     outage is intact (the stack keeps DynamoDB in a temporary data folder, so a restart keeps the data).
 * (b) The token endpoint is unreachable (nothing listening, a connection reset, an endpoint that never answers):
 *     `ClientCredentialsTokenProvider.getToken()` fails quickly with `TokenEndpointUnreachableError` naming the
 *     URL, the failure is not cached, and once the endpoint is back the same provider gets a token that works.
 *
 *   tsx scripts/proofs/faults.ts
 *
 * Starts its own local stack (temporary data folder, free port), runs both, prints the figures, exits 1 on a
 * violation.
 */
import { DynamoDBClient, ListTablesCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import * as net from 'node:net';
import { performance } from 'node:perf_hooks';
import { CategoriesClient, ClientCredentialsTokenProvider, TokenEndpointUnreachableError } from '../../client';
import { parseStoredCategory } from '../../functions/categories/schema';
import type { LocalStack } from '../../local/stack';
import { latencyFigures, round, scopesOf, sortedTally, startProofStack, tally, tokensFor, Violations, writeProofReport } from './support';

/** The behaviour under test: an answer (503 while DynamoDB is down) arrives within this bound. */
export const ANSWER_WITHIN_MS = 5000;
const REQUEST_TIMEOUT_MS = 15_000;
const MAX_PHASE_MS = 15_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  readonly status: number | 'network-error';
  readonly headers: Headers | undefined;
  readonly body: any;
  readonly text: string;
  readonly started: number;
  readonly ended: number;
}

async function call(url: string, token: string, method = 'GET', extra: { body?: unknown; ifMatch?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (extra.body !== undefined) headers['Content-Type'] = 'application/json';
  if (extra.ifMatch !== undefined) headers['If-Match'] = extra.ifMatch;
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method,
      headers,
      body: extra.body === undefined ? undefined : JSON.stringify(extra.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
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
    return { status: 'network-error', headers: undefined, body: undefined, text: '', started, ended: performance.now() };
  }
}

type Item = Record<string, AttributeValue>;

async function scanAll(endpoint: string): Promise<Item[]> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  try {
    const items: Item[] = [];
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    for (const table of TableNames) {
      let start: Item | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
    }
    return items;
  } finally {
    client.destroy();
  }
}

/** An item's attributes as plain values (categories hold strings and numbers only; anything else stays typed). */
function unmarshall(item: Item): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(item).map(([name, value]) => [name, value.S !== undefined ? value.S : value.N !== undefined ? Number(value.N) : value]),
  );
}

/** Every attribute a category item is written with, with its type: a missing one means a partial write. */
function completeItemProblem(item: Item): string | undefined {
  const expected: Record<string, 'S' | 'N'> = { id: 'S', name: 'S', createdAt: 'S', updatedAt: 'S', version: 'N', createdBy: 'S', updatedBy: 'S', writeId: 'S' };
  for (const [name, type] of Object.entries(expected)) {
    if (item[name]?.[type] === undefined) return `attribute ${name} (${type}) missing`;
  }
  const plain = unmarshall(item);
  try {
    parseStoredCategory(plain);
  } catch (error) {
    return (error as Error).message;
  }
  if (!UUID.test(String(plain.id))) return `id ${String(plain.id)} is not a UUID`;
  if (Number.isNaN(Date.parse(String(plain.createdAt))) || Number.isNaN(Date.parse(String(plain.updatedAt)))) return 'timestamps do not parse';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// (a) DynamoDB outage

export interface OutageOptions {
  /** Clients running during the whole scenario. @default 4 */
  readonly clients?: number;
  /** Load before the outage, length of the outage, load after recovery (ms). @default 1000, 2000, 1000 */
  readonly beforeMs?: number;
  readonly outageMs?: number;
  readonly afterMs?: number;
}

export interface OutageResult {
  readonly requests: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** Requests made and answered entirely while DynamoDB was down, by status. */
  readonly duringOutage: Readonly<Record<string, number>>;
  /** Requests made after the first success following the restart, by status. */
  readonly afterRecovery: Readonly<Record<string, number>>;
  /** Per-route probes while DynamoDB was down: status and ms. */
  readonly probes: ReadonlyArray<{ readonly route: string; readonly status: number | string; readonly retryAfter: string | null; readonly ms: number }>;
  readonly timings: {
    readonly stopMs: number;
    /** From the stop to the first 503 answer of the load. */
    readonly firstUnavailableAfterStopMs: number | null;
    readonly unavailable: ReturnType<typeof latencyFigures> & { readonly count: number };
    readonly outageMs: number;
    readonly restartMs: number;
    /** From the restart call to the first successful request. */
    readonly recoveryMs: number | null;
  };
  readonly posts: { readonly acknowledged: number; readonly refusedDuringOutage: number; readonly ambiguous: number; readonly ambiguousPresent: number };
  readonly items: { readonly before: number; readonly after: number; readonly checked: number };
  readonly violationCount: number;
  readonly violations: readonly string[];
}

interface Owned {
  id: string;
  /** Last state the API acknowledged or a successful read showed. */
  known: { version: number; name: string };
  /** PUTs whose outcome is unknown (503 or no answer) since `known`. */
  readonly uncertain: Array<{ version: number; name: string }>;
  resync: boolean;
}

/** Runs the DynamoDB outage scenario on a stack whose DynamoDB persists (a data folder). */
export async function runDynamoDbOutage(stack: LocalStack, options: OutageOptions = {}): Promise<OutageResult> {
  const clients = Math.max(1, Math.min(options.clients ?? 4, 16));
  const beforeMs = Math.min(options.beforeMs ?? 1000, 5000);
  const outageMs = Math.min(options.outageMs ?? 2000, 10_000);
  const afterMs = Math.min(options.afterMs ?? 1000, 5000);
  const violations = new Violations();
  const api = stack.config.apiUrl;
  const scopes = scopesOf(stack);
  const token = await tokensFor(stack.config, [scopes.read, scopes.write, scopes.update, scopes.delete]).getToken();

  // Data written before the outage: untouched categories, one updated twice, and one per client to update.
  const stable: string[] = [];
  for (let i = 0; i < 10; i++) {
    const created = await call(`${api}/categories`, token, 'POST', { body: { name: `Before the outage ${i + 1}`, description: 'must survive' } });
    if (created.status !== 201) throw new Error(`seeding failed: ${created.status} ${created.text}`);
    stable.push(created.body.id as string);
  }
  const updated = stable[0] as string;
  for (const [version, name] of [[1, 'Updated once'], [2, 'Updated twice']] as const) {
    const answer = await call(`${api}/categories/${updated}`, token, 'PUT', { body: { name }, ifMatch: `"${version}"` });
    if (answer.status !== 200) throw new Error(`seeding update failed: ${answer.status} ${answer.text}`);
  }
  const owned: Owned[] = [];
  for (let i = 0; i < clients; i++) {
    const created = await call(`${api}/categories`, token, 'POST', { body: { name: `Owned by client ${i}` } });
    if (created.status !== 201) throw new Error(`seeding failed: ${created.status}`);
    owned.push({ id: created.body.id, known: { version: 1, name: `Owned by client ${i}` }, uncertain: [], resync: false });
  }
  const itemsBefore = await scanAll(stack.dynamodbEndpoint);
  const stableIds = new Set(stable);
  const stableBefore = new Map(itemsBefore.filter((item) => stableIds.has(item.id?.S as string)).map((item) => [item.id?.S as string, JSON.stringify(unmarshall(item))]));

  // The load: every client posts, lists, reads and updates its own category, until told to stop.
  const answers: Array<{ op: string; answer: Answer; postName?: string }> = [];
  const posts: Array<{ name: string; answer: Answer }> = [];
  let stopLoad = false;
  const loadDeadline = performance.now() + MAX_PHASE_MS * 2;
  const client = async (index: number): Promise<void> => {
    const mine = owned[index] as Owned;
    let n = 0;
    while (!stopLoad && performance.now() < loadDeadline && answers.length < 20_000) {
      n++;
      const next = (['post', 'list', 'get', 'put'] as const)[n % 4];
      // After a PUT with an unknown outcome, the client reads its category again before its next PUT.
      const op = next === 'put' && mine.resync ? 'resync' : next;
      if (op === 'post') {
        const name = `During the run ${index}-${n}`;
        const answer = await call(`${api}/categories`, token, 'POST', { body: { name } });
        answers.push({ op, answer, postName: name });
        posts.push({ name, answer });
      } else if (op === 'list') {
        answers.push({ op, answer: await call(`${api}/categories?limit=5`, token) });
      } else if (op === 'get') {
        answers.push({ op, answer: await call(`${api}/categories/${stable[n % stable.length]}`, token) });
      } else if (op === 'resync') {
        const answer = await call(`${api}/categories/${mine.id}`, token);
        answers.push({ op, answer });
        if (answer.status === 200) {
          mine.known = { version: answer.body.version, name: answer.body.name };
          mine.uncertain.length = 0;
          mine.resync = false;
        }
      } else {
        const name = `Client ${index} update ${n}`;
        const answer = await call(`${api}/categories/${mine.id}`, token, 'PUT', { body: { name }, ifMatch: `"${mine.known.version}"` });
        answers.push({ op, answer });
        if (answer.status === 200) {
          mine.known = { version: answer.body.version, name: answer.body.name };
          mine.uncertain.length = 0;
        } else {
          mine.uncertain.push({ version: mine.known.version + 1, name });
          mine.resync = true;
        }
      }
      await sleep(2);
    }
  };
  const running = Promise.all(Array.from({ length: clients }, (_, i) => client(i)));

  await sleep(beforeMs);
  const stopCalled = performance.now();
  await stack.stopDynamoDb();
  const downAt = performance.now();

  // One probe per route while it is down, besides the load.
  await sleep(Math.min(300, outageMs / 4));
  const probes: Array<{ route: string; status: number | string; retryAfter: string | null; ms: number }> = [];
  for (const [route, method, path, body, ifMatch] of [
    ['GET /categories', 'GET', '/categories', undefined, undefined],
    ['POST /categories', 'POST', '/categories', { name: 'Probe while down' }, undefined],
    ['GET /categories/{id}', 'GET', `/categories/${stable[1]}`, undefined, undefined],
    ['PUT /categories/{id}', 'PUT', `/categories/${stable[1]}`, { name: 'Probe while down' }, '"1"'],
    ['DELETE /categories/{id}', 'DELETE', `/categories/${stable[1]}`, undefined, '"1"'],
  ] as const) {
    const answer = await call(`${api}${path}`, token, method, { body, ifMatch });
    answers.push({ op: `probe ${route}`, answer, postName: method === 'POST' ? 'Probe while down' : undefined });
    if (method === 'POST') posts.push({ name: 'Probe while down', answer });
    probes.push({ route, status: answer.status, retryAfter: answer.headers?.get('retry-after') ?? null, ms: round(answer.ended - answer.started) });
  }
  await sleep(Math.max(0, outageMs - (performance.now() - downAt)));

  const restartCalled = performance.now();
  await stack.startDynamoDb();
  const upAt = performance.now();
  // Recovery: the first request that succeeds after the restart.
  let recoveredAt: number | undefined;
  while (recoveredAt === undefined && performance.now() - upAt < MAX_PHASE_MS) {
    const answer = await call(`${api}/categories?limit=1`, token);
    if (answer.status === 200) recoveredAt = answer.ended;
    else await sleep(20);
  }
  const firstSuccess = answers
    .filter(({ answer }) => answer.started >= restartCalled && typeof answer.status === 'number' && answer.status < 300)
    .reduce<number | undefined>((min, { answer }) => (min === undefined || answer.ended < min ? answer.ended : min), recoveredAt);
  if (recoveredAt === undefined) violations.add(`the API did not recover within ${MAX_PHASE_MS / 1000} s of DynamoDB's restart`);
  await sleep(afterMs);
  stopLoad = true;
  await running;

  // Every answer: 503 is the only 5xx, JSON with Retry-After, and nothing took longer than the bound.
  const statuses: Record<string, number> = {};
  const duringOutage: Record<string, number> = {};
  const afterRecovery: Record<string, number> = {};
  const unavailable: number[] = [];
  for (const { op, answer } of answers) {
    tally(statuses, answer.status);
    const ms = answer.ended - answer.started;
    if (answer.status === 'network-error') violations.add(`${op}: no answer (network error)`);
    else if (answer.status >= 500 && answer.status !== 503) violations.add(`${op}: ${answer.status} ${answer.text.slice(0, 200)}`);
    if (answer.status === 503) {
      unavailable.push(ms);
      const retryAfter = answer.headers?.get('retry-after');
      if (!retryAfter || !/^[1-9]\d*$/.test(retryAfter)) violations.add(`${op}: 503 without a valid Retry-After (${retryAfter})`);
      if (!/^application\/json/.test(answer.headers?.get('content-type') ?? '') || answer.body?.error?.code !== 'ServiceUnavailable') {
        violations.add(`${op}: 503 that is not the JSON ServiceUnavailable error: ${answer.text.slice(0, 200)}`);
      }
      if (/ECONNREFUSED|127\.0\.0\.1|stack|Error:/.test(answer.text)) violations.add(`${op}: 503 leaks internals: ${answer.text.slice(0, 200)}`);
    }
    if (ms > ANSWER_WITHIN_MS) violations.add(`${op}: answered ${answer.status} after ${Math.round(ms)} ms (more than ${ANSWER_WITHIN_MS} ms)`);
    if (answer.started >= downAt && answer.ended <= restartCalled) {
      tally(duringOutage, answer.status);
      if (answer.status !== 503) violations.add(`${op}: answered ${answer.status} while DynamoDB was down`);
    }
    if (firstSuccess !== undefined && answer.started >= firstSuccess) {
      tally(afterRecovery, answer.status);
      if (typeof answer.status !== 'number' || answer.status >= 300) violations.add(`${op}: answered ${answer.status} after the API had recovered`);
    }
  }
  for (const probe of probes) if (probe.status !== 503) violations.add(`probe ${probe.route} while DynamoDB was down: ${probe.status}`);
  if (Object.values(duringOutage).reduce((a, b) => a + b, 0) < clients) violations.add('too few requests ran while DynamoDB was down to prove anything');
  if ((afterRecovery['200'] ?? 0) + (afterRecovery['201'] ?? 0) < clients) violations.add('too few requests succeeded after recovery to prove it');
  const firstUnavailable = answers
    .filter(({ answer }) => answer.status === 503)
    .reduce<number | undefined>((min, { answer }) => (min === undefined || answer.ended < min ? answer.ended : min), undefined);

  // The data: complete items only; everything written before is intact; outage POSTs are absent.
  const itemsAfter = await scanAll(stack.dynamodbEndpoint);
  for (const item of itemsAfter) {
    const problem = completeItemProblem(item);
    if (problem) violations.add(`partial or malformed item ${JSON.stringify(item).slice(0, 200)}: ${problem}`);
  }
  const byId = new Map(itemsAfter.map((item) => [item.id?.S as string, unmarshall(item)]));
  const byName = new Map<string, number>();
  for (const item of byId.values()) byName.set(String(item.name), (byName.get(String(item.name)) ?? 0) + 1);
  for (const [id, before] of stableBefore) {
    const after = byId.get(id);
    if (!after) violations.add(`category ${id}, written before the outage, is gone`);
    else if (JSON.stringify(after) !== before) violations.add(`category ${id}, written before the outage, changed: ${JSON.stringify(after)} (was ${before})`);
  }
  for (const mine of owned) {
    const item = byId.get(mine.id);
    if (!item) {
      violations.add(`category ${mine.id} (updated during the run) is gone`);
      continue;
    }
    const explained =
      (item.version === mine.known.version && item.name === mine.known.name) ||
      mine.uncertain.some((u) => u.version === item.version && u.name === item.name);
    if (!explained) violations.add(`category ${mine.id} is at version ${item.version} "${item.name}", last acknowledged ${JSON.stringify(mine.known)}`);
  }
  let acknowledged = 0;
  let refusedDuringOutage = 0;
  let ambiguous = 0;
  let ambiguousPresent = 0;
  const explainedNames = new Set<string>();
  for (const { name, answer } of posts) {
    const present = byName.get(name) ?? 0;
    explainedNames.add(name);
    if (present > 1) violations.add(`POST "${name}" is stored ${present} times`);
    if (answer.status === 201) {
      acknowledged++;
      if (present === 0) violations.add(`POST "${name}" was acknowledged (201) but is not stored`);
    } else if (answer.started >= downAt && answer.ended <= restartCalled) {
      refusedDuringOutage++;
      if (present > 0) violations.add(`POST "${name}", refused while DynamoDB was down, is stored`);
    } else {
      // Under way when DynamoDB stopped or restarted: either outcome is correct, as long as the item is whole.
      ambiguous++;
      if (present > 0) ambiguousPresent++;
    }
  }
  for (const item of byId.values()) {
    const id = String(item.id);
    if (!stableIds.has(id) && !owned.some((o) => o.id === id) && !explainedNames.has(String(item.name))) {
      violations.add(`category ${id} "${String(item.name)}" was stored by no request of the run`);
    }
  }
  if (refusedDuringOutage === 0) violations.add('no POST was refused while DynamoDB was down: the outage was not exercised');

  return {
    requests: answers.length,
    statuses: sortedTally(statuses),
    duringOutage: sortedTally(duringOutage),
    afterRecovery: sortedTally(afterRecovery),
    probes,
    timings: {
      stopMs: round(downAt - stopCalled),
      firstUnavailableAfterStopMs: firstUnavailable === undefined ? null : round(firstUnavailable - stopCalled),
      unavailable: { count: unavailable.length, ...latencyFigures(unavailable) },
      outageMs: round(restartCalled - stopCalled),
      restartMs: round(upAt - restartCalled),
      recoveryMs: firstSuccess === undefined ? null : round(firstSuccess - restartCalled),
    },
    posts: { acknowledged, refusedDuringOutage, ambiguous, ambiguousPresent },
    items: { before: itemsBefore.length, after: itemsAfter.length, checked: itemsAfter.length },
    violationCount: violations.count,
    violations: violations.messages,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// (b) Token endpoint unreachable

/** A free port on 127.0.0.1 (listened on, then closed). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server on `port` whose connections do what `onConnection` says; `close` also ends its connections. */
async function tcpServer(port: number, onConnection: (socket: net.Socket) => void): Promise<{ connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    connections: () => count,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

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
export async function runTokenEndpointOutage(stack: LocalStack, options: { timeoutMs?: number } = {}): Promise<TokenOutageResult> {
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
      if (!typed) violations.add(`${name}: failed with ${(error as Error).name} (${message}), not TokenEndpointUnreachableError`);
      else {
        if ((error as TokenEndpointUnreachableError).url !== tokenUrl) violations.add(`${name}: the error's url is ${(error as TokenEndpointUnreachableError).url}`);
        if (!message.includes(tokenUrl)) violations.add(`${name}: the message does not name ${tokenUrl}: ${message}`);
      }
      if (ms > ANSWER_WITHIN_MS) violations.add(`${name}: took ${ms} ms (more than ${ANSWER_WITHIN_MS} ms)`);
    }
  };

  // Nothing listening.
  await expectUnreachable('connection refused', () => provider.getToken());
  await expectUnreachable('connection refused, 5 concurrent callers', async () => {
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => provider.getToken()));
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    if (results.some((r) => r.status === 'fulfilled') || !failure) return 'a caller got a token';
    for (const r of results) {
      if (!((r as PromiseRejectedResult).reason instanceof TokenEndpointUnreachableError)) throw (r as PromiseRejectedResult).reason;
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
      cases.push({ name: 'endpoint back: token issued and accepted by the API', ok: true, ms: round(performance.now() - started) });
      if (token.split('.').length !== 3) violations.add('the token after recovery is not a JWT');
      if (!Array.isArray(page.items)) violations.add('the API did not list categories with the token obtained after recovery');
    } catch (error) {
      cases.push({ name: 'endpoint back', ok: false, ms: round(performance.now() - started), error: (error as Error).name, message: (error as Error).message });
      violations.add(`after the endpoint came back, the provider still fails: ${(error as Error).name}: ${(error as Error).message}`);
    }
    const before = server.connections();
    await Promise.all(Array.from({ length: 20 }, () => provider.getToken()));
    const connectionsForCachedCalls = server.connections() - before;
    if (connectionsForCachedCalls > 0) violations.add(`${connectionsForCachedCalls} token request(s) for a token that was cached`);
    return { tokenUrl, cases, connectionsForCachedCalls, violationCount: violations.count, violations: violations.messages };
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------

export function formatOutage(result: OutageResult): string {
  const t = result.timings;
  return (
    `DynamoDB outage: ${result.requests} requests, statuses ${JSON.stringify(result.statuses)}; while down ${JSON.stringify(result.duringOutage)}, ` +
    `after recovery ${JSON.stringify(result.afterRecovery)}; stop ${t.stopMs} ms, first 503 ${t.firstUnavailableAfterStopMs} ms after the stop, ` +
    `503 latency p50 ${t.unavailable.p50Ms} / p99 ${t.unavailable.p99Ms} / max ${t.unavailable.maxMs} ms (${t.unavailable.count}), ` +
    `probes ${result.probes.map((p) => `${p.route} ${p.status} in ${p.ms} ms`).join(', ')}; outage ${t.outageMs} ms, restart ${t.restartMs} ms, ` +
    `recovered ${t.recoveryMs} ms after the restart; POSTs: ${result.posts.acknowledged} acknowledged, ${result.posts.refusedDuringOutage} refused while down (none stored), ` +
    `${result.posts.ambiguous} under way at a transition (${result.posts.ambiguousPresent} stored); ${result.items.after} items, all whole; ` +
    `${result.violationCount} violation(s)`
  );
}

export function formatTokenOutage(result: TokenOutageResult): string {
  return (
    `token endpoint unreachable: ${result.cases.map((c) => `${c.name} → ${c.ok ? (c.error ?? 'ok') : `FAILED ${c.error ?? ''}`} in ${c.ms} ms`).join('; ')}; ` +
    `${result.connectionsForCachedCalls} requests for 20 cached calls; ${result.violationCount} violation(s)`
  );
}

async function main(): Promise<void> {
  if (process.argv.length > 2) throw new Error('Usage: tsx scripts/proofs/faults.ts (no options)');
  const proof = await startProofStack({ persist: true });
  try {
    const outage = await runDynamoDbOutage(proof.stack);
    const token = await runTokenEndpointOutage(proof.stack);
    console.log(formatOutage(outage));
    console.log(formatTokenOutage(token));
    console.log(`figures in ${writeProofReport('faults', { outage, token })}`);
    const violations = [...outage.violations, ...token.violations];
    if (outage.violationCount + token.violationCount > 0) {
      console.error(`FAULTS FAILED: ${outage.violationCount + token.violationCount} violation(s):\n  ${violations.join('\n  ')}`);
      process.exitCode = 1;
    }
  } finally {
    await proof.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
