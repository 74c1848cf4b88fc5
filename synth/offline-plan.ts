import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { BUILD_DIR, PROJECT_ROOT } from '../common/project-paths';
import { writeAtomically } from '../common/write-atomically';
import type { SynthesizedStack } from './manifest';
import { contentDigests, fileStamps, readStored, runKey, store } from './plan-reuse';
import { synthesize } from './synthesize';
import type { TerraformJson } from './terraform-json';

const run = promisify(execFile);

/**
 * Runs `terraform init` and `plan` on synthesized stacks with no AWS account and no network: each stack is copied
 * to a scratch folder (so nothing here can leak into a real deployment), given a local backend and dummy
 * credentials through an override file, and initialised from a provider mirror on disk. `plan` validates the
 * configuration first, as `terraform validate` would ("terraform plan ... includes an implied validation check":
 * Terraform docs, Command: validate), so there is no separate `validate` run to pay for.
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

let versionJson: Promise<string> | undefined;

/**
 * `terraform version -json` (the version and the platform it was built for), run once per process while it
 * succeeds: `requireTerraform` and every plan key read it.
 */
function terraformVersionJson(env: NodeJS.ProcessEnv): Promise<string> {
  versionJson ??= run('terraform', ['version', '-json'], { env }).then(
    ({ stdout }) => stdout,
    (error: unknown) => {
      versionJson = undefined; // not there yet: the next call tries again
      throw error;
    },
  );
  return versionJson;
}

