/**
 * The categories function's HTTP contract (see `../shared/http-contract.ts`): the wire shapes of a category and a
 * page, and per route what the function reads and answers. The handler (`app.ts`) builds every success to its types,
 * the function tests hold every response to it, the OpenAPI document describes the function with it, and the typed
 * client is checked against that document.
 */
import * as z from 'zod/mini';
import { ERROR_BODY, type FunctionContract, type NamedSchema } from '../shared/http-contract';
import { MAX_IF_MATCH_TAGS } from '../shared/etag';
import { MAX_BODY_BYTES } from '../shared/request';
import {
  BASE64URL,
  CATEGORY_ID,
  DEFAULT_PAGE_SIZE,
  DESCRIPTION_MAX_LENGTH,
  MAX_CURSOR_LENGTH,
  MAX_PAGE_SIZE,
  NAME_MAX_LENGTH,
} from './schema';

const timestamp = (what: string) => z.iso.datetime().check(z.describe(`${what} (ISO 8601, UTC)`));

/** A category as the API returns it. */
export const categorySchema = z.object({
  id: z.string().check(z.regex(CATEGORY_ID), z.describe('Server-generated id (a lower-case UUID)')),
  name: z.string().check(z.minLength(1), z.maxLength(NAME_MAX_LENGTH)),
  description: z.optional(z.string().check(z.maxLength(DESCRIPTION_MAX_LENGTH))),
  createdAt: timestamp('When the category was created'),
  updatedAt: timestamp('When the category was last written'),
  version: z.int().check(z.minimum(1), z.describe('Starts at 1, grows by one with each write; the ETag')),
});

/** One page of `GET /categories`. */
export const categoryPageSchema = z.object({
  items: z.array(categorySchema),
  nextToken: z.optional(
    z.string().check(z.describe('Where the next page starts: pass it back as `nextToken`; absent on the last page')),
  ),
});

const CATEGORY = { name: 'Category', schema: categorySchema } satisfies NamedSchema;
const CATEGORY_PAGE = { name: 'CategoryPage', schema: categoryPageSchema } satisfies NamedSchema;

const idParameter = {
  name: 'id',
  in: 'path',
  description: 'The id of the category. One that is not a category id is a 404.',
  schema: z.string(),
  required: true,
} as const;

const ifMatchParameter = {
  name: 'If-Match',
  in: 'header',
  description:
    'Write only if the category is still at one of these versions: an ETag as received (`"3"`), a comma-separated ' +
    `list of at most ${MAX_IF_MATCH_TAGS}, or \`*\` (any). Without it the write applies to the current version.`,
  schema: z.string(),
} as const;

const invalidRequest = (what: string) => ({
  description: `Invalid ${what}: \`error.details\` names each problem`,
  body: ERROR_BODY,
});
const notFound = { description: 'No such category', body: ERROR_BODY };
const preconditionFailed = { description: 'If-Match does not match the current version', body: ERROR_BODY };
const tooLarge = { description: `The body is larger than ${MAX_BODY_BYTES / 1024} KB`, body: ERROR_BODY };
const unsupportedMediaType = { description: 'The body is not `application/json` (UTF-8)', body: ERROR_BODY };

export const CATEGORIES_CONTRACT = {
  operations: {
    'GET /categories': {
      operationId: 'listCategories',
      summary: 'List categories, one page at a time',
      parameters: [
        {
          name: 'limit',
          in: 'query',
          description: `Categories per page (default ${DEFAULT_PAGE_SIZE})`,
          schema: z.int().check(z.minimum(1), z.maximum(MAX_PAGE_SIZE)),
        },
        {
          name: 'nextToken',
          in: 'query',
          description: 'The `nextToken` of the previous page',
          schema: z.string().check(z.maxLength(MAX_CURSOR_LENGTH), z.regex(BASE64URL)),
        },
      ],
      success: { status: 200, description: 'One page of categories', body: CATEGORY_PAGE },
      errors: { 400: invalidRequest('query string (unknown or repeated parameter, bad limit or nextToken)') },
    },
    'POST /categories': {
      operationId: 'createCategory',
      summary: 'Create a category',
      success: { status: 201, description: 'Created', body: CATEGORY, headers: ['Location', 'ETag'] },
      errors: { 400: invalidRequest('body'), 413: tooLarge, 415: unsupportedMediaType },
    },
    'GET /categories/{id}': {
      operationId: 'getCategory',
      summary: 'Read a category',
      parameters: [idParameter],
      success: { status: 200, description: 'The category', body: CATEGORY, headers: ['ETag'] },
      errors: { 404: notFound },
    },
    'PUT /categories/{id}': {
      operationId: 'replaceCategory',
      summary: 'Replace a category (full replacement of name and description)',
      parameters: [idParameter, ifMatchParameter],
      success: { status: 200, description: 'Replaced', body: CATEGORY, headers: ['ETag'] },
      errors: {
        400: invalidRequest('body or If-Match'),
        404: notFound,
        412: preconditionFailed,
        413: tooLarge,
        415: unsupportedMediaType,
      },
    },
    'DELETE /categories/{id}': {
      operationId: 'deleteCategory',
      summary: 'Delete a category',
      parameters: [idParameter, ifMatchParameter],
      success: { status: 204, description: 'Deleted' },
      errors: { 400: invalidRequest('If-Match'), 404: notFound, 412: preconditionFailed },
    },
  },
  common: {
    500: { description: 'The function failed; quote `error.requestId` when reporting it', body: ERROR_BODY },
    503: {
      description: 'DynamoDB is throttling or unavailable: retry after `Retry-After` seconds',
      body: ERROR_BODY,
      headers: ['Retry-After'],
    },
  },
  unknownRoute: { 404: { description: 'The function serves no such route', body: ERROR_BODY } },
} as const satisfies FunctionContract;

type Operations = (typeof CATEGORIES_CONTRACT)['operations'];
/** A route the categories function serves: `METHOD /resource/{path}`. */
export type CategoriesRoute = keyof Operations;
type Success<R extends CategoriesRoute> = Operations[R]['success'];
/** The status a route answers on success. */
export type SuccessStatus<R extends CategoriesRoute> = Success<R>['status'];
/** The body a route answers on success (`undefined` for none). */
export type SuccessBody<R extends CategoriesRoute> =
  Success<R> extends { readonly body: NamedSchema<infer S> } ? z.infer<S> : undefined;
/** The headers a route's success always carries, by name. */
export type SuccessHeaders<R extends CategoriesRoute> =
  Success<R> extends { readonly headers: readonly (infer H extends string)[] }
    ? Record<H, string>
    : Record<never, string>;
