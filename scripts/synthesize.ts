import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { buildApp } from '../stacks/app';

export interface SynthesizedStack {
  readonly name: string;
  /** Folder holding the stack's `cdk.tf.json` and assets. */
  readonly workingDirectory: string;
  /** Absolute path of the stack's Terraform JSON. */
  readonly synthesizedFile: string;
}

interface Manifest {
  readonly stacks: Record<string, { readonly workingDirectory: string; readonly synthesizedStackPath: string }>;
}

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

/** The stacks of an existing synth output (`cdktf.out` by default). */
export function readManifest(outdir: string): SynthesizedStack[] {
  const manifestPath = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`${manifestPath} does not exist: run \`npm run synth\` first.`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
  return Object.entries(manifest.stacks).map(([name, stack]) => ({
    name,
    workingDirectory: path.resolve(outdir, stack.workingDirectory),
    synthesizedFile: path.resolve(outdir, stack.synthesizedStackPath),
  }));
}
