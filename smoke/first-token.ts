/**
 * The smoke check's first token request. Right after a first deployment the Cognito hosted domain takes a minute or
 * two to resolve: for a deployed stack the request is retried while the endpoint is unreachable, for up to 3
 * minutes. The local target fails at once.
 */
import { TokenEndpointUnreachableError } from '../client';

/** How long a deployed stack's token endpoint may stay unreachable at first (a new hosted domain resolving). */
export const DEPLOYED_TOKEN_WAIT_MS = 180_000;
const FIRST_RETRY_DELAY_MS = 2_000;
const MAX_RETRY_DELAY_MS = 20_000;

export interface SmokeOptions {
  /** How long to keep retrying the first token request while the endpoint is unreachable; 0 fails at once. @default 0 */
  readonly tokenEndpointWaitMs?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Whether to retry the first token request after `error`, and after what pause: only for an unreachable endpoint
 * (DNS, refused connection, timeout), while `elapsedMs` is within `budgetMs`; 2 s, then doubling up to 20 s,
 * never beyond the budget. `undefined`: give up (any other error, no budget, or the budget spent).
 */
export function tokenRetryDelay(
  error: unknown,
  attempt: number,
  elapsedMs: number,
  budgetMs: number,
): number | undefined {
  if (!(error instanceof TokenEndpointUnreachableError)) return undefined;
  const remaining = budgetMs - elapsedMs;
  if (remaining <= 0) return undefined;
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_DELAY_MS, remaining);
}

/** `getToken()`, retried per {@link tokenRetryDelay} with a progress line before each pause. */
export async function firstToken(
  getToken: () => Promise<string>,
  print: (line: string) => void,
  options: SmokeOptions = {},
): Promise<string> {
  const budgetMs = options.tokenEndpointWaitMs ?? 0;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await getToken();
    } catch (error) {
      const elapsed = now() - started;
      const delay = tokenRetryDelay(error, attempt, elapsed, budgetMs);
      if (delay === undefined) throw error;
      print(
        `  … ${(error as Error).message}; a new hosted domain takes a minute or two to resolve: ` +
          `retrying in ${Math.ceil(delay / 1000)} s (${Math.round(elapsed / 1000)} s of ${Math.round(budgetMs / 1000)} s)`,
      );
      await sleep(delay);
    }
  }
}
