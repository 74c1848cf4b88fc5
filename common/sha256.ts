import { createHash } from 'node:crypto';
import * as fs from 'node:fs';

/** Hex SHA-256 of a string or bytes. */
export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Hex SHA-256 of a file's content. */
export function fileSha256Hex(file: string): string {
  return sha256Hex(fs.readFileSync(file));
}
