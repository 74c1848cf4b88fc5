/** The categories Lambda's zip size and cold module-init time (a fresh Node.js process loading the bundle). */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../common/project-paths';
import { platformStackName } from '../common/stack-names';
import { median } from '../common/statistics';
import { BUNDLE_ROOT } from '../stacks/bundling';
import { SCRATCH_ROOT } from '../synth/offline-plan';
import { SynthesizedStackConfig } from '../synth/stack-json';
import { synthesize } from '../synth/synthesize';
import type { Row } from './row';

const run = promisify(execFile);

export async function benchLambda(runs: number): Promise<Row[]> {
  const name = platformStackName('dev');
  const synthesized = synthesize(path.join(SCRATCH_ROOT, 'bench-lambda')).find((s) => s.name === name);
  if (!synthesized) throw new Error(`no ${name} stack was synthesized`);
  const stack = SynthesizedStackConfig.load(synthesized.name, synthesized.synthesizedFile);
  const [fn] = stack.resources('aws_lambda_function');
  const zipBytes = fs.statSync(path.join(stack.workingDirectory, String(fn.config.filename))).size;
  const bundle = path.join(BUNDLE_ROOT, 'categories', 'index.js');
  const initScript =
    'const t=process.hrtime.bigint();require(process.argv[1]);' +
    'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';
  const inits: number[] = [];
  for (let i = 0; i < Math.max(runs, 5); i++) {
    const { stdout } = await run(process.execPath, ['-e', initScript, bundle], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TABLE_NAME: 'bench', AWS_REGION: 'us-east-1', NODE_NO_WARNINGS: '1' },
    });
    inits.push(Number(stdout));
  }
  return [
    { what: 'Lambda zip size', value: `${(zipBytes / 1024).toFixed(1)} KB` },
    { what: 'Lambda cold module init (fresh process, SDK from node_modules)', value: `${median(inits).toFixed(0)} ms` },
  ];
}
