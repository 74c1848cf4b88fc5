/**
 * The categories Lambda's package, as synthesized: its zip size, and its cold module-init time (a fresh Node.js
 * process loading the code the zip holds).
 */
import AdmZip from 'adm-zip';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../common/project-paths';
import { platformStackName } from '../common/stack-names';
import { median } from '../common/statistics';
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
  const zipFile = path.join(stack.workingDirectory, String(fn.config.filename));
  const zipBytes = fs.statSync(zipFile).size;
  const taskRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-lambda-'));
  new AdmZip(zipFile).extractAllTo(taskRoot, true);
  const bundle = path.join(taskRoot, 'index.js');
  const initScript =
    'const t=process.hrtime.bigint();require(process.argv[1]);' +
    'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';
  const inits: number[] = [];
  try {
    for (let i = 0; i < Math.max(runs, 5); i++) {
      // From the project root, so the SDK the runtime provides comes from node_modules.
      const { stdout } = await run(process.execPath, ['-e', initScript, bundle], {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          NODE_PATH: path.join(PROJECT_ROOT, 'node_modules'),
          TABLE_NAME: 'bench',
          AWS_REGION: 'us-east-1',
          NODE_NO_WARNINGS: '1',
        },
      });
      inits.push(Number(stdout));
    }
  } finally {
    fs.rmSync(taskRoot, { recursive: true, force: true });
  }
  return [
    { what: 'Lambda zip size', value: `${(zipBytes / 1024).toFixed(1)} KB` },
    { what: 'Lambda cold module init (fresh process, SDK from node_modules)', value: `${median(inits).toFixed(0)} ms` },
  ];
}
