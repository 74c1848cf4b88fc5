/**
 * `npm run bench [-- --runs N] [-- --skip-plan] [-- --skip-tests]`: measures what contributors and users wait for,
 * several runs each, and prints medians. Everything runs on this machine, offline; it stops by itself. The
 * measurements live in `bench/`:
 *
 * - synth: every stack, Lambda bundling included, in a fresh process (wall time and peak memory), by the app command
 *   before (`npx tsx main.ts`) and now (scripts/cdktf-app.cjs); bundling with an empty cache and cached
 * - plan: offline `terraform init` / `plan` per stack
 * - tests: the jest suites, whole run and slowest suites (`--test-runs N`, 1 by default; `--skip-tests`)
 * - Lambda: zip size and cold module-init time of the bundle (a fresh Node.js process loading it), with the AWS SDK
 *   bundled and left to the runtime
 * - local stack: `npm start` until it is ready; `npm start -- --watch` from saving an edited handler (in a scratch
 *   copy of the project) to the first answer with the new code; and authorized GET /categories at 20 concurrent
 *   clients (requests per second, p50 and p99; 8 s per run, loopback only)
 */
import { benchLambda } from '../bench/lambda';
import { benchLocalStack } from '../bench/local-stack';
import { benchPlan } from '../bench/plan';
import { formatRows, type Row } from '../bench/row';
import { benchSynth } from '../bench/synth';
import { benchTests } from '../bench/tests';

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const runs = Number(arg('--runs') ?? 3);
  if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
    throw new Error('--runs takes a whole number from 1 to 20.');
  }
  console.log(
    `Benchmarks (${runs} runs each, medians) on ${process.platform}/${process.arch}, Node.js ${process.version}\n`,
  );
  const rows: Row[] = [...(await benchSynth(runs)), ...(await benchLambda(runs)), ...(await benchLocalStack(runs))];
  if (!process.argv.includes('--skip-plan')) rows.push(...(await benchPlan(runs)));
  if (!process.argv.includes('--skip-tests')) rows.push(...(await benchTests(Number(arg('--test-runs') ?? 1))));
  console.log(formatRows(rows));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
