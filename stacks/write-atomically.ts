import * as fs from 'node:fs';

/**
 * Replaces a file through a temporary file and a rename, so another process (a parallel test worker, a Terraform
 * run) never reads half of it.
 */
export function writeAtomically(file: string, content: string | Uint8Array): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}
