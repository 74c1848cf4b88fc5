import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileSha256Hex, sha256Hex } from '../common/sha256';
import { writeAtomically } from '../common/write-atomically';

/**
 * Results of Terraform runs kept next to the folder they were made in, under a key: a SHA-256 over every input of
 * the run, so a run is reused only while nothing it depends on has changed. What goes into a key is the caller's
 * job (see `planOffline`); these are the means: digests of folders and the stored results.
 */

/** Every file under `dir` (folders named in `skip` left out), by path relative to `dir` and SHA-256 of its content. */
export function contentDigests(dir: string, skip: readonly string[] = []): [file: string, sha256: string][] {
  return files(dir, skip).map((file) => [file, fileSha256Hex(path.join(dir, file))]);
}

/**
 * Every file under `dir` by path, size and modification time: for a provider mirror, whose binaries are hundreds
 * of megabytes (reading them for a digest would cost seconds) and change only by being replaced.
 */
export function fileStamps(dir: string): [file: string, bytes: number, modified: number][] {
  return files(dir, []).map((file) => {
    const stat = fs.statSync(path.join(dir, file));
    return [file, stat.size, stat.mtimeMs];
  });
}

function files(dir: string, skip: readonly string[]): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.split(path.sep).some((part) => skip.includes(part)))
    .sort();
}

/** The key of a run: a SHA-256 over its inputs, given as JSON-serializable values. */
export function runKey(inputs: Readonly<Record<string, unknown>>): string {
  const sorted = Object.keys(inputs)
    .sort()
    .map((name) => [name, inputs[name]]);
  return sha256Hex(JSON.stringify(sorted));
}

/** The result stored in `file` under `key`, or undefined when there is none or it was stored under another key. */
export function readStored<T>(file: string, key: string): T | undefined {
  try {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { key?: unknown; result?: T };
    return stored.key === key ? stored.result : undefined;
  } catch {
    return undefined;
  }
}

/** Stores `result` in `file` under `key`, whole or not at all. */
export function store(file: string, key: string, result: unknown): void {
  writeAtomically(file, JSON.stringify({ key, result }));
}
