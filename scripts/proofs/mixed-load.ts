/**
 * Proof under load: concurrent clients run a mixed CRUD workload against the API, then every acknowledged write
 * is read back.
 *
 *   tsx scripts/proofs/mixed-load.ts [--duration 10] [--concurrency 20] [--seed 1] [--max-requests 100000]
 *
 * Starts its own local stack (DynamoDB in memory, free port on 127.0.0.1), creates 20 categories, then has
 * `concurrency` clients (1 to 50) run for `duration` seconds (at most 60, and at most `max-requests` requests):
 * 25 % GET /categories (sometimes following nextToken), 25 % GET /categories/{id}, 20 % POST, 20 % PUT with
 * If-Match from the client's last read of that category, 10 % DELETE with If-Match. Tokens come from one cached
 * ClientCredentialsTokenProvider per scope; requests are plain fetch calls so that every status is counted.
 *
 * Violations (any one fails the proof, and the CLI exits 1):
 * - a 5xx, a network error or timeout, or any status the operation cannot legitimately answer (list 200; get
 *   200/404; POST 201; PUT 200/404/412; DELETE 204/404/412);
 * - a 404 for a category nobody tried to delete; a read that misses an acknowledged write or delete that
 *   finished before the read started (reads are strongly consistent); two acknowledged writes with one version;
 *   a PUT answered with a version other than If-Match + 1;
 * - afterwards: an acknowledged category that is not readable with its latest acknowledged version and content
 *   (a later version only where an outcome was unknown), an acknowledged DELETE whose category is still there,
 *   or a listing that differs from what the acknowledged writes leave.
 * 412 Precondition Failed (another client wrote first) and 404 after a concurrent delete are expected; they are
 * counted.
 */
import { performance } from 'node:perf_hooks';
import { prng } from '../../__tests__/support/prng';
import type { ClientCredentialsTokenProvider } from '../../client';
import {
  DEFAULT_SCOPES,
  latencyFigures,
  numberFlags,
  round,
  scopesOf,
  sortedTally,
  startProofStack,
  tally,
  tokensFor,
  Violations,
  writeProofReport,
  type ApiTarget,
  type LatencyFigures,
  type ScopeNames,
} from './support';

export const MAX_DURATION_MS = 60_000;
export const MAX_CONCURRENCY = 50;
export const MAX_REQUESTS = 100_000;
const REQUEST_TIMEOUT_MS = 10_000;

export type Operation = 'list' | 'get' | 'create' | 'replace' | 'delete';

/** Share of each operation (cumulative thresholds are derived from these). */
export const MIX: Readonly<Record<Operation, number>> = { list: 0.25, get: 0.25, create: 0.2, replace: 0.2, delete: 0.1 };

/** What each operation may answer without breaking a rule. */
const ALLOWED: Readonly<Record<Operation, readonly number[]>> = {
  list: [200],
  get: [200, 404],
  create: [201],
  replace: [200, 404, 412],
  delete: [204, 404, 412],
};

export interface MixedLoadOptions {
  /** How long the clients run, in ms (capped at 60 s). @default 10000 */
  readonly durationMs?: number;
  /** Concurrent clients, 1 to 50. @default 20 */
  readonly concurrency?: number;
  /** Stop after this many requests (capped at 100 000). @default 100000 */
  readonly maxRequests?: number;
  /** Seed of the clients' choices (operations, targets, values). @default 1 */
  readonly seed?: number;
  /** Categories created before the clients start. @default 20 */
  readonly initialItems?: number;
  readonly scopes?: ScopeNames;
}

export interface OperationFigures extends LatencyFigures {
  readonly count: number;
  readonly statuses: Readonly<Record<string, number>>;
}

export interface MixedLoadResult extends LatencyFigures {
  readonly concurrency: number;
  readonly durationMs: number;
  readonly seed: number;
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly operations: Readonly<Record<Operation, OperationFigures>>;
  /** 412s: a client's If-Match lost to another client's write (expected, counted). */
  readonly preconditionFailed: number;
  readonly acknowledged: { readonly creates: number; readonly replaces: number; readonly deletes: number };
  readonly verification: {
    /** Categories checked one by one afterwards (all that were ever acknowledged). */
    readonly checked: number;
    readonly live: number;
    readonly deleted: number;
    /** Categories listed through the API's pages afterwards. */
    readonly listed: number;
  };
  readonly violationCount: number;
  /** The first violations, verbatim (empty when the proof holds). */
  readonly violations: readonly string[];
}

