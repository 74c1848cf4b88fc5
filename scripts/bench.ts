/**
 * `npm run bench [-- --runs N] [-- --skip-plan]`: measures what contributors and users wait for, several runs
 * each, and prints medians. Everything runs on this machine, offline; it stops by itself.
 *
 * - synth: every stack, Lambda bundling included, in a fresh process (wall time and peak memory)
 * - plan: offline `terraform init` / `validate` / `plan` per stack
 * - Lambda: zip size and cold module-init time of the bundle (a fresh Node.js process loading it)
 * - local stack: `npm start` until it is ready, and authorized GET /categories at 20 concurrent clients
 *   (requests per second, p50 and p99; 8 s per run, loopback only)
 */
import { execFile } from 'node:child_process';
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { BUNDLE_ROOT } from '../stacks/bundling';
import { loadLocalStack, measureStartup } from './load';
import { planOffline, requireTerraform, SCRATCH_ROOT } from '../synth/offline-plan';
import { synthesize } from '../synth/synthesize';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

interface Row {
  readonly what: string;
  readonly value: string;
}

interface SynthSample {
  readonly synthMs: number;
  readonly peakRssMb: number;
  readonly wallMs: number;
}

/** Runs `synth-once` in `runs` fresh processes started with `args`. */
async function synthSamples(runs: number, args: readonly string[]): Promise<SynthSample[]> {
  const samples: SynthSample[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const { stdout } = await run(process.execPath, [...args, path.join(SCRATCH_ROOT, 'bench-synth')], { cwd: ROOT });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    samples.push({ ...(JSON.parse(stdout) as { synthMs: number; peakRssMb: number }), wallMs });
  }
  return samples;
}

function synthRows(label: string, samples: readonly SynthSample[]): Row[] {
  return [
    {
      what: `synth of all stacks ${label}: in process (bundling included)`,
      value: `${median(samples.map((s) => s.synthMs)).toFixed(0)} ms`,
    },
    {
      what: `synth of all stacks ${label}: whole process`,
      value: `${median(samples.map((s) => s.wallMs)).toFixed(0)} ms`,
    },
    {
      what: `synth of all stacks ${label}: peak memory (RSS)`,
      value: `${median(samples.map((s) => s.peakRssMb)).toFixed(0)} MB`,
    },
  ];
}

/**
 * Synth as `cdktf synth` runs it (through tsx, which compiles TypeScript on the fly and costs ~40 MB), and the
 * same code compiled ahead of time by esbuild and run by plain Node.js, to tell the app's own cost from the loader's.
 */
async function benchSynth(runs: number): Promise<Row[]> {
  const entry = path.join(__dirname, 'synth-once.ts');
  // One folder below the project root, like stacks/ itself: the stacks find the functions relative to __dirname.
  const compiled = path.join(ROOT, '.build', 'synth-once.js');
  await build({
    entryPoints: [entry],
    outfile: compiled,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
  return [
    ...synthRows('(tsx)', await synthSamples(runs, ['--import', 'tsx', entry])),
    ...synthRows('(precompiled, plain Node.js)', await synthSamples(runs, [compiled])),
  ];
}

async function benchPlan(runs: number): Promise<Row[]> {
  await requireTerraform();
  const stacks = synthesize(path.join(SCRATCH_ROOT, 'bench-plan'));
  const seconds = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    // One stack at a time: the figure is what one stack costs, not a share of two cores.
    for (const stack of stacks) {
      const plan = await planOffline(stack, { namespace: 'bench' });
      const total = plan.seconds.init + plan.seconds.validate + plan.seconds.plan;
      seconds.set(stack.name, [...(seconds.get(stack.name) ?? []), total]);
    }
  }
  return [...seconds].map(([stack, values]) => ({
    what: `offline init + validate + plan: ${stack}`,
    value: `${median(values).toFixed(1)} s`,
  }));
}

async function benchLambda(runs: number): Promise<Row[]> {
  const stack = synthesize(path.join(SCRATCH_ROOT, 'bench-lambda')).find((s) => s.name === 'platform-dev');
  if (!stack) throw new Error('no platform-dev stack was synthesized');
  const json = JSON.parse(fs.readFileSync(stack.synthesizedFile, 'utf8')) as {
    resource: { aws_lambda_function: Record<string, { filename: string }> };
  };
  const [fn] = Object.values(json.resource.aws_lambda_function);
  const zipBytes = fs.statSync(path.join(stack.workingDirectory, fn.filename)).size;
  const bundle = path.join(BUNDLE_ROOT, 'categories', 'index.js');
  const initScript =
    'const t=process.hrtime.bigint();require(process.argv[1]);' +
    'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';
  const inits: number[] = [];
  for (let i = 0; i < Math.max(runs, 5); i++) {
    const { stdout } = await run(process.execPath, ['-e', initScript, bundle], {
      cwd: ROOT,
      env: { ...process.env, TABLE_NAME: 'bench', AWS_REGION: 'us-east-1', NODE_NO_WARNINGS: '1' },
    });
    inits.push(Number(stdout));
  }
  return [
    { what: 'Lambda zip size', value: `${(zipBytes / 1024).toFixed(1)} KB` },
    { what: 'Lambda cold module init (fresh process, SDK from node_modules)', value: `${median(inits).toFixed(0)} ms` },
  ];
}

async function benchLocalStack(runs: number): Promise<Row[]> {
  const startup = await measureStartup(Math.min(runs, 10));
  const loads = [];
  for (let i = 0; i < runs; i++) loads.push(await loadLocalStack({ durationMs: 8_000, concurrency: 20 }));
  const errors = loads.reduce((sum, l) => sum + l.errors, 0);
  return [
    { what: 'local stack start (npm start until ready, synth included)', value: `${startup.median.toFixed(2)} s` },
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
  const width = Math.max(...rows.map((r) => r.what.length));
  for (const row of rows) console.log(`${row.what.padEnd(width)}  ${row.value}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
