/**
 * Proofs under faults: (a) the local DynamoDB stopped mid-run and restarted on the same port and data folder;
 * (b) the token endpoint unreachable, then back. Figures in `.build/proofs/faults.json`.
 */
import {
  ANSWER_WITHIN_MS,
  formatOutage,
  formatTokenOutage,
  runDynamoDbOutage,
  runTokenEndpointOutage,
  type OutageResult,
  type TokenOutageResult,
} from './faults';
import { startProofStack, writeProofReport, type ProofStack } from './support';

let proof: ProofStack;
let outage: OutageResult | undefined;
let token: TokenOutageResult | undefined;

beforeAll(async () => {
  proof = await startProofStack({ persist: true, checkAnswers: true });
}, 60_000);

afterAll(async () => {
  console.log(
    [
      outage && formatOutage(outage),
      token && formatTokenOutage(token),
      `→ ${writeProofReport('faults', { outage, token })}`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
  await proof?.stop();
});

describe('(a) DynamoDB stops mid-run, then comes back', () => {
  beforeAll(async () => {
    outage = await runDynamoDbOutage(proof.stack);
  }, 60_000);

  it('answers 503 JSON with Retry-After while it is down, quickly, and no other 5xx', () => {
    const result = outage as OutageResult;
    expect(result.violations).toEqual([]);
    expect(Object.keys(result.statuses).filter((status) => status !== '503' && !/^[1-4]\d\d$/.test(status))).toEqual(
      [],
    );
    expect(Object.keys(result.duringOutage)).toEqual(['503']);
    for (const probe of result.probes) {
      expect([probe.route, probe.status, probe.retryAfter]).toEqual([
        probe.route,
        503,
        expect.stringMatching(/^[1-9]\d*$/),
      ]);
      expect(probe.ms).toBeLessThan(ANSWER_WITHIN_MS);
    }
    expect(result.timings.unavailable.maxMs).toBeLessThan(ANSWER_WITHIN_MS);
  });

  it('writes nothing partially, and stores no POST refused while it was down', () => {
    const result = outage as OutageResult;
    expect(result.posts.refusedDuringOutage).toBeGreaterThan(0);
    expect(result.violations.filter((v) => /partial|stored|gone|changed/.test(v))).toEqual([]);
  });

  it('recovers when it is back, with the data written before the outage intact', () => {
    const result = outage as OutageResult;
    expect(result.timings.recoveryMs).not.toBeNull();
    expect(Object.keys(result.afterRecovery).every((status) => /^2\d\d$/.test(status))).toBe(true);
    expect(result.items.after).toBeGreaterThanOrEqual(result.items.before);
  });
});

describe('(b) the token endpoint is unreachable', () => {
  beforeAll(async () => {
    token = await runTokenEndpointOutage(proof.stack);
  }, 30_000);

  it('fails fast with TokenEndpointUnreachableError naming the URL, and recovers when the endpoint is back', () => {
    const result = token as TokenOutageResult;
    expect(result.violations).toEqual([]);
    const failures = result.cases.filter((c) => c.error !== undefined);
    expect(failures.length).toBeGreaterThanOrEqual(5);
    for (const failure of failures) {
      expect([failure.name, failure.error]).toEqual([failure.name, 'TokenEndpointUnreachableError']);
      expect(failure.message).toContain(result.tokenUrl);
      expect(failure.ms).toBeLessThan(ANSWER_WITHIN_MS);
    }
    const recovered = result.cases.at(-1);
    expect(recovered?.ok).toBe(true);
    expect(recovered?.error).toBeUndefined();
    expect(result.connectionsForCachedCalls).toBe(0);
  });
});

describe('every answer of (a) and (b)', () => {
  it('conforms to the OpenAPI document the stack serves, during the outage too', () => {
    expect(proof.answers.checked).toBeGreaterThan(0);
    expect(proof.answers.violations.messages).toEqual([]);
  });
});
