/**
 * Synth of every stack, Lambda bundling included, in fresh processes: time and peak memory, by the app command
 * `cdktf synth` runs (the old `npx tsx main.ts` beside scripts/cdktf-app.cjs) and in process; and the bundling of
 * the categories function with an empty cache and with a cached bundle.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { BUILD_DIR, PROJECT_ROOT } from '../common/project-paths';
import { median } from '../common/statistics';
import { SCRATCH_ROOT } from '../synth/offline-plan';
import type { Row } from './row';

const run = promisify(execFile);
/** The entry point that synthesizes once and prints its figures as JSON. */
const SYNTH_ONCE = path.join(PROJECT_ROOT, 'scripts', 'synth-once.ts');
/** The entry point that bundles the categories function once and prints its figures as JSON. */
export const BUNDLE_ONCE = path.join(PROJECT_ROOT, 'scripts', 'bundle-once.ts');
const PEAK_RSS = path.join(__dirname, 'peak-rss.cjs');

const LAUNCHER = path.join(PROJECT_ROOT, 'scripts', 'cdktf-app.cjs');
/** The app as compiled by the launcher: removing it makes the next run compile, as after an edit. */
const COMPILED_APP = path.join(BUILD_DIR, 'cdktf-app.js');

interface AppCommand {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Runs before each sample, untimed. */
  readonly prepare?: () => void;
}

/** The app commands of cdktf.json, before and after: what `cdktf synth` starts. */
const APP_COMMANDS: readonly AppCommand[] = [
  { label: '`npx tsx main.ts` (before)', command: 'npx', args: ['tsx', 'main.ts'] },
  {
    label: '`node scripts/cdktf-app.cjs`, app changed (compiles)',
    command: process.execPath,
    args: [LAUNCHER],
    prepare: () => fs.rmSync(COMPILED_APP, { force: true }),
  },
  { label: '`node scripts/cdktf-app.cjs`, app unchanged', command: process.execPath, args: [LAUNCHER] },
];

interface AppSample {
  readonly wallMs: number;
  /** Peak RSS of the largest Node.js process the command started. */
  readonly peakRssMb: number;
}

/** Runs an app command as `cdktf synth` does (CDKTF_OUTDIR set), measuring wall time and peak memory. */
async function appSample(command: string, args: readonly string[]): Promise<AppSample> {
  const peakFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rss-')), 'peaks');
  const outdir = path.join(SCRATCH_ROOT, 'bench-app');
  // The CLI makes the output folder before it starts the app.
  fs.mkdirSync(outdir, { recursive: true });
  const start = process.hrtime.bigint();
  await run(command, [...args], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      CDKTF_OUTDIR: outdir,
      NODE_OPTIONS: `--require ${PEAK_RSS}`,
      PEAK_RSS_FILE: peakFile,
    },
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const peaks = fs.readFileSync(peakFile, 'utf8').trim().split('\n').map(Number);
  fs.rmSync(path.dirname(peakFile), { recursive: true, force: true });
  return { wallMs, peakRssMb: Math.max(...peaks) };
}

async function appRows(runs: number): Promise<Row[]> {
  const samples = APP_COMMANDS.map((): AppSample[] => []);
  // Alternating, so all see the same load.
  for (let i = 0; i < runs; i++) {
    for (const [index, app] of APP_COMMANDS.entries()) {
      app.prepare?.();
      samples[index].push(await appSample(app.command, app.args));
    }
  }
  return APP_COMMANDS.flatMap(({ label }, index) => [
    {
      what: `synth of all stacks, app ${label}: whole process`,
      value: `${median(samples[index].map((s) => s.wallMs)).toFixed(0)} ms`,
    },
    {
      what: `synth of all stacks, app ${label}: peak memory (RSS, largest process)`,
      value: `${median(samples[index].map((s) => s.peakRssMb)).toFixed(0)} MB`,
    },
  ]);
}

/** Synth in process (`synth-once`, through tsx): what the stacks themselves cost, bundling included. */
async function inProcessRow(runs: number): Promise<Row> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', SYNTH_ONCE, path.join(SCRATCH_ROOT, 'bench-synth')],
      { cwd: PROJECT_ROOT },
    );
    times.push((JSON.parse(stdout) as { synthMs: number }).synthMs);
  }
  return { what: 'synth of all stacks: in process (bundling included)', value: `${median(times).toFixed(0)} ms` };
}

/** Bundling the categories function in a fresh process: into an empty cache, then again from the cache. */
async function bundlingRows(runs: number): Promise<Row[]> {
  const cold: number[] = [];
  const cached: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bundles-'));
    try {
      for (const times of [cold, cached]) {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', BUNDLE_ONCE, cacheDir], {
          cwd: PROJECT_ROOT,
        });
        times.push((JSON.parse(stdout) as { bundleMs: number }).bundleMs);
      }
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  return [
    { what: 'bundling the categories function: empty cache (esbuild)', value: `${median(cold).toFixed(0)} ms` },
    {
      what: 'bundling the categories function: cached (inputs hashed, no esbuild)',
      value: `${median(cached).toFixed(0)} ms`,
    },
  ];
}

export async function benchSynth(runs: number): Promise<Row[]> {
  return [...(await appRows(runs)), await inProcessRow(runs), ...(await bundlingRows(runs))];
}
