import { ValidationError } from './errors';

/** DynamoDB's `IN` takes at most 100 operands; no sane client sends more tags than that. */
export const MAX_IF_MATCH_TAGS = 100;

/** A strong entity tag for a version number: `"3"`. */
export function formatETag(version: number): string {
  return `"${version}"`;
}

/** What an `If-Match` header asks for: any current representation (`*`), or one of the listed versions. */
export type IfMatch = { readonly kind: 'any' } | { readonly kind: 'versions'; readonly versions: readonly number[] };

const VERSION = /^[1-9][0-9]{0,15}$/;

function parseVersion(tag: string): number | undefined {
  let value = tag.trim();
  if (value.startsWith('W/')) value = value.slice(2);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  if (!VERSION.test(value)) return undefined;
  const version = Number(value);
  return Number.isSafeInteger(version) ? version : undefined;
}

/**
 * Parses `If-Match`. Accepts strong (`"3"`), weak (`W/"3"`, as proxies that compress may rewrite ours) and unquoted
 * (`3`) tags, comma-separated lists, and `*`. Returns `undefined` when the header is absent.
 *
 * Tags that are not one of our versions can never match, so they are dropped: a header with no usable tag (empty,
 * garbage, `"abc"`) yields an empty list, which fails the precondition (412) rather than being ignored.
 * More than {@link MAX_IF_MATCH_TAGS} distinct versions is a {@link ValidationError}.
 */
export function parseIfMatch(headerValue: string | undefined): IfMatch | undefined {
  if (headerValue === undefined) return undefined;
  if (headerValue.trim() === '*') return { kind: 'any' };
  const versions = new Set<number>();
  for (const tag of headerValue.split(',')) {
    const version = parseVersion(tag);
    if (version !== undefined) versions.add(version);
  }
  if (versions.size > MAX_IF_MATCH_TAGS) {
    throw new ValidationError(
      `If-Match must not list more than ${MAX_IF_MATCH_TAGS} entity tags.`,
      [{ field: 'If-Match', message: `lists more than ${MAX_IF_MATCH_TAGS} entity tags` }],
      'InvalidIfMatch',
    );
  }
  return { kind: 'versions', versions: [...versions] };
}
