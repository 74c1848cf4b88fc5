import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { BUILD_DIR, PROJECT_ROOT } from '../common/project-paths';
import { writeAtomically } from '../common/write-atomically';
import type { SynthesizedStack } from './manifest';
import { synthesize } from './synthesize';
import type { TerraformJson } from './terraform-json';

const run = promisify(execFile);

/**
 * Runs `terraform init`, `validate` and `plan` on synthesized stacks with no AWS account and no network:
 * each stack is copied to a scratch folder (so nothing here can leak into a real deployment), given a local
 * backend and dummy credentials through an override file, and initialised from a provider mirror on disk.
 */

/** Opt-out of every Terraform check, for machines without Terraform. Say so explicitly: `SKIP_TERRAFORM=1`. */
export const SKIP_VARIABLE = 'SKIP_TERRAFORM';
/** A filesystem mirror holding `registry.terraform.io/hashicorp/aws/<version>/<os_arch>/`. */
const MIRROR_VARIABLE = 'TF_PROVIDER_MIRROR';

export const SCRATCH_ROOT = path.join(BUILD_DIR, 'terraform');
const PROVIDER_SOURCE = 'registry.terraform.io/hashicorp/aws';

/** What every aws provider configuration of a stack gets for an offline plan: dummy credentials, no AWS calls. */
const OFFLINE_PROVIDER = {
  access_key: 'offline-plan',
  secret_key: 'offline-plan',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

/** The override that turns a stack into one Terraform can plan offline: a local backend, and every aws provider (aliases included) offline. */
function offlineOverride(synthesized: TerraformJson): object {
  const providers: { alias?: unknown }[] = synthesized.provider?.aws ?? [{}];
  return {
    terraform: { backend: { local: { path: 'terraform.tfstate' } } },
    provider: { aws: providers.map(({ alias }) => (alias ? { alias, ...OFFLINE_PROVIDER } : OFFLINE_PROVIDER)) },
  };
}

type Env = Readonly<Record<string, string | undefined>>;

/** Terraform cannot run here: not installed, or no provider to initialise from. The message says what to do. */
export class TerraformUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerraformUnavailableError';
  }
}

