/** The long-lived synthesis process of `npm start -- --watch` (synth/synth-process.ts, synth/synth-worker.ts). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readManifest } from '../../synth/manifest';
import { SynthProcess } from '../../synth/synth-process';

jest.setTimeout(60_000);

let dir: string;
const synth = new SynthProcess();

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-process-'));
});

afterAll(async () => {
  await synth.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('synthesizes the stacks asked for, again and again, into fresh folders, and stops', async () => {
  for (const name of ['first', 'second']) {
    const outdir = path.join(dir, name);
    await synth.synthesize(outdir, ['platform-dev']);
    const stacks = readManifest(outdir);
    expect(stacks.map((stack) => stack.name)).toEqual(['platform-dev']);
    expect(fs.existsSync(stacks[0].synthesizedFile)).toBe(true);
  }
  await synth.stop();
  await synth.stop();
});

it('reports a synthesis that fails, and synthesizes again after', async () => {
  // Writing into a file, not a folder, fails inside the synthesis.
  const blocked = path.join(dir, 'blocked');
  fs.writeFileSync(blocked, '');
  await expect(synth.synthesize(path.join(blocked, 'out'), ['platform-dev'])).rejects.toThrow(
    /ENOTDIR|not a directory/,
  );
  await synth.synthesize(path.join(dir, 'third'), ['platform-dev']);
  expect(readManifest(path.join(dir, 'third')).map((stack) => stack.name)).toEqual(['platform-dev']);
});
