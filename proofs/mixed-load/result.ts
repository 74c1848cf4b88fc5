/** The figures of a mixed-load run, and their one-line summary. */
import type { LatencyFigures } from '../../common/statistics';
import type { Operation } from './operations';

export interface OperationFigures extends LatencyFigures {
  readonly count: number;
  readonly statuses: Readonly<Record<string, number>>;
}

/** What the categories checked after the run showed. */
export interface Verification {
  /** Categories checked one by one afterwards (all that were ever acknowledged). */
  readonly checked: number;
  readonly live: number;
  readonly deleted: number;
  /** Categories listed through the API's pages afterwards. */
  readonly listed: number;
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
  readonly verification: Verification;
  readonly violationCount: number;
  /** The first violations, verbatim (empty when the proof holds). */
  readonly violations: readonly string[];
}

/** One line: throughput, latency, statuses, what was verified. */
export function formatMixedLoad(result: MixedLoadResult): string {
  const ops = (Object.keys(result.operations) as Operation[])
    .map((op) => `${op} ${result.operations[op].count}`)
    .join(', ');
  return (
    `mixed load: ${result.concurrency} clients, ${result.seconds} s, ${result.requests} requests (${ops}): ` +
    `${result.requestsPerSecond} req/s, p50 ${result.p50Ms} ms, p90 ${result.p90Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms; ` +
    `statuses ${JSON.stringify(result.statuses)}; 412 ${result.preconditionFailed}; ` +
    `acknowledged ${result.acknowledged.creates} creates, ${result.acknowledged.replaces} replaces, ${result.acknowledged.deletes} deletes; ` +
    `verified ${result.verification.live} live + ${result.verification.deleted} deleted, ${result.verification.listed} listed; ` +
    `${result.violationCount} violation(s)`
  );
}
