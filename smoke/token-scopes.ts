/** The scopes an access token carries (its `scope` claim), read without verifying it: the smoke check's view. */
export function scopesOf(token: string): string[] {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    scope?: unknown;
  };
  return typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
}
