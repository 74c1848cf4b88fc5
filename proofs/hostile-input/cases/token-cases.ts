/**
 * Token cases: forged, expired, foreign, broken or misplaced tokens (or a valid token lacking the method's scope),
 * each sent with a request that would change data if the token were accepted; and, now and then, a validly signed
 * token too large for any header limit.
 */
import { SCOPE_KINDS } from '../../support';
import { VALID_BODIES } from '../bodies';
import { pick } from '../random';
import { bearer, SCOPE_OF_METHOD, type CaseKit } from './case-kit';

/** A request that would change data if its (invalid) token were accepted. */
function harmfulWithoutAuth({ random, stagePath: S, existing }: CaseKit): {
  method: string;
  target: string;
  headers: Array<[string, string]>;
  body?: Buffer;
} {
  switch (Math.floor(random() * 5)) {
    case 0:
      return {
        method: 'POST',
        target: `${S}/categories`,
        headers: [['Content-Type', 'application/json']],
        body: Buffer.from(pick(random, VALID_BODIES)),
      };
    case 1:
      return {
        method: 'PUT',
        target: `${S}/categories/${existing()}`,
        headers: [
          ['Content-Type', 'application/json'],
          ['If-Match', '"1"'],
        ],
        body: Buffer.from(pick(random, VALID_BODIES)),
      };
    case 2:
      return { method: 'DELETE', target: `${S}/categories/${existing()}`, headers: [] };
    case 3:
      return { method: 'GET', target: `${S}/categories/${existing()}`, headers: [] };
    default:
      return { method: 'GET', target: `${S}/categories?limit=100`, headers: [] };
  }
}

/** Tokens that must be refused, on requests that would change data if one were accepted. */
export function tokenCases(kit: CaseKit): void {
  const { context, random, stagePath: S, add } = kit;
  const { tokens } = context;
  const request = harmfulWithoutAuth(kit);
  const scope = SCOPE_OF_METHOD[request.method];
  const roll = random();
  let label: string;
  let authorization: string[];
  let target = request.target;
  if (roll < 0.08) {
    // Printable garbage of any length up to 4 KB.
    const garbage = Array.from({ length: 1 + Math.floor(random() * 4096) }, () =>
      String.fromCharCode(0x21 + Math.floor(random() * 94)),
    ).join('');
    label = 'random printable garbage';
    authorization = [random() < 0.5 ? bearer(garbage) : garbage];
  } else if (roll < 0.6) {
    const forged = pick(random, tokens.invalid);
    label = forged.label;
    authorization = [random() < 0.8 ? bearer(forged.token) : forged.token];
  } else if (roll < 0.75) {
    const wrong = pick(
      random,
      SCOPE_KINDS.filter((s) => s !== scope),
    );
    label = `valid token with the ${wrong} scope only`;
    authorization = [bearer(tokens.valid[wrong])];
  } else {
    const token = tokens.valid[scope];
    const variant = Math.floor(random() * 12);
    label = [
      'no Authorization header',
      'empty Authorization header',
      'scheme only',
      'lower-case bearer scheme',
      'Token scheme',
      'Basic client credentials',
      'token in the query string',
      'bearer token in a cookie',
      'two Authorization headers (garbage, then valid)',
      'two Authorization headers (valid, then garbage)',
      'valid token twice',
      'Bearer with a tab',
    ][variant];
    const basic = Buffer.from(`${context.clientId}:${context.clientSecret}`).toString('base64');
    authorization = [
      [],
      [''],
      ['Bearer'],
      [`bearer ${token}`],
      [`Token ${token}`],
      [`Basic ${basic}`],
      [],
      [],
      ['Bearer garbage', bearer(token)],
      [bearer(token), 'Bearer garbage'],
      [bearer(token), bearer(token)],
      [`Bearer\t${token}`],
    ][variant];
    if (variant === 6) target += `${target.includes('?') ? '&' : '?'}access_token=${token}`;
    if (variant === 7) request.headers.push(['Cookie', `token=${token}; Authorization=Bearer%20${token}`]);
  }
  add({
    family: 'token',
    label: `token: ${label}`,
    method: request.method,
    target,
    headers: [...authorization.map((value): [string, string] => ['Authorization', value]), ...request.headers],
    body: request.body,
    mayInvoke: false,
  });
  // A validly signed token of 20 KB: valid, but no header limit lets it through.
  if (random() < 0.01) {
    add({
      family: 'token',
      label: 'token: oversize (20 KB), validly signed',
      method: 'GET',
      target: `${S}/categories`,
      headers: [['Authorization', bearer(tokens.oversizeValid)]],
      mayInvoke: true,
    });
  }
}
