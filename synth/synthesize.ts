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
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir });
  buildApp(app, env);
  app.synth();
  return readManifest(outdir);
}
