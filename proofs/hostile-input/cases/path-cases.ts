/** Path cases: traversal, encoded slashes, unicode, NUL and CRLF, long and deep paths, unknown routes and stages. */
import { invalidBodies, VALID_BODIES } from '../bodies';
import { UNMATCHABLE_IF_MATCH } from '../if-match';
import { pick } from '../random';
import { bearer, SCOPE_OF_METHOD, type CaseKit } from './case-kit';

/** Paths, with a token carrying every scope: harmless whichever route they reach. */
export function pathCases(kit: CaseKit): void {
  const { context, random, stagePath: S, add, someId } = kit;
  const { stage, tokens } = context;
  const id = someId();
  const paths: Array<[string, string]> = [
    ['dot-dot', `${S}/categories/..`],
    ['dot-dot back into the collection', `${S}/categories/../categories`],
    ['dot segment', `${S}/categories/./${id}`],
    ['dot-dot after the id', `${S}/categories/${id}/..`],
    ['dot-dot out of the stage', `${S}/../${stage}/categories`],
    ['dot-dot above the root', `/../..${S}/categories`],
    ['encoded dot-dot', `${S}/categories/%2e%2e`],
    ['encoded dot-dot slash', `${S}/categories/%2e%2e%2f${id}`],
    ['traversal to /etc/passwd', `${S}/categories/..%2f..%2f..%2fetc%2fpasswd`],
    ['double-encoded traversal', `${S}/categories/%252e%252e%252f${id}`],
    ['dot-dot semicolon', `${S}/categories/..;/${id}`],
    ['backslash traversal', `${S}/categories/..%5c${id}`],
    ['encoded slash after the stage', `${S}%2fcategories`],
    ['encoded slash before the id', `${S}/categories%2f${id}`],
    ['encoded slash after the id', `${S}/categories/${id}%2f`],
    ['encoded slash in the id', `${S}/categories/a%2Fb`],
    ['an encoded slash as the id', `${S}/categories/%2F`],
    ['emoji id', `${S}/categories/%F0%9F%98%80`],
    ['accented route', `${S}/cat%C3%A9gories`],
    ['overlong UTF-8 dots', `${S}/categories/%C0%AE%C0%AE%C0%AF`],
    ['invalid UTF-8', `${S}/categories/%FF%FE`],
    ['right-to-left override', `${S}/categories/%E2%80%AE${id}`],
    [
      'fullwidth route',
      `${S}/%EF%BD%83%EF%BD%81%EF%BD%94%EF%BD%85%EF%BD%87%EF%BD%8F%EF%BD%92%EF%BD%89%EF%BD%85%EF%BD%93`,
    ],
    ['upper-case id', `${S}/categories/${id.toUpperCase()}`],
    ['NUL in the id', `${S}/categories/${id}%00`],
    ['CRLF injection', `${S}/categories/${id}%0d%0aSet-Cookie:%20x=1`],
    ['lone percent', `${S}/categories/%`],
    ['bad percent escape', `${S}/categories/%zz`],
    ['long id (1000)', `${S}/categories/${'a'.repeat(1000)}`],
    ['long id (8000)', `${S}/categories/${'a'.repeat(8000)}`],
    ['long path (20000)', `${S}/categories/${'a'.repeat(20_000)}`],
    ['deep path', `${S}/categories${'/x'.repeat(500)}`],
    ['unknown route', `${S}/admin`],
    ['sub-resource', `${S}/categories/${id}/children`],
    ['capitalised route', `${S}/Categories`],
    ['other stage', '/prod/categories'],
    ['stage prefix', `/${stage}x/categories`],
    ['upper-case stage', `/${stage.toUpperCase()}/categories`],
    ['encoded stage', `/%${stage.charCodeAt(0).toString(16)}${stage.slice(1)}/categories`],
    ['root', '/'],
    ['stage only', S],
    ['stage with a slash', `${S}/`],
    ['trailing slash', `${S}/categories/`],
    ['trailing slash after the id', `${S}/categories/${id}/`],
    ['double slash', `${S}//categories`],
    ['double slash before the id', `${S}/categories//${id}`],
    ['leading double slash', `/${S}/categories`],
    ['matrix parameter', `${S}/categories;jsessionid=1`],
    ['__proto__ route', `${S}/__proto__`],
    ['constructor route', `${S}/categories/constructor`],
    ['hasOwnProperty id', `${S}/categories/hasOwnProperty`],
    ['dotfile', '/.env'],
    ['git config', '/.git/config'],
    ['token endpoint traversal', '/oauth2/token/..'],
    ['JWKS traversal', `/${context.poolId}/.well-known/../.well-known/jwks.json`],
    ['absolute-form target', `http://evil.example${S}/categories`],
    ['asterisk target', '*'],
  ];
  const [label, target] = pick(random, paths);
  const method = pick(random, ['GET', 'GET', 'PUT', 'DELETE', 'POST', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE']);
  const headers: Array<[string, string]> = [['Authorization', bearer(tokens.valid.all)]];
  let body: Buffer | undefined;
  if (method === 'PUT') {
    headers.push(['Content-Type', 'application/json'], ['If-Match', pick(random, UNMATCHABLE_IF_MATCH)]);
    body = Buffer.from(pick(random, VALID_BODIES));
  } else if (method === 'DELETE') {
    headers.push(['If-Match', pick(random, UNMATCHABLE_IF_MATCH)]);
  } else if (method === 'POST' || method === 'PATCH') {
    headers.push(['Content-Type', 'application/json']);
    body = pick(random, invalidBodies(random))[1];
  }
  add({
    family: 'path',
    label: `path: ${label} (${method})`,
    method,
    target,
    headers,
    body,
    mayInvoke: Object.hasOwn(SCOPE_OF_METHOD, method),
  });
}
