import type { CategoriesRoute } from '../functions/categories/contract';
import type { Category, CategoryInput } from '../functions/categories/model';
import { ApiError, ApiUnreachableError, type ApiErrorDetail } from './errors';
import type { Fetch, TokenSource } from './token-provider';

/**
 * A category as the API returns it, and what a client sends to create or (fully) replace one: the service's own
 * types, so client and service cannot drift apart.
 */
export type { Category, CategoryInput };

export interface CategoryPage {
  readonly items: readonly Category[];
  /** Pass to the next `list` call; absent on the last page. */
  readonly nextToken?: string;
}

/** A category with its entity tag (for `ifMatch`). */
export interface VersionedCategory {
  readonly category: Category;
  /** The `ETag` header, e.g. `"3"`. */
  readonly etag: string;
}

export interface CreatedCategory extends VersionedCategory {
  /** The `Location` header: the path of the new category. */
  readonly location: string;
}

/**
 * A precondition for PUT and DELETE: an entity tag as received (`"3"`), a version number (3), or `*` (any
 * current version).
 */
export type IfMatch = string | number;

/**
 * The route of the categories API each method calls, as the function's contract names it (`METHOD /resource`): the
 * document generated from the stack has an operation for each, which a test holds the client to.
 */
export const CLIENT_ROUTES = {
  list: 'GET /categories',
  create: 'POST /categories',
  get: 'GET /categories/{id}',
  replace: 'PUT /categories/{id}',
  remove: 'DELETE /categories/{id}',
} as const satisfies Record<string, CategoriesRoute>;

/** The request path of a route: its `{id}` filled in, and the query string. */
function pathOf(route: CategoriesRoute, id?: string, query?: URLSearchParams): string {
  const template = route.slice(route.indexOf(' ') + 1);
  const path = template.replace('{id}', encodeURIComponent(id ?? ''));
  return query !== undefined && query.size > 0 ? `${path}?${query.toString()}` : path;
}

export interface CategoriesClientOptions {
  /** Base URL of the API stage, e.g. `https://abc.execute-api.us-east-1.amazonaws.com/dev`. */
  readonly apiUrl: string;
  readonly tokens: TokenSource;
  /** The API key to send as `x-api-key`, for a stage with usage plans. @default none */
  readonly apiKey?: string;
  readonly fetch?: Fetch;
  /** How long one request may take, in milliseconds. @default 30000 */
  readonly timeoutMs?: number;
}

interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

function formatIfMatch(ifMatch: IfMatch): string {
  return typeof ifMatch === 'number' ? `"${ifMatch}"` : ifMatch;
}

/**
 * Turns an error answer into an {@link ApiError}: the `{error:{...}}` shape (the service's, which the stack's
 * gateway response for a refused request body shares) or API Gateway's `{message}`. The source is `gateway` when
 * the answer carries `x-amzn-ErrorType`, else the shape decides (see {@link ApiErrorSource}).
 */
export function toApiError(status: number, headers: Headers, text: string): ApiError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const headerRequestId = headers.get('x-amzn-requestid') ?? undefined;
  const markedByGateway = headers.get('x-amzn-errortype') !== null;
  if (typeof body === 'object' && body !== null) {
    const error = (body as { error?: unknown }).error;
    if (typeof error === 'object' && error !== null) {
      const { code, message, details, requestId } = error as Record<string, unknown>;
      return new ApiError(
        status,
        typeof code === 'string' ? code : 'Error',
        typeof message === 'string' ? message : `HTTP ${status}`,
        typeof requestId === 'string' ? requestId : headerRequestId,
        Array.isArray(details)
          ? (details.filter((d) => typeof d === 'object' && d !== null) as ApiErrorDetail[])
          : undefined,
        markedByGateway ? 'gateway' : 'service',
      );
    }
    const { message, requestId } = body as Record<string, unknown>;
    if (typeof message === 'string') {
      return new ApiError(
        status,
        gatewayCode(status, headers.get('x-amzn-errortype')),
        message,
        typeof requestId === 'string' ? requestId : headerRequestId,
        undefined,
        'gateway',
      );
    }
  }
  return new ApiError(
    status,
    gatewayCode(status, headers.get('x-amzn-errortype')),
    text.slice(0, 200) || `HTTP ${status}`,
    headerRequestId,
    undefined,
    'gateway',
  );
}

/** `UnauthorizedException:...` → `Unauthorized`; without the header, a name for the status. */
function gatewayCode(status: number, errorType: string | null): string {
  const type = errorType?.split(':', 1)[0]?.replace(/Exception$/, '');
  if (type) return type;
  const byStatus: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    413: 'RequestTooLarge',
    429: 'TooManyRequests',
    500: 'InternalServerError',
    502: 'BadGateway',
    503: 'ServiceUnavailable',
    504: 'GatewayTimeout',
  };
  return byStatus[status] ?? `Http${status}`;
}

