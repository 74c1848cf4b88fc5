/**
 * What the smoke check runs against: the local stack (`.local/stack.json`, the default, or the file given with
 * `--state-file`, as `npm start -- --state-file` wrote it) or a deployed one (`--stack platform-<stage>`: its
 * Terraform outputs in `cdktf.out/stacks/<stack>`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTerraformOutputs } from '../common/terraform-outputs';
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
export async function deployedTarget(stack: string, outdir?: string, terraform?: string): Promise<SmokeTarget> {
  const outputs = await readTerraformOutputs(stack, outdir, terraform);
  return {
    apiUrl: outputs.string('api_url').replace(/\/+$/, ''),
    tokenUrl: outputs.string('token_endpoint'),
    clientId: outputs.string('client_id'),
    clientSecret: outputs.string('client_secret'),
    ...(outputs.has('api_key') && { apiKey: outputs.string('api_key') }),
    source: `terraform outputs of ${stack}`,
  };
}
