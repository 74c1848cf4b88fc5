/**
 * `npm run smoke`: end-to-end check of a running stack — the local one (`.local/stack.json`, the default, or the
 * file given with `--state-file`, as `npm start -- --state-file` wrote it) or a deployed one
 * (`--stack platform-<stage>`: its Terraform outputs in `cdktf.out/stacks/<stack>`).
 *
 * Right after a first deployment the Cognito hosted domain takes a minute or two to resolve: for a deployed
 * stack, the first token request is retried while the endpoint is unreachable, for up to 3 minutes. The local
 * target fails at once.
 *
 * Checks that the gateway refuses a request without a token, that a read token lists categories, the whole
 * CRUD cycle with the right scopes (create → get → replace with If-Match → stale If-Match refused → delete →
 * gone), and that each method refuses a token lacking its scope without acting. Deletes everything it created,
 * even when a check fails. Prints one line per check and a verdict; exits 0 or 1.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
  ApiError,
  CategoriesClient,
  ClientCredentialsTokenProvider,
  TokenEndpointUnreachableError,
  type Category,
} from '../client';

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

export interface SmokeResult {
  readonly ok: boolean;
  readonly passed: number;
  readonly failed: number;
  readonly seconds: number;
}

const PROJECT_ROOT = path.resolve(__dirname, '..');

/** How long a deployed stack's token endpoint may stay unreachable at first (a new hosted domain resolving). */
export const DEPLOYED_TOKEN_WAIT_MS = 180_000;
const FIRST_RETRY_DELAY_MS = 2_000;
const MAX_RETRY_DELAY_MS = 20_000;

export interface SmokeOptions {
  /** How long to keep retrying the first token request while the endpoint is unreachable; 0 fails at once. @default 0 */
  readonly tokenEndpointWaitMs?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Whether to retry the first token request after `error`, and after what pause: only for an unreachable endpoint
 * (DNS, refused connection, timeout), while `elapsedMs` is within `budgetMs`; 2 s, then doubling up to 20 s,
 * never beyond the budget. `undefined`: give up (any other error, no budget, or the budget spent).
 */
export function tokenRetryDelay(
  error: unknown,
  attempt: number,
  elapsedMs: number,
  budgetMs: number,
): number | undefined {
  if (!(error instanceof TokenEndpointUnreachableError)) return undefined;
  const remaining = budgetMs - elapsedMs;
  if (remaining <= 0) return undefined;
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_DELAY_MS, remaining);
}

/** `getToken()`, retried per {@link tokenRetryDelay} with a progress line before each pause. */
export async function firstToken(
  getToken: () => Promise<string>,
  print: (line: string) => void,
  options: SmokeOptions = {},
): Promise<string> {
  const budgetMs = options.tokenEndpointWaitMs ?? 0;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await getToken();
    } catch (error) {
      const elapsed = now() - started;
      const delay = tokenRetryDelay(error, attempt, elapsed, budgetMs);
      if (delay === undefined) throw error;
      print(
        `  … ${(error as Error).message}; a new hosted domain takes a minute or two to resolve: ` +
          `retrying in ${Math.ceil(delay / 1000)} s (${Math.round(elapsed / 1000)} s of ${Math.round(budgetMs / 1000)} s)`,
      );
      await sleep(delay);
    }
  }
}

/** Reads `.local/stack.json` (as `npm start` writes it). */
export function localTarget(file = path.join(PROJECT_ROOT, '.local', 'stack.json')): SmokeTarget {
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

function scopesOf(token: string): string[] {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    scope?: unknown;
  };
  return typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
}

/**
 * Runs the smoke checks against `target`, printing through `print`. Never throws for a failed check. Give a
 * deployed target `tokenEndpointWaitMs` ({@link DEPLOYED_TOKEN_WAIT_MS}); the local one fails fast without it.
 */
