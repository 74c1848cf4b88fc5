import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { PROJECT_ROOT } from '../common/project-paths';
import { buildApp } from '../stacks/app';
import { readManifest, type SynthesizedStack } from './manifest';

// For a long-lived process that synthesizes after each edit (synth-worker.ts): its bundles, rebuilt incrementally.
export { IncrementalBundles, requestedBundleBuilds } from '../stacks/incremental-bundles';

/**
 * The folders the app is made from: the stacks, the functions they bundle, and what both import. A change under one
 * of them can change the synthesized stacks (`npm start -- --watch` watches them).
 */
export const SYNTH_INPUTS: readonly string[] = ['stacks', 'functions', 'common', 'contracts'].map((folder) =>
  path.join(PROJECT_ROOT, folder),
);

/**
 * Synthesizes every stack (or only those named in `only`) into `outdir` in this process, exactly as `cdktf synth`
 * does through `main.ts`, without the CLI's start-up cost. Returns the stacks from the manifest cdktf writes.
 */
export function synthesize(
  outdir: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  only?: readonly string[],
): SynthesizedStack[] {
  return synthesizeApp(outdir, (app) => buildApp(app, env, only));
}

/**
 * Synthesizes the stacks `build` adds to an app into `outdir` (emptied first): for stacks other than the project's
 * own, such as a test's extended stack. Returns the stacks from the manifest cdktf writes.
 */
export function synthesizeApp(outdir: string, build: (app: App) => void): SynthesizedStack[] {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  // cdktf records a stack trace for every construct and token; with Node.js's source maps on (tsx turns them on),
  // each trace costs source-map lookups, about a third of a synth. Off while synthesizing: the traces in the
  // output's metadata then name compiled lines, and an error's own stack is still mapped when it is read, after.
  const sourceMaps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    const app = new App({ outdir });
    build(app);
    app.synth();
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
  }
  return readManifest(outdir);
}
