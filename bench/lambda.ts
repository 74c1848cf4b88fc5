/**
 * The categories Lambda's package in two variants, built the same way but for the AWS SDK: bundled (tree-shaken
 * and minified into index.js, as NodeFunction deploys it) and left to the runtime (`@aws-sdk/*` external, loaded at
 * init from the runtime's node_modules). For each: the zip size and the cold module-init time (a fresh Node.js
 * process loading the code the zip holds, from a task root of its own).
 */
import AdmZip from 'adm-zip';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { RUNTIME_PROVIDED_MODULES } from '../common/lambda-runtime';
import { PROJECT_ROOT } from '../common/project-paths';
import { median } from '../common/statistics';
import { runtimeNodePath } from '../local/lambda';
import type { Row } from './row';
import { BUNDLE_ONCE } from './synth';

const run = promisify(execFile);

interface Variant {
  readonly label: string;
  readonly external: readonly string[];
}

const VARIANTS: readonly Variant[] = [
  { label: 'SDK bundled (deployed)', external: [] },
  { label: 'SDK external, from the runtime', external: RUNTIME_PROVIDED_MODULES },
];

const INIT_SCRIPT =
  'const t=process.hrtime.bigint();require(process.argv[1]);' +
  'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';

interface Prepared {
  readonly zipBytes: number;
  readonly taskRoot: string;
  /** NODE_PATH providing what the runtime provides; `undefined`: nothing outside the task root. */
  readonly nodePath: string | undefined;
}

/** Bundles a variant into a scratch cache and extracts its zip into a task root of its own. */
async function prepare(variant: Variant, scratch: string): Promise<Prepared> {
  const dir = fs.mkdtempSync(path.join(scratch, 'variant-'));
  const args = [BUNDLE_ONCE, path.join(dir, 'cache'), ...variant.external.flatMap((e) => ['--external', e])];
  const { stdout } = await run(process.execPath, ['--import', 'tsx', ...args], { cwd: PROJECT_ROOT });
  const { zipFile } = JSON.parse(stdout) as { zipFile: string };
  const taskRoot = path.join(dir, 'task');
  new AdmZip(zipFile).extractAllTo(taskRoot, true);
  // As the Lambda runtime does: the SDK (and nothing else) on NODE_PATH for code that leaves it external.
  const nodePath = variant.external.length > 0 ? runtimeNodePath(path.join(dir, 'runtime')) : undefined;
  if (variant.external.length > 0 && !nodePath) throw new Error('the AWS SDK is not installed: run npm install.');
  return { zipBytes: fs.statSync(zipFile).size, taskRoot, nodePath };
}

async function initMs(prepared: Prepared): Promise<number> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TABLE_NAME: 'bench',
    AWS_REGION: 'us-east-1',
    NODE_NO_WARNINGS: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  delete env.NODE_PATH;
  if (prepared.nodePath) env.NODE_PATH = prepared.nodePath;
  const { stdout } = await run(process.execPath, ['-e', INIT_SCRIPT, path.join(prepared.taskRoot, 'index.js')], {
    cwd: prepared.taskRoot,
    env,
  });
  return Number(stdout);
}

export async function benchLambda(runs: number): Promise<Row[]> {
  // Outside the project: nothing resolves from its node_modules by walking up.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-lambda-'));
  try {
    const prepared: Prepared[] = [];
    for (const variant of VARIANTS) prepared.push(await prepare(variant, scratch));
    const inits = VARIANTS.map((): number[] => []);
    // Alternating, so both see the same load.
    for (let i = 0; i < Math.max(runs, 5); i++) {
      for (const [index, p] of prepared.entries()) inits[index].push(await initMs(p));
    }
    return VARIANTS.flatMap((variant, index) => [
      { what: `Lambda zip size, ${variant.label}`, value: `${(prepared[index].zipBytes / 1024).toFixed(1)} KB` },
      {
        what: `Lambda cold module init (fresh process), ${variant.label}`,
        value: `${median(inits[index]).toFixed(0)} ms`,
      },
    ]);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
