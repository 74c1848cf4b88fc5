/** The file watcher of `npm start -- --watch` (common/file-watcher.ts): bursts, renames, new folders, scratch files. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isEditorScratchFile, watchFolders, type FileWatcher } from '../../common/file-watcher';
import { temporaryDirectory } from './support';

describe('editor scratch files', () => {
  it.each(['.app.ts.swp', '.app.ts.swx', '4913', 'app.ts~', '.#app.ts', '#app.ts#', 'app.ts.tmp', 'sedX1b2C3'])(
    'ignores %s',
    (name) => expect(isEditorScratchFile(name)).toBe(true),
  );
  it.each(['app.ts', 'handler.test.ts', 'config.json', 'sed.ts'])('watches %s', (name) =>
    expect(isEditorScratchFile(name)).toBe(false),
  );
});

describe('watching folders', () => {
  let dir: string;
  let watcher: FileWatcher | undefined;
  let bursts: string[][];
  let next: () => Promise<string[]>;

  beforeEach(() => {
    dir = temporaryDirectory('file-watcher-');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'a.ts'), 'a');
    bursts = [];
    let wake: (() => void) | undefined;
    watcher = watchFolders({
      folders: [dir],
      debounceMs: 30,
      onChange: (files) => {
        bursts.push([...files]);
        wake?.();
      },
    });
    next = async () => {
      const seen = bursts.length;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 2000).unref();
      });
      return bursts[seen] ?? [];
    };
  });

  afterEach(() => {
    watcher?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports a burst of writes once, without the scratch files', async () => {
    const file = path.join(dir, 'sub', 'a.ts');
    const burst = next();
    fs.writeFileSync(path.join(dir, 'sub', '.a.ts.swp'), 'swap');
    fs.writeFileSync(file, 'b');
    fs.writeFileSync(file, 'c');
    expect(await burst).toEqual([file]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bursts).toHaveLength(1);
  });

  it('sees a file replaced by a rename (safe write), again and again', async () => {
    const file = path.join(dir, 'sub', 'a.ts');
    for (const text of ['one', 'two']) {
      const burst = next();
      fs.writeFileSync(`${file}.tmp`, text);
      fs.renameSync(`${file}.tmp`, file);
      expect(await burst).toEqual([file]);
    }
  });

  it('watches a folder created after it started', async () => {
    const folder = path.join(dir, 'new');
    const created = next();
    fs.mkdirSync(folder);
    expect(await created).toEqual([folder]);
    const file = path.join(folder, 'b.ts');
    const written = next();
    fs.writeFileSync(file, 'b');
    expect(await written).toEqual([file]);
  });
});