interface Content {
  readonly name: string;
  readonly description?: string;
}

/** What the acknowledged answers say about one category. */
interface LedgerEntry {
  /** Content of each version an acknowledged write produced. */
  readonly versions: Map<number, Content>;
  latestVersion: number;
  /** When each acknowledged version's answer arrived (performance.now()). */
  readonly ackedAt: Array<{ readonly version: number; readonly at: number }>;
  deletedAt: number | undefined;
  /** DELETEs sent for it (acknowledged or not): a 404 is only legitimate after one. */
  deleteAttempts: number;
  /** Requests on it whose outcome is unknown (network error, 5xx): a later version is then possible. */
  unknownOutcomes: number;
}

interface Answer {
  readonly status: number | 'network-error';
  readonly headers: Headers | undefined;
  readonly body: any;
}

interface CategoryJson {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly version: number;
}

function isCategory(value: unknown): value is CategoryJson {
  const v = value as Partial<CategoryJson> | null;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.name === 'string' && Number.isInteger(v.version);
}

/** A set with O(1) random pick and removal. */
class IdPool {
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();

  add(id: string): void {
    if (this.index.has(id)) return;
    this.index.set(id, this.ids.length);
    this.ids.push(id);
  }

  remove(id: string): void {
    const at = this.index.get(id);
    if (at === undefined) return;
    const last = this.ids.pop() as string;
    this.index.delete(id);
    if (last !== id) {
      this.ids[at] = last;
      this.index.set(last, at);
    }
  }

  pick(random: () => number): string | undefined {
    return this.ids.length === 0 ? undefined : this.ids[Math.floor(random() * this.ids.length)];
  }

  get size(): number {
    return this.ids.length;
  }
}

const WORDS = ['Books', 'Music', 'Garden', 'Tools', 'Toys', 'Kitchen', 'Sports', 'Travel', 'Films', 'Games', 'Café', 'Ünïcode', '書籍', '🎲 Dice'];

/**
 * Runs the mixed workload against `target` and verifies every acknowledged write afterwards. The API should hold
 * no categories other than the ones this run creates (a fresh stack): the final listing is compared exactly.
 */
