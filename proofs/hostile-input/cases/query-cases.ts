/** Query cases: repeated, odd and oversize parameters of the listing. */
import { pick } from '../random';
import { bearer, type CaseKit } from './case-kit';

/** Query strings of the listing, with a read token. */
export function queryCases(kit: CaseKit): void {
  const { context, random, stagePath: S, add } = kit;
  const { tokens } = context;
  const queries: Array<[string, string]> = [
    ['repeated limit', 'limit=1&limit=2'],
    ['limit 0', 'limit=0'],
    ['negative limit', 'limit=-1'],
    ['limit 101', 'limit=101'],
    ['limit in exponent form', 'limit=1e1'],
    ['limit in hex', 'limit=0x10'],
    ['limit with a space', 'limit=%205'],
    ['fullwidth limit', 'limit=%EF%BC%91%EF%BC%90'],
    ['empty limit', 'limit='],
    ['limit without a value', 'limit'],
    ['huge limit', `limit=${'9'.repeat(400)}`],
    ['NUL limit', 'limit=%00'],
    ['empty name', '=1'],
    ['ampersands only', '&&&'],
    ['array syntax', 'limit[]=1&limit[]=2'],
    ['__proto__ parameter', '__proto__=1&limit=5'],
    ['constructor parameter', 'constructor=x'],
    ['hasOwnProperty parameter', 'hasOwnProperty=1'],
    ['toString and valueOf parameters', 'toString=1&valueOf=2&limit=3'],
    ['unknown parameter', 'admin=true'],
    ['bad percent escape', '%zz=1'],
    ['semicolon separator', 'limit=5;limit=6'],
    ['10 KB parameter', `q=${'x'.repeat(10_000)}`],
    ['200 parameters', Array.from({ length: 200 }, (_, i) => `p${i}=${i}`).join('&')],
    ['repeated nextToken', 'nextToken=a&nextToken=b'],
    ['question marks', '??limit=5?'],
    ['fragment', 'limit=5#frag'],
  ];
  const [label, query] = pick(random, queries);
  add({
    family: 'query',
    label: `query: ${label}`,
    method: 'GET',
    target: `${S}/categories?${query}`,
    headers: [['Authorization', bearer(random() < 0.5 ? tokens.valid.read : tokens.valid.all)]],
    mayInvoke: true,
  });
}
