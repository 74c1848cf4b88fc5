/** Synth of every stack, Lambda bundling included, in fresh processes: time and peak memory. */
import { execFile } from 'node:child_process';
import { build } from 'esbuild';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { BUILD_DIR, PROJECT_ROOT } from '../common/project-paths';
import { median } from '../common/statistics';
import { SCRATCH_ROOT } from '../synth/offline-plan';
import type { Row } from './row';

const run = promisify(execFile);
/** The entry point that synthesizes once and prints its figures as JSON. */
const SYNTH_ONCE = path.join(PROJECT_ROOT, 'scripts', 'synth-once.ts');

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
    const { stdout } = await run(process.execPath, [...args, path.join(SCRATCH_ROOT, 'bench-synth')], {
      cwd: PROJECT_ROOT,
    });
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
export async function benchSynth(runs: number): Promise<Row[]> {
  // One folder below the project root, like stacks/ itself: the stacks find the functions relative to __dirname.
  const compiled = path.join(BUILD_DIR, 'synth-once.js');
  await build({
    entryPoints: [SYNTH_ONCE],
    outfile: compiled,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
  return [
    ...synthRows('(tsx)', await synthSamples(runs, ['--import', 'tsx', SYNTH_ONCE])),
    ...synthRows('(precompiled, plain Node.js)', await synthSamples(runs, [compiled])),
  ];
}
