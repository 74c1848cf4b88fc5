import * as z from 'zod/mini';
import { ValidationError, type ErrorDetail } from '../shared/errors';
import type { CategoryInput, CategoryKey, CategoryRecord } from './model';

export const NAME_MAX_LENGTH = 100;
export const DESCRIPTION_MAX_LENGTH = 1000;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Fields the server owns: sending them is a 400 rather than being silently ignored. */
export const READ_ONLY_FIELDS: readonly string[] = ['id', 'version', 'createdAt', 'updatedAt'];
const WRITABLE_FIELDS: readonly string[] = ['name', 'description'];

/** Ids are server-generated v4 UUIDs, lower case (`crypto.randomUUID()`). */
export const CATEGORY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isCategoryId(value: unknown): value is string {
  return typeof value === 'string' && CATEGORY_ID.test(value);
}

// Unpaired UTF-16 surrogates cannot be stored as UTF-8; control characters have no place in a name.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Unicode's control characters (general category Cc) are exactly U+0000–U+001F and U+007F–U+009F.
const CONTROL = /\p{Cc}/u;
const CONTROL_EXCEPT_WHITESPACE = /(?![\t\n\r])\p{Cc}/u;

/** Lengths count Unicode code points, so an emoji is one character, as a person would count it. */
function codePoints(value: string): number {
  return [...value].length;
}