/** Where Terraform itself looks for providers on disk (its "implied local mirror directories"). */
function impliedMirrors(env: Env): string[] {
  const home = os.homedir();
  const dataHome = env.XDG_DATA_HOME || path.join(home, '.local', 'share');
  return [
    path.join(home, '.terraform.d', 'plugins'),
    path.join(dataHome, 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ];
}

/** The provider mirror to initialise from: `TF_PROVIDER_MIRROR`, else one of Terraform's implied mirrors. */
function findProviderMirror(env: Env = process.env): string | undefined {
  const configured = env[MIRROR_VARIABLE];
  if (configured) {
    if (!fs.existsSync(path.join(configured, PROVIDER_SOURCE))) {
      throw new TerraformUnavailableError(
        `${MIRROR_VARIABLE}=${configured} holds no ${PROVIDER_SOURCE}: point it at the folder that contains ` +
          `"registry.terraform.io/" (a Terraform filesystem mirror).`,
      );
    }
    return configured;
  }
  return impliedMirrors(env).find((dir) => fs.existsSync(path.join(dir, PROVIDER_SOURCE)));
}

/** Fails with instructions when Terraform cannot run here; returns its version otherwise. */
export async function requireTerraform(): Promise<string> {
  try {
    const { stdout } = await run('terraform', ['version', '-json'], { env: terraformEnv() });
    return (JSON.parse(stdout) as { terraform_version: string }).terraform_version;
  } catch (error) {
    const wanted = fs.readFileSync(path.join(PROJECT_ROOT, '.terraform-version'), 'utf8').trim();
    throw new TerraformUnavailableError(
      `Terraform is needed to validate and plan the stacks but could not be run (${(error as Error).message}). ` +
        `Install Terraform ${wanted} (see .terraform-version; tfenv and tfswitch read it) and put it on PATH, ` +
        `or set ${SKIP_VARIABLE}=1 to skip the Terraform checks explicitly.`,
    );
  }
}

let preparedEnv: NodeJS.ProcessEnv | undefined;

/**
 * Environment for every Terraform command: our CLI config (provider mirror, or a shared plugin cache).
 * Written once per process, before any Terraform command runs, so parallel stacks never read it half-written.
 */
function terraformEnv(env: Env = process.env): NodeJS.ProcessEnv {
  if (preparedEnv) return preparedEnv;
  fs.mkdirSync(SCRATCH_ROOT, { recursive: true });
  const mirror = findProviderMirror(env);
  const cliConfig = path.join(SCRATCH_ROOT, 'terraform.rc');
  // An unpacked mirror is linked, not copied, into each stack; without one, a shared cache downloads the
  // provider once for all stacks.
  const pluginCache = path.join(SCRATCH_ROOT, 'plugin-cache');
  fs.mkdirSync(pluginCache, { recursive: true });
  writeAtomically(
    cliConfig,
    mirror
      ? `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["${PROVIDER_SOURCE}"]\n  }\n  direct {\n    exclude = ["${PROVIDER_SOURCE}"]\n  }\n}\n`
      : `plugin_cache_dir = ${JSON.stringify(pluginCache)}\n`,
  );
  preparedEnv = {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return preparedEnv;
}

export interface PlannedResource {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
  /** Planned attribute values (unknown values are absent). */
  readonly after: Record<string, unknown>;
}

export interface OfflinePlan {
  readonly stack: string;
  /** The scratch folder the stack was planned in (initialised: it can be planned again). */
  readonly directory: string;
  readonly resources: readonly PlannedResource[];
  /** The stack's synthesized Terraform JSON: what the plan does not show, such as `lifecycle`. */
  readonly synthesized: TerraformJson;
  /** The complete `terraform show -json` document. */
  readonly json: Record<string, unknown>;
  readonly seconds: { readonly init: number; readonly validate: number; readonly plan: number };
}

interface ShowJson {
  resource_changes?: {
    address: string;
    type: string;
    mode: string;
    change: { actions: string[]; after: Record<string, unknown> | null };
  }[];
}

async function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv, stack: string): Promise<string> {
  try {
    const { stdout } = await run('terraform', args, { cwd, env, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    const hint =
      args[0] === 'init' && !findProviderMirror(env)
        ? ` No provider mirror was found: set ${MIRROR_VARIABLE} to a filesystem mirror holding ${PROVIDER_SOURCE}, or allow network access to the registry.`
        : '';
    throw new Error(`terraform ${args[0]} failed for stack ${stack}:${hint}\n${stderr || ''}${stdout || ''}`, {
      cause: error,
    });
  }
}

let initChain: Promise<unknown> = Promise.resolve();

/** Runs inits one at a time: parallel inits race to fill a shared plugin cache and fail. */
function serialized<T>(work: () => Promise<T>): Promise<T> {
  const result = initChain.then(work, work);
  initChain = result.catch(() => undefined);
  return result;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - start) / 1e9];
}

/**
 * Copies the stack to a scratch folder and runs `init`, `validate`, `plan` and `show -json` there.
 * `namespace` keeps the folders of runs that may overlap (the tests, `npm run policy`, `npm run plan`) apart.
 */
export async function planOffline(
  stack: SynthesizedStack,
  options: { readonly namespace?: string; readonly env?: Env } = {},
): Promise<OfflinePlan> {
  const tfEnv = terraformEnv(options.env);
  const dir = path.join(SCRATCH_ROOT, options.namespace ?? 'plan', stack.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(stack.workingDirectory, dir, { recursive: true });
  const synthesized = JSON.parse(fs.readFileSync(stack.synthesizedFile, 'utf8')) as TerraformJson;
  fs.writeFileSync(path.join(dir, 'offline_override.tf.json'), JSON.stringify(offlineOverride(synthesized), null, 2));

  const [, init] = await timed(() =>
    serialized(() => terraform(['init', '-input=false', '-no-color'], dir, tfEnv, stack.name)),
  );
  const [, validate] = await timed(() => terraform(['validate', '-no-color'], dir, tfEnv, stack.name));
  const [json, plan] = await timed(async () => {
    await terraform(
      ['plan', '-input=false', '-lock=false', '-no-color', '-out=offline.tfplan'],
      dir,
      tfEnv,
      stack.name,
    );
    return JSON.parse(await terraform(['show', '-json', 'offline.tfplan'], dir, tfEnv, stack.name)) as ShowJson;
  });
  const resources = (json.resource_changes ?? [])
    .filter((r) => r.mode === 'managed')
    .map((r) => ({ address: r.address, type: r.type, actions: r.change.actions, after: r.change.after ?? {} }));
  return {
    stack: stack.name,
    directory: dir,
    resources,
    synthesized,
    json: json as Record<string, unknown>,
    seconds: { init, validate, plan },
  };
}

/**
 * Plans an already planned stack again from `state` (a Terraform state document, as `terraform.tfstate` holds it)
 * without refreshing it: what a deployment in that state would see on upgrading, offline. Returns the
 * `terraform show -json` document (`resource_changes[].previous_address` shows `moved` blocks at work).
 */
export async function planFromState(
  plan: OfflinePlan,
  state: object,
  env: Env = process.env,
): Promise<Record<string, unknown>> {
  const stateFile = path.join(plan.directory, 'terraform.tfstate');
  fs.writeFileSync(stateFile, JSON.stringify(state));
  try {
    const tfEnv = terraformEnv(env);
    const args = ['plan', '-input=false', '-lock=false', '-refresh=false', '-no-color', '-out=from-state.tfplan'];
    await terraform(args, plan.directory, tfEnv, plan.stack);
    return JSON.parse(
      await terraform(['show', '-json', 'from-state.tfplan'], plan.directory, tfEnv, plan.stack),
    ) as Record<string, unknown>;
  } finally {
    fs.rmSync(stateFile, { force: true });
  }
}

/**
 * Synthesizes every stack into `<scratch>/<namespace>-synth` and plans them all offline, in parallel: what
 * `npm run plan`, `npm run policy` and the plan tests share. Fails with instructions when Terraform cannot run.
 */
export async function planEveryStack(options: {
  readonly namespace: string;
  readonly env?: Env;
}): Promise<{ readonly terraformVersion: string; readonly plans: readonly OfflinePlan[] }> {
  const terraformVersion = await requireTerraform();
  const stacks = synthesize(path.join(SCRATCH_ROOT, `${options.namespace}-synth`), options.env);
  const plans = await Promise.all(stacks.map((stack) => planOffline(stack, options)));
  return { terraformVersion, plans };
}
