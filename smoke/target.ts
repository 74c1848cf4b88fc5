/**
 * What the smoke check runs against: the local stack (`.local/stack.json`, the default, or the file given with
 * `--state-file`, as `npm start -- --state-file` wrote it) or a deployed one (`--stack platform-<stage>`: its
 * Terraform outputs in `cdktf.out/stacks/<stack>`, and each consumer's credentials from its Secrets Manager secret,
 * read with the operator's AWS credentials).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileCredentialsSource, SecretsManagerCredentialsSource, type CredentialsSource } from '../client';
import { readTerraformOutputs } from '../common/terraform-outputs';
import { DEFAULT_STATE_FILE } from '../local/environment';
import type { SmokeConsumer } from './consumer-checks';

export interface SmokeTarget {
  readonly apiUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The API key to send as `x-api-key`, for a stage with usage plans (the `api_key` output). */
  readonly apiKey?: string;
  /** Where the details came from, for the report. */
  readonly source: string;
  /** Every live credential generation of every consumer, to check. @default none */
  readonly consumers?: readonly SmokeConsumer[];
  /** Every scope the resource server defines. @default the operations consumer's */
  readonly allScopes?: readonly string[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** Reads `.local/stack.json` (as `npm start` writes it). */
export function localTarget(file = DEFAULT_STATE_FILE): SmokeTarget {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: start the local stack with \`npm start\` first.`);
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const key of ['apiUrl', 'tokenUrl', 'clientId', 'clientSecret']) {
    if (typeof config[key] !== 'string') throw new Error(`${file} has no "${key}".`);
  }
  // Every live generation of every consumer, from its entry in the same file.
  const consumers: SmokeConsumer[] = [];
  for (const [name, entry] of Object.entries(isObject(config.consumers) ? config.consumers : {})) {
    const generations = isObject(entry) && isObject(entry.generations) ? entry.generations : {};
    for (const [generation, credentials] of Object.entries(generations)) {
      consumers.push({
        name,
        generation: Number(generation),
        scopes: strings(isObject(credentials) ? credentials.scopes : undefined),
        credentials: new FileCredentialsSource({ file, consumer: name, generation: Number(generation) }),
      });
    }
  }
  return {
    apiUrl: config.apiUrl as string,
    tokenUrl: config.tokenUrl as string,
    clientId: config.clientId as string,
    clientSecret: config.clientSecret as string,
    ...(typeof config.apiKey === 'string' && { apiKey: config.apiKey }),
    source: path.relative(process.cwd(), file) || file,
    consumers,
    allScopes: [...new Set(consumers.flatMap((consumer) => consumer.scopes))],
  };
}

/** How the deployed smoke check reads a consumer's secret: with the operator's AWS credentials, by default. */
export type SecretSource = (secretArn: string) => CredentialsSource;

const secretsManager: SecretSource = (secretArn) => new SecretsManagerCredentialsSource({ secretId: secretArn });

/** Every live generation of every consumer of the `consumers` output, each read from its secret. */
function deployedConsumers(output: unknown, secretSource: SecretSource): SmokeConsumer[] {
  if (!isObject(output)) return [];
  return Object.entries(output).flatMap(([name, entry]) => {
    if (!isObject(entry) || !isObject(entry.secret_arns)) return [];
    const scopes = strings(entry.scopes);
    return Object.entries(entry.secret_arns)
      .filter((pair): pair is [string, string] => typeof pair[1] === 'string')
      .map(([generation, arn]) => ({ name, generation: Number(generation), scopes, credentials: secretSource(arn) }));
  });
}

/** Reads a deployed stack's outputs with `terraform output -json` in `cdktf.out/stacks/<stack>`. */
export async function deployedTarget(
  stack: string,
  outdir?: string,
  terraform?: string,
  secretSource: SecretSource = secretsManager,
): Promise<SmokeTarget> {
  const outputs = await readTerraformOutputs(stack, outdir, terraform);
  return {
    apiUrl: outputs.string('api_url').replace(/\/+$/, ''),
    tokenUrl: outputs.string('token_endpoint'),
    clientId: outputs.string('client_id'),
    clientSecret: outputs.string('client_secret'),
    ...(outputs.has('api_key') && { apiKey: outputs.string('api_key') }),
    source: `terraform outputs of ${stack}`,
    consumers: deployedConsumers(outputs.value('consumers'), secretSource),
    ...(outputs.has('scopes') && { allScopes: strings(outputs.value('scopes')) }),
  };
}
