/** Cursor cases: garbage and tampered nextToken values. */
import { b64url } from '../encoding';
import { pick } from '../random';
import { bearer, type CaseKit } from './case-kit';

/** Cursors (nextToken): garbage and tampered values. */
export function cursorCases(kit: CaseKit): void {
  const { context, random, stagePath: S, add, existing, missing } = kit;
  const { tokens } = context;
  const id = existing();
  const cursor = (value: unknown): string => b64url(JSON.stringify(value));
  const tokensList: Array<[string, string]> = [
    ['garbage', 'garbage'],
    ['empty', ''],
    ['not base64url', '!!!$$$'],
    ['standard base64 alphabet', Buffer.from(JSON.stringify({ id })).toString('base64')],
    ['valid base64 of garbage', b64url('\u0000\u0001binary')],
    ['id not a UUID', cursor({ id: 'not-a-uuid' })],
    ['id a number', cursor({ id: 5 })],
    ['DynamoDB attribute shape', cursor({ id: { S: id } })],
    ['extra key', cursor({ id, admin: true })],
    ['another key name', cursor({ pk: id })],
    ['an array', cursor([id])],
    ['null', cursor(null)],
    ['__proto__', b64url(`{"id":"${id}","__proto__":{"x":1}}`)],
    ['too long', b64url(JSON.stringify({ id: id.repeat(20) }))],
    ['tampered: one character changed', `${cursor({ id }).slice(0, -2)}A${cursor({ id }).slice(-1)}`],
    ['tampered: truncated', cursor({ id }).slice(0, -5)],
    ['upper-case UUID', cursor({ id: id.toUpperCase() })],
    ['a cursor of an unknown id', cursor({ id: missing() })],
    ['a cursor of an existing id', cursor({ id })],
  ];
  const [label, value] = pick(random, tokensList);
  add({
    family: 'cursor',
    label: `cursor: ${label}`,
    method: 'GET',
    target: `${S}/categories?nextToken=${encodeURIComponent(value)}${random() < 0.5 ? `&limit=${1 + Math.floor(random() * 100)}` : ''}`,
    headers: [['Authorization', bearer(tokens.valid.read)]],
    mayInvoke: true,
  });
}
