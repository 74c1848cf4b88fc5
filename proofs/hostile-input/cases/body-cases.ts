/** Body cases: malformed, oversize or oddly encoded bodies, and valid JSON under refused content types, all with a valid token. */
import { ANY_CONTENT_TYPES, invalidBodies, REFUSED_CONTENT_TYPES, VALID_BODIES } from '../bodies';
import { UNMATCHABLE_IF_MATCH } from '../if-match';
import { pick } from '../random';
import { bearer, contentTypeHeader, type CaseKit } from './case-kit';

/** Malformed bodies with a valid token of the right scope. */
export function bodyCases(kit: CaseKit): void {
  const { context, random, stagePath: S, add, someId } = kit;
  const { tokens } = context;
  const put = random() < 0.4;
  const method = put ? 'PUT' : 'POST';
  const target = put ? `${S}/categories/${someId()}` : `${S}/categories`;
  const token = random() < 0.5 ? tokens.valid.all : tokens.valid[put ? 'update' : 'write'];
  const ifMatch: Array<[string, string]> = put
    ? pick<Array<[string, string]>>(random, [
        [],
        [['If-Match', '"1"']],
        [['If-Match', '*']],
        [['If-Match', pick(random, UNMATCHABLE_IF_MATCH)]],
      ])
    : [];
  let label: string;
  let body: Buffer;
  let contentType: Array<[string, string]>;
  const roll = random();
  if (roll < 0.65) {
    const [bodyLabel, bytes] = pick(random, invalidBodies(random));
    const type = pick(random, ANY_CONTENT_TYPES);
    label = `${bodyLabel} as ${type ?? 'no content type'}`;
    body = bytes;
    contentType = contentTypeHeader(type);
  } else if (roll < 0.9) {
    const type = pick(random, REFUSED_CONTENT_TYPES);
    label = `valid JSON as ${type === undefined ? 'no content type' : JSON.stringify(type)}`;
    body = Buffer.from(pick(random, VALID_BODIES));
    contentType = contentTypeHeader(type);
  } else if (roll < 0.95) {
    const order = random() < 0.5 ? ['text/plain', 'application/json'] : ['application/json', 'text/plain'];
    label = `valid JSON with two Content-Type headers (${order.join(', ')})`;
    body = Buffer.from(pick(random, VALID_BODIES));
    contentType = order.map((type): [string, string] => ['Content-Type', type]);
  } else if (roll < 0.985) {
    label = '1 MB of garbage';
    body = Buffer.alloc(1024 * 1024, 0x7b);
    contentType = [['Content-Type', 'application/json']];
  } else {
    label = '10 MB + 1 byte';
    body = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
    contentType = [['Content-Type', 'application/json']];
  }
  add({
    family: 'body',
    label: `body: ${label}`,
    method,
    target,
    headers: [['Authorization', bearer(token)], ...contentType, ...ifMatch],
    body,
    mayInvoke: true,
  });
}
