import { createHash } from 'node:crypto';
import { buildSync } from 'esbuild';
import { zipSync } from 'fflate';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILD_DIR } from '../common/project-paths';
import { writeAtomically } from '../common/write-atomically';

/** Where bundles are written before TerraformAsset copies them into the synth output (git-ignored). */
export const BUNDLE_ROOT = path.join(BUILD_DIR, 'functions');

/**
 * Modules the nodejs22.x Lambda runtime provides. Leaving them out of the bundle keeps the zip small
 * (about 100 KB less); it is what AWS CDK's NodejsFunction does by default for Node.js 18 and newer.
 */
export const RUNTIME_PROVIDED_MODULES = ['@aws-sdk/*'];

/** Zip entries carry this time, so the same code always makes the same zip, byte for byte. */
const FIXED_MTIME = new Date('1980-01-01T00:00:00Z');

export interface BundleOptions {
  /** Absolute path of the TypeScript entry point (exports `handler`). */
  readonly entry: string;
  /** Name of the bundle; one bundle per name and process. */
  readonly name: string;
  /**
   * Packages to leave out of the bundle.
   * @default RUNTIME_PROVIDED_MODULES
   */
  readonly external?: readonly string[];
}

export interface Bundle {
  /** Folder holding the bundled `index.js`. */
  readonly directory: string;
  /** The deployment package: `index.js`, zipped reproducibly. */
  readonly zipFile: string;
  /** Base64 SHA-256 of the zip: what Lambda reports as CodeSha256, so plans show no drift after deploys. */
  readonly sha256: string;
}

const built = new Map<string, Bundle>();

/**
 * Bundles a Lambda entry point with esbuild (minified CommonJS for Node.js 22) and zips it reproducibly.
 * Memoised per process: every stage of one synth shares the same bundle.
 *
 * The zip is made here rather than by TerraformAsset's ARCHIVE type, which records file times (a new zip on
 * every synth) and spawns a Node.js process per stack to make it.
 */
export function bundleNodeFunction(options: BundleOptions): Bundle {
  const cached = built.get(options.name);
  if (cached) return cached;
  if (!fs.existsSync(options.entry)) {
    throw new Error(`Lambda entry point ${options.entry} does not exist: check the function's "entry" prop.`);
  }
  const directory = path.join(BUNDLE_ROOT, options.name);
  fs.mkdirSync(directory, { recursive: true });
  const result = buildSync({
    entryPoints: [options.entry],
    outfile: path.join(directory, 'index.js'),
    bundle: true,
    minify: true,
    sourcemap: false,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: [...(options.external ?? RUNTIME_PROVIDED_MODULES)],
    legalComments: 'none',
    logLevel: 'error',
    write: false,
  });
  const [code] = result.outputFiles;
  writeAtomically(code.path, code.contents);
  const zip = zipSync({ 'index.js': [code.contents, { mtime: FIXED_MTIME, level: 9 }] });
  const zipFile = path.join(BUNDLE_ROOT, `${options.name}.zip`);
  writeAtomically(zipFile, zip);
  const bundle: Bundle = { directory, zipFile, sha256: createHash('sha256').update(zip).digest('base64') };
  built.set(options.name, bundle);
  return bundle;
}
