/** What the DynamoDB outage scenario can be asked for, its figures, and their one-line summary. */
import type { LatencyFigures } from '../../common/statistics';

export interface OutageOptions {
  /** Clients running during the whole scenario. @default 4 */
  readonly clients?: number;
  /** Load before the outage, length of the outage, load after recovery (ms). @default 1000, 2000, 1000 */
  readonly beforeMs?: number;
  readonly outageMs?: number;
  readonly afterMs?: number;
}

/** A request sent to one route while DynamoDB was down, besides the load. */
export interface OutageProbe {
  readonly route: string;
  readonly status: number | string;
  readonly retryAfter: string | null;
  readonly ms: number;
}

/** What became of the POSTs of the run. */
export interface PostFigures {
  readonly acknowledged: number;
  readonly refusedDuringOutage: number;
  readonly ambiguous: number;
  readonly ambiguousPresent: number;
}

export interface OutageResult {
  readonly requests: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** Requests made and answered entirely while DynamoDB was down, by status. */
  readonly duringOutage: Readonly<Record<string, number>>;
  /** Requests made after the first success following the restart, by status. */
  readonly afterRecovery: Readonly<Record<string, number>>;
  /** Per-route probes while DynamoDB was down: status and ms. */
  readonly probes: readonly OutageProbe[];
  readonly timings: {
    readonly stopMs: number;
    /** From the stop to the first 503 answer of the load. */
    readonly firstUnavailableAfterStopMs: number | null;
    readonly unavailable: LatencyFigures & { readonly count: number };
    readonly outageMs: number;
    readonly restartMs: number;
    /** From the restart call to the first successful request. */
    readonly recoveryMs: number | null;
  };
  readonly posts: PostFigures;
  readonly items: { readonly before: number; readonly after: number; readonly checked: number };
  readonly violationCount: number;
  readonly violations: readonly string[];
}

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
