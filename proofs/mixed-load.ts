/**
 * Proof under load: concurrent clients run a mixed CRUD workload against the API, then every acknowledged write
 * is read back.
 *
 *   npm run proof:load -- [--duration 10] [--concurrency 20] [--seed 1] [--max-requests 100000]
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
 *
 * The parts live in `mixed-load/`: the operations and their allowed answers, the ledger of acknowledged writes,
 * the measured API calls, the clients' workload, the verification afterwards, and the run itself.
 */
import { MAX_CONCURRENCY, MAX_DURATION_MS, MAX_REQUESTS } from './mixed-load/options';
import { formatMixedLoad } from './mixed-load/result';
import { mixedLoadLocalStack } from './mixed-load/run';
import { defineProof } from './proof';

export { formatMixedLoad, type MixedLoadResult } from './mixed-load/result';
export { mixedLoadLocalStack } from './mixed-load/run';

export const mixedLoadProof = defineProof({
  name: 'mixed-load',
  label: 'MIXED LOAD',
  flags: {
    duration: { fallback: 10, min: 0, max: MAX_DURATION_MS / 1000 },
    concurrency: { fallback: 20, min: 1, max: MAX_CONCURRENCY },
    seed: { fallback: 1, min: 0, max: 2 ** 32 - 1 },
    'max-requests': { fallback: MAX_REQUESTS, min: 1, max: MAX_REQUESTS },
  },
  run: (flags) =>
    mixedLoadLocalStack({
      durationMs: flags.duration * 1000,
      concurrency: flags.concurrency,
      seed: flags.seed,
      maxRequests: flags['max-requests'],
    }),
  format: formatMixedLoad,
  verdict: (result) => result,
});
