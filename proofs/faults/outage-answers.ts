/**
 * The answers of the outage scenario: 503 is the only 5xx, JSON with Retry-After and no internals, nothing takes
 * longer than the bound, only 503 while DynamoDB is down, and only successes once the API has recovered.
 */
import { sortedTally, tally, type Violations } from '../support';
import { ANSWER_WITHIN_MS } from './answer-bound';
import type { OutageProbe } from './outage-result';
import type { RecordedAnswer } from './outage-traffic';

/** When DynamoDB was down (performance.now()), and when the API first succeeded after its restart. */
export interface OutageWindow {
  readonly downAt: number;
  readonly restartCalled: number;
  readonly firstSuccess: number | undefined;
}

export interface AnswerFigures {
  readonly statuses: Readonly<Record<string, number>>;
  readonly duringOutage: Readonly<Record<string, number>>;
  readonly afterRecovery: Readonly<Record<string, number>>;
  /** Latencies of the 503 answers, in ms. */
  readonly unavailable: readonly number[];
  /** When the first 503 arrived. */
  readonly firstUnavailable: number | undefined;
}

/** The earliest `ended` of some answers (or `initial` if earlier or none). */
export function earliestEnd(answers: readonly RecordedAnswer[], initial: number | undefined): number | undefined {
  return answers.reduce<number | undefined>(
    (min, { answer }) => (min === undefined || answer.ended < min ? answer.ended : min),
    initial,
  );
}

export function checkAnswers(
  answers: readonly RecordedAnswer[],
  probes: readonly OutageProbe[],
  window: OutageWindow,
  clients: number,
  violations: Violations,
): AnswerFigures {
  const { downAt, restartCalled, firstSuccess } = window;
  const statuses: Record<string, number> = {};
  const duringOutage: Record<string, number> = {};
  const afterRecovery: Record<string, number> = {};
  const unavailable: number[] = [];
  for (const { op, answer } of answers) {
    tally(statuses, answer.status);
    const ms = answer.ended - answer.started;
    if (answer.status === 'network-error') violations.add(`${op}: no answer (network error)`);
    else if (answer.status >= 500 && answer.status !== 503)
      violations.add(`${op}: ${answer.status} ${answer.text.slice(0, 200)}`);
    if (answer.status === 503) {
      unavailable.push(ms);
      const retryAfter = answer.headers?.get('retry-after');
      if (!retryAfter || !/^[1-9]\d*$/.test(retryAfter))
        violations.add(`${op}: 503 without a valid Retry-After (${retryAfter})`);
      const body = answer.body as { error?: { code?: unknown } } | undefined;
      if (
        !/^application\/json/.test(answer.headers?.get('content-type') ?? '') ||
        body?.error?.code !== 'ServiceUnavailable'
      ) {
        violations.add(`${op}: 503 that is not the JSON ServiceUnavailable error: ${answer.text.slice(0, 200)}`);
      }
      if (/ECONNREFUSED|127\.0\.0\.1|stack|Error:/.test(answer.text))
        violations.add(`${op}: 503 leaks internals: ${answer.text.slice(0, 200)}`);
    }
    if (ms > ANSWER_WITHIN_MS)
      violations.add(`${op}: answered ${answer.status} after ${Math.round(ms)} ms (more than ${ANSWER_WITHIN_MS} ms)`);
    if (answer.started >= downAt && answer.ended <= restartCalled) {
      tally(duringOutage, answer.status);
      if (answer.status !== 503) violations.add(`${op}: answered ${answer.status} while DynamoDB was down`);
    }
    if (firstSuccess !== undefined && answer.started >= firstSuccess) {
      tally(afterRecovery, answer.status);
      if (typeof answer.status !== 'number' || answer.status >= 300)
        violations.add(`${op}: answered ${answer.status} after the API had recovered`);
    }
  }
  for (const probe of probes)
    if (probe.status !== 503) violations.add(`probe ${probe.route} while DynamoDB was down: ${probe.status}`);
  if (Object.values(duringOutage).reduce((a, b) => a + b, 0) < clients)
    violations.add('too few requests ran while DynamoDB was down to prove anything');
  if ((afterRecovery['200'] ?? 0) + (afterRecovery['201'] ?? 0) < clients)
    violations.add('too few requests succeeded after recovery to prove it');
  const firstUnavailable = earliestEnd(
    answers.filter(({ answer }) => answer.status === 503),
    undefined,
  );
  return {
    statuses: sortedTally(statuses),
    duringOutage: sortedTally(duringOutage),
    afterRecovery: sortedTally(afterRecovery),
    unavailable,
    firstUnavailable,
  };
}
