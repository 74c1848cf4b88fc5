/**
 * How long `npm start -- --watch` takes to serve a saved change: from writing an edited handler to the first
 * response carrying the new code. It runs in a scratch copy of the project (its `node_modules` linked), so the
 * project's own files are never touched; the copy is removed on every way out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ClientCredentialsTokenProvider } from '../client';
import { PROJECT_ROOT } from '../common/project-paths';
import { median } from '../common/statistics';

/** What `scripts/start.ts` needs of the project, copied into the scratch folder. */
const COPIED = [
  'common',
  'contracts',
  'functions',
  'local',
  'openapi',
  'scripts',
  'stacks',
  'synth',
  'package.json',
  'tsconfig.json',
];
/** The handler file edited, and the line of `GET /categories` whose headers the edit changes. */
const EDITED = path.join('functions', 'categories', 'app.ts');
const ORIGINAL = `      page.next === undefined ? { items } : { items, nextToken: encodeCursor(page.next) },\n      {},`;
const MARKER = 'X-Bench-Edit';

interface StackDetails {
  readonly apiUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

function edited(source: string, run: number): string {
  return source.replace(ORIGINAL, ORIGINAL.replace('{},', `{ '${MARKER}': '${run}' },`));
}

/** Calls `GET /categories` until its answer carries the edit of `run`; returns the milliseconds since `since`. */
async function waitForEdit(details: StackDetails, bearer: string, run: number, since: number): Promise<number> {
  for (;;) {
    const response = await fetch(`${details.apiUrl}/categories`, { headers: { Authorization: `Bearer ${bearer}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET /categories answered ${response.status}`);
    if (response.headers.get(MARKER) === String(run)) return performance.now() - since;
    if (performance.now() - since > 30_000) throw new Error(`edit ${run} not served within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Starts `npm start -- --watch` in a scratch copy, makes one edit to warm it up, then `runs` edits (at most 10),
 * each timed from the write to the first answer with the new code. Returns every time and the median, in ms.
 */
export async function measureWatchReload(runs: number): Promise<{ milliseconds: number[]; median: number }> {
  const count = Math.max(1, Math.min(runs, 10));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'local-watch-'));
  let child: ChildProcess | undefined;
  try {
    for (const entry of COPIED)
      fs.cpSync(path.join(PROJECT_ROOT, entry), path.join(scratch, entry), { recursive: true });
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
    const handler = path.join(scratch, EDITED);
    const source = fs.readFileSync(handler, 'utf8');
    if (!source.includes(ORIGINAL)) throw new Error(`${EDITED} changed: update bench/watch.ts's edit`);

    const stateFile = path.join(scratch, 'stack.json');
    const tsx = require.resolve('tsx/cli');
    const start = [tsx, 'scripts/start.ts', '--watch', '--port', '0', '--in-memory', '--state-file', stateFile];
    child = spawn(process.execPath, start, { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = performance.now();
    while (!output.includes('Watching ')) {
      if (child.exitCode !== null) throw new Error(`scripts/start.ts exited with ${child.exitCode}: ${output.trim()}`);
      if (performance.now() - started > 60_000) throw new Error('scripts/start.ts did not become ready within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const details = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as StackDetails;
    const bearer = await new ClientCredentialsTokenProvider(details).getToken();
    const milliseconds: number[] = [];
    for (let run = 0; run <= count; run++) {
      const since = performance.now();
      fs.writeFileSync(handler, edited(source, run));
      const elapsed = await waitForEdit(details, bearer, run, since).catch((error: Error) => {
        throw new Error(`${error.message}; npm start printed:\n${output.slice(-2000)}`);
      });
      if (run > 0) milliseconds.push(Math.round(elapsed)); // run 0 warms the synthesis process up
      await new Promise((resolve) => setTimeout(resolve, 300)); // the old environments retire
    }
    return { milliseconds, median: median(milliseconds) };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
