/**
 * The jest suites, `npm test`'s longest step: the whole run as a contributor waits for it (jest's start-up
 * included), its CPU time, and the slowest suites by name, so they can be attacked. Runs `jest --json` in a child
 * process, once by default: a run takes minutes.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILD_DIR, PROJECT_ROOT } from '../common/project-paths';
import { median } from '../common/statistics';
import { SCRATCH_ROOT } from '../synth/offline-plan';
import type { Row } from './row';

/** How many of the slowest suites are named. */
const SLOWEST = 8;
export const MAX_TEST_RUNS = 5;

interface JestJson {
  readonly numTotalTests: number;
  readonly testResults: readonly { readonly name: string; readonly startTime: number; readonly endTime: number }[];
}

interface TestRun {
  readonly wallSeconds: number;
  /** User + system CPU of jest and everything it ran (Linux only). */
  readonly cpuSeconds?: number;
  readonly json: JestJson;
}

/**
 * CPU seconds of this process's children that have ended and been waited for (theirs included), from
 * `/proc/self/stat` (`cutime` + `cstime`, in clock ticks of 1/100 s: Linux's USER_HZ, proc(5)). Undefined elsewhere.
 */
function childrenCpuSeconds(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3: cutime and cstime are 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

async function runJest(outputFile: string): Promise<TestRun> {
  const cpuBefore = childrenCpuSeconds();
  const start = process.hrtime.bigint();
  const jest = require.resolve('jest/bin/jest');
  const child = spawn(process.execPath, [jest, '--json', `--outputFile=${outputFile}`], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  child.stderr.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuAfter = childrenCpuSeconds();
  if (code !== 0 || !fs.existsSync(outputFile)) {
    throw new Error(`jest failed (exit ${code}): run \`npx jest\` to see why. Its last output:\n${tail}`);
  }
  const json = JSON.parse(fs.readFileSync(outputFile, 'utf8')) as JestJson;
  const cpuSeconds = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  return { wallSeconds, cpuSeconds, json };
}

/** Whether the plan tests have stored plans, which a run reuses where their key still matches (see `planOffline`). */
function plansStored(): boolean {
  const dir = path.join(SCRATCH_ROOT, 'test');
  return (
    fs.existsSync(dir) && fs.readdirSync(dir).some((stack) => fs.existsSync(path.join(dir, stack, 'offline-plan.json')))
  );
}

export async function benchTests(runs = 1): Promise<Row[]> {
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_TEST_RUNS) {
    throw new Error(`--test-runs takes a whole number from 1 to ${MAX_TEST_RUNS}.`);
  }
  const dir = path.join(BUILD_DIR, 'bench-tests');
  fs.mkdirSync(dir, { recursive: true });
  const rows: Row[] = [];
  const durations = new Map<string, number[]>();
  for (let i = 1; i <= runs; i++) {
    const plans = plansStored() ? 'plans stored before' : 'no plans stored';
    const run = await runJest(path.join(dir, `run-${i}.json`));
    const cpu = run.cpuSeconds === undefined ? '' : `, ${run.cpuSeconds.toFixed(0)} s of CPU`;
    rows.push({
      what: `jest, all ${run.json.numTotalTests} tests in ${run.json.testResults.length} suites: run ${i} (${plans})`,
      value: `${run.wallSeconds.toFixed(1)} s${cpu}`,
    });
    for (const suite of run.json.testResults) {
      const name = path.relative(PROJECT_ROOT, suite.name);
      durations.set(name, [...(durations.get(name) ?? []), (suite.endTime - suite.startTime) / 1000]);
    }
  }
  const slowest = [...durations]
    .map(([name, seconds]) => [name, median(seconds)] as const)
    .sort(([, a], [, b]) => b - a)
    .slice(0, SLOWEST);
  const total = [...durations.values()].reduce((sum, seconds) => sum + median(seconds), 0);
  rows.push({
    what: 'jest: suite durations added up (more than the run when suites run in parallel)',
    value: `${total.toFixed(1)} s`,
  });
  for (const [name, seconds] of slowest) rows.push({ what: `jest suite: ${name}`, value: `${seconds.toFixed(1)} s` });
  return rows;
}
