'use strict';
/**
 * The cdktf app (`cdktf.json`): compiles main.ts and what it imports into one CommonJS file with esbuild, packages
 * left in node_modules, and runs it in this process. Plain Node.js then runs the app: no package runner to start
 * and no TypeScript loader in memory (`npm run bench` compares it with `npx tsx main.ts`).
 *
 * The file is `.build/cdktf-app.js`, one folder below the project root like stacks/ and common/, so paths the code
 * derives from `__dirname` (the functions' entry points, the project root) stay right. It is written through a
 * temporary file and a rename: synths running at once never load half of it. An error's stack names the
 * TypeScript files and lines: the source map is kept in memory and read only then (Node.js's own source-map
 * support would cost ~25 MB on every synth).
 */
const { buildSync } = require('esbuild');
const fs = require('node:fs');
const { SourceMap } = require('node:module');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outfile = path.join(root, '.build', 'cdktf-app.js');

const result = compile();
const code = result.outputFiles.find((file) => file.path === outfile);
const map = result.outputFiles.find((file) => file.path === `${outfile}.map`);
fs.mkdirSync(path.dirname(outfile), { recursive: true });
const temporary = `${outfile}.${process.pid}.tmp`;
fs.writeFileSync(temporary, code.contents);
fs.renameSync(temporary, outfile);

try {
  require(outfile);
} catch (error) {
  if (!(error instanceof Error) || typeof error.stack !== 'string') throw error;
  console.error(toSourceLocations(error.stack));
  process.exitCode = 1;
}

/** main.ts and what it imports, compiled; esbuild prints what does not compile (file, line, problem). */
function compile() {
  try {
    return buildSync({
      entryPoints: [path.join(root, 'main.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      format: 'cjs',
      packages: 'external',
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'error',
      write: false,
    });
  } catch {
    console.error('The cdktf app (main.ts) does not compile: see the errors above.');
    process.exit(1);
  }
}

/** `stack` with every `.build/cdktf-app.js:line:column` replaced by the TypeScript file, line and column. */
function toSourceLocations(stack) {
  const sourceMap = new SourceMap(JSON.parse(map.text));
  const escaped = outfile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return stack.replace(new RegExp(`${escaped}:(\\d+):(\\d+)`, 'g'), (location, line, column) => {
    const entry = sourceMap.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry.originalSource) return location;
    const source = path.relative(root, path.resolve(path.dirname(outfile), entry.originalSource));
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}
