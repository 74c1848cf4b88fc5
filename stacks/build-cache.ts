import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileSha256Hex, sha256Hex } from '../common/sha256';
import { writeAtomically } from '../common/write-atomically';

/**
 * A build cache keyed by content, shared by every process that builds at the same time (parallel tests, plans and
 * synths) and correct in a long-lived one that builds again after files change.
 *
 * A build is described by a key (what the build depends on besides its input files: tool version, options, entry
 * point) and by the content hashes of the files it read. `<root>/<key>.json` records the inputs of the latest build
 * under that key and names its entry, a folder `<root>/<entry>/` named after the key and those hashes: the same
 * inputs always make the same entry. Files are written through a temporary file and a rename, entries before the
 * record that names them, and entries are never changed once written, so a reader never sees half of one.
 */
export interface BuildRecord {
  /** Folder name of the entry, under the cache root. */
  readonly entry: string;
  /** Content hash of every input file, by path relative to the build's working directory. */
  readonly inputs: Readonly<Record<string, string>>;
}

/** The content hash of a file; `undefined` when it no longer exists. */
function fileHash(file: string): string | undefined {
  try {
    return fileSha256Hex(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The content hashes of `files` (relative to `workingDir`), by file. */
export function inputHashes(workingDir: string, files: readonly string[]): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const file of [...files].sort()) {
    const hash = fileHash(path.resolve(workingDir, file));
    if (hash === undefined) throw new Error(`Build input ${file} vanished during the build: build again.`);
    hashes[file] = hash;
  }
  return hashes;
}

/** The entry name of a build under `key` that read `inputs`. */
export function entryName(key: string, inputs: Readonly<Record<string, string>>): string {
  return sha256Hex(JSON.stringify([key, inputs])).slice(0, 32);
}

/**
 * The folder of the latest build under `key` when every input it read still has the same content, else
 * `undefined`. Reads every input on every call: nothing is remembered between calls.
 */
export function findBuild(root: string, key: string, workingDir: string): string | undefined {
  let record: BuildRecord;
  try {
    record = JSON.parse(fs.readFileSync(recordFile(root, key), 'utf8')) as BuildRecord;
  } catch {
    return undefined; // never built, or a record from an older layout: build
  }
  if (typeof record.entry !== 'string' || typeof record.inputs !== 'object' || record.inputs === null) {
    return undefined;
  }
  for (const [file, hash] of Object.entries(record.inputs)) {
    if (fileHash(path.resolve(workingDir, file)) !== hash) return undefined;
  }
  const directory = path.join(root, record.entry);
  return fs.existsSync(directory) ? directory : undefined;
}

/**
 * Stores a build under `key`: `write` fills the entry folder (atomically, file by file), then the record naming
 * it replaces the previous one. Returns the entry folder.
 */
export function storeBuild(
  root: string,
  key: string,
  inputs: Readonly<Record<string, string>>,
  write: (directory: string) => void,
): string {
  const directory = path.join(root, entryName(key, inputs));
  fs.mkdirSync(directory, { recursive: true });
  write(directory);
  const record: BuildRecord = { entry: path.basename(directory), inputs };
  writeAtomically(recordFile(root, key), `${JSON.stringify(record, null, 1)}\n`);
  return directory;
}

function recordFile(root: string, key: string): string {
  return path.join(root, `${key}.json`);
}