export async function runMixedLoad(target: ApiTarget, options: MixedLoadOptions = {}): Promise<MixedLoadResult> {
  const concurrency = Math.trunc(options.concurrency ?? 20);
  if (!(concurrency >= 1 && concurrency <= MAX_CONCURRENCY)) throw new RangeError(`concurrency must be 1 to ${MAX_CONCURRENCY}.`);
  const durationMs = Math.min(Math.max(0, options.durationMs ?? 10_000), MAX_DURATION_MS);
  const maxRequests = Math.min(Math.max(0, options.maxRequests ?? MAX_REQUESTS), MAX_REQUESTS);
  const seed = options.seed ?? 1;
  const initialItems = Math.min(Math.max(0, options.initialItems ?? 20), 200);
  const scopes = options.scopes ?? DEFAULT_SCOPES;
  const apiUrl = target.apiUrl.replace(/\/+$/, '');

  const providers: Record<keyof ScopeNames, ClientCredentialsTokenProvider> = {
    read: tokensFor(target, [scopes.read]),
    write: tokensFor(target, [scopes.write]),
    update: tokensFor(target, [scopes.update]),
    delete: tokensFor(target, [scopes.delete]),
  };
  // Fetch every token once up front: the run measures the API, not the token endpoint.
  await Promise.all(Object.values(providers).map((p) => p.getToken()));

  const violations = new Violations();
  const ledger = new Map<string, LedgerEntry>();
  const pool = new IdPool();
  const statuses: Record<string, number> = {};
  const perOperation = Object.fromEntries(
    (Object.keys(MIX) as Operation[]).map((op) => [op, { latencies: [] as number[], statuses: {} as Record<string, number> }]),
  ) as Record<Operation, { latencies: number[]; statuses: Record<string, number> }>;
  const latencies: number[] = [];
  const listedDuringRun = new Set<string>();
  const acknowledged = { creates: 0, replaces: 0, deletes: 0 };
  let measuring = false;

  const call = async (
    operation: Operation,
    method: string,
    path: string,
    scope: keyof ScopeNames,
    extra: { body?: unknown; ifMatch?: string } = {},
  ): Promise<Answer> => {
    const token = await providers[scope].getToken();
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (extra.body !== undefined) headers['Content-Type'] = 'application/json';
    if (extra.ifMatch !== undefined) headers['If-Match'] = extra.ifMatch;
    const started = performance.now();
    let answer: Answer;
    try {
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers,
        body: extra.body === undefined ? undefined : JSON.stringify(extra.body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      answer = { status: response.status, headers: response.headers, body };
    } catch {
      answer = { status: 'network-error', headers: undefined, body: undefined };
    }
    if (measuring) {
      const ms = performance.now() - started;
      latencies.push(ms);
      perOperation[operation].latencies.push(ms);
      tally(statuses, answer.status);
      tally(perOperation[operation].statuses, answer.status);
      if (!ALLOWED[operation].includes(answer.status as number)) {
        violations.add(`${method} ${path} (${operation}) answered ${answer.status}${answer.body ? `: ${JSON.stringify(answer.body).slice(0, 200)}` : ''}`);
      }
    }
    return answer;
  };

  const entryOf = (id: string): LedgerEntry | undefined => ledger.get(id);
  const noteUnknown = (id: string, answer: Answer): void => {
    if (typeof answer.status !== 'number' || answer.status >= 500) {
      const entry = entryOf(id);
      if (entry) entry.unknownOutcomes++;
    }
  };
  /** Records an acknowledged version; two acknowledged writes must never share one. */
  const acknowledge = (id: string, category: CategoryJson, what: string): void => {
    const entry = entryOf(id);
    if (!entry) {
      violations.add(`${what} acknowledged category ${id}, which no acknowledged POST created`);
      return;
    }
    if (entry.versions.has(category.version)) {
      violations.add(`${what} of ${id} acknowledged version ${category.version}, which an earlier acknowledged write already produced (lost update)`);
    }
    const content: Content = category.description === undefined ? { name: category.name } : { name: category.name, description: category.description };
    entry.versions.set(category.version, content);
    entry.ackedAt.push({ version: category.version, at: performance.now() });
    entry.latestVersion = Math.max(entry.latestVersion, category.version);
  };
  /** A strongly consistent read started at `started` must see every write acknowledged before it. */
  const checkRead = (id: string, started: number, answer: Answer): void => {
    const entry = entryOf(id);
    if (!entry) return;
    if (answer.status === 404) {
      if (entry.deleteAttempts === 0) violations.add(`GET ${id} answered 404, but nobody tried to delete it`);
      return;
    }
    if (answer.status !== 200 || !isCategory(answer.body)) return;
    if (entry.deletedAt !== undefined && entry.deletedAt < started) {
      violations.add(`GET ${id} returned the category after its DELETE was acknowledged`);
    }
    const mustSee = Math.max(0, ...entry.ackedAt.filter((a) => a.at < started).map((a) => a.version));
    if (answer.body.version < mustSee) {
      violations.add(`GET ${id} returned version ${answer.body.version} after version ${mustSee} was acknowledged (stale read)`);
    }
    const known = entry.versions.get(answer.body.version);
    if (known && (known.name !== answer.body.name || known.description !== answer.body.description)) {
      violations.add(`GET ${id} version ${answer.body.version} differs from what the acknowledged write stored`);
    }
  };

  const create = async (random: () => number, label: string): Promise<string | undefined> => {
    const name = `${WORDS[Math.floor(random() * WORDS.length)]} ${label}`;
    const body = random() < 0.5 ? { name } : { name, description: `created by ${label}` };
    const answer = await call('create', 'POST', '/categories', 'write', { body });
    if (!measuring && answer.status !== 201) violations.add(`seeding: POST /categories answered ${answer.status}`);
    if (answer.status !== 201 || !isCategory(answer.body)) return undefined;
    const category = answer.body;
    if (ledger.has(category.id)) violations.add(`POST returned the id ${category.id} a second time`);
    if (category.version !== 1 || category.name !== name.trim() || category.description !== body.description) {
      violations.add(`POST stored ${JSON.stringify(category)} for ${JSON.stringify(body)}`);
    }
    if (answer.headers?.get('etag') !== `"${category.version}"`) violations.add(`POST ${category.id}: ETag ${answer.headers?.get('etag')}`);
    ledger.set(category.id, { versions: new Map(), latestVersion: 0, ackedAt: [], deletedAt: undefined, deleteAttempts: 0, unknownOutcomes: 0 });
    acknowledge(category.id, category, 'POST');
    acknowledged.creates++;
    pool.add(category.id);
    return category.id;
  };

  // Seed, then warm every execution environment the clients will use (neither is measured).
  for (let i = 0; i < initialItems; i++) await create(prng(seed + i), `seed-${i + 1}`);
  await Promise.all(Array.from({ length: concurrency }, () => call('list', 'GET', '/categories?limit=5', 'read')));

  let issued = 0;
  measuring = true;
  const started = performance.now();
  const deadline = started + durationMs;

  const client = async (index: number): Promise<void> => {
    const random = prng((seed * 7919 + index * 104_729) >>> 0);
    /** ETag of the client's last read (or write) of each category: what its PUT and DELETE send as If-Match. */
    const lastRead = new Map<string, string>();
    const remember = (id: string, version: number): void => {
      lastRead.delete(id);
      lastRead.set(id, `"${version}"`);
      if (lastRead.size > 64) lastRead.delete(lastRead.keys().next().value as string);
    };
    const pickRead = (): [string, string] | undefined => {
      if (lastRead.size === 0) return undefined;
      const entries = [...lastRead.entries()];
      return entries[Math.floor(random() * entries.length)];
    };
    let nextToken: string | undefined;
    let sequence = 0;

    while (performance.now() < deadline && issued < maxRequests) {
      issued++;
      sequence++;
      const roll = random();
      let operation: Operation =
        roll < MIX.list ? 'list' : roll < MIX.list + MIX.get ? 'get' : roll < MIX.list + MIX.get + MIX.create ? 'create' : roll < 1 - MIX.delete ? 'replace' : 'delete';
      const target = operation === 'replace' || operation === 'delete' ? pickRead() : undefined;
      // Nothing read yet to send If-Match for: read first (counted as a read).
      if ((operation === 'replace' || operation === 'delete') && target === undefined) operation = 'get';

      switch (operation) {
        case 'list': {
          const follow = nextToken !== undefined && random() < 0.5;
          const limit = 1 + Math.floor(random() * 25);
          const query = `limit=${limit}${follow ? `&nextToken=${encodeURIComponent(nextToken as string)}` : ''}`;
          const answer = await call('list', 'GET', `/categories?${query}`, 'read');
          const body = answer.body as { items?: unknown[]; nextToken?: string } | undefined;
          if (answer.status === 200 && Array.isArray(body?.items)) {
            nextToken = typeof body.nextToken === 'string' ? body.nextToken : undefined;
            if (body.items.length > limit) violations.add(`GET /categories?limit=${limit} returned ${body.items.length} items`);
            for (const item of body.items) {
              if (!isCategory(item)) {
                violations.add(`GET /categories returned a malformed item ${JSON.stringify(item).slice(0, 200)}`);
                continue;
              }
              // A category whose POST answer is still on its way may be listed already: checked after the run.
              listedDuringRun.add(item.id);
              const entry = entryOf(item.id);
              if (!entry) continue;
              if (entry.deletedAt === undefined) pool.add(item.id);
              remember(item.id, item.version);
            }
          }
          break;
        }
        case 'get': {
          const id = pool.pick(random);
          if (id === undefined) {
            await create(random, `c${index}-${sequence}`);
            break;
          }
          const readStarted = performance.now();
          const answer = await call('get', 'GET', `/categories/${id}`, 'read');
          checkRead(id, readStarted, answer);
          noteUnknown(id, answer);
          if (answer.status === 200 && isCategory(answer.body)) {
            if (answer.headers?.get('etag') !== `"${answer.body.version}"`) violations.add(`GET ${id}: ETag ${answer.headers?.get('etag')} for version ${answer.body.version}`);
            remember(id, answer.body.version);
          } else if (answer.status === 404) {
            pool.remove(id);
            lastRead.delete(id);
          }
          break;
        }
        case 'create': {
          const id = await create(random, `c${index}-${sequence}`);
          if (id !== undefined) remember(id, 1);
          break;
        }
        case 'replace': {
          const [id, etag] = target as [string, string];
          const name = `${WORDS[Math.floor(random() * WORDS.length)]} c${index}-${sequence}`;
          const body = random() < 0.5 ? { name } : { name, description: `replaced by c${index}-${sequence}` };
          const answer = await call('replace', 'PUT', `/categories/${id}`, 'update', { body, ifMatch: etag });
          noteUnknown(id, answer);
          if (answer.status === 200 && isCategory(answer.body)) {
            const expected = Number(etag.slice(1, -1)) + 1;
            if (answer.body.version !== expected) violations.add(`PUT ${id} with If-Match ${etag} answered version ${answer.body.version}`);
            if (answer.body.name !== name || answer.body.description !== body.description) violations.add(`PUT ${id} stored ${JSON.stringify(answer.body)} for ${JSON.stringify(body)}`);
            acknowledge(id, answer.body, 'PUT');
            acknowledged.replaces++;
            remember(id, answer.body.version);
          } else {
            lastRead.delete(id);
            if (answer.status === 404) {
              pool.remove(id);
              if ((entryOf(id)?.deleteAttempts ?? 0) === 0) violations.add(`PUT ${id} answered 404, but nobody tried to delete it`);
            }
          }
          break;
        }
        case 'delete': {
          const [id, etag] = target as [string, string];
          const entry = entryOf(id);
          if (entry) entry.deleteAttempts++;
          const answer = await call('delete', 'DELETE', `/categories/${id}`, 'delete', { ifMatch: etag });
          noteUnknown(id, answer);
          lastRead.delete(id);
          if (answer.status === 204) {
            if (entry) {
              if (entry.deletedAt !== undefined) violations.add(`DELETE ${id} was acknowledged twice`);
              entry.deletedAt = performance.now();
            }
            acknowledged.deletes++;
            pool.remove(id);
          } else if (answer.status === 404) {
            pool.remove(id);
          }
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => client(i)));
  const seconds = (performance.now() - started) / 1000;
  measuring = false;

  for (const id of listedDuringRun) {
    if (!ledger.has(id)) violations.add(`GET /categories listed ${id} during the run, but no POST acknowledged it`);
  }

  // Every acknowledged write must be readable now, one by one (a few at a time)...
  const ids = [...ledger.keys()];
  let live = 0;
  let deleted = 0;
  let cursor = 0;
  const verifier = async (): Promise<void> => {
    while (cursor < ids.length) {
      const id = ids[cursor++] as string;
      const entry = ledger.get(id) as LedgerEntry;
      const answer = await call('get', 'GET', `/categories/${id}`, 'read');
      if (entry.deletedAt !== undefined) {
        deleted++;
        if (answer.status !== 404) violations.add(`after the run: ${id} was deleted (acknowledged) but GET answered ${answer.status}`);
        continue;
      }
      live++;
      if (answer.status !== 200 || !isCategory(answer.body)) {
        violations.add(`after the run: acknowledged category ${id} is not readable (GET answered ${answer.status})`);
        continue;
      }
      const { version } = answer.body;
      const latest = entry.latestVersion;
      if (version < latest || (version > latest && entry.unknownOutcomes === 0)) {
        violations.add(`after the run: ${id} is at version ${version}, the latest acknowledged write made version ${latest}`);
      }
      const content = entry.versions.get(version);
      if (version === latest && content && (content.name !== answer.body.name || content.description !== answer.body.description)) {
        violations.add(`after the run: ${id} holds ${JSON.stringify(answer.body)}, not the acknowledged ${JSON.stringify(content)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, concurrency) }, verifier));

  // ...and the listing must hold exactly the categories the acknowledged writes leave.
  const listed = new Map<string, number>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const answer = await call('list', 'GET', `/categories?limit=100${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`, 'read');
    const body = answer.body as { items?: unknown[]; nextToken?: string } | undefined;
    if (answer.status !== 200 || !Array.isArray(body?.items)) {
      violations.add(`after the run: listing page ${pages + 1} answered ${answer.status}`);
      break;
    }
    for (const item of body.items) if (isCategory(item)) listed.set(item.id, (listed.get(item.id) ?? 0) + 1);
    nextToken = body.nextToken;
    pages++;
  } while (nextToken !== undefined && pages < 1000);
  for (const [id, times] of listed) {
    const entry = ledger.get(id);
    if (times > 1) violations.add(`after the run: ${id} is listed ${times} times`);
    if (!entry) violations.add(`after the run: ${id} is listed, but no acknowledged POST created it`);
    else if (entry.deletedAt !== undefined) violations.add(`after the run: ${id} is listed after its acknowledged DELETE`);
  }
  for (const [id, entry] of ledger) {
    if (entry.deletedAt === undefined && !listed.has(id)) violations.add(`after the run: acknowledged category ${id} is missing from the listing`);
  }

  const operations = Object.fromEntries(
    (Object.keys(MIX) as Operation[]).map((op) => [
      op,
      { count: perOperation[op].latencies.length, statuses: sortedTally(perOperation[op].statuses), ...latencyFigures(perOperation[op].latencies) },
    ]),
  ) as Record<Operation, OperationFigures>;
  return {
    concurrency,
    durationMs,
    seed,
    requests: latencies.length,
    seconds: round(seconds),
    requestsPerSecond: round(latencies.length / Math.max(seconds, 0.001), 1),
    ...latencyFigures(latencies),
    statuses: sortedTally(statuses),
    operations,
    preconditionFailed: statuses['412'] ?? 0,
    acknowledged,
    verification: { checked: ids.length, live, deleted, listed: listed.size },
    violationCount: violations.count,
    violations: violations.messages,
  };
}

/** Starts a local stack of its own (in memory), runs {@link runMixedLoad} against it, and stops it. */
export async function mixedLoadLocalStack(options: MixedLoadOptions = {}): Promise<MixedLoadResult> {
  const proof = await startProofStack();
  try {
    return await runMixedLoad(proof.stack.config, { scopes: scopesOf(proof.stack), ...options });
  } finally {
    await proof.stop();
  }
}

/** One line: throughput, latency, statuses, what was verified. */
export function formatMixedLoad(result: MixedLoadResult): string {
  const ops = (Object.keys(result.operations) as Operation[]).map((op) => `${op} ${result.operations[op].count}`).join(', ');
  return (
    `mixed load: ${result.concurrency} clients, ${result.seconds} s, ${result.requests} requests (${ops}): ` +
    `${result.requestsPerSecond} req/s, p50 ${result.p50Ms} ms, p90 ${result.p90Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms; ` +
    `statuses ${JSON.stringify(result.statuses)}; 412 ${result.preconditionFailed}; ` +
    `acknowledged ${result.acknowledged.creates} creates, ${result.acknowledged.replaces} replaces, ${result.acknowledged.deletes} deletes; ` +
    `verified ${result.verification.live} live + ${result.verification.deleted} deleted, ${result.verification.listed} listed; ` +
    `${result.violationCount} violation(s)`
  );
}

async function main(): Promise<void> {
  const flags = numberFlags(process.argv.slice(2), {
    duration: { fallback: 10, min: 0, max: MAX_DURATION_MS / 1000 },
    concurrency: { fallback: 20, min: 1, max: MAX_CONCURRENCY },
    seed: { fallback: 1, min: 0, max: 2 ** 32 - 1 },
    'max-requests': { fallback: MAX_REQUESTS, min: 1, max: MAX_REQUESTS },
  });
  const result = await mixedLoadLocalStack({
    durationMs: flags.duration * 1000,
    concurrency: flags.concurrency,
    seed: flags.seed,
    maxRequests: flags['max-requests'],
  });
  console.log(formatMixedLoad(result));
  console.log(`figures in ${writeProofReport('mixed-load', result)}`);
  if (result.violationCount > 0) {
    console.error(`MIXED LOAD FAILED: ${result.violationCount} violation(s):\n  ${result.violations.join('\n  ')}`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
