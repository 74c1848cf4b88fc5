/**
 * The smoke check's `fetch`: on a stage with usage plans, a consumer's API key is throttled by its plan (the
 * operations consumer's to 10 requests a second, bursts of 20, by default), and the smoke check sends more than that
 * in a few seconds. A 429 `Too Many Requests` (API Gateway's THROTTLED) is retried after a pause, as clients should
 * ("Throttle requests to your REST APIs": resubmit "in a way that is rate limiting"); a spent quota (429 `Limit
 * Exceeded`) and everything else are answered as they came.
 */
import type { Fetch } from '../client';

const PAUSES_MS = [100, 200, 400, 800, 1_600, 3_200];

export function throttledFetch(
  fetchFn: Fetch = (input, init) => fetch(input, init),
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Fetch {
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      const response = await fetchFn(input, init);
      if (response.status !== 429 || attempt >= PAUSES_MS.length) return response;
      const body = await response.clone().text();
      if (!body.includes('Too Many Requests')) return response;
      await response.body?.cancel();
      await sleep(PAUSES_MS[attempt]);
    }
  };
}
