import * as fs from 'node:fs';
import { App } from 'cdktf';
import { buildApp } from '../stacks/app';
import { readManifest, type SynthesizedStack } from './manifest';

/**
 * Synthesizes every stack into `outdir` in this process, exactly as `cdktf synth` does through `main.ts`,
 * without the CLI's start-up cost. Returns the stacks from the manifest cdktf writes.
 */
export function synthesize(
  outdir: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): SynthesizedStack[] {
  return synthesizeApp(outdir, (app) => buildApp(app, env));
}

/**
 * Synthesizes the stacks `build` adds to an app into `outdir` (emptied first): for stacks other than the project's
 * own, such as a test's extended stack. Returns the stacks from the manifest cdktf writes.
 */
export function synthesizeApp(outdir: string, build: (app: App) => void): SynthesizedStack[] {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir });
  build(app);
  app.synth();
  return readManifest(outdir);
}
