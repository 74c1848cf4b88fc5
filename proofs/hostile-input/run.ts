/**
 * A hostile-input run: creates a few categories, snapshots the tables, sends the generated requests one at a time
 * (counting each one's function invocations), then checks the gateway's log and that the tables are unchanged.
 */
import { performance } from 'node:perf_hooks';
import { prng } from '../../common/prng';
import { round } from '../../common/statistics';
import type { LocalStack } from '../../local/stack';
import { scopesOf, startProofStack, Violations } from '../support';
import { prepareTokens } from './forged-tokens';
import { generateHostileRequests } from './generate';
import type { HostileContext } from './hostile-request';
import { sendRaw } from './raw-http';
import { RequestAccounting } from './request-accounting';
import { MAX_COUNT, MIN_COUNT, type HostileInputOptions, type HostileInputResult } from './result';
import { itemCount, sameData, snapshotTables } from './table-snapshot';

const MAX_RUN_MS = 90_000;

/**
 * Runs the hostile requests against a running local stack. `gatewayLog` must collect the stack's log lines (the
 * gateway's `→ <status>` lines), so that a 5xx the client never saw (it hung up) is found too.
 */
async function runHostileInput(
  stack: LocalStack,
  gatewayLog: string[],
  options: HostileInputOptions = {},
): Promise<HostileInputResult> {
  const count = Math.trunc(options.count ?? MIN_COUNT);
  if (!(count >= MIN_COUNT && count <= MAX_COUNT)) throw new RangeError(`count must be ${MIN_COUNT} to ${MAX_COUNT}.`);
  const seed = options.seed ?? 1;
  const scopes = scopesOf(stack);
  const port = Number(new URL(stack.config.apiUrl).port);
  const violations = new Violations();

  // A few categories that every request may aim at; they must come out unchanged.
  const tokens = await prepareTokens(stack, scopes);
  const existingIds: string[] = [];
  for (let i = 0; i < Math.max(1, Math.min(options.existing ?? 5, 50)); i++) {
    const response = await fetch(`${stack.config.apiUrl}/categories`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.valid.write}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: `Existing ${i + 1}`, description: 'must not change' }),
    });
    const body = (await response.json()) as { id?: string };
    if (response.status !== 201 || typeof body.id !== 'string') throw new Error(`seeding failed: ${response.status}`);
    existingIds.push(body.id);
  }
  const before = await snapshotTables(stack.dynamodbEndpoint);
  const itemsBefore = itemCount(before);

  const context: HostileContext = {
    stage: stack.config.stage,
    poolId: stack.config.issuer.split('/').at(-1) as string,
    clientId: stack.config.clientId,
    clientSecret: stack.config.clientSecret,
    scopes,
    tokens,
    existingIds,
  };
  const requests = generateHostileRequests(context, prng(seed), count);

  const accounting = new RequestAccounting(context.stage, violations);
  const logStart = gatewayLog.length;
  const started = performance.now();
  const deadline = started + MAX_RUN_MS;
  for (const request of requests) {
    if (performance.now() > deadline) {
      violations.add(
        `stopped after ${accounting.sent} of ${count} requests: the run took longer than ${MAX_RUN_MS / 1000} s`,
      );
      break;
    }
    const invocationsBefore = stack.invocations();
    const answer = await sendRaw(port, request);
    accounting.record(request, answer, stack.invocations() - invocationsBefore);
  }
  const seconds = (performance.now() - started) / 1000;

  const loggedServerErrors = gatewayLog
    .slice(logStart)
    .filter((line) => /→ 5\d\d\b/.test(line) || line.startsWith('[local]'));
  for (const line of loggedServerErrors) violations.add(`gateway log: ${line.slice(0, 200)}`);

  const after = await snapshotTables(stack.dynamodbEndpoint);
  const dataUnchanged = sameData(before, after, violations);

  return {
    seed,
    generated: count,
    sent: accounting.sent,
    seconds: round(seconds),
    requestsPerSecond: round(accounting.sent / Math.max(seconds, 0.001), 1),
    statuses: accounting.statusFigures(),
    byFamily: accounting.familyFigures(),
    mayInvoke: accounting.mayInvoke,
    invocations: accounting.invocations,
    invocationsWithoutValidToken: accounting.invocationsWithoutValidToken,
    serverErrors: accounting.serverErrors,
    loggedServerErrors: loggedServerErrors.length,
    itemsBefore,
    dataUnchanged,
    violationCount: violations.count,
    violations: violations.messages,
  };
}

/** Starts a local stack of its own (in memory), runs {@link runHostileInput} against it, and stops it. */
export async function hostileInputLocalStack(options: HostileInputOptions = {}): Promise<HostileInputResult> {
  const log: string[] = [];
  const proof = await startProofStack({ log: (line) => log.push(line), checkAnswers: true });
  try {
    const result = await runHostileInput(proof.stack, log, options);
    // Every answer the document describes must conform to it: a nonconforming one is a violation too.
    const { violations } = proof.answers;
    return {
      ...result,
      violationCount: result.violationCount + violations.count,
      violations: [...result.violations, ...violations.messages],
    };
  } finally {
    await proof.stop();
  }
}
