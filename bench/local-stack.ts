/** The local stack: `npm start` until ready, and authorized `GET /categories` throughput and latency. */
import { median } from '../common/statistics';
import { loadLocalStack } from './local-load';
import type { Row } from './row';
import { measureStartup } from './startup';
import { measureWatchReload } from './watch';

export async function benchLocalStack(runs: number): Promise<Row[]> {
  const startup = await measureStartup(Math.min(runs, 10));
  const watch = await measureWatchReload(Math.max(runs, 5));
  const loads = [];
  for (let i = 0; i < runs; i++) loads.push(await loadLocalStack({ durationMs: 8_000, concurrency: 20 }));
  const errors = loads.reduce((sum, l) => sum + l.errors, 0);
  return [
    { what: 'local stack start (npm start until ready, synth included)', value: `${startup.median.toFixed(2)} s` },
    {
      what: 'npm start -- --watch: handler saved → first answer with the new code',
      value: `${(watch.median / 1000).toFixed(2)} s (a restart instead: ${startup.median.toFixed(2)} s, the row above)`,
    },
    {
      what: 'local authorized GET /categories, 20 clients: throughput',
      value: `${median(loads.map((l) => l.requestsPerSecond)).toFixed(0)} req/s`,
    },
    {
      what: 'local authorized GET /categories, 20 clients: p50 / p99',
      value: `${median(loads.map((l) => l.p50Ms)).toFixed(1)} / ${median(loads.map((l) => l.p99Ms)).toFixed(1)} ms${errors ? ` (${errors} errors)` : ''}`,
    },
  ];
}
