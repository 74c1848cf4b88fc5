/**
 * Proof (a): DynamoDB stops in the middle of a run and comes back. While it is down every route answers 503 JSON
 * with `Retry-After` within a few seconds (never another 5xx, never a hang); nothing is half-written; a POST made
 * while it was down is not there afterwards; the API recovers once it is back; what was written before the outage
 * is intact (the stack keeps DynamoDB in a temporary data folder, so a restart keeps the data).
 */
import { performance } from 'node:perf_hooks';
import { latencyFigures, round } from '../../common/statistics';
import type { LocalStack } from '../../local/stack';
import { scopesOf, tokenWithEveryScope, Violations } from '../support';
import { scanTables, type Item } from '../tables';
import { checkAnswers, earliestEnd } from './outage-answers';
import { outageApi } from './outage-api';
import { checkStoredData, storedBefore } from './outage-data';
import type { OutageOptions, OutageResult } from './outage-result';
import { seedCategories } from './outage-seed';
import { MAX_PHASE_MS, probeEveryRoute, startLoad } from './outage-traffic';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every item of every table, in one list. */
async function allItems(endpoint: string): Promise<Item[]> {
  return (await scanTables(endpoint)).flatMap(([, items]) => items);
}

/** Runs the DynamoDB outage scenario on a stack whose DynamoDB persists (a data folder). */
export async function runDynamoDbOutage(stack: LocalStack, options: OutageOptions = {}): Promise<OutageResult> {
  const clients = Math.max(1, Math.min(options.clients ?? 4, 16));
  const beforeMs = Math.min(options.beforeMs ?? 1000, 5000);
  const outageMs = Math.min(options.outageMs ?? 2000, 10_000);
  const afterMs = Math.min(options.afterMs ?? 1000, 5000);
  const violations = new Violations();
  const call = outageApi(stack.config.apiUrl, await tokenWithEveryScope(stack.config, scopesOf(stack)));

  // Data written before the outage: untouched categories, one updated twice, and one per client to update.
  const seeded = await seedCategories(call, clients);
  const { stable, owned } = seeded;
  const itemsBefore = await allItems(stack.dynamodbEndpoint);
  const stableIds = new Set(stable);
  const stableBefore = storedBefore(itemsBefore, stableIds);

  // The load: every client posts, lists, reads and updates its own category, until told to stop.
  const load = startLoad(call, seeded, clients);
  const { answers, posts } = load.traffic;

  await sleep(beforeMs);
  const stopCalled = performance.now();
  await stack.stopDynamoDb();
  const downAt = performance.now();

  // One probe per route while it is down, besides the load.
  await sleep(Math.min(300, outageMs / 4));
  const probes = await probeEveryRoute(call, stable[1], load.traffic);
  await sleep(Math.max(0, outageMs - (performance.now() - downAt)));

  const restartCalled = performance.now();
  await stack.startDynamoDb();
  const upAt = performance.now();
  // Recovery: the first request that succeeds after the restart.
  let recoveredAt: number | undefined;
  while (recoveredAt === undefined && performance.now() - upAt < MAX_PHASE_MS) {
    const answer = await call('/categories?limit=1');
    if (answer.status === 200) recoveredAt = answer.ended;
    else await sleep(20);
  }
  const firstSuccess = earliestEnd(
    answers.filter(
      ({ answer }) => answer.started >= restartCalled && typeof answer.status === 'number' && answer.status < 300,
    ),
    recoveredAt,
  );
  if (recoveredAt === undefined)
    violations.add(`the API did not recover within ${MAX_PHASE_MS / 1000} s of DynamoDB's restart`);
  await sleep(afterMs);
  await load.stop();

  // Every answer: 503 is the only 5xx, JSON with Retry-After, and nothing took longer than the bound.
  const figures = checkAnswers(answers, probes, { downAt, restartCalled, firstSuccess }, clients, violations);

  // The data: complete items only; everything written before is intact; outage POSTs are absent.
  const itemsAfter = await allItems(stack.dynamodbEndpoint);
  const postFigures = checkStoredData(
    itemsAfter,
    { stableIds, stableBefore, owned },
    posts,
    { downAt, restartCalled },
    violations,
  );

  return {
    requests: answers.length,
    statuses: figures.statuses,
    duringOutage: figures.duringOutage,
    afterRecovery: figures.afterRecovery,
    probes,
    timings: {
      stopMs: round(downAt - stopCalled),
      firstUnavailableAfterStopMs:
        figures.firstUnavailable === undefined ? null : round(figures.firstUnavailable - stopCalled),
      unavailable: { count: figures.unavailable.length, ...latencyFigures(figures.unavailable) },
      outageMs: round(restartCalled - stopCalled),
      restartMs: round(upAt - restartCalled),
      recoveryMs: firstSuccess === undefined ? null : round(firstSuccess - restartCalled),
    },
    posts: postFigures,
    items: { before: itemsBefore.length, after: itemsAfter.length, checked: itemsAfter.length },
    violationCount: violations.count,
    violations: violations.messages,
  };
}
