/**
 * `npm start -- --watch`: reloads the running local stack after each burst of saves. Each change is synthesized
 * into a fresh folder (by the synthesis given: the local stack reads synthesized JSON, it never makes it) and served
 * with `LocalStack.reload`; the summary of what changed, or the error, is logged. A failed synthesis or reload
 * leaves the last good stack serving. Saves made during a reload start one more reload after it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../common/project-paths';
import { watchFolders, type FileWatcher } from '../common/file-watcher';
import { describeReload } from './generation';
import type { LocalStack } from './stack';

export interface WatchOptions {
  readonly stack: LocalStack;
  /** Synthesizes the app into `outdir` (emptied first); rejects with the reason it could not. */
  readonly synthesize: (outdir: string) => Promise<void>;
  /** Folders whose changes reload the stack (everything under them). */
  readonly folders: readonly string[];
  /** Where the syntheses go, one numbered folder each; only the served one is kept. Removed at close. */
  readonly workDir: string;
  readonly log: (line: string) => void;
  /** Quiet time after the last save of a burst, in milliseconds. @default the file watcher's (75 ms) */
  readonly debounceMs?: number;
}

export interface StackWatcher {
  /** Resolves once no reload runs or waits (tests, benchmarks). */
  settled(): Promise<void>;
  /** Stops watching, waits for a reload under way, and removes the work folder. */
  close(): Promise<void>;
}

/** A file as the log shows it: relative to the project when inside it. */
function shown(file: string): string {
  const relative = path.relative(PROJECT_ROOT, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** Starts watching `folders` and reloading `stack` on change. */
export function watchStack(options: WatchOptions): StackWatcher {
  const { stack, log, workDir } = options;
  fs.rmSync(workDir, { recursive: true, force: true });
  let generation = 0;
  let served: string | undefined;
  let waiting: readonly string[] = [];
  let running: Promise<void> | undefined;
  let closed = false;

  const reloadOnce = async (files: readonly string[]): Promise<void> => {
    const more = files.length > 3 ? ` and ${files.length - 3} more` : '';
    log(`[watch] ${files.slice(0, 3).map(shown).join(', ')}${more} changed: reloading…`);
    const started = performance.now();
    const outdir = path.join(workDir, String(++generation));
    try {
      await options.synthesize(outdir);
      const synthesized = performance.now();
      const summary = await stack.reload({ synthDir: outdir });
      const previous = served;
      served = outdir;
      if (previous !== undefined) fs.rmSync(previous, { recursive: true, force: true });
      const [synthMs, totalMs] = [synthesized - started, performance.now() - started].map(Math.round);
      log(`[watch] reloaded in ${totalMs} ms (synthesis ${synthMs} ms):`);
      for (const line of describeReload(summary)) log(line);
    } catch (error) {
      fs.rmSync(outdir, { recursive: true, force: true });
      log(`[watch] reload failed; still serving the last good stack.\n${(error as Error).message ?? String(error)}`);
    }
  };

  const run = (): void => {
    if (running || closed || waiting.length === 0) return;
    const files = waiting;
    waiting = [];
    running = reloadOnce(files).finally(() => {
      running = undefined;
      run();
    });
  };

  const watcher: FileWatcher = watchFolders({
    folders: options.folders,
    debounceMs: options.debounceMs,
    onChange: (files) => {
      waiting = [...new Set([...waiting, ...files])];
      run();
    },
  });

  const settled = async (): Promise<void> => {
    while (running) await running;
  };
  return {
    settled,
    close: async () => {
      closed = true;
      watcher.close();
      await settled();
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}
