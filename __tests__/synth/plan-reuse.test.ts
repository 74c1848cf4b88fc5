import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contentDigests, fileStamps, readStored, runKey, store } from '../../synth/plan-reuse';

/** A stored plan is reused only under the same key: every changed input must change the key. */
describe('plan reuse', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-reuse-'));
    fs.mkdirSync(path.join(dir, 'assets', 'lambda'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), '{"resource":{}}');
    fs.writeFileSync(path.join(dir, 'assets', 'lambda', 'archive.zip'), 'zip-1');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('digests every file of a folder by path and content, nested assets included, skipping the named folders', () => {
    fs.mkdirSync(path.join(dir, '.terraform'));
    fs.writeFileSync(path.join(dir, '.terraform', 'ignored'), 'x');
    const digests = contentDigests(dir, ['.terraform']);
    expect(digests.map(([file]) => file)).toEqual([path.join('assets', 'lambda', 'archive.zip'), 'cdk.tf.json']);
    const before = runKey({ stack: digests });

    fs.writeFileSync(path.join(dir, 'assets', 'lambda', 'archive.zip'), 'zip-2');
    const changedAsset = runKey({ stack: contentDigests(dir, ['.terraform']) });
    expect(changedAsset).not.toBe(before);

    fs.writeFileSync(path.join(dir, 'extra.tf.json'), '{}');
    expect(runKey({ stack: contentDigests(dir, ['.terraform']) })).not.toBe(changedAsset);
  });

  it('stamps a replaced file by size and modification time', () => {
    const file = path.join(dir, 'assets', 'lambda', 'archive.zip');
    const before = runKey({ provider: fileStamps(dir) });
    fs.utimesSync(file, new Date(2001, 0, 1), new Date(2001, 0, 1));
    const touched = runKey({ provider: fileStamps(dir) });
    expect(touched).not.toBe(before);
    fs.writeFileSync(file, 'a longer archive');
    fs.utimesSync(file, new Date(2001, 0, 1), new Date(2001, 0, 1));
    expect(runKey({ provider: fileStamps(dir) })).not.toBe(touched);
  });

  it('keys on every input by name, whatever order they are given in', () => {
    expect(runKey({ a: 1, b: [2] })).toBe(runKey({ b: [2], a: 1 }));
    expect(runKey({ a: 1, b: [2] })).not.toBe(runKey({ a: 1, b: [3] }));
    expect(runKey({ a: 1 })).not.toBe(runKey({ a: 1, b: undefined, c: null }));
  });

  it('returns what was stored only under its key, and nothing for a missing or damaged file', () => {
    const file = path.join(dir, 'stored.json');
    expect(readStored(file, 'k')).toBeUndefined();
    store(file, 'k', { resource_changes: [] });
    expect(readStored(file, 'k')).toEqual({ resource_changes: [] });
    expect(readStored(file, 'other')).toBeUndefined();
    fs.writeFileSync(file, '{"key":"k","resu');
    expect(readStored(file, 'k')).toBeUndefined();
  });
});
