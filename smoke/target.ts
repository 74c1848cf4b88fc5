/**
 * What the smoke check runs against: the local stack (`.local/stack.json`, the default, or the file given with
 * `--state-file`, as `npm start -- --state-file` wrote it) or a deployed one (`--stack platform-<stage>`: its
 * Terraform outputs in `cdktf.out/stacks/<stack>`).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../common/project-paths';
import { DEFAULT_STATE_FILE } from '../local/environment';

export interface SmokeTarget {
  readonly apiUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The API key to send as `x-api-key`, for a stage with usage plans (the `api_key` output). */
  readonly apiKey?: string;
  /** Where the details came from, for the report. */
  readonly source: string;
}

/** Reads `.local/stack.json` (as `npm start` writes it). */
export function localTarget(file = DEFAULT_STATE_FILE): SmokeTarget {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: start the local stack with \`npm start\` first.`);
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const key of ['apiUrl', 'tokenUrl', 'clientId', 'clientSecret']) {
    if (typeof config[key] !== 'string') throw new Error(`${file} has no "${key}".`);
  }
  return {
    apiUrl: config.apiUrl as string,
    tokenUrl: config.tokenUrl as string,
    clientId: config.clientId as string,
    clientSecret: config.clientSecret as string,
    source: path.relative(process.cwd(), file) || file,
  };
}

/** Reads a deployed stack's outputs with `terraform output -json` in `cdktf.out/stacks/<stack>`. */
export async function deployedTarget(
  stack: string,
  outdir = path.join(PROJECT_ROOT, 'cdktf.out'),
  terraform = 'terraform',
): Promise<SmokeTarget> {
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
  const value = (name: string): string => {
    const v = outputs[name]?.value;
    if (typeof v !== 'string' || v === '') throw new Error(`${stack} has no output "${name}": is it deployed?`);
    return v;
  };
  return {
    apiUrl: value('api_url').replace(/\/+$/, ''),
    tokenUrl: value('token_endpoint'),
    clientId: value('client_id'),
    clientSecret: value('client_secret'),
    ...(outputs.api_key !== undefined && { apiKey: value('api_key') }),
    source: `terraform outputs of ${stack}`,
  };
}
