import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { createHandler, type CategoriesHandler } from '../../functions/categories/app';
import { createDocumentClient, DynamoDbCategoryStore } from '../../functions/categories/dynamodb-store';
import { apiGatewayEvent, lambdaContext, type ApiRequest } from '../support/api-gateway-event';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, type RunningDynalite } from '../support/dynalite';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { CATEGORIES_CONTRACT } from '../../functions/categories/contract';
import type { Category } from '../../functions/categories/model';
import type { ResponseContract } from '../../functions/shared/http-contract';
import { zodSchema } from '../../openapi/schemas';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Parsed JSON body; `undefined` when the body is empty. */
  readonly body: unknown;
  readonly rawBody: string;
  readonly requestId: string;
}

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: ReadonlyArray<{ readonly field: string; readonly message: string }>;
    readonly requestId: string;
  };
}

/** A category as the API returns it. */
export type CategoryBody = Category;

export interface ListBody {
  readonly items: CategoryBody[];
  readonly nextToken?: string;
}

/** A document client for a local endpoint (dummy credentials), with the handler's fail-fast defaults. */
export function localDocumentClient(endpoint: string, config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return createDocumentClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, ...config });
}

/** Invokes a handler with an API Gateway event built from `request` and decodes the response. */
export async function invoke(handler: CategoriesHandler, request: ApiRequest): Promise<ApiResponse> {
  return invokeEvent(handler, apiGatewayEvent(request));
}

const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));
const compiled = new Map<ResponseContract['body'], ReturnType<typeof ajv.compile>>();

/**
 * Fails unless the function's contract declares the response for the route: its status, its body (by the very
 * JSON Schema the OpenAPI document carries), its headers. Every test of the function checks it on every response.
 */
function assertContracted(event: APIGatewayProxyEvent, status: number, headers: Record<string, string>, body: string) {
  const route = `${event.httpMethod} ${event.resource}`;
  const operation = Object.hasOwn(CATEGORIES_CONTRACT.operations, route)
    ? CATEGORIES_CONTRACT.operations[route as keyof typeof CATEGORIES_CONTRACT.operations]
    : undefined;
  const responses: Record<number, ResponseContract> = operation
    ? { [operation.success.status]: operation.success, ...operation.errors, ...CATEGORIES_CONTRACT.common }
    : { ...CATEGORIES_CONTRACT.unknownRoute, ...CATEGORIES_CONTRACT.common };
  const declared = responses[status];
  const where = `${route} → ${status}`;
  if (!declared) throw new Error(`${where}: the contract declares no such status`);
  for (const header of declared.headers ?? []) {
    if (headers[header.toLowerCase()] === undefined) throw new Error(`${where}: no ${header} header`);
  }
  if (declared.body === undefined) {
    if (body !== '') throw new Error(`${where}: a body where the contract declares none`);
    return;
  }
  let validate = compiled.get(declared.body);
  if (!validate) {
    validate = ajv.compile(zodSchema(declared.body.schema) as object);
    compiled.set(declared.body, validate);
  }
  if (!validate(JSON.parse(body))) throw new Error(`${where}: ${ajv.errorsText(validate.errors)} in ${body}`);
}

/** Invokes a handler with a ready-made event (e.g. one altered after {@link apiGatewayEvent}). */
export async function invokeEvent(handler: CategoriesHandler, event: APIGatewayProxyEvent): Promise<ApiResponse> {
  const result = await handler(event, lambdaContext());
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  assertContracted(event, result.statusCode, headers, result.body);
  return {
    status: result.statusCode,
    headers,
    body: result.body === '' ? undefined : (JSON.parse(result.body) as unknown),
    rawBody: result.body,
    requestId: event.requestContext.requestId,
  };
}

export function silentLogger(): Logger {
  return new Logger({ serviceName: 'categories', logLevel: 'SILENT' });
}

export function handlerFor(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  logger = silentLogger(),
): CategoriesHandler {
  return createHandler({ store: new DynamoDbCategoryStore(documentClient, tableName), logger });
}

export interface CategoriesApi {
  readonly db: RunningDynalite;
  readonly documentClient: DynamoDBDocumentClient;
  readonly handler: CategoriesHandler;
  call(request: ApiRequest): Promise<ApiResponse>;
  callEvent(event: APIGatewayProxyEvent): Promise<ApiResponse>;
  /** Creates a category through the API and returns it. */
  create(name: string, description?: string): Promise<CategoryBody>;
  /** Every raw item in the table (hidden attributes included), sorted by id. */
  tableItems(): Promise<Array<Record<string, unknown>>>;
  stop(): Promise<void>;
}

/** A dynalite server with the categories table and a handler wired to it, as in production but local. */
export async function startCategoriesApi(tableName = 'categories'): Promise<CategoriesApi> {
  const db = await startDynalite({ tableName });
  const documentClient = localDocumentClient(db.endpoint);
  const handler = handlerFor(documentClient, db.tableName);
  const call = (request: ApiRequest) => invoke(handler, request);
  return {
    db,
    documentClient,
    handler,
    call,
    async create(name, description) {
      const response = await call({
        method: 'POST',
        path: '/categories',
        body: description === undefined ? { name } : { name, description },
      });
      if (response.status !== 201) throw new Error(`create failed: ${response.status} ${response.rawBody}`);
      return response.body as CategoryBody;
    },
    async tableItems() {
      const items: Array<Record<string, unknown>> = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await documentClient.send(
          new ScanCommand({ TableName: db.tableName, ExclusiveStartKey: startKey }),
        );
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return items.sort((a, b) => String(a.id).localeCompare(String(b.id)));
    },
    callEvent: (event) => invokeEvent(handler, event),
    async stop() {
      documentClient.destroy();
      await db.stop();
    },
  };
}

/** Asserts the error envelope and returns it. */
export function errorOf(response: ApiResponse): ErrorBody['error'] {
  expect(response.headers['content-type']).toBe('application/json');
  const body = response.body as ErrorBody;
  expect(body).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) });
  expect(body.error.requestId).toBe(response.requestId);
  return body.error;
}

/** The fields named in an error's details, sorted. */
export function fieldsOf(response: ApiResponse): string[] {
  return (errorOf(response).details ?? []).map((detail) => detail.field).sort();
}
