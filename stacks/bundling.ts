import { buildSync } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where bundles are written before TerraformAsset zips them (git-ignored). */
export const BUNDLE_ROOT = path.resolve(__dirname, '..', '.build');

/**
 * Modules the nodejs22.x Lambda runtime provides. Leaving them out of the bundle keeps the zip small
 * (about 100 KB less); it is what AWS CDK's NodejsFunction does by default for Node.js 18 and newer.
 */
export const RUNTIME_PROVIDED_MODULES = ['@aws-sdk/*'];

export interface BundleOptions {
  /** Absolute path of the TypeScript entry point (exports `handler`). */
  readonly entry: string;
  /** Folder name under {@link BUNDLE_ROOT}; one bundle per name. */
  readonly name: string;
  /**
   * Packages to leave out of the bundle.
   * @default RUNTIME_PROVIDED_MODULES
   */
  readonly external?: readonly string[];
}

const built = new Map<string, string>();

/**
 * Bundles a Lambda entry point with esbuild into `<BUNDLE_ROOT>/<name>/index.js` and returns that folder.
 * Bundling is memoised per process: every stage of one synth shares the same bundle.
 */
export function bundleNodeFunction(options: BundleOptions): string {
  const cached = built.get(options.name);
  if (cached) return cached;
  if (!fs.existsSync(options.entry)) {
    throw new Error(`Lambda entry point ${options.entry} does not exist: check the function's "entry" prop.`);
  }
  const outdir = path.join(BUNDLE_ROOT, options.name);
  fs.rmSync(outdir, { recursive: true, force: true });
  buildSync({
    entryPoints: [options.entry],
    outfile: path.join(outdir, 'index.js'),
    bundle: true,
    minify: true,
    sourcemap: false,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: [...(options.external ?? RUNTIME_PROVIDED_MODULES)],
    legalComments: 'none',
    logLevel: 'error',
  });
  built.set(options.name, outdir);
  return outdir;
}
