/** `runLoad` of bench/http-load.ts against a scripted loopback server: counts, statuses and latency figures. */
import { runLoad } from '../../bench/http-load';
import { startLoopbackServer, type LoopbackServer } from '../client/loopback-server';

let server: LoopbackServer;

beforeAll(async () => {
  server = await startLoopbackServer(() => ({ status: 200, body: { items: [] } }));
});
afterAll(() => server.close());

describe('runLoad', () => {
  it('sends authorized requests until its budget is spent and reports ordered, defined percentiles', async () => {
    let n = 0;
    server.handler = () =>
      ++n % 4 === 0 ? { status: 503, body: { message: 'busy' } } : { status: 200, body: { items: [] } };
    const result = await runLoad({
      apiUrl: `${server.url}/dev/`,
      token: 't0k',
      concurrency: 3,
      durationMs: 2000,
      maxRequests: 40,
    });
    expect(result.requests).toBe(40);
    expect(result.ok + result.errors).toBe(40);
    expect(result.statuses).toEqual({ '200': 30, '503': 10 });
    for (const figure of [result.p50Ms, result.p90Ms, result.p99Ms, result.maxMs]) {
      expect(Number.isFinite(figure)).toBe(true);
    }
    expect(result.p50Ms).toBeLessThanOrEqual(result.p90Ms);
    expect(result.p90Ms).toBeLessThanOrEqual(result.p99Ms);
    expect(result.p99Ms).toBeLessThanOrEqual(result.maxMs);
    expect(new Set(server.requests.map((r) => `${r.method} ${r.url} ${r.headers.authorization}`))).toEqual(
      new Set(['GET /dev/categories Bearer t0k']),
    );
  });
});
