import * as path from 'node:path';

/** The project root: where `package.json`, `cdktf.out`, `.local` and `.build` are. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** Scratch output of builds, plans, benchmarks and proofs (git-ignored). */
export const BUILD_DIR = path.join(PROJECT_ROOT, '.build');
