/**
 * Synthesizes the app (`main.ts`, unchanged) on cdktf or on CDK Terrain (`cdktn`) core and reads what it wrote.
 * Each synth runs in a child process the way the core's CLI runs `cdktf.json`'s app (`node <script>`): the output
 * folder in CDKTF_OUTDIR and the CLI's context in CDKTF_CONTEXT_JSON. The cdktn run preloads `on-cdktn.ts`
 * (through tsx).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

export type Core = 'cdktf' | 'cdktn';

/** A parsed JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface SynthOutput {
  readonly core: Core;
  /** Version of the core package that synthesized. */
  readonly version: string;
  /** Every file written, by its path relative to the output folder: `.json` files parsed, others as their SHA-256. */
  readonly files: Readonly<Record<string, Json>>;
}

const ROOT = path.resolve(__dirname, '..');
const ON_CDKTN = path.join(__dirname, 'on-cdktn.ts');
const run = promisify(execFile);

interface CdktfJson {
  readonly app: string;
  readonly context?: Record<string, Json>;
  readonly targetVersions?: Record<string, string>;
}

/**
 * What each core's CLI passes the app as CDKTF_CONTEXT_JSON: cdktf-cli 0.21 passes cdktf.json's `context`;
 * cdktn-cli 0.24 adds cdktf.json's `targetVersions` under that key (both read from their published bundles).
 */
function cliContext(core: Core, config: CdktfJson): Record<string, Json> {
  const context = { ...config.context };
  return core === 'cdktn' && config.targetVersions ? { ...context, targetVersions: config.targetVersions } : context;
}

function versionOf(core: Core): string {
  return (JSON.parse(fs.readFileSync(require.resolve(`${core}/package.json`), 'utf8')) as { version: string }).version;
}

function readOutput(outdir: string): Record<string, Json> {
  const files: Record<string, Json> = {};
  for (const entry of fs.readdirSync(outdir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const content = fs.readFileSync(file);
    files[path.relative(outdir, file)] = file.endsWith('.json')
      ? (JSON.parse(content.toString('utf8')) as Json)
      : createHash('sha256').update(content).digest('hex');
  }
  return files;
}

/** Synthesizes every stack of the app on `core` into `outdir` (emptied first) and returns what was written. */
export async function synthOnCore(
  core: Core,
  outdir: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<SynthOutput> {
  const version = versionOf(core);
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')) as CdktfJson;
  const [command, ...appArgs] = config.app.split(/\s+/);
  if (command !== 'node') {
    throw new Error(`cdktf.json's app "${config.app}" is not "node <script>": the cdktn check runs only such an app.`);
  }
  // tsx loads on-cdktn.ts; both runs preload it, so the stack traces cdktf records in the JSON match too.
  const preload = ['--require', require.resolve('tsx/cjs'), ...(core === 'cdktn' ? ['--require', ON_CDKTN] : [])];
  try {
    await run(process.execPath, [...preload, ...appArgs], {
      cwd: ROOT,
      env: { ...env, CDKTF_OUTDIR: outdir, CDKTF_CONTEXT_JSON: JSON.stringify(cliContext(core, config)) },
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`Synthesizing main.ts on ${core} ${version} failed:\n${stderr.trim()}`, { cause: error });
  }
  return { core, version, files: readOutput(outdir) };
}
