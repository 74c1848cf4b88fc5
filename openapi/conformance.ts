/**
 * Checks requests and answers against an OpenAPI document, with openapi-backend: its router maps a request to the
 * document's operation, its validator checks a request's parameters and body, and an answer's declared headers and
 * body against the operation's response for the status, compiled by Ajv in JSON Schema 2020-12 (OpenAPI 3.1's
 * dialect). On top, what openapi-backend leaves unchecked: that the status is declared at all and that the media type
 * is one declared. For tests and proofs: `npm start` never loads it.
 */
import { dereference } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { OpenAPIRouter, OpenAPIValidator, SetMatchType } from 'openapi-backend';
import type { OpenAPIV3_1 } from 'openapi-types';
import type { OpenApiDocument } from './document';

/** An answer as an observer saw it (the local gateway's `ApiExchange` has this shape). */
export interface ObservedAnswer {
  readonly method: string;
  /** The path below the stage (`/categories/abc`). */
  readonly path: string;
  /** The resource path of the method that answered, when the server routed the request. */
  readonly resourcePath: string | undefined;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: Buffer;
}

/** A request as a client sent it. */
export interface SentRequest {
  readonly method: string;
  /** The path below the stage, and the query string (`limit=5`) without its `?`. */
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body as sent; `undefined` for none. */
  readonly body: string | undefined;
}

export interface ConformanceResult {
  /** What does not conform, one line each; empty when the answer conforms. */
  readonly problems: readonly string[];
  /** `false` when no operation of the document matches the request (an unknown path, which it does not describe). */
  readonly described: boolean;
}

function mediaTypeMatches(declared: string, actual: string): boolean {
  if (declared === '*/*') return true;
  if (declared.endsWith('/*')) return actual.startsWith(declared.slice(0, -1));
  return declared === actual;
}

export class DocumentConformance {
  private constructor(
    private readonly router: OpenAPIRouter<OpenAPIV3_1.Document>,
    private readonly validator: OpenAPIValidator<OpenAPIV3_1.Document>,
  ) {}

  /** Prepares the checks of a document (dereferenced first: openapi-backend compiles schemas one by one). */
  static async of(document: OpenApiDocument): Promise<DocumentConformance> {
    const definition = (await dereference(structuredClone(document))) as OpenAPIV3_1.Document;
    // API Gateway matches paths exactly: a trailing slash matches no resource.
    const router = new OpenAPIRouter({ definition, apiRoot: '/', ignoreTrailingSlashes: false });
    const validator = new OpenAPIValidator({
      definition,
      router,
      lazyCompileValidators: true,
      // OpenAPI 3.1 schemas are JSON Schema 2020-12; openapi-backend's default Ajv speaks draft-07.
      customizeAjv: (_ajv, options) => addFormats(new Ajv2020({ ...options, strict: true, allErrors: true })),
    });
    return new DocumentConformance(router, validator);
  }

  /** The operation a request is for, and what in it the document does not allow. */
  checkRequest(request: SentRequest): { operationId: string | undefined; problems: readonly string[] } {
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const sent = {
      method: request.method.toLowerCase(),
      path: request.path,
      query: request.query,
      headers,
      body: request.body === undefined ? undefined : (JSON.parse(request.body) as unknown),
    };
    const operation = this.router.matchOperation(sent);
    if (!operation) return { operationId: undefined, problems: [`${request.method} ${request.path}: no operation`] };
    const result = this.validator.validateRequest(sent, operation);
    const problems = (result.errors ?? []).map(
      (e) => `${request.method} ${request.path}: ${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`,
    );
    return { operationId: operation.operationId, problems };
  }

  checkAnswer(answer: ObservedAnswer): ConformanceResult {
    const method = answer.method.toLowerCase();
    const operation =
      answer.resourcePath === undefined
        ? this.router.matchOperation({ method, path: answer.path, headers: {} })
        : this.router.getOperations().find((o) => o.method === method && o.path === answer.resourcePath);
    const request = `${answer.method} ${answer.path} → ${answer.status}`;
    if (!operation) {
      return answer.resourcePath === undefined
        ? { problems: [], described: false }
        : { problems: [`${request}: the document has no operation ${method} ${answer.resourcePath}`], described: true };
    }
    const problems: string[] = [];
    const responses = operation.responses ?? {};
    const statusKey = [String(answer.status), `${String(answer.status)[0]}XX`, 'default'].find(
      (key) => key in responses,
    );
    if (statusKey === undefined) {
      return {
        problems: [`${request}: status ${answer.status} is not declared for ${operation.operationId}`],
        described: true,
      };
    }
    const declared = responses[statusKey] as OpenAPIV3_1.ResponseObject;
    const headers = Object.fromEntries(
      Object.entries(answer.headers).map(([name, value]) => [
        name.toLowerCase(),
        Array.isArray(value) ? value.join(', ') : value,
      ]),
    );
    const contentType = (headers['content-type'] as string | undefined)?.split(';', 1)[0]?.trim().toLowerCase();
    const mediaTypes = Object.keys(declared.content ?? {});
    let body: unknown = null;
    if (mediaTypes.length === 0) {
      if (answer.body.length > 0) problems.push(`${request}: a body, where the document declares none`);
    } else if (contentType === undefined || !mediaTypes.some((type) => mediaTypeMatches(type, contentType))) {
      problems.push(
        `${request}: Content-Type ${contentType ?? '(none)'}, where the document declares ${mediaTypes.join(', ')}`,
      );
    } else if (contentType === 'application/json' || contentType.endsWith('+json')) {
      try {
        body = JSON.parse(answer.body.toString('utf8'));
      } catch {
        problems.push(`${request}: the body is not JSON`);
      }
    }
    const status = answer.status;
    for (const result of [
      this.validator.validateResponseHeaders(headers, operation, {
        statusCode: status,
        setMatchType: SetMatchType.Superset,
      }),
      ...(problems.length === 0 ? [this.validator.validateResponse(body, operation, status)] : []),
    ]) {
      for (const error of result.errors ?? []) {
        problems.push(
          `${request}: ${error.instancePath || '(root)'} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`,
        );
      }
    }
    return { problems, described: true };
  }
}
