/** How long `npm start` takes to serve, synthesis included. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../common/project-paths';
import { median } from '../common/statistics';

const START_ENTRY = path.join(PROJECT_ROOT, 'scripts', 'start.ts');

/**
 * Times `tsx scripts/start.ts --port 0 --in-memory` (synthesis included, as `npm start` does) from spawn until it
 * has written its stack file, `runs` times (at most 10, 60 s each). Returns every time and the median, in seconds.
 */
export async function measureStartup(runs: number): Promise<{ seconds: number[]; median: number }> {
  const count = Math.max(1, Math.min(runs, 10));
  const tsx = require.resolve('tsx/cli');
  const seconds: number[] = [];
  for (let i = 0; i < count; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-startup-'));
    const stateFile = path.join(dir, 'stack.json');
    const started = performance.now();
    const child = spawn(process.execPath, [tsx, START_ENTRY, '--port', '0', '--in-memory', '--state-file', stateFile], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      while (!fs.existsSync(stateFile)) {
        if (child.exitCode !== null)
          throw new Error(`scripts/start.ts exited with ${child.exitCode}: ${stderr.trim()}`);
        if (performance.now() - started > 60_000) throw new Error('scripts/start.ts did not become ready within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      seconds.push(Math.round(performance.now() - started) / 1000);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return { seconds, median: median(seconds) };
}
