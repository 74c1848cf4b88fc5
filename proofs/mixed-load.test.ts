/**
 * Proof under load: 20 concurrent clients run mixed CRUD against the local stack (3 s here, for every commit; the
 * CLI's default, which CI runs, is 10 s), with no 5xx, and every acknowledged write readable afterwards. The figures
 * are printed and written to `.build/proofs/mixed-load.json`.
 */
import { formatMixedLoad, mixedLoadLocalStack, type MixedLoadResult } from './mixed-load';
import { writeProofReport } from './support';

const DURATION_MS = 3000;
const CONCURRENCY = 20;

let result: MixedLoadResult;

beforeAll(async () => {
  result = await mixedLoadLocalStack({ durationMs: DURATION_MS, concurrency: CONCURRENCY, seed: 20 });
  console.log(`${formatMixedLoad(result)} → ${writeProofReport('mixed-load', result)}`);
}, 60_000);

it('answers every request without a 5xx, a network error, or a status the operation cannot give', () => {
  expect(result.violations).toEqual([]);
  expect(result.violationCount).toBe(0);
  expect(Object.keys(result.statuses).filter((status) => !/^[1-4]\d\d$/.test(status))).toEqual([]);
  expect(result.requests).toBeGreaterThan(0);
});

it('ran the whole mix, conflicts included', () => {
  for (const operation of ['list', 'get', 'create', 'replace', 'delete'] as const) {
    expect([operation, result.operations[operation].count > 0]).toEqual([operation, true]);
  }
  expect(result.acknowledged.creates).toBeGreaterThan(0);
  expect(result.acknowledged.replaces).toBeGreaterThan(0);
  expect(result.acknowledged.deletes).toBeGreaterThan(0);
  expect(result.concurrency).toBe(CONCURRENCY);
});

it('reads back every acknowledged write afterwards, one by one and in the listing', () => {
  const { checked, live, deleted, listed } = result.verification;
  expect(checked).toBe(result.acknowledged.creates);
  expect(live + deleted).toBe(checked);
  expect(deleted).toBe(result.acknowledged.deletes);
  expect(listed).toBe(live);
});