/**
 * API Gateway's 401 for an expired token (Cognito authorizer): the only 401 a new token can cure. A missing or
 * invalid token, or one without the method's scope, is answered `Unauthorized`; a new token would be refused the
 * same way (and Cognito bills every token request), so those are reported, not retried.
 */
export const EXPIRED_TOKEN_MESSAGE = 'The incoming token has expired';

/**
 * Typed client of the categories API. Every call carries a bearer token from `tokens` (and `apiKey`, where given, as
 * `x-api-key`). A 401 saying the token
 * expired (sent by the gateway, which never reached the service, so any request is safe to repeat) drops that
 * token and retries once with a fresh one; callers refused with the same token share one new token. Any other
 * 401 is reported as it is. Error answers become {@link ApiError}s, network failures {@link ApiUnreachableError}s.
 */
export class CategoriesClient {
  private readonly apiUrl: string;
  private readonly fetchFn: Fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: CategoriesClientOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** One page of categories. */
  async list(options: { limit?: number; nextToken?: string } = {}): Promise<CategoryPage> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.nextToken !== undefined) query.set('nextToken', options.nextToken);
    const response = await this.request(CLIENT_ROUTES.list, { query });
    const page = this.json<{ items: Category[]; nextToken?: string }>(response);
    return page.nextToken === undefined ? { items: page.items } : { items: page.items, nextToken: page.nextToken };
  }

  /** Every category, page after page. */
  async *listAll(pageSize?: number): AsyncGenerator<Category> {
    let nextToken: string | undefined;
    do {
      const page = await this.list({ limit: pageSize, nextToken });
      yield* page.items;
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  }

  async create(input: CategoryInput): Promise<CreatedCategory> {
    const response = await this.request(CLIENT_ROUTES.create, { body: input });
    return {
      category: this.json<Category>(response),
      etag: response.headers.get('etag') ?? '',
      location: response.headers.get('location') ?? '',
    };
  }

  async get(id: string): Promise<VersionedCategory> {
    const response = await this.request(CLIENT_ROUTES.get, { id });
    return { category: this.json<Category>(response), etag: response.headers.get('etag') ?? '' };
  }

  /** Replaces a category (full replacement); with `ifMatch`, only if it is still at that version (else 412). */
  async replace(id: string, input: CategoryInput, options: { ifMatch?: IfMatch } = {}): Promise<VersionedCategory> {
    const response = await this.request(CLIENT_ROUTES.replace, {
      id,
      body: input,
      ifMatch: options.ifMatch,
    });
    return { category: this.json<Category>(response), etag: response.headers.get('etag') ?? '' };
  }

  /** Deletes a category; with `ifMatch`, only if it is still at that version (else 412). */
  async remove(id: string, options: { ifMatch?: IfMatch } = {}): Promise<void> {
    await this.request(CLIENT_ROUTES.remove, { id, ifMatch: options.ifMatch });
  }

  private json<T>(response: RawResponse): T {
    try {
      return JSON.parse(response.text) as T;
    } catch {
      throw new ApiError(
        response.status,
        'InvalidResponse',
        'The API answered with a body that is not JSON.',
        response.headers.get('x-amzn-requestid') ?? undefined,
        undefined,
        'service',
      );
    }
  }

  private async request(
    route: CategoriesRoute,
    options: { id?: string; query?: URLSearchParams; body?: unknown; ifMatch?: IfMatch } = {},
  ): Promise<RawResponse> {
    const method = route.slice(0, route.indexOf(' '));
    const path = pathOf(route, options.id, options.query);
    const send = async (): Promise<RawResponse & { token: string }> => {
      const token = await this.options.tokens.getToken();
      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      if (options.ifMatch !== undefined) headers['If-Match'] = formatIfMatch(options.ifMatch);
      if (this.options.apiKey !== undefined) headers['x-api-key'] = this.options.apiKey;
      const url = `${this.apiUrl}${path}`;
      try {
        const response = await this.fetchFn(url, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        return { status: response.status, headers: response.headers, text: await response.text(), token };
      } catch (cause) {
        throw new ApiUnreachableError(url, { cause });
      }
    };
    let response = await send();
    if (
      response.status === 401 &&
      toApiError(response.status, response.headers, response.text).message === EXPIRED_TOKEN_MESSAGE
    ) {
      this.options.tokens.invalidate(response.token);
      response = await send();
    }
    if (response.status >= 400) throw toApiError(response.status, response.headers, response.text);
    return response;
  }
}
