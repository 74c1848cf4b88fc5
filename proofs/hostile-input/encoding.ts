/** base64url, as JWTs and cursors use it. */
export const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');
export const jsonPart = (value: unknown): string => b64url(JSON.stringify(value));
