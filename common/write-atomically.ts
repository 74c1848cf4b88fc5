import * as fs from 'node:fs';

/**
 * Replaces a file through a temporary file and a rename, so another process (a parallel test worker, a Terraform
 * run, a client reading the local stack's connection details) never reads half of it. `mode` sets the file's
 * permissions (e.g. `0o600` for a file holding a secret) before it appears under its name.
 */
export function writeAtomically(file: string, content: string | Uint8Array, options: { mode?: number } = {}): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content, options.mode === undefined ? undefined : { mode: options.mode });
  fs.renameSync(temporary, file);
}
