/**
 * `npm run load [-- --duration 5] [--concurrency 20] [--seed 20] [--startup-runs 0]`: bounded load and start-up
 * measurements of the local stack, on 127.0.0.1 only.
 *
 * Starts its own local stack (in memory, free port, nothing written to `.local`), seeds categories, then has
 * `concurrency` clients call `GET /categories` with a read token for `duration` seconds (capped at 30 s and
 * 200 000 requests), and prints requests/s and latency percentiles. With `--startup-runs N` (at most 10) it
 * also times `npm start` (`scripts/start.ts`) from spawn until its stack file exists, N times, and prints the
 * median. The measurements live in `bench/`.
 */
import { loadLocalStack } from '../bench/local-load';
import { measureStartup } from '../bench/startup';

function numberFlag(argv: readonly string[], name: string, fallback: number): number {
  const index = argv.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} needs a number.`);
  return value;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const known = new Set(['--duration', '--concurrency', '--seed', '--startup-runs']);
  for (let i = 0; i < argv.length; i += 2) if (!known.has(argv[i])) throw new Error(`Unknown option ${argv[i]}.`);
  const durationMs = numberFlag(argv, '--duration', 5) * 1000;
  const concurrency = numberFlag(argv, '--concurrency', 20);
  const seed = Math.min(numberFlag(argv, '--seed', 20), 100);
  const startupRuns = numberFlag(argv, '--startup-runs', 0);

  if (startupRuns > 0) {
    const startup = await measureStartup(startupRuns);
    console.log(
      `start-up (spawn → stack file, synthesis included): median ${startup.median.toFixed(2)} s of [${startup.seconds.join(', ')}]`,
    );
  }
  const result = await loadLocalStack({ durationMs, concurrency, seed });
  console.log(
    `GET /categories (${seed} items), ${concurrency} clients, ${result.seconds} s: ${result.requests} requests, ` +
      `${result.requestsPerSecond} req/s, p50 ${result.p50Ms} ms, p90 ${result.p90Ms} ms, p99 ${result.p99Ms} ms, ` +
      `max ${result.maxMs} ms, ${result.errors} errors ${JSON.stringify(result.statuses)}`,
  );
  if (result.errors > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
