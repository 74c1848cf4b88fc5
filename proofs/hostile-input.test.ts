/**
 * Proof under hostile input: 3000 generated requests (seeded; the proof's minimum) against the local stack —
 * malformed bodies, headers, paths, queries, cursors, HTTP framing and forged tokens. Never a 5xx, never a function
 * invocation without a valid token for the method, and the data unchanged. Figures in
 * `.build/proofs/hostile-input.json`.
 */
import { prng } from '../common/prng';
import {
  formatHostileInput,
  generateHostileRequests,
  hostileInputLocalStack,
  type HostileContext,
  type HostileInputResult,
} from './hostile-input';
import { DEFAULT_SCOPES, writeProofReport } from './support';

const COUNT = 3000;
const SEED = 7;

describe('the generator', () => {
  const context: HostileContext = {
    stage: 'dev',
    poolId: 'us-east-1_AAAAAAAAA',
    clientId: 'client',
    clientSecret: 'secret',
    scopes: DEFAULT_SCOPES,
    tokens: {
      valid: { read: 'r.r.r', write: 'w.w.w', update: 'u.u.u', delete: 'd.d.d', all: 'a.a.a' },
      oversizeValid: 'o.o.o',
      invalid: [{ label: 'forged', token: 'f.f.f' }],
    },
    existingIds: ['0f8fad5b-d9cb-469f-a165-70867728950e'],
  };
  const labels = (seed: number): string[] => [...generateHostileRequests(context, prng(seed), 500)].map((r) => r.label);

  it('replays the same cases for the same seed, and others for another', () => {
    expect(labels(SEED)).toEqual(labels(SEED));
    expect(labels(SEED + 1)).not.toEqual(labels(SEED));
  });

  it('never lets a request carrying a valid token change data (harmless by construction), and covers every family', () => {
    const requests = [...generateHostileRequests(context, prng(SEED), COUNT)];
    expect(requests).toHaveLength(COUNT);
    expect(new Set(requests.map((r) => r.family))).toEqual(
      new Set(['token', 'body', 'header', 'path', 'query', 'cursor', 'framing', 'token-endpoint']),
    );
    for (const request of requests.filter((r) => r.mayInvoke && !r.raw)) {
      const ifMatch = request.headers.filter(([name]) => name.toLowerCase() === 'if-match').map(([, value]) => value);
      // A DELETE always carries an If-Match (none would delete); unknown methods never count as authorized.
      if (request.method === 'DELETE') expect(ifMatch.length).toBeGreaterThan(0);
      expect(['GET', 'POST', 'PUT', 'DELETE']).toContain(request.method);
    }
    expect(requests.filter((r) => !r.mayInvoke).length).toBeGreaterThan(COUNT / 4);
  });
});

describe('against the local stack', () => {
  let result: HostileInputResult;

  beforeAll(async () => {
    result = await hostileInputLocalStack({ count: COUNT, seed: SEED });
    console.log(`${formatHostileInput(result)} → ${writeProofReport('hostile-input', result)}`);
  }, 120_000);

  it('sends every generated request and gets an answer to each, never a 5xx', () => {
    expect(result.violations).toEqual([]);
    expect(result.sent).toBe(COUNT);
    expect(result.serverErrors).toBe(0);
    expect(result.loggedServerErrors).toBe(0);
    expect(Object.keys(result.statuses).filter((status) => !/^[1-4]\d\d$/.test(status))).toEqual([]);
  });

  it('never invokes the function for a request without a valid token for its method', () => {
    expect(result.invocationsWithoutValidToken).toBe(0);
    expect(result.invocations).toBeLessThanOrEqual(result.mayInvoke);
    // Control: requests with a valid token do reach the function, and forged ones are refused.
    expect(result.invocations).toBeGreaterThan(0);
    expect(result.statuses['401']).toBeGreaterThan(0);
  });

  it('leaves the data unchanged', () => {
    expect(result.itemsBefore).toBeGreaterThan(0);
    expect(result.dataUnchanged).toBe(true);
  });
});