const text = (what: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be a string (${what})`) });

const nameSchema = text('1 to 100 characters').check(
  z.trim(),
  z.refine((value: string) => value.length > 0, 'must not be empty or blank'),
  z.refine((value: string) => codePoints(value) <= NAME_MAX_LENGTH, `must be at most ${NAME_MAX_LENGTH} characters`),
  z.refine((value: string) => !LONE_SURROGATE.test(value), 'must be valid Unicode text'),
  z.refine((value: string) => !CONTROL.test(value), 'must not contain control characters'),
);

const descriptionSchema = text(`at most ${DESCRIPTION_MAX_LENGTH} characters`).check(
  z.refine(
    (value: string) => codePoints(value) <= DESCRIPTION_MAX_LENGTH,
    `must be at most ${DESCRIPTION_MAX_LENGTH} characters`,
  ),
  z.refine((value: string) => !LONE_SURROGATE.test(value), 'must be valid Unicode text'),
  z.refine(
    (value: string) => !CONTROL_EXCEPT_WHITESPACE.test(value),
    'must not contain control characters other than tab and line breaks',
  ),
);

/** The body of POST /categories and PUT /categories/{id}. `name` is trimmed. */
export const categoryInputSchema = z.object({
  name: nameSchema,
  description: z.optional(descriptionSchema),
});

function byField(a: ErrorDetail, b: ErrorDetail): number {
  return a.field < b.field ? -1 : a.field > b.field ? 1 : 0;
}

/**
 * Validates a parsed JSON body. Every problem is reported at once, one detail per field: missing or mistyped
 * fields, values out of range, read-only fields and unknown fields.
 */
export function parseCategoryInput(body: unknown): CategoryInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('The request body must be a JSON object.', undefined, 'InvalidBody');
  }
  const details: ErrorDetail[] = [];
  for (const field of Object.keys(body)) {
    if (READ_ONLY_FIELDS.includes(field)) details.push({ field, message: 'is read-only' });
    else if (!WRITABLE_FIELDS.includes(field)) details.push({ field, message: 'is not a recognised field' });
  }
  const result = categoryInputSchema.safeParse(body);
  if (!result.success) {
    const seen = new Set<string>();
    for (const issue of result.error.issues) {
      const field = issue.path.map(String).join('.');
      if (seen.has(field)) continue; // the first problem per field is enough
      seen.add(field);
      details.push({ field, message: issue.message });
    }
  }
  if (details.length > 0 || !result.success) {
    throw new ValidationError('The request body is invalid.', details.sort(byField));
  }
  const { name, description } = result.data;
  return description === undefined ? { name } : { name, description };
}

const cursorSchema = z.strictObject({ id: z.string().check(z.regex(CATEGORY_ID)) });
export const BASE64URL = /^[A-Za-z0-9_-]+$/;
export const MAX_CURSOR_LENGTH = 200;

/** The opaque `nextToken`: base64url (no padding) of the JSON key. */
export function encodeCursor(key: CategoryKey): string {
  return Buffer.from(JSON.stringify({ id: key.id }), 'utf8').toString('base64url');
}

/** The key in a `nextToken`, or `undefined` if the token is not exactly one this API issued (strict). */
export function decodeCursor(token: string): CategoryKey | undefined {
  if (token.length === 0 || token.length > MAX_CURSOR_LENGTH || !BASE64URL.test(token)) return undefined;
  const json = Buffer.from(token, 'base64url').toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const result = cursorSchema.safeParse(value);
  if (!result.success) return undefined;
  const key = { id: result.data.id };
  // Only the canonical encoding is accepted (no padding, no alternative spellings of the same key).
  return encodeCursor(key) === token ? key : undefined;
}

export interface ListQuery {
  readonly limit: number;
  readonly cursor?: CategoryKey;
}

const LIST_PARAMETERS: readonly string[] = ['limit', 'nextToken'];
const LIMIT = /^[1-9][0-9]{0,2}$/;

/**
 * Validates `GET /categories` query parameters: `limit` (1–100, default 20) and `nextToken`. Unknown and repeated
 * parameters are a 400 (`ValidationFailed`, naming them); a malformed token is a 400 `InvalidNextToken`.
 */
export function parseListQuery(
  single: Readonly<Record<string, string | undefined>> | null | undefined,
  multi: Readonly<Record<string, readonly string[] | undefined>> | null | undefined,
): ListQuery {
  const details: ErrorDetail[] = [];
  const names = new Set([...Object.keys(single ?? {}), ...Object.keys(multi ?? {})]);
  for (const name of names) {
    if (!LIST_PARAMETERS.includes(name)) details.push({ field: name, message: 'is not a recognised query parameter' });
    else if ((multi?.[name]?.length ?? 0) > 1) details.push({ field: name, message: 'must be given at most once' });
  }
  const rawLimit = single?.limit ?? multi?.limit?.[0];
  let limit = DEFAULT_PAGE_SIZE;
  if (rawLimit !== undefined) {
    limit = LIMIT.test(rawLimit) ? Number(rawLimit) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_PAGE_SIZE)) {
      details.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` });
    }
  }
  if (details.length > 0) {
    const unique = details.filter((d, i) => details.findIndex((o) => o.field === d.field) === i);
    throw new ValidationError('The query string is invalid.', unique.sort(byField));
  }
  const token = single?.nextToken ?? multi?.nextToken?.[0];
  if (token === undefined) return { limit };
  const cursor = decodeCursor(token);
  if (cursor === undefined) {
    throw new ValidationError(
      'nextToken is not a token returned by this API.',
      [{ field: 'nextToken', message: 'is malformed' }],
      'InvalidNextToken',
    );
  }
  return { limit, cursor };
}

const storedCategorySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.int().check(z.minimum(1)),
  createdBy: z.optional(z.string()),
  updatedBy: z.optional(z.string()),
  writeId: z.optional(z.string()),
});

/** Checks an item read from the table; a malformed item is a bug or a corruption, never a client error. */
export function parseStoredCategory(item: unknown): CategoryRecord {
  const result = storedCategorySchema.safeParse(item);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => issue.path.map(String).join('.')).join(', ');
    throw new Error(`Malformed category item in the table (fields: ${fields})`);
  }
  const { description, createdBy, updatedBy, writeId, ...rest } = result.data;
  return {
    ...rest,
    ...(description === undefined ? {} : { description }),
    createdBy: createdBy ?? '',
    updatedBy: updatedBy ?? '',
    writeId: writeId ?? '',
  };
}
