/**
 * Reading a synth output: the stacks listed in the `manifest.json` that cdktf writes beside them. Cheap (no cdktf,
 * no stack code), for everything that reads synthesized Terraform JSON rather than making it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SynthOutputError } from './errors';

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

/** The stacks of an existing synth output (`cdktf.out` by default). */
export function readManifest(outdir: string): SynthesizedStack[] {
  const manifestPath = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new SynthOutputError(`${manifestPath} does not exist: run \`npm run synth\` first.`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
  return Object.entries(manifest.stacks).map(([name, stack]) => ({
    name,
    workingDirectory: path.resolve(outdir, stack.workingDirectory),
    synthesizedFile: path.resolve(outdir, stack.synthesizedStackPath),
  }));
}
