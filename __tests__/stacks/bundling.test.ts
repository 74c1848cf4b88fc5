import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';
import * as esbuild from 'esbuild';
import { PROJECT_ROOT } from '../../common/project-paths';
import {
  bundleBuild,
  bundleNodeFunction,
  findBundleBuild,
  requestedBundleBuilds,
  type Bundle,
  type BundleBuild,
} from '../../stacks/bundling';
import { IncrementalBundles } from '../../stacks/incremental-bundles';

// Counts esbuild runs; every run still builds for real.
jest.mock('esbuild', () => {
  const actual = jest.requireActual<typeof esbuild>('esbuild');
  return { ...actual, buildSync: jest.fn(actual.buildSync) };
});
const buildSync = jest.mocked(esbuild.buildSync);

const run = promisify(execFile);
const BUNDLE_ONCE = path.join(PROJECT_ROOT, 'scripts', 'bundle-once.ts');

let dir: string;
let entry: string;
let cacheDir: string;

function writeFunction(greeting: string): void {
  fs.writeFileSync(path.join(dir, 'greeting.ts'), `export const greeting = ${JSON.stringify(greeting)};\n`);
}

function bundle(cache = cacheDir, name = 'hello'): Bundle {
  return bundleNodeFunction({ entry, name, cacheDir: cache });
}

function codeOf(b: Bundle): string {
  return new AdmZip(b.zipFile).readAsText('index.js');
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundling-'));
  entry = path.join(dir, 'handler.ts');
  cacheDir = path.join(dir, 'cache');
  fs.writeFileSync(
    entry,
    "import { greeting } from './greeting';\nexport const handler = async () => ({ statusCode: 200, body: greeting });\n",
  );
  writeFunction('hello');
  buildSync.mockClear();
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('bundleNodeFunction', () => {
  it('reuses a bundle whose inputs are unchanged, without running esbuild', () => {
    const first = bundle();
    const second = bundle();
    expect(buildSync).toHaveBeenCalledTimes(1);
    expect(second).toEqual(first);
    expect(codeOf(second)).toContain('"hello"');
  });

  it('rebuilds when a file the bundle imports changes, and again when it changes back, in one process', () => {
    const first = bundle();
    writeFunction('bonjour');
    const edited = bundle();
    expect(buildSync).toHaveBeenCalledTimes(2);
    expect(edited.sha256).not.toBe(first.sha256);
    expect(codeOf(edited)).toContain('"bonjour"');
    writeFunction('hello');
    const reverted = bundle();
    expect(buildSync).toHaveBeenCalledTimes(3);
    expect(reverted).toEqual(first);
  });

  it('builds again when the cache folder was deleted, in one process', () => {
    const first = bundle();
    fs.rmSync(cacheDir, { recursive: true });
    const again = bundle();
    expect(buildSync).toHaveBeenCalledTimes(2);
    expect(again).toEqual(first);
    expect(fs.existsSync(again.zipFile)).toBe(true);
  });

  it('zips a cached bundle to the same bytes as a fresh build', () => {
    bundle();
    const cached = bundle();
    const fresh = bundle(path.join(dir, 'another-cache'));
    expect(buildSync).toHaveBeenCalledTimes(2);
    expect(fs.readFileSync(cached.zipFile).equals(fs.readFileSync(fresh.zipFile))).toBe(true);
    expect(cached.sha256).toBe(createHash('sha256').update(fs.readFileSync(fresh.zipFile)).digest('base64'));
  });

  it('names the zip after the bundle, sharing the build between names', () => {
    const hello = bundle(cacheDir, 'hello');
    const other = bundle(cacheDir, 'other');
    expect(buildSync).toHaveBeenCalledTimes(1);
    expect(path.basename(other.zipFile)).toBe('other.zip');
    expect(other.sha256).toBe(hello.sha256);
  });

  it('refuses a missing entry point, naming it', () => {
    expect(() => bundleNodeFunction({ entry: path.join(dir, 'nope.ts'), name: 'x', cacheDir })).toThrow(
      /nope\.ts does not exist: check the function's "entry" prop/,
    );
  });

  it('gives the same bundle to processes bundling at once into one cache, whole files only', async () => {
    const outputs = await Promise.all(
      [1, 2, 3].map(() =>
        run(process.execPath, ['--import', 'tsx', BUNDLE_ONCE, cacheDir, '--entry', entry], { cwd: PROJECT_ROOT }),
      ),
    );
    const bundles = outputs.map(({ stdout }) => JSON.parse(stdout) as Bundle);
    expect(new Set(bundles.map((b) => b.sha256)).size).toBe(1);
    expect(new Set(bundles.map((b) => b.zipFile)).size).toBe(1);
    const zip = fs.readFileSync(bundles[0].zipFile);
    expect(createHash('sha256').update(zip).digest('base64')).toBe(bundles[0].sha256);
    expect(bundle()).toEqual(expect.objectContaining({ sha256: bundles[0].sha256 }));
    expect(buildSync).not.toHaveBeenCalled();
    const leftovers = fs.readdirSync(cacheDir, { recursive: true }).filter((f) => String(f).endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  }, 60_000);
});

describe('IncrementalBundles', () => {
  let bundles: IncrementalBundles;
  beforeEach(() => (bundles = new IncrementalBundles()));
  afterEach(() => bundles.dispose());

  const build = (): BundleBuild => bundleBuild({ entry, name: 'hello', cacheDir });

  it('rebuilds an edited bundle into the cache, where bundling finds it without a fresh esbuild run', async () => {
    const first = bundle();
    await bundles.track([build()]);
    writeFunction('bonjour');
    await bundles.refresh();
    const edited = bundle();
    expect(buildSync).toHaveBeenCalledTimes(1); // the first bundle only
    expect(codeOf(edited)).toContain('"bonjour"');
    expect(edited.sha256).not.toBe(first.sha256);
    const fresh = bundle(path.join(dir, 'another-cache'));
    expect(fs.readFileSync(edited.zipFile).equals(fs.readFileSync(fresh.zipFile))).toBe(true);
  });

  it('leaves an unchanged bundle alone, and one that does not build to bundling, which reports the error', async () => {
    bundle();
    await bundles.track([build()]);
    await bundles.refresh();
    expect(findBundleBuild(build())).toBeDefined();
    fs.writeFileSync(path.join(dir, 'greeting.ts'), 'export const greeting = ;\n');
    await bundles.refresh();
    expect(findBundleBuild(build())).toBeUndefined();
    expect(() => bundle()).toThrow(/greeting\.ts.*Unexpected ";"/s);
  });

  it('lists the builds a process asked for, for it to track', () => {
    bundle();
    expect(requestedBundleBuilds()).toContainEqual(build());
  });
});
