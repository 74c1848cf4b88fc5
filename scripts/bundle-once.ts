/**
 * Bundles one Lambda function once, as a synth does, and prints as JSON the bundle, its zip size and how long
 * bundling took in this process. `npm run bench` and the bundling tests run it in fresh processes.
 *
 * Usage: `bundle-once <cache-dir> [--entry <file>] [--external <package pattern>]...`; the entry defaults to the
 * categories function, `--external` to none (as NodeFunction deploys it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleNodeFunction } from '../stacks/bundling';
import { CATEGORIES_ENTRY } from '../stacks/platform-stack';

const [cacheDir, ...flags] = process.argv.slice(2);
let entry = CATEGORIES_ENTRY;
const external: string[] = [];
for (let i = 0; i < flags.length; i += 2) {
  const value = flags[i + 1];
  if (flags[i] === '--entry' && value) entry = path.resolve(value);
  else if (flags[i] === '--external' && value) external.push(value);
  else {
    console.error(
      `bundle-once: unknown argument "${flags[i]}". Usage: bundle-once <cache-dir> [--entry <file>] [--external <pattern>]...`,
    );
    process.exit(2);
  }
}
if (!cacheDir) {
  console.error('usage: bundle-once <cache-dir> [--entry <file>] [--external <pattern>]...');
  process.exit(2);
}
const start = process.hrtime.bigint();
const bundle = bundleNodeFunction({ entry, name: path.basename(path.dirname(entry)), external, cacheDir });
const bundleMs = Number(process.hrtime.bigint() - start) / 1e6;
console.log(JSON.stringify({ ...bundle, zipBytes: fs.statSync(bundle.zipFile).size, bundleMs }));
