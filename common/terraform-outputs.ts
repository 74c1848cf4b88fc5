/**
 * A deployed stack's Terraform outputs: `terraform output -json` in its working directory, `cdktf.out/stacks/<stack>`
 * (where `cdktf deploy` ran it, with its backend initialised).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from './project-paths';

/** The outputs of a deployed stack, by name. */
export interface TerraformOutputs {
  /** The string value of an output; fails, naming the stack and output, when it has none. */
  string(name: string): string;
  /** Whether the stack has the output. */
  has(name: string): boolean;
  /** The value of an output, whatever its type; `undefined` when the stack has none. */
  value(name: string): unknown;
}

/** Reads `stack`'s outputs with `terraform output -json` in `<outdir>/stacks/<stack>`. */
export async function readTerraformOutputs(
  stack: string,
  outdir = path.join(PROJECT_ROOT, 'cdktf.out'),
  terraform = 'terraform',
): Promise<TerraformOutputs> {
  const dir = path.join(outdir, 'stacks', stack);
  if (!fs.existsSync(dir)) throw new Error(`${dir} does not exist: synthesize and deploy ${stack} first.`);
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(terraform, ['output', '-json'], { cwd: dir, maxBuffer: 1 << 20 }));
  } catch (error) {
    const detail = ((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
    throw new Error(
      `terraform output -json failed in ${dir}: ${detail}\n(Is ${stack} deployed, and its working directory initialised?)`,
      { cause: error },
    );
  }
  const outputs = JSON.parse(stdout) as Record<string, { value: unknown }>;
  return {
    has: (name) => outputs[name] !== undefined,
    value: (name) => outputs[name]?.value,
    string: (name) => {
      const value = outputs[name]?.value;
      if (typeof value !== 'string' || value === '')
        throw new Error(`${stack} has no output "${name}": is it deployed?`);
      return value;
    },
  };
}
