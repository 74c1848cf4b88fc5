'use strict';
/**
 * The cdktf app (`cdktf.json`): main.ts and what it imports, compiled by esbuild into one CommonJS file (packages
 * left in node_modules) and run in this process by plain Node.js: no package runner to start and no TypeScript
 * loader in memory (`npm run bench` compares it with `npx tsx main.ts`).
 *
 * The file is `.build/cdktf-app.js`, one folder below the project root like stacks/ and common/, so paths the code
 * derives from `__dirname` (the functions' entry points, the project root) stay right. Its first line records
 * esbuild's version and the content hash of every file esbuild read; while they all match, the file is run as it
 * is, without starting esbuild. It is written through a temporary file and a rename, record and code in one file:
 * synths running at once never load half of it, nor code that does not match its record.
 *
 * An error's stack names the TypeScript files and lines: the source map is inline, read only then (Node.js's own
 * source-map support would cost ~25 MB on every synth).
 */
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { SourceMap } = require('node:module');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outfile = path.join(root, '.build', 'cdktf-app.js');
const RECORD_PREFIX = '// cdktf-app inputs: ';
const MAP_PREFIX = '//# sourceMappingURL=data:application/json;base64,';

if (!isCurrent()) compile();
try {
  require(outfile);
} catch (error) {
  if (!(error instanceof Error) || typeof error.stack !== 'string') throw error;
  console.error(toSourceLocations(error.stack));
  process.exitCode = 1;
}

function hashOf(file) {
  try {
    return createHash('sha256')
      .update(fs.readFileSync(path.resolve(root, file)))
      .digest('hex');
  } catch {
    return undefined; // gone: not current
  }
}

/** Whether the compiled app exists and every file it was compiled from still has the same content. */
function isCurrent() {
  let firstLine;
  try {
    const text = fs.readFileSync(outfile, 'utf8');
    firstLine = text.slice(0, text.indexOf('\n'));
  } catch {
    return false;
  }
  if (!firstLine.startsWith(RECORD_PREFIX)) return false;
  let record;
  try {
    record = JSON.parse(firstLine.slice(RECORD_PREFIX.length));
  } catch {
    return false;
  }
  const { version } = require('esbuild/package.json');
  if (record.esbuild !== version || typeof record.inputs !== 'object' || record.inputs === null) return false;
  return Object.entries(record.inputs).every(([file, hash]) => hashOf(file) === hash);
}

/** Compiles main.ts into `outfile`; esbuild prints what does not compile (file, line, problem). */
function compile() {
  const { buildSync, version } = require('esbuild');
  let result;
  try {
    result = buildSync({
      entryPoints: [path.join(root, 'main.ts')],
      outfile,
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      format: 'cjs',
      packages: 'external',
      sourcemap: 'inline',
      sourcesContent: false,
      metafile: true,
      logLevel: 'error',
      write: false,
    });
  } catch {
    console.error('The cdktf app (main.ts) does not compile: see the errors above.');
    process.exit(1);
  }
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs).sort()) inputs[file] = hashOf(file);
  const record = `${RECORD_PREFIX}${JSON.stringify({ esbuild: version, inputs })}\n`;
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  const temporary = `${outfile}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, record + result.outputFiles[0].text);
  fs.renameSync(temporary, outfile);
}

/** `stack` with every `.build/cdktf-app.js:line:column` replaced by the TypeScript file, line and column. */
function toSourceLocations(stack) {
  const text = fs.readFileSync(outfile, 'utf8');
  const mapLine = text.slice(text.lastIndexOf(MAP_PREFIX) + MAP_PREFIX.length).trim();
  const sourceMap = new SourceMap(JSON.parse(Buffer.from(mapLine, 'base64').toString('utf8')));
  const escaped = outfile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return stack.replace(new RegExp(`${escaped}:(\\d+):(\\d+)`, 'g'), (location, line, column) => {
    // The record line comes before the code the source map describes.
    const entry = sourceMap.findEntry(Number(line) - 2, Number(column) - 1);
    if (!entry.originalSource) return location;
    const source = path.relative(root, path.resolve(path.dirname(outfile), entry.originalSource));
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}
