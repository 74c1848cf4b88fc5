/** What a hostile-input run can be asked for, its figures, and their one-line summary. */
import type { FamilyFigures } from './request-accounting';

export const MIN_COUNT = 3000;
export const MAX_COUNT = 20_000;

export interface HostileInputOptions {
  /** Requests to send, 3000 to 20 000. @default 3000 */
  readonly count?: number;
  /** Seed of the generator. @default 1 */
  readonly seed?: number;
  /** Categories created first (they must survive unchanged). @default 5 */
  readonly existing?: number;
}

export interface HostileInputResult {
  readonly seed: number;
  readonly generated: number;
  readonly sent: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  /** Answers by status (or `timeout`, `no-answer`, `error:...`). */
  readonly statuses: Readonly<Record<string, number>>;
  readonly byFamily: Readonly<Record<string, FamilyFigures>>;
  /** Requests carrying a valid token with the scope of their method, and how many of them reached the function. */
  readonly mayInvoke: number;
  readonly invocations: number;
  readonly invocationsWithoutValidToken: number;
  /** Answers of 5xx and lines of the gateway's log reporting one. */
  readonly serverErrors: number;
  readonly loggedServerErrors: number;
  readonly itemsBefore: number;
  readonly dataUnchanged: boolean;
  readonly violationCount: number;
  readonly violations: readonly string[];
}

export function formatHostileInput(result: HostileInputResult): string {
  return (
    `hostile input: ${result.sent} requests (seed ${result.seed}) in ${result.seconds} s (${result.requestsPerSecond} req/s); ` +
    `statuses ${JSON.stringify(result.statuses)}; ${result.mayInvoke} carried a valid token for their method, ` +
    `${result.invocations} reached the function, ${result.invocationsWithoutValidToken} without a valid token; ` +
    `5xx ${result.serverErrors} answered, ${result.loggedServerErrors} logged; ` +
    `${result.itemsBefore} items ${result.dataUnchanged ? 'unchanged' : 'CHANGED'}; ${result.violationCount} violation(s)`
  );
}
