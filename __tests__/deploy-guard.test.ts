import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Each case starts Node.js with tsx (a second or more when the other jest workers share the cores).
jest.setTimeout(30_000);
const GUARD = path.resolve(__dirname, '..', 'scripts', 'require-state-bucket.ts');

async function guard(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const { STATE_BUCKET: _ignored, ...rest } = process.env;
  try {
    await run(process.execPath, ['--import', 'tsx', GUARD], { env: { ...rest, ...env } });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('npm run deploy / destroy', () => {
  it('stop before cdktf when STATE_BUCKET is not set, saying what to set', async () => {
    for (const env of [{}, { STATE_BUCKET: '  ' }] as Record<string, string>[]) {
      const result = await guard(env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/STATE_BUCKET is not set\. .*bootstrap stack creates/);
    }
  });

  it('go on when it is set', async () => {
    expect(await guard({ STATE_BUCKET: 'acme-categories-tfstate' })).toEqual({ code: 0, stderr: '' });
  });
});
