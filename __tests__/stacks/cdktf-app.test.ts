import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { BUILD_DIR, PROJECT_ROOT } from '../../common/project-paths';
import { readManifest } from '../../synth/manifest';

const run = promisify(execFile);

interface CdktfJson {
  readonly app: string;
}

const app = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdktf.json'), 'utf8')) as CdktfJson).app;
const [command, ...args] = app.split(' ');

let outdir: string;

/** Runs cdktf.json's app as the CLI does: the output folder made first and named in CDKTF_OUTDIR. */
async function runApp(env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(command === 'node' ? process.execPath : command, args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir, ...env },
    });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-app-'));
});

afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe("cdktf.json's app", () => {
  it('runs without a package runner and synthesizes every stack', async () => {
    expect(app).toBe('node scripts/cdktf-app.cjs');
    const { code, stderr } = await runApp();
    expect({ code, stderr: stderr.replace(/^WARN .*\n*/gm, '') }).toEqual({ code: 0, stderr: '' });
    expect(
      readManifest(outdir)
        .map((s) => s.name)
        .sort(),
    ).toEqual(['bootstrap', 'platform-dev', 'platform-prod']);
  }, 60_000);

  it('records what it was compiled from, so an unchanged app is not compiled again', async () => {
    await runApp();
    const file = path.join(BUILD_DIR, 'cdktf-app.js');
    const { ino } = fs.statSync(file);
    expect((await runApp()).code).toBe(0);
    // Replaced files are renamed into place: the same inode means the second run wrote nothing.
    expect(fs.statSync(file).ino).toBe(ino);
    const compiled = fs.readFileSync(file, 'utf8');
    const record = JSON.parse(compiled.slice(compiled.indexOf('{'), compiled.indexOf('\n'))) as {
      inputs: Record<string, string>;
    };
    expect(Object.keys(record.inputs)).toEqual(expect.arrayContaining(['main.ts', 'stacks/app.ts']));
    for (const [file, hash] of Object.entries(record.inputs)) {
      expect(
        createHash('sha256')
          .update(fs.readFileSync(path.join(PROJECT_ROOT, file)))
          .digest('hex'),
      ).toBe(hash);
    }
  }, 60_000);

  it('fails a synth with the error and the TypeScript files and lines it came from', async () => {
    const { code, stderr } = await runApp({ DOMAIN_PREFIX_DEV: 'has-aws-in-it' });
    expect(code).toBe(1);
    expect(stderr).toContain('Stage "dev": Cognito domain prefix "has-aws-in-it" is invalid');
    expect(stderr).toMatch(/at new PlatformStack \(stacks\/platform-stack\.ts:\d+:\d+\)/);
    expect(stderr).not.toContain('cdktf-app.js');
  }, 60_000);
});
