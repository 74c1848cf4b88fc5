/** What a mixed-load run can be asked for, and its bounds. */
import type { ScopeNames } from '../support';

export const MAX_DURATION_MS = 60_000;
export const MAX_CONCURRENCY = 50;
export const MAX_REQUESTS = 100_000;

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
