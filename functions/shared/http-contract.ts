/**
 * What a function promises its callers over HTTP, as data: per route (`METHOD /resource/{path}`, the key API Gateway's
 * proxy event gives as `httpMethod` and `resource`) its parameters, its success and the errors it may answer, with
 * zod schemas of the bodies and headers. The function's responses are typed by it (so it cannot answer a status or
 * shape the contract lacks without failing to compile or its tests), and the OpenAPI document is generated from it.
 */
import * as z from 'zod/mini';

/** What a header or query parameter holds once parsed. */
type Scalar = string | number | boolean;

/** A body or value schema and the name it has in documents (`components.schemas`). */
export interface NamedSchema<T extends z.ZodMiniType = z.ZodMiniType> {
  readonly name: string;
  readonly schema: T;
}

export interface ResponseContract {
  readonly description: string;
  /** The JSON body; none for a response without one (204). */
  readonly body?: NamedSchema;
  /** Headers the response always carries (names in {@link RESPONSE_HEADERS}). @default none */
  readonly headers?: readonly ResponseHeaderName[];
}

/** A query-string or header parameter the function reads. */
export interface ParameterContract {
  readonly name: string;
  readonly in: 'query' | 'header' | 'path';
  readonly description: string;
  readonly schema: z.ZodMiniType<Scalar>;
  /** @default false (path parameters are always required) */
  readonly required?: boolean;
}

export interface SuccessContract extends ResponseContract {
  readonly status: 200 | 201 | 204;
}

export interface OperationContract {
  /** Unique across the API; a client's method name. */
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly parameters?: readonly ParameterContract[];
  readonly success: SuccessContract;
  /** The errors this route may answer besides the function's common ones, by status. */
  readonly errors: Readonly<Record<number, ResponseContract>>;
}

export interface FunctionContract {
  /** By route key, `METHOD /resource/{path}`. */
  readonly operations: Readonly<Record<string, OperationContract>>;
  /** What every route may answer besides its own responses (the function's failures). */
  readonly common: Readonly<Record<number, ResponseContract>>;
  /** What the function answers for a route it does not serve. */
  readonly unknownRoute: Readonly<Record<number, ResponseContract>>;
}

/** `{"error": {"code", "message", "details"?, "requestId"}}`: every error the functions answer. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.optional(
      z.array(
        z.object({
          field: z.string(),
          message: z.string(),
        }),
      ),
    ),
    requestId: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
export const ERROR_BODY: NamedSchema = { name: 'ErrorBody', schema: errorBodySchema };

/** Response headers a contract may promise, with their meaning and shape. */
export const RESPONSE_HEADERS = {
  ETag: {
    description: 'The version of the category as a strong entity tag, e.g. `"3"`: send it back in `If-Match`.',
    schema: z.string().check(z.regex(/^"[1-9][0-9]*"$/)),
  },
  Location: {
    description: 'The path of the new category, including the stage (a path-absolute reference).',
    schema: z.string().check(z.regex(/^\//)),
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    schema: z.int().check(z.minimum(0)),
  },
} as const satisfies Record<string, { readonly description: string; readonly schema: z.ZodMiniType<Scalar> }>;
export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;