export async function runSmoke(
  target: SmokeTarget,
  print: (line: string) => void = console.log,
  options: SmokeOptions = {},
): Promise<SmokeResult> {
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  const check = async (name: string, run: () => Promise<string | void>): Promise<boolean> => {
    const t0 = Date.now();
    try {
      const note = await run();
      passed++;
      print(`  ✔ ${name}${note ? ` — ${note}` : ''} (${Date.now() - t0} ms)`);
      return true;
    } catch (error) {
      failed++;
      print(`  ✘ ${name}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  };
  const expectRefused = async (what: string, call: () => Promise<unknown>): Promise<string> => {
    try {
      await call();
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403))
        return `${error.status} ${error.message}`;
      throw error;
    }
    throw new Error(`${what} was accepted`);
  };

  print(`Smoke test of ${target.apiUrl} (from ${target.source})`);
  const tokenFor = (scopes?: string[]): ClientCredentialsTokenProvider =>
    new ClientCredentialsTokenProvider({
      tokenUrl: target.tokenUrl,
      clientId: target.clientId,
      clientSecret: target.clientSecret,
      scopes,
    });
  const created: string[] = [];
  const full = tokenFor();
  // A stage with usage plans wants the operations consumer's API key on every API request.
  const apiFetch: typeof fetch = (input, init) => {
    if (target.apiKey === undefined) return fetch(input, init);
    const headers = new Headers(init?.headers);
    headers.set('x-api-key', target.apiKey);
    return fetch(input, { ...init, headers });
  };
  const api = (tokens: ClientCredentialsTokenProvider): CategoriesClient =>
    new CategoriesClient({ apiUrl: target.apiUrl, tokens, fetch: apiFetch });
  const fullApi = api(full);
  const marker = `smoke-${Date.now().toString(36)}`;

  try {
    let allScopes: string[] = [];
    const haveToken = await check('token endpoint issues a token for all allowed scopes', async () => {
      allScopes = scopesOf(await firstToken(() => full.getToken(), print, options));
      if (allScopes.length === 0) throw new Error('the token carries no scope');
      return allScopes.join(' ');
    });
    if (!haveToken) return finish();
    const scopeFor = (name: string): string => {
      const scope = allScopes.find((s) => s.endsWith(`/${name}`));
      if (!scope) throw new Error(`the client is not allowed a "${name}" scope`);
      return scope;
    };
    const without = (name: string): CategoriesClient => api(tokenFor(allScopes.filter((s) => s !== scopeFor(name))));

    await check('GET /categories without a token → 401', async () => {
      const response = await apiFetch(`${target.apiUrl}/categories`);
      if (response.status !== 401) throw new Error(`status ${response.status}`);
      return (await response.text()).slice(0, 80);
    });
    await check('GET /categories with a read token → 200', async () => {
      const page = await api(tokenFor([scopeFor('read')])).list({ limit: 5 });
      return `${page.items.length} item(s) on the first page`;
    });

    let category: Category | undefined;
    let etag = '';
    await check('POST /categories (write) → 201 with Location and ETag', async () => {
      const result = await fullApi.create({ name: `${marker} books`, description: 'created by the smoke test' });
      created.push(result.category.id);
      category = result.category;
      etag = result.etag;
      if (!result.location.endsWith(`/categories/${result.category.id}`))
        throw new Error(`Location ${result.location}`);
      if (etag !== `"${result.category.version}"`) throw new Error(`ETag ${etag}`);
      return result.category.id;
    });
    if (category) {
      const id = category.id;
      await check('GET /categories/{id} (read) → 200', async () => {
        const result = await fullApi.get(id);
        if (result.category.name !== `${marker} books`) throw new Error(`name ${result.category.name}`);
        return `ETag ${result.etag}`;
      });
      const staleEtag = etag;
      await check('PUT /categories/{id} (update) with If-Match → 200, version + 1', async () => {
        const result = await fullApi.replace(id, { name: `${marker} novels` }, { ifMatch: etag });
        if (result.category.version !== (category as Category).version + 1)
          throw new Error(`version ${result.category.version}`);
        etag = result.etag;
        return `ETag ${result.etag}`;
      });
      await check('PUT /categories/{id} with a stale If-Match → 412', async () => {
        try {
          await fullApi.replace(id, { name: `${marker} stale` }, { ifMatch: staleEtag });
        } catch (error) {
          if (error instanceof ApiError && error.status === 412) return error.code;
          throw error;
        }
        throw new Error('the stale write was accepted');
      });

      await check('POST /categories without the write scope → refused, nothing created', async () => {
        const refused = await expectRefused('POST', () => without('write').create({ name: `${marker} intruder` }));
        for await (const item of fullApi.listAll(100)) {
          if (item.name === `${marker} intruder`) {
            created.push(item.id);
            throw new Error('the category was created anyway');
          }
        }
        return refused;
      });
      await check('GET /categories without the read scope → refused', () =>
        expectRefused('GET', () => without('read').list()),
      );
      await check('GET /categories/{id} without the read scope → refused', () =>
        expectRefused('GET', () => without('read').get(id)),
      );
      await check('PUT /categories/{id} without the update scope → refused, unchanged', async () => {
        const refused = await expectRefused('PUT', () => without('update').replace(id, { name: `${marker} intruder` }));
        const current = await fullApi.get(id);
        if (current.category.name !== `${marker} novels`) throw new Error('the category changed anyway');
        return refused;
      });
      await check('DELETE /categories/{id} without the delete scope → refused, still there', async () => {
        const refused = await expectRefused('DELETE', () => without('delete').remove(id));
        await fullApi.get(id);
        return refused;
      });

      await check('DELETE /categories/{id} (delete) with If-Match → 204, then GET → 404', async () => {
        await fullApi.remove(id, { ifMatch: etag });
        created.splice(created.indexOf(id), 1);
        try {
          await fullApi.get(id);
        } catch (error) {
          if (error instanceof ApiError && error.status === 404) return 'gone';
          throw error;
        }
        throw new Error('still there after DELETE');
      });
    }
  } finally {
    for (const id of created) {
      try {
        await fullApi.remove(id);
        print(`  · cleaned up ${id}`);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) {
          failed++;
          print(`  ✘ cleanup of ${id} failed: ${(error as Error).message}`);
        }
      }
    }
  }
  return finish();

  function finish(): SmokeResult {
    const seconds = (Date.now() - started) / 1000;
    const ok = failed === 0 && passed > 0;
    print(`${ok ? 'SMOKE PASSED' : 'SMOKE FAILED'}: ${passed} passed, ${failed} failed (${seconds.toFixed(1)} s)`);
    return { ok, passed, failed, seconds };
  }
}

const USAGE = 'Usage: npm run smoke -- [--stack platform-<stage> | --state-file <path>]';

export interface SmokeArguments {
  /** A deployed stack to check. */
  readonly stack: string | undefined;
  /** The local stack's state file (`npm start -- --state-file <path>`), relative to the working directory. */
  readonly stateFile: string | undefined;
}

/** Parses the command line (`--flag value` or `--flag=value`). */
export function parseArguments(argv: readonly string[]): SmokeArguments {
  let stack: string | undefined;
  let stateFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] =
      argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    if (flag === '--stack') {
      stack = inline ?? argv[++i];
      if (!stack || !/^[A-Za-z0-9_-]+$/.test(stack))
        throw new Error('--stack needs a stack name, e.g. --stack platform-dev.');
    } else if (flag === '--state-file') {
      stateFile = inline ?? argv[++i];
      if (!stateFile || (inline === undefined && stateFile.startsWith('--'))) {
        throw new Error('--state-file needs a path, e.g. --state-file .local/qa.json.');
      }
    } else {
      throw new Error(`Unknown option ${argv[i]}. ${USAGE}`);
    }
  }
  if (stack !== undefined && stateFile !== undefined) {
    throw new Error(`--state-file is for the local stack, --stack for a deployed one: give one of them. ${USAGE}`);
  }
  return { stack, stateFile };
}

async function main(): Promise<void> {
  const { stack, stateFile } = parseArguments(process.argv.slice(2));
  const target =
    stack === undefined
      ? localTarget(stateFile === undefined ? undefined : path.resolve(stateFile))
      : await deployedTarget(stack);
  const result = await runSmoke(target, console.log, {
    tokenEndpointWaitMs: stack === undefined ? 0 : DEPLOYED_TOKEN_WAIT_MS,
  });
  process.exit(result.ok ? 0 : 1);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`SMOKE FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
