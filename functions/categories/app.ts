import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { HttpError, InternalError, NotFoundError, ServiceUnavailableError } from '../shared/errors';
import { formatETag, parseIfMatch } from '../shared/etag';
import { errorResponse, header, json, noContent } from '../shared/http';
import { readJsonBody } from '../shared/request';
import type { CategoriesRoute, SuccessBody, SuccessHeaders, SuccessStatus } from './contract';
import type { Actor } from './model';
import { encodeCursor, parseCategoryInput, parseListQuery } from './schema';
import {
  assertCategoryId,
  createCategory,
  deleteCategory,
  getCategory,
  listCategories,
  replaceCategory,
} from './service';
import type { CategoryStore } from './store';

export interface CategoriesHandlerDependencies {
  readonly store: CategoryStore;
  readonly logger: Logger;
  /**
   * The origin browsers may call the API from, echoed in `Access-Control-Allow-Origin` on every response
   * (the API's OPTIONS preflights and gateway responses carry the same). @default no CORS headers
   */
  readonly corsAllowOrigin?: string;
}

/** Response headers a browser needs to read the API's responses from another origin. */
function corsHeaders(allowOrigin: string): Record<string, string> {
  return { 'Access-Control-Allow-Origin': allowOrigin, 'Access-Control-Expose-Headers': 'ETag, Location' };
}

/** The Lambda entry point's shape; assignable to `APIGatewayProxyHandler`. */
export type CategoriesHandler = (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;

interface Request {
  readonly event: APIGatewayProxyEvent;
  readonly store: CategoryStore;
  readonly actor: Actor;
}

type Route = (request: Request) => Promise<APIGatewayProxyResult>;

const COLLECTION = '/categories';

/**
 * A route's success: the status, body and headers its contract promises, the types refusing any other (the contract
 * is imported for its types only, so its schemas stay out of the bundle).
 */
function success<R extends CategoriesRoute>(
  _route: R,
  status: SuccessStatus<R>,
  body: SuccessBody<R>,
  headers: SuccessHeaders<R>,
): APIGatewayProxyResult {
  return body === undefined ? noContent(headers) : json(status, body, headers);
}

/**
 * `Location` of a new category, as a path-absolute reference built from the path the client called
 * (`requestContext.path`, which includes the stage or a custom domain's base path, e.g. `/dev/categories`), so it
 * resolves correctly however the API is reached. Without it (not behind API Gateway), `/categories/<id>`.
 */
function locationOf(event: APIGatewayProxyEvent, id: string): string {
  const called = (event.requestContext?.path ?? '').replace(/\/+$/, '');
  const base = called.endsWith(COLLECTION) ? called : COLLECTION;
  return `${base}/${id}`;
}

function idOf(event: APIGatewayProxyEvent): string {
  return event.pathParameters?.id ?? '';
}

const ROUTES: { readonly [R in CategoriesRoute]: Route } = {
  'GET /categories': async ({ event, store }) => {
    const query = parseListQuery(event.queryStringParameters, event.multiValueQueryStringParameters);
    const page = await listCategories(store, query);
    const items = [...page.items];
    return success(
      'GET /categories',
      200,
      page.next === undefined ? { items } : { items, nextToken: encodeCursor(page.next) },
      {},
    );
  },
  'POST /categories': async ({ event, store, actor }) => {
    const input = parseCategoryInput(readJsonBody(event));
    const category = await createCategory(store, input, actor);
    return success('POST /categories', 201, category, {
      Location: locationOf(event, category.id),
      ETag: formatETag(category.version),
    });
  },
  'GET /categories/{id}': async ({ event, store }) => {
    const category = await getCategory(store, idOf(event));
    return success('GET /categories/{id}', 200, category, { ETag: formatETag(category.version) });
  },
  'PUT /categories/{id}': async ({ event, store, actor }) => {
    assertCategoryId(idOf(event)); // a malformed id is a 404 whatever the body
    const ifMatch = parseIfMatch(header(event, 'if-match'));
    const input = parseCategoryInput(readJsonBody(event));
    const category = await replaceCategory(store, idOf(event), input, ifMatch, actor);
    return success('PUT /categories/{id}', 200, category, { ETag: formatETag(category.version) });
  },
  'DELETE /categories/{id}': async ({ event, store }) => {
    await deleteCategory(store, idOf(event), parseIfMatch(header(event, 'if-match')));
    return success('DELETE /categories/{id}', 204, undefined, {});
  },
};

/** The OAuth2 client behind the access token (`client_id`, else `sub`), as the Cognito authorizer passes it. */
export function clientIdOf(event: APIGatewayProxyEvent): string {
  const claims: unknown = event.requestContext?.authorizer?.claims;
  if (typeof claims === 'object' && claims !== null) {
    const { client_id: clientId, sub } = claims as Record<string, unknown>;
    if (typeof clientId === 'string' && clientId !== '') return clientId;
    if (typeof sub === 'string' && sub !== '') return sub;
  }
  return 'unknown';
}

/**
 * Builds the categories Lambda handler: one function for the five routes, dispatched on
 * `httpMethod` + `resource`. Typed errors become their status; anything else is logged and becomes a bare 500.
 */
export function createHandler({ store, logger, corsAllowOrigin }: CategoriesHandlerDependencies): CategoriesHandler {
  const cors = corsAllowOrigin === undefined ? undefined : corsHeaders(corsAllowOrigin);
  return async (event, context) => {
    const started = Date.now();
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
    const actor: Actor = { clientId: clientIdOf(event) };
    const routeKey = `${event.httpMethod} ${event.resource}`;
    if (context !== undefined) logger.addContext(context);
    logger.appendKeys({ request_id: requestId, client_id: actor.clientId });
    let response: APIGatewayProxyResult;
    try {
      try {
        const route = Object.hasOwn(ROUTES, routeKey) ? ROUTES[routeKey as CategoriesRoute] : undefined;
        if (route === undefined) throw new NotFoundError(`No route for ${routeKey}.`, 'RouteNotFound');
        response = await route({ event, store, actor });
      } catch (error) {
        response = errorResponse(toHttpError(error, logger), requestId);
      }
      logger.info('Request handled', {
        route: routeKey,
        status: response.statusCode,
        duration_ms: Date.now() - started,
      });
    } finally {
      logger.resetKeys(); // keys of this invocation must not leak into the next one
    }
    return cors === undefined ? response : { ...response, headers: { ...response.headers, ...cors } };
  };
}

function toHttpError(error: unknown, logger: Logger): HttpError {
  if (error instanceof ServiceUnavailableError) {
    if (error.cause instanceof Error) logger.warn('Dependency unavailable', error.cause);
    else logger.warn('Dependency unavailable');
    return error;
  }
  if (error instanceof HttpError) {
    if (error.statusCode >= 500) logger.error('Request failed', error);
    return error;
  }
  if (error instanceof Error) logger.error('Unexpected error', error);
  else logger.error('Unexpected error', { error: String(error) });
  return new InternalError({ cause: error });
}
