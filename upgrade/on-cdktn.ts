/**
 * Preloaded (`node --require`) into a process that runs `main.ts`, so the unchanged app synthesizes on CDK Terrain
 * (`cdktn`) core instead of cdktf:
 * - every `cdktf` import, the project's and the provider bindings' (`@cdktf/provider-aws`), loads `cdktn` (bindings
 *   left on their own cdktf 0.21 beside cdktn 0.24 fail at synth: README, "Moving off cdktf", step 5);
 * - every `constructs` import loads `constructs-for-cdktn`, the constructs release cdktn declares it needs.
 * Before the process exits it fails if anything was loaded from the `cdktf` or `constructs` packages after all.
 * Nothing outside this process changes.
 */
import Module from 'node:module';
import * as path from 'node:path';

/** Package a request names → the package that serves it in this process. */
const REPLACEMENTS: Readonly<Record<string, string>> = { cdktf: 'cdktn', constructs: 'constructs-for-cdktn' };

const packageDir = (name: string): string => path.dirname(require.resolve(`${name}/package.json`));
const replacedDirs = Object.keys(REPLACEMENTS).map(packageDir);

/** `request` with its package name replaced (`cdktf/lib/x` → `cdktn/lib/x`), or unchanged. */
function redirect(request: string): string {
  const name = request.split('/')[0];
  const replacement = REPLACEMENTS[name];
  return replacement === undefined ? request : replacement + request.slice(name.length);
}

// Module._resolveFilename is how CommonJS turns a request into a file; Node.js 20 has no public hook for it.
type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: object) => string;
const loader = Module as unknown as { _resolveFilename: ResolveFilename };
const resolveFilename = loader._resolveFilename;
loader._resolveFilename = function (request, parent, isMain, options) {
  return resolveFilename.call(this, redirect(request), parent, isMain, options);
};

process.once('beforeExit', () => {
  const leaked = Object.keys(require.cache).filter((file) =>
    replacedDirs.some((dir) => file.startsWith(dir + path.sep)),
  );
  if (leaked.length > 0) {
    console.error(`on-cdktn: ${leaked.length} module(s) still loaded from a replaced package, e.g. ${leaked[0]}`);
    process.exitCode = 1;
  }
});
