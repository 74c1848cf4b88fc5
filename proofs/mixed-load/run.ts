/**
 * A mixed-load run: seeds categories, warms up, lets the clients run their mix for the duration, then verifies
 * every acknowledged write.
 */
import { performance } from 'node:perf_hooks';
import { prng } from '../../common/prng';
import { round } from '../../common/statistics';
import { DEFAULT_SCOPES, providersByScope, scopesOf, startProofStack, Violations, type ApiTarget } from '../support';
import { IdPool } from './id-pool';
import { Ledger } from './ledger';
import { MeasuredApi } from './measured-api';
import { MAX_CONCURRENCY, MAX_DURATION_MS, MAX_REQUESTS, type MixedLoadOptions } from './options';
import type { MixedLoadResult } from './result';
import { verifyAcknowledgedWrites } from './verify';
import { createCategory, RequestBudget, runClient, type LoadRun } from './workload';

/**
 * Runs the mixed workload against `target` and verifies every acknowledged write afterwards. The API should hold
 * no categories other than the ones this run creates (a fresh stack): the final listing is compared exactly.
 */
async function runMixedLoad(target: ApiTarget, options: MixedLoadOptions = {}): Promise<MixedLoadResult> {
  const concurrency = Math.trunc(options.concurrency ?? 20);
  if (!(concurrency >= 1 && concurrency <= MAX_CONCURRENCY))
    throw new RangeError(`concurrency must be 1 to ${MAX_CONCURRENCY}.`);
  const durationMs = Math.min(Math.max(0, options.durationMs ?? 10_000), MAX_DURATION_MS);
  const maxRequests = Math.min(Math.max(0, options.maxRequests ?? MAX_REQUESTS), MAX_REQUESTS);
  const seed = options.seed ?? 1;
  const initialItems = Math.min(Math.max(0, options.initialItems ?? 20), 200);
  const scopes = options.scopes ?? DEFAULT_SCOPES;
  const apiUrl = target.apiUrl.replace(/\/+$/, '');

  const providers = providersByScope(target, scopes);
  // Fetch every token once up front: the run measures the API, not the token endpoint.
  await Promise.all(Object.values(providers).map((p) => p.getToken()));

  const violations = new Violations();
  const api = new MeasuredApi(apiUrl, providers, violations);
  const run: LoadRun = {
    api,
    ledger: new Ledger(violations),
    pool: new IdPool(),
    violations,
    listedDuringRun: new Set<string>(),
    acknowledged: { creates: 0, replaces: 0, deletes: 0 },
  };

  // Seed, then warm every execution environment the clients will use (neither is measured).
  for (let i = 0; i < initialItems; i++) await createCategory(run, prng(seed + i), `seed-${i + 1}`);
  await Promise.all(Array.from({ length: concurrency }, () => api.call('list', 'GET', '/categories?limit=5', 'read')));

  api.measuring = true;
  const started = performance.now();
  const budget = new RequestBudget(started + durationMs, maxRequests);
  await Promise.all(Array.from({ length: concurrency }, (_, i) => runClient(run, i, seed, budget)));
  const seconds = (performance.now() - started) / 1000;
  api.measuring = false;

  const verification = await verifyAcknowledgedWrites(run, Math.min(8, concurrency));
  const measured = api.figures();
  return {
    concurrency,
    durationMs,
    seed,
    requests: measured.requests,
    seconds: round(seconds),
    requestsPerSecond: round(measured.requests / Math.max(seconds, 0.001), 1),
    ...measured.latency,
    statuses: measured.statuses,
    operations: measured.operations,
    preconditionFailed: measured.preconditionFailed,
    acknowledged: run.acknowledged,
    verification,
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
