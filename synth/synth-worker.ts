/**
 * The child process of {@link SynthProcess} (synth-process.ts): synthesizes the app on request, as `synthesize`
 * does, with cdktf, the AWS provider and esbuild loaded once. Before each synthesis the project's own modules are
 * dropped from the require cache (never those of node_modules), so the stacks and functions are read afresh.
 *
 * Messages: `{ id, outdir, stacks? }` in; `{ id, ok: true }` or `{ id, ok: false, message }` out.
 */
import * as path from 'node:path';
import { PROJECT_ROOT } from '../common/project-paths';

type Synthesize = (outdir: string, env?: NodeJS.ProcessEnv, only?: readonly string[]) => unknown;

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

function loadSynthesize(): Synthesize {
  // A CommonJS require on purpose: it goes through require.cache, which forgetProjectModules empties.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./synthesize') as { synthesize: Synthesize }).synthesize;
}

function main(): void {
  const send = (reply: SynthReply): void => {
    process.send?.(reply);
  };
  // Load cdktf, the provider and esbuild now, while nothing waits for a synthesis.
  try {
    loadSynthesize();
  } catch {
    // The app does not load yet: the first request reports why.
  }
  process.on('message', (request: SynthRequest) => {
    forgetProjectModules();
    try {
      loadSynthesize()(request.outdir, process.env, request.stacks);
      send({ id: request.id, ok: true });
    } catch (error) {
      send({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  });
  // The parent went away (or stopped it): nothing left to do.
  process.on('disconnect', () => process.exit(0));
  // Ctrl-C reaches the whole process group: the parent decides when this one stops.
  process.on('SIGINT', () => undefined);
}

if (require.main === module) main();
