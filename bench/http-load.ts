/** Bounded HTTP load on one URL: concurrent request loops until a time or request budget is spent. */
import { performance } from 'node:perf_hooks';
import { latencyFigures, round, type LatencyFigures } from '../common/statistics';

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

export interface LoadResult extends LatencyFigures {
  readonly requests: number;
  /** Requests answered with a 2xx status. */
  readonly ok: number;
  /** Requests answered otherwise or failed. */
  readonly errors: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly requestsPerSecond: number;
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
  return {
    requests: latencies.length,
    ok,
    errors: latencies.length - ok,
    statuses,
    seconds: round(seconds),
    requestsPerSecond: round(latencies.length / seconds),
    ...latencyFigures(latencies),
  };
}
