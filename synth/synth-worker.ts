/**
 * The child process of {@link SynthProcess} (synth-process.ts): synthesizes the app on request, as `synthesize`
 * does, with cdktf, the AWS provider and esbuild loaded once. Before each synthesis the project's own modules are
 * dropped from the require cache (never those of node_modules), so the stacks and functions are read afresh.
 *
 * Messages: `{ id, outdir, stacks? }` in; `{ id, ok: true }` or `{ id, ok: false, message }` out.
 */
import * as path from 'node:path';
import { PROJECT_ROOT } from '../common/project-paths';
import type { IncrementalBundles } from './synthesize';

type Synthesis = typeof import('./synthesize');

export interface SynthRequest {
  readonly id: number;
  readonly outdir: string;
  /** Only these stacks. @default every stack */
  readonly stacks?: readonly string[];
}

export type SynthReply =
  { readonly id: number; readonly ok: true } | { readonly id: number; readonly ok: false; readonly message: string };

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/** Drops every module of the project (not of node_modules) from the require cache. */
function forgetProjectModules(): void {
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(PROJECT_ROOT + path.sep) && !file.includes(NODE_MODULES)) delete require.cache[file];
  }
}

function loadSynthesis(): Synthesis {
  // A CommonJS require on purpose: it goes through require.cache, which forgetProjectModules empties.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./synthesize') as Synthesis;
}

function main(): void {
  const send = (reply: SynthReply): void => {
    process.send?.(reply);
  };
  // Load cdktf, the provider and esbuild now, while nothing waits for a synthesis.
  try {
    loadSynthesis();
  } catch {
    // The app does not load yet: the first request reports why.
  }
  // The functions' bundles stay in esbuild's memory between syntheses: an edit rebuilds only what changed.
  let bundles: IncrementalBundles | undefined;
  const synthesize = async (request: SynthRequest): Promise<void> => {
    forgetProjectModules();
    let synthesis: Synthesis;
    try {
      synthesis = loadSynthesis();
      bundles ??= new synthesis.IncrementalBundles();
      await bundles.refresh();
      synthesis.synthesize(request.outdir, process.env, request.stacks);
    } catch (error) {
      send({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) });
      return;
    }
    send({ id: request.id, ok: true });
    // After the answer: new bundles are built once more, in esbuild's memory, for the next edit. Should that fail,
    // the next synthesis simply builds them afresh.
    await bundles.track(synthesis.requestedBundleBuilds()).catch(() => undefined);
  };
  // One synthesis at a time, in the order asked.
  let queue = Promise.resolve();
  process.on('message', (request: SynthRequest) => {
    queue = queue.then(() => synthesize(request));
  });
  // The parent went away (or stopped it): nothing left to do.
  process.on('disconnect', () => process.exit(0));
  // Ctrl-C reaches the whole process group: the parent decides when this one stops.
  process.on('SIGINT', () => undefined);
}

if (require.main === module) main();