/** Fails with instructions when Terraform cannot run here; returns its version otherwise. */
export async function requireTerraform(env: Env = process.env): Promise<string> {
  try {
    const stdout = await terraformVersionJson(terraformEnv(env));
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

let prepared: { readonly env: NodeJS.ProcessEnv; readonly mirror?: string; readonly cliConfig: string } | undefined;

/**
 * Environment for every Terraform command: our CLI config (provider mirror, or a shared plugin cache).
 * Written once per process, before any Terraform command runs, so parallel stacks never read it half-written.
 */
function terraformEnv(env: Env = process.env): NodeJS.ProcessEnv {
  return prepareTerraform(env).env;
}

function prepareTerraform(env: Env = process.env): NonNullable<typeof prepared> {
  if (prepared) return prepared;
  fs.mkdirSync(SCRATCH_ROOT, { recursive: true });
  const mirror = findProviderMirror(env);
  const cliConfig = path.join(SCRATCH_ROOT, 'terraform.rc');
  // An unpacked mirror is linked, not copied, into each stack; without one, a shared cache downloads the
  // provider once for all stacks.
  const pluginCache = path.join(SCRATCH_ROOT, 'plugin-cache');
  fs.mkdirSync(pluginCache, { recursive: true });
  const config = mirror
    ? `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["${PROVIDER_SOURCE}"]\n  }\n  direct {\n    exclude = ["${PROVIDER_SOURCE}"]\n  }\n}\n`
    : `plugin_cache_dir = ${JSON.stringify(pluginCache)}\n`;
  writeAtomically(cliConfig, config);
  prepared = {
    env: {
      ...env,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    mirror,
    cliConfig: config,
  };
  return prepared;
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
  /** Time spent in `init`, and in `plan` and `show` (both 0 when the plan was reused). */
  readonly seconds: { readonly init: number; readonly plan: number };
  /** The key of the plan's inputs when it may be reused (see `planKey`), and whether it was. */
  readonly reuse?: { readonly key: string; readonly reused: boolean };
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

const INIT = ['init', '-input=false', '-no-color'];
const PLAN = ['plan', '-input=false', '-lock=false', '-no-color', '-out=offline.tfplan'];
const SHOW = ['show', '-json', 'offline.tfplan'];
const FROM_STATE_PLAN = [
  'plan',
  '-input=false',
  '-lock=false',
  '-refresh=false',
  '-no-color',
  '-out=from-state.tfplan',
];
const FROM_STATE_SHOW = ['show', '-json', 'from-state.tfplan'];
/** Raise to drop every stored plan (when what is stored, or how it is made, changes in a way no input shows). */
const REUSE_FORMAT = 1;
/** Where a scratch folder keeps its plan, and its plan from a given state, for reuse. */
const STORED_PLAN = 'offline-plan.json';
const STORED_FROM_STATE = 'from-state-plan.json';

/**
 * Environment variables that change from one run to the next and that neither Terraform nor the provider reads: the
 * shell's bookkeeping, the jest worker's number, npm's own settings and lifecycle, and PATH (npm adds to it; it only
 * locates `terraform`, whose version and platform are in the key). Left out of the key so that a run from `npm test`
 * and one from `npx jest` share their plans.
 */
const RUN_BOOKKEEPING = /^(_|PATH|PWD|OLDPWD|SHLVL|INIT_CWD|JEST_WORKER_ID|npm_.*)$/;

/**
 * The key of everything an offline plan of `stack` depends on, or undefined when it cannot be known: the provider
 * comes from a registry (what `init` picks there can change), not from a mirror on disk. A plan is reused only under
 * the same key, and the key covers
 * - the stack's synthesized folder, every file by path and content (`cdk.tf.json`, the Lambda zip and any asset),
 *   and the override that makes it offline;
 * - `terraform version -json` (version and platform);
 * - the CLI configuration (which mirror) and every file of the provider in that mirror, by path, size and
 *   modification time (its binary is hundreds of megabytes: a digest would cost seconds; a new provider is a new
 *   file);
 * - the environment Terraform runs with (TF_*, AWS_*, HOME, PATH and the rest), all but `RUN_BOOKKEEPING`;
 * - the commands and flags run (`init`, `plan`, `show`), and `REUSE_FORMAT`.
 * Nothing else reaches an offline plan: the backend is local and empty, credentials are dummies and no AWS API is
 * called.
 */
async function planKey(stack: SynthesizedStack, override: string, env?: Env): Promise<string | undefined> {
  const { env: tfEnv, mirror, cliConfig } = prepareTerraform(env);
  if (!mirror) return undefined;
  return runKey({
    format: REUSE_FORMAT,
    stack: contentDigests(stack.workingDirectory, ['.terraform']),
    override,
    terraform: await terraformVersionJson(tfEnv),
    cliConfig,
    provider: fileStamps(path.join(mirror, PROVIDER_SOURCE)),
    env: Object.entries(tfEnv)
      .filter(([name]) => !RUN_BOOKKEEPING.test(name))
      .sort(([a], [b]) => a.localeCompare(b)),
    commands: [INIT, PLAN, SHOW],
  });
}

/**
 * Copies the stack to a scratch folder and runs `init`, `plan` and `show -json` there. `namespace` keeps the
 * folders of runs that may overlap (the tests, `npm run policy`, `npm run plan`) apart. With `reuse`, a folder
 * planned before from exactly the same inputs (see `planKey`) is not planned again: its stored plan is returned.
 */
export async function planOffline(
  stack: SynthesizedStack,
  options: { readonly namespace?: string; readonly env?: Env; readonly reuse?: boolean } = {},
): Promise<OfflinePlan> {
  const tfEnv = terraformEnv(options.env);
  const dir = path.join(SCRATCH_ROOT, options.namespace ?? 'plan', stack.name);
  const synthesized = JSON.parse(fs.readFileSync(stack.synthesizedFile, 'utf8')) as TerraformJson;
  const override = JSON.stringify(offlineOverride(synthesized), null, 2);
  const key = options.reuse ? await planKey(stack, override, options.env) : undefined;
  // A reused folder must still be initialised: `planFromState` plans in it.
  const stored =
    key && fs.existsSync(path.join(dir, '.terraform.lock.hcl'))
      ? readStored<ShowJson>(path.join(dir, STORED_PLAN), key)
      : undefined;

  let json: ShowJson;
  let seconds = { init: 0, plan: 0 };
  if (stored) json = stored;
  else {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(stack.workingDirectory, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'offline_override.tf.json'), override);
    const [, init] = await timed(() => serialized(() => terraform(INIT, dir, tfEnv, stack.name)));
    let plan: number;
    [json, plan] = await timed(async () => {
      await terraform(PLAN, dir, tfEnv, stack.name);
      return JSON.parse(await terraform(SHOW, dir, tfEnv, stack.name)) as ShowJson;
    });
    seconds = { init, plan };
    if (key) store(path.join(dir, STORED_PLAN), key, json);
  }
  const resources = (json.resource_changes ?? [])
    .filter((r) => r.mode === 'managed')
    .map((r) => ({ address: r.address, type: r.type, actions: r.change.actions, after: r.change.after ?? {} }));
  return {
    stack: stack.name,
    directory: dir,
    resources,
    synthesized,
    json: json as Record<string, unknown>,
    seconds,
    ...(key && { reuse: { key, reused: stored !== undefined } }),
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
  // Reusable when the plan was: its key, the state and the commands are all this plan depends on.
  const key = plan.reuse && runKey({ plan: plan.reuse.key, state, commands: [FROM_STATE_PLAN, FROM_STATE_SHOW] });
  const storedFile = path.join(plan.directory, STORED_FROM_STATE);
  const stored = key ? readStored<Record<string, unknown>>(storedFile, key) : undefined;
  if (stored) return stored;
  const stateFile = path.join(plan.directory, 'terraform.tfstate');
  fs.writeFileSync(stateFile, JSON.stringify(state));
  try {
    const tfEnv = terraformEnv(env);
    await terraform(FROM_STATE_PLAN, plan.directory, tfEnv, plan.stack);
    const show = JSON.parse(await terraform(FROM_STATE_SHOW, plan.directory, tfEnv, plan.stack)) as Record<
      string,
      unknown
    >;
    if (key) store(storedFile, key, show);
    return show;
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
  /** Reuse plans made before from exactly the same inputs (see `planOffline`). Off by default. */
  readonly reuse?: boolean;
}): Promise<{ readonly terraformVersion: string; readonly plans: readonly OfflinePlan[] }> {
  const terraformVersion = await requireTerraform(options.env);
  const stacks = synthesize(path.join(SCRATCH_ROOT, `${options.namespace}-synth`), options.env);
  const plans = await Promise.all(stacks.map((stack) => planOffline(stack, options)));
  return { terraformVersion, plans };
}
