/** Header cases: unmatchable If-Match values on writes, and odd, duplicated, huge or many headers on reads. */
import { VALID_BODIES } from '../bodies';
import { UNMATCHABLE_IF_MATCH } from '../if-match';
import { pick } from '../random';
import { bearer, type CaseKit } from './case-kit';

/** Header oddities with a valid token: harmless reads, and writes whose If-Match cannot match. */
export function headerCases(kit: CaseKit): void {
  const { context, random, stagePath: S, add, existing, someId } = kit;
  const { tokens } = context;
  const roll = random();
  const all = bearer(tokens.valid.all);
  if (roll < 0.4) {
    const del = random() < 0.5;
    const values =
      random() < 0.8
        ? [pick(random, UNMATCHABLE_IF_MATCH)]
        : [pick(random, UNMATCHABLE_IF_MATCH), pick(random, UNMATCHABLE_IF_MATCH)];
    add({
      family: 'header',
      label: `header: ${del ? 'DELETE' : 'PUT'} with If-Match ${values.map((v) => (v.length > 24 ? `${v.slice(0, 24)}…` : v)).join(' + ')}`,
      method: del ? 'DELETE' : 'PUT',
      target: `${S}/categories/${someId()}`,
      headers: [
        ['Authorization', random() < 0.5 ? all : bearer(tokens.valid[del ? 'delete' : 'update'])],
        ...(del ? [] : ([['Content-Type', 'application/json']] as Array<[string, string]>)),
        ...values.map((v): [string, string] => ['If-Match', v]),
      ],
      body: del ? undefined : Buffer.from(pick(random, VALID_BODIES)),
      mayInvoke: true,
    });
    return;
  }
  const read = bearer(tokens.valid.read);
  const variants: Array<[string, Array<[string, string]>]> = [
    ['X-HTTP-Method-Override: DELETE', [['X-HTTP-Method-Override', 'DELETE']]],
    ['X-HTTP-Method: PUT', [['X-HTTP-Method', 'PUT']]],
    [
      'X-Original-URL to another route',
      [
        ['X-Original-URL', `${S}/categories/${existing()}`],
        ['X-Rewrite-URL', `${S}/admin`],
      ],
    ],
    ['8 KB header', [['X-Padding', 'p'.repeat(8 * 1024)]]],
    ['20 KB header', [['X-Padding', 'p'.repeat(20 * 1024)]]],
    ['300 headers', Array.from({ length: 300 }, (_, i): [string, string] => [`X-H${i}`, String(i)])],
    ['latin-1 bytes in a header', [['X-Latin', 'caf\u00e9 \u00ff\u00fe']]],
    ['odd Accept', [['Accept', 'application/octet-stream;q=1, */*;q=0']]],
    ['binary Accept', [['Accept', 'image/png']]],
    ['garbage Host', [['Host', 'evil.example:99999']]],
    ['empty Host', [['Host', '']]],
    [
      'X-Forwarded-For spoofing',
      [
        ['X-Forwarded-For', '10.0.0.1, 169.254.169.254'],
        ['X-Forwarded-Proto', 'https'],
      ],
    ],
    ['Content-Length on a GET', [['Content-Type', 'application/json']]],
    ['Expect: 100-continue', [['Expect', '100-continue']]],
    ['Range header', [['Range', 'bytes=0-10']]],
    ['header named __proto__', [['__proto__', '{"admin":true}']]],
    [
      'headers named constructor and hasOwnProperty',
      [
        ['constructor', 'x'],
        ['hasOwnProperty', 'y'],
        ['toString', 'z'],
      ],
    ],
    [
      'If-None-Match and If-Modified-Since',
      [
        ['If-None-Match', '"1"'],
        ['If-Modified-Since', 'Thu, 01 Jan 1970 00:00:00 GMT'],
      ],
    ],
    ['Bearer with two spaces', []],
    ['Bearer with trailing spaces', []],
    ['lower-case header name', []],
  ];
  const [label, extra] = pick(random, variants);
  let authorization: Array<[string, string]> = [['Authorization', read]];
  if (label === 'Bearer with two spaces') authorization = [['Authorization', `Bearer  ${tokens.valid.read}`]];
  if (label === 'Bearer with trailing spaces') authorization = [['Authorization', `Bearer ${tokens.valid.read}   `]];
  if (label === 'lower-case header name') authorization = [['authorization', read]];
  add({
    family: 'header',
    label: `header: ${label}`,
    method: 'GET',
    target: random() < 0.5 ? `${S}/categories` : `${S}/categories/${existing()}`,
    headers: [...authorization, ...extra],
    body: label === 'Content-Length on a GET' ? Buffer.from(pick(random, VALID_BODIES)) : undefined,
    mayInvoke: true,
  });
}
