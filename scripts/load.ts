/**
 * Bounded load and start-up measurements of the local stack, on 127.0.0.1 only.
 *
 *   tsx scripts/load.ts [--duration 5] [--concurrency 20] [--seed 20] [--startup-runs 0]
 *
 * Starts its own local stack (in memory, free port, nothing written to `.local`), seeds categories, then has
 * `concurrency` clients call `GET /categories` with a read token for `duration` seconds (capped at 30 s and
 * 200 000 requests), and prints requests/s and latency percentiles. With `--startup-runs N` (at most 10) it
 * also times `scripts/start.ts` from spawn until its stack file exists, N times, and prints the median.
 * `loadLocalStack`, `runLoad` and `measureStartup` can be called from a bench script.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CategoriesClient, ClientCredentialsTokenProvider } from '../client';
import { startLocalStack } from '../local/stack';
import { synthesize } from '../synth/synthesize';
import { percentile } from '../proofs/support';

const PROJECT_ROOT = path.resolve(__dirname, '..');
const MAX_DURATION_MS = 30_000;
const MAX_REQUESTS = 200_000;

export interface LoadOptions {
  /** Base URL of the API stage. */
  readonly apiUrl: string;
  /** Bearer token sent with every request. */
  readonly token: string;
  /** @default '/categories' */
  readonly path?: string;
  /** Concurrent clients. @default 20 */
  readonly concurrency?: number;
  /** How long to run (capped at 30 s). @default 5000 */
  readonly durationMs?: number;
  /** Stop after this many requests (capped at 200 000). @default 200000 */
  readonly maxRequests?: number;
}

export interface LoadResult {
  readonly requests: number;
  /** Requests answered with a 2xx status. */
  readonly ok: number;
  /** Requests answered otherwise or failed. */
  readonly errors: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Runs `concurrency` request loops against one URL until the time or request budget is spent. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = `${options.apiUrl.replace(/\/+$/, '')}${options.path ?? '/categories'}`;
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 20, 200));
  const durationMs = Math.min(options.durationMs ?? 5000, MAX_DURATION_MS);
  const maxRequests = Math.min(options.maxRequests ?? MAX_REQUESTS, MAX_REQUESTS);
  const headers = { Authorization: `Bearer ${options.token}` };
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let issued = 0;
  let ok = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && issued < maxRequests) {
      issued++;
      const t0 = performance.now();
      let status = 'network-error';
      try {
        const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
        await response.arrayBuffer();
        status = String(response.status);
        if (response.ok) ok++;
      } catch {
        // counted as an error below
      }
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number): number => Math.round(n * 100) / 100;
  return {
    requests: latencies.length,
    ok,
    errors: latencies.length - ok,
    statuses,
    seconds: round(seconds),
    requestsPerSecond: round(latencies.length / seconds),
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

/**
 * Times `tsx scripts/start.ts --port 0 --in-memory` (synthesis included, as `npm start` does) from spawn until it
 * has written its stack file, `runs` times (at most 10, 60 s each). Returns every time and the median, in seconds.
 */
export async function measureStartup(runs: number): Promise<{ seconds: number[]; median: number }> {
  const count = Math.max(1, Math.min(runs, 10));
  const tsx = require.resolve('tsx/cli');
  const seconds: number[] = [];
  for (let i = 0; i < count; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-startup-'));
    const stateFile = path.join(dir, 'stack.json');
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [tsx, path.join(PROJECT_ROOT, 'scripts', 'start.ts'), '--port', '0', '--in-memory', '--state-file', stateFile],
      {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      while (!fs.existsSync(stateFile)) {
        if (child.exitCode !== null)
          throw new Error(`scripts/start.ts exited with ${child.exitCode}: ${stderr.trim()}`);
        if (performance.now() - started > 60_000) throw new Error('scripts/start.ts did not become ready within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      seconds.push(Math.round(performance.now() - started) / 1000);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const sorted = [...seconds].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { seconds, median };
}

function numberFlag(argv: readonly string[], name: string, fallback: number): number {
  const index = argv.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} needs a number.`);
  return value;
}

/**
 * Starts a local stack of its own (in memory, free port, nothing written to `.local`), seeds `seed` categories,
 * warms up for a second, then runs {@link runLoad} on authorized `GET /categories`, and stops the stack.
 */
export async function loadLocalStack(
  options: { durationMs?: number; concurrency?: number; seed?: number } = {},
): Promise<LoadResult> {
  const concurrency = options.concurrency ?? 20;
  const durationMs = options.durationMs ?? 5000;
  const seed = Math.min(options.seed ?? 20, 100);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-load-'));
  const synthDir = path.join(dir, 'synth');
  synthesize(synthDir);
  const stack = await startLocalStack({
    synthDir,
    port: 0,
    inMemory: true,
    stateFile: false,
    functionsDir: path.join(dir, 'functions'),
    functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'WARN' },
  });
  try {
    const credentials = {
      tokenUrl: stack.config.tokenUrl,
      clientId: stack.config.clientId,
      clientSecret: stack.config.clientSecret,
    };
    const api = new CategoriesClient({
      apiUrl: stack.config.apiUrl,
      tokens: new ClientCredentialsTokenProvider(credentials),
    });
    for (let i = 0; i < seed; i++) await api.create({ name: `Category ${i + 1}`, description: 'load test' });
    const token = await new ClientCredentialsTokenProvider({
      ...credentials,
      scopes: ['access_points/read'],
    }).getToken();
    // Warm up every execution environment the load will use.
    await runLoad({ apiUrl: stack.config.apiUrl, token, concurrency, durationMs: 1000 });
    return await runLoad({ apiUrl: stack.config.apiUrl, token, concurrency, durationMs });
  } finally {
    await stack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const known = new Set(['--duration', '--concurrency', '--seed', '--startup-runs']);
  for (let i = 0; i < argv.length; i += 2) if (!known.has(argv[i])) throw new Error(`Unknown option ${argv[i]}.`);
  const durationMs = numberFlag(argv, '--duration', 5) * 1000;
  const concurrency = numberFlag(argv, '--concurrency', 20);
  const seed = Math.min(numberFlag(argv, '--seed', 20), 100);
  const startupRuns = numberFlag(argv, '--startup-runs', 0);

  if (startupRuns > 0) {
    const startup = await measureStartup(startupRuns);
    console.log(
      `start-up (spawn → stack file, synthesis included): median ${startup.median.toFixed(2)} s of [${startup.seconds.join(', ')}]`,
    );
  }
  const result = await loadLocalStack({ durationMs, concurrency, seed });
  console.log(
    `GET /categories (${seed} items), ${concurrency} clients, ${result.seconds} s: ${result.requests} requests, ` +
      `${result.requestsPerSecond} req/s, p50 ${result.p50Ms} ms, p90 ${result.p90Ms} ms, p99 ${result.p99Ms} ms, ` +
      `max ${result.maxMs} ms, ${result.errors} errors ${JSON.stringify(result.statuses)}`,
  );
  if (result.errors > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
