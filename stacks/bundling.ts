import { createHash } from 'node:crypto';
import { buildSync, version as esbuildVersion, type BuildOptions, type BuildResult } from 'esbuild';
import { zipSync } from 'fflate';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILD_DIR, PROJECT_ROOT } from '../common/project-paths';
import { writeAtomically } from '../common/write-atomically';
import { sha256Hex } from '../common/sha256';
import { findBuild, inputHashes, storeBuild } from './build-cache';

/** Where bundles are cached, by the content of what they were built from (git-ignored). */
export const BUNDLE_CACHE = path.join(BUILD_DIR, 'bundles');

/** Zip entries carry this time, so the same code always makes the same zip, byte for byte. */
const FIXED_MTIME = new Date('1980-01-01T00:00:00Z');
const ZIP_LEVEL = 9;
/** Changes whenever what a cache entry holds, or how it is made, changes. */
const CACHE_LAYOUT = 1;

export interface BundleOptions {
  /** Absolute path of the TypeScript entry point (exports `handler`). */
  readonly entry: string;
  /** Name of the bundle: the zip is `<name>.zip`. */
  readonly name: string;
  /**
   * Packages to leave out of the bundle, for the runtime to provide (e.g. common/lambda-runtime.ts's
   * `RUNTIME_PROVIDED_MODULES`). Left out, they keep the zip small (about 110 KB less), as AWS CDK's NodejsFunction
   * does by default, but the function starts slower: the runtime loads the whole client packages from its
   * node_modules, file by file, where a bundle holds only the parts the code uses, in one file (`npm run bench`:
   * module init about 40 % slower here than bundled). So this project bundles the SDK, as the AWS SDK team
   * recommends for cold starts ("Reduce Lambda cold start times: migrate to AWS SDK for JavaScript v3", AWS
   * Developer Tools Blog; "Optimizing Node.js dependencies in AWS Lambda", AWS Compute Blog; aws-cdk #25492).
   * @default none: everything the code imports, the AWS SDK included, is bundled
   */
  readonly external?: readonly string[];
  /**
   * Folder of the bundle cache.
   * @default BUNDLE_CACHE
   */
  readonly cacheDir?: string;
}

export interface Bundle {
  /** Folder holding the bundled `index.js`. */
  readonly directory: string;
  /** The deployment package: `index.js`, zipped reproducibly. */
  readonly zipFile: string;
  /** Base64 SHA-256 of the zip: what Lambda reports as CodeSha256, so plans show no drift after deploys. */
  readonly sha256: string;
}

/** Bundles already read in this process, by entry folder and name: an entry folder never changes. */
const known = new Map<string, Bundle>();

/** One bundle's build: the esbuild options, and the cache folder and key its output is stored under. */
export interface BundleBuild {
  readonly cacheDir: string;
  /** Covers the cache layout, esbuild's version, the build options (entry included) and the zip settings. */
  readonly key: string;
  readonly buildOptions: BuildOptions;
}

/** How every bundle is written: in memory, with the list of files esbuild read. */
export const BUNDLE_OUTPUT = {
  outfile: 'index.js',
  metafile: true,
  write: false,
  logLevel: 'error',
} as const satisfies BuildOptions;

/** The output of an esbuild run of a {@link BundleBuild}'s options with {@link BUNDLE_OUTPUT}. */
export type BundleOutput = BuildResult<BundleOutputOptions>;
/** What {@link storeBundleBuild} needs of an esbuild run's options: the output in memory, and the metafile. */
export type BundleOutputOptions = { readonly metafile: true; readonly write: false };

/** The builds this process has bundled, by key: what a long-lived process keeps current (incremental-bundles.ts). */
const requested = new Map<string, BundleBuild>();

/** Every bundle build this process has asked for. */
export function requestedBundleBuilds(): BundleBuild[] {
  return [...requested.values()];
}

/**
 * Bundles a Lambda entry point with esbuild (minified CommonJS for Node.js 22, its dependencies tree-shaken into
 * the one file) and zips it reproducibly.
 *
 * Cached by content: the cache key covers esbuild's version, the build options and the entry, and a cached bundle
 * is used only while every file esbuild read for it (listed by esbuild's metafile) still has the same content, so
 * an unchanged function costs no esbuild call, in this process or the next, and an edited one is rebuilt.
 *
 * The zip is made here rather than by TerraformAsset's ARCHIVE type, which records file times (a new zip on
 * every synth) and spawns a Node.js process per stack to make it.
 */
export function bundleNodeFunction(options: BundleOptions): Bundle {
  if (!fs.existsSync(options.entry)) {
    throw new Error(`Lambda entry point ${options.entry} does not exist: check the function's "entry" prop.`);
  }
  const build = bundleBuild(options);
  requested.set(build.key, build);
  const directory =
    findBundleBuild(build) ?? storeBundleBuild(build, buildSync({ ...build.buildOptions, ...BUNDLE_OUTPUT }));
  return zipped(directory, options.name);
}

/** The build of the bundle `options` describes. */
export function bundleBuild(options: BundleOptions): BundleBuild {
  const buildOptions = {
    entryPoints: [options.entry],
    bundle: true,
    minify: true,
    sourcemap: false,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: [...(options.external ?? [])],
    // ES module builds first: esbuild drops the parts of the AWS SDK the code does not use (a third smaller).
    mainFields: ['module', 'main'],
    legalComments: 'none',
    absWorkingDir: PROJECT_ROOT,
  } satisfies BuildOptions;
  const key = sha256Hex(
    JSON.stringify({ layout: CACHE_LAYOUT, esbuild: esbuildVersion, buildOptions, zip: [FIXED_MTIME, ZIP_LEVEL] }),
  ).slice(0, 32);
  return { cacheDir: options.cacheDir ?? BUNDLE_CACHE, key, buildOptions };
}

/** The cache folder of `build` when its inputs are unchanged since it was stored, else `undefined`. */
export function findBundleBuild(build: BundleBuild): string | undefined {
  return findBuild(build.cacheDir, build.key, PROJECT_ROOT);
}

/** Stores what an esbuild run of `build` wrote; returns its cache folder. */
export function storeBundleBuild(build: BundleBuild, output: BundleOutput): string {
  const [code] = output.outputFiles;
  const inputs = inputHashes(PROJECT_ROOT, Object.keys(output.metafile.inputs));
  return storeBuild(build.cacheDir, build.key, inputs, (directory) => {
    writeAtomically(path.join(directory, 'index.js'), code.contents);
  });
}

/** The bundle in `directory` as `<name>.zip`, zipped once per entry and name. */
function zipped(directory: string, name: string): Bundle {
  const zipFile = path.join(directory, `${name}.zip`);
  const cached = known.get(zipFile);
  // The cache folder may have been deleted since (it is scratch): then the zip is made again.
  if (cached && fs.existsSync(zipFile)) return cached;
  let zip: Uint8Array;
  try {
    zip = fs.readFileSync(zipFile);
  } catch {
    const code = fs.readFileSync(path.join(directory, 'index.js'));
    zip = zipSync({ 'index.js': [code, { mtime: FIXED_MTIME, level: ZIP_LEVEL }] });
    writeAtomically(zipFile, zip);
  }
  const bundle: Bundle = { directory, zipFile, sha256: createHash('sha256').update(zip).digest('base64') };
  known.set(zipFile, bundle);
  return bundle;
}
