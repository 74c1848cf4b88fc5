/**
 * The local API Gateway (REST API, v1 proxy payload): routes a request to the synthesized method, authorizes it
 * with the method's Cognito authorizer and scopes, validates it against the method's request validator and
 * model, checks the Lambda permission, invokes the function with an APIGatewayProxyEvent, and maps its result.
 * Every refusal is a gateway response, rendered from the stack's `aws_api_gateway_gateway_response` when it
 * defines one; a refused request never reaches the function.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalApiKey } from './api-keys';
import type { CognitoAuthorizer } from './authorizer';
import { requestTime } from './aws-dates';
import { LocalStackError } from './errors';
import { renderTemplate, type TemplateContext } from '../common/api-gateway-responses';
import { GatewayResponses, mapParameter, type GatewayError, type RequestParameters } from './gateway-responses';
import { BodyTooLargeError, mediaType, readBody, send, type HeaderValue } from './http';
import type { LocalFunction } from './lambda';
import { permits, type LambdaPermission } from './lambda-permissions';
import {
  decodeSegment,
  matchRoute,
  type MethodDefinition,
  type RestApiDefinition,
  type RouteMatch,
  type StageDefinition,
} from './rest-api';
import type { UsagePlanEnforcer } from './usage-plans';

/** API Gateway's payload limit for REST APIs. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** Lambda's limit on a synchronous invocation's response. */
const MAX_LAMBDA_RESPONSE_BYTES = 6 * 1024 * 1024;

export interface GatewayDependencies {
  readonly region: string;
  readonly accountId: string;
  readonly functions: ReadonlyMap<string, LocalFunction>;
  /** Authorizer address → verifier. */
  readonly authorizers: ReadonlyMap<string, CognitoAuthorizer>;
  readonly permissions: readonly LambdaPermission[];
  /** Admits requests to methods with `api_key_required`. */
  readonly usagePlans: UsagePlanEnforcer;
  /** One line per request; `undefined` logs nothing. */
  readonly log: ((line: string) => void) | undefined;
  /** Sees every answer the gateway sends. @default none */
  readonly observe?: (exchange: ApiExchange) => void;
}

/** One request the gateway answered and its answer, for observers (tests checking answers against a document). */
export interface ApiExchange {
  readonly method: string;
  /** The raw path below the stage, `/` at least. */
  readonly path: string;
  /** The raw query string, with its `?`, or empty. */
  readonly search: string;
  /** The resource path of the method the request matched (`/categories/{id}`); `undefined` before routing. */
  readonly resourcePath: string | undefined;
  readonly status: number;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  readonly body: Buffer;
}

interface ServedStage {
  readonly api: RestApiDefinition;
  readonly stage: StageDefinition;
  readonly responses: GatewayResponses;
}

interface RequestState {
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly started: number;
  readonly request: IncomingMessage;
  readonly served: ServedStage;
  readonly rawPath: string;
  /** The raw path below the stage, `/` at least. */
  readonly restPath: string;
  readonly headers: Readonly<Record<string, string[]>>;
  readonly query: Readonly<Record<string, string[]>>;
  readonly search: string;
  match?: RouteMatch;
  /** The API key a keyed method was called with. */
  apiKey?: LocalApiKey;
}

/** Headers as the client sent them (names keep their case), in order, grouped by name. */
function rawHeaders(request: IncomingMessage): Record<string, string[]> {
  // No prototype: a header named `constructor` or `__proto__` is a header like any other, not Object's member.
  const headers = Object.create(null) as Record<string, string[]>;
  const byLowerCase = new Map<string, string>();
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i];
    const value = request.rawHeaders[i + 1];
    const known = byLowerCase.get(name.toLowerCase()) ?? name;
    byLowerCase.set(name.toLowerCase(), known);
    (headers[known] ??= []).push(value);
  }
  return headers;
}

function headerValue(headers: Readonly<Record<string, string[]>>, name: string): string[] | undefined {
  const wanted = name.toLowerCase();
  for (const [key, values] of Object.entries(headers)) if (key.toLowerCase() === wanted) return values;
  return undefined;
}

function queryParameters(search: string): Record<string, string[]> {
  // No prototype, as for headers: `?constructor=x` or `?__proto__=x` is a parameter like any other.
  const query = Object.create(null) as Record<string, string[]>;
  for (const [name, value] of new URLSearchParams(search)) (query[name] ??= []).push(value);
  return query;
}

function lastValues(multi: Readonly<Record<string, string[]>>): Record<string, string> | null {
  const entries = Object.entries(multi);
  if (entries.length === 0) return null;
  return Object.fromEntries(entries.map(([name, values]) => [name, values[values.length - 1] ?? '']));
}

function mediaTypeMatches(patterns: readonly string[], type: string | undefined): boolean {
  if (type === undefined) return false;
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p === '*/*') return true;
    if (p.endsWith('/*')) return type.startsWith(p.slice(0, -1));
    return p === type;
  });
}

function traceId(): string {
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')};Sampled=0`;
}

type ProxyResult = { status: number; headers: Record<string, string[]>; body: Buffer };

/** Checks and maps a Lambda proxy result (v1); `undefined` when it is malformed (API Gateway: 502). */
export function mapProxyResult(
  payload: string,
  binaryMediaTypes: readonly string[],
  accept: string | undefined,
): ProxyResult | undefined {
  if (Buffer.byteLength(payload) > MAX_LAMBDA_RESPONSE_BYTES) return undefined;
  let result: unknown;
  try {
    result = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined;
  const { statusCode, headers, multiValueHeaders, body, isBase64Encoded } = result as Record<string, unknown>;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599)
    return undefined;
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== 'boolean')
    return undefined;
  const scalar = (value: unknown): value is string | number | boolean =>
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  const merged = new Map<string, { name: string; values: string[] }>();
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== 'object' || Array.isArray(headers)) return undefined;
    for (const [name, value] of Object.entries(headers)) {
      if (!scalar(value)) return undefined;
      merged.set(name.toLowerCase(), { name, values: [String(value)] });
    }
  }
  if (multiValueHeaders !== undefined && multiValueHeaders !== null) {
    if (typeof multiValueHeaders !== 'object' || Array.isArray(multiValueHeaders)) return undefined;
    for (const [name, values] of Object.entries(multiValueHeaders)) {
      if (!Array.isArray(values) || !values.every(scalar)) return undefined;
      merged.set(name.toLowerCase(), { name, values: values.map(String) });
    }
  }
  for (const hopByHop of ['content-length', 'transfer-encoding', 'connection', 'keep-alive']) merged.delete(hopByHop);
  if (!merged.has('content-type')) merged.set('content-type', { name: 'Content-Type', values: ['application/json'] });
  const text = typeof body === 'string' ? body : '';
  const acceptType = mediaType(accept?.split(',', 1)[0]);
  // A base64 body becomes binary only when the API declares the client's Accept type binary; else it stays text.
  const bytes =
    isBase64Encoded === true && mediaTypeMatches(binaryMediaTypes, acceptType)
      ? Buffer.from(text, 'base64')
      : Buffer.from(text, 'utf8');
  const out: Record<string, string[]> = {};
  for (const { name, values } of merged.values()) out[name] = values;
  return { status: statusCode, headers: out, body: bytes };
}

export class LocalGateway {
  private readonly stages = new Map<string, ServedStage>();

  constructor(
    apis: readonly RestApiDefinition[],
    private readonly deps: GatewayDependencies,
  ) {
    for (const api of apis) {
      const responses = new GatewayResponses(api.gatewayResponses);
      for (const stage of api.stages) {
        if (this.stages.has(stage.name)) {
          throw new LocalStackError(
            `Two REST APIs have a stage named "${stage.name}": the local stack serves each stage at /<stage>.`,
          );
        }
        this.stages.set(stage.name, { api, stage, responses });
      }
    }
  }

  get stageNames(): string[] {
    return [...this.stages.keys()];
  }

  /** Serves a request under `/<stage>/...`; returns false when the first path segment is not a stage. */
  async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    const rawPath = url.pathname;
    const stageName = decodeSegment(rawPath.split('/')[1] ?? '');
    const served = this.stages.get(stageName);
    if (!served) return false;
    const restPath = rawPath.slice(rawPath.indexOf('/', 1) === -1 ? rawPath.length : rawPath.indexOf('/', 1)) || '/';
    const state: RequestState = {
      requestId: randomUUID(),
      extendedRequestId: randomBytes(12).toString('base64').replace(/[+/=]/g, 'A').slice(0, 16),
      started: Date.now(),
      request,
      served,
      rawPath,
      restPath,
      headers: rawHeaders(request),
      query: queryParameters(url.search),
      search: url.search,
    };
    let status: number | string;
    try {
      status = await this.process(state, response);
    } catch (error) {
      if (!request.complete && (error as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET') {
        // The client closed the connection before sending the whole request: a client fault with nobody left to
        // answer, not an internal error.
        status = 'aborted by the client';
        response.destroy();
      } else {
        status = this.refuse(state, response, { type: 'DEFAULT_5XX', message: 'Internal server error', status: 500 });
        this.deps.log?.(`[gateway] ${state.requestId} internal error: ${(error as Error).stack ?? String(error)}`);
      }
    }
    this.deps.log?.(
      `[gateway] ${request.method} ${rawPath} → ${status} (${Date.now() - state.started} ms) ${state.requestId}`,
    );
    return true;
  }

  private async process(state: RequestState, response: ServerResponse): Promise<number> {
    const { request, served } = state;
    let body: Buffer;
    try {
      body = await readBody(request, MAX_PAYLOAD_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return this.refuse(state, response, { type: 'REQUEST_TOO_LARGE', message: error.message });
      }
      throw error;
    }

    const { restPath } = state;
    const segments = restPath === '/' ? [] : restPath.slice(1).split('/');
    const match = matchRoute(served.api.root, segments, (request.method ?? 'GET').toUpperCase());
    if (!match)
      return this.refuse(state, response, {
        type: 'MISSING_AUTHENTICATION_TOKEN',
        message: 'Missing Authentication Token',
      });
    state.match = match;
    const { method } = match;

    // Authorization.
    let claims: Readonly<Record<string, string>> | undefined;
    if (method.authorization === 'COGNITO_USER_POOLS') {
      const authorizer = method.authorizer && this.deps.authorizers.get(method.authorizer.address);
      const values = headerValue(state.headers, 'Authorization');
      const result = authorizer
        ? await authorizer.authorize(values && values.length === 1 ? values[0] : undefined, method.scopes)
        : ({ ok: false, message: 'Unauthorized' } as const);
      if (!result.ok) return this.refuse(state, response, { type: 'UNAUTHORIZED', message: result.message });
      claims = result.claims;
    } else if (method.authorization !== 'NONE') {
      // AWS_IAM (SigV4) and CUSTOM (Lambda) authorizers are not emulated: refuse rather than let anything through.
      return this.refuse(state, response, { type: 'UNAUTHORIZED', message: 'Unauthorized' });
    }

    // API key and usage plan: after the authorizer, before request validation (usage-plans.ts, FIDELITY.md).
    if (method.apiKeyRequired) {
      const admission = this.deps.usagePlans.admit({
        apiId: served.api.id,
        apiKeySource: served.api.apiKeySource,
        stage: served.stage.name,
        httpMethod: method.httpMethod,
        resourcePath: method.resourcePath,
        apiKeyHeaders: headerValue(state.headers, 'x-api-key'),
      });
      if (!admission.ok) {
        this.deps.log?.(`[gateway] ${state.requestId} ${admission.error.type}: ${admission.reason}`);
        return this.refuse(state, response, admission.error);
      }
      state.apiKey = admission.apiKey;
    }

    // Request validation.
    const validationError = this.validate(state, method, body);
    if (validationError) return this.refuse(state, response, validationError);

    // Integration.
    const integration = method.integration;
    if (integration.type === 'MOCK' && integration.mock) {
      const mock = integration.mock;
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      const context = this.templateContext(state);
      for (const [name, expression] of Object.entries(mock.headers)) {
        const value = mapParameter(expression, this.requestParameters(state), context);
        if (value !== undefined) headers[name] = value;
      }
      const body = renderTemplate(mock.body, context);
      this.send(state, response, mock.status, { ...headers, ...this.gatewayHeaders(state) }, body);
      return mock.status;
    }
    const fn = integration.functionName === undefined ? undefined : this.deps.functions.get(integration.functionName);
    if (integration.type !== 'AWS_PROXY' || !fn) {
      this.deps.log?.(`[gateway] ${method.address}: integration type ${integration.type} is not emulated.`);
      return this.refuse(state, response, { type: 'API_CONFIGURATION_ERROR', message: 'Internal server error' });
    }
    const methodArn = `${served.api.executionArn}/${served.stage.name}/${request.method}${restPath}`;
    if (!permits(this.deps.permissions, fn.definition.functionName, methodArn)) {
      this.deps.log?.(
        `[gateway] ${method.address}: no aws_lambda_permission lets apigateway.amazonaws.com invoke ` +
          `${fn.definition.functionName} from ${methodArn} ("Invalid permissions on Lambda function").`,
      );
      return this.refuse(state, response, { type: 'API_CONFIGURATION_ERROR', message: 'Internal server error' });
    }

    const trace = traceId();
    const event = this.event(state, match, body, claims, trace);
    let timer: NodeJS.Timeout | undefined;
    const integrationTimeout = new Promise<'integration-timeout'>((resolve) => {
      timer = setTimeout(() => resolve('integration-timeout'), integration.timeoutMs);
    });
    const outcome = await Promise.race([fn.invoke(JSON.stringify(event), randomUUID(), trace), integrationTimeout]);
    clearTimeout(timer);
    if (outcome === 'integration-timeout') {
      return this.refuse(state, response, { type: 'INTEGRATION_TIMEOUT', message: 'Endpoint request timed out' });
    }
    if (outcome.kind === 'throttled') {
      // Lambda answers 429 TooManyRequestsException; a proxy integration turns it into 500 Internal server error.
      this.deps.log?.(
        `[gateway] ${fn.definition.functionName}: Lambda throttled the invocation (reserved concurrency 0): Rate Exceeded.`,
      );
      return this.refuse(state, response, { type: 'DEFAULT_5XX', message: 'Internal server error', status: 500 });
    }
    if (outcome.kind === 'timeout') {
      this.deps.log?.(
        `[gateway] ${fn.definition.functionName}: Task timed out after ${fn.definition.timeoutSeconds} seconds`,
      );
      return this.refuse(state, response, { type: 'DEFAULT_5XX', message: 'Internal server error', status: 502 });
    }
    if (outcome.kind === 'error') {
      this.deps.log?.(
        `[gateway] ${fn.definition.functionName}: ${outcome.error.errorType}: ${outcome.error.errorMessage}` +
          (outcome.error.stack?.length ? `\n${outcome.error.stack.join('\n')}` : ''),
      );
      return this.refuse(state, response, { type: 'DEFAULT_5XX', message: 'Internal server error', status: 502 });
    }
    const accept = headerValue(state.headers, 'Accept')?.join(', ');
    const mapped = mapProxyResult(outcome.payload, served.api.binaryMediaTypes, accept);
    if (!mapped) {
      this.deps.log?.(`[gateway] ${fn.definition.functionName}: Malformed Lambda proxy response`);
      return this.refuse(state, response, { type: 'DEFAULT_5XX', message: 'Internal server error', status: 502 });
    }
    this.send(state, response, mapped.status, { ...mapped.headers, ...this.gatewayHeaders(state, trace) }, mapped.body);
    return mapped.status;
  }

  /** Request validation (only when the method has a validator): required parameters, then the body's model. */
  private validate(state: RequestState, method: MethodDefinition, body: Buffer): GatewayError | undefined {
    if (method.validateParameters) {
      const missing: string[] = [];
      for (const [key, required] of Object.entries(method.requestParameters)) {
        if (!required) continue;
        const parameter =
          /^method\.request\.(querystring|header|path|multivaluequerystring|multivalueheader)\.(.+)$/.exec(key);
        if (!parameter) continue;
        const [, location, name] = parameter;
        const values = location.endsWith('querystring')
          ? state.query[name]
          : location.endsWith('header')
            ? headerValue(state.headers, name)
            : [state.match?.pathParameters?.[name] ?? ''];
        if (!values || values.every((value) => value.trim() === '')) missing.push(name);
      }
      if (missing.length > 0) {
        return {
          type: 'BAD_REQUEST_PARAMETERS',
          message: `Missing required request parameters: [${missing.join(', ')}]`,
        };
      }
    }
    if (method.validateBody) {
      // No Content-Type: API Gateway takes the body as application/json. No model for the type: not validated.
      const contentType = mediaType(headerValue(state.headers, 'Content-Type')?.[0]) ?? 'application/json';
      const model = method.models[contentType] ?? method.models.$default;
      if (model) {
        let value: unknown;
        const text = body.toString('utf8');
        try {
          value = text.trim() === '' ? null : JSON.parse(text);
        } catch (error) {
          return {
            type: 'BAD_REQUEST_BODY',
            message: 'Invalid request body',
            validationErrors: [`Invalid JSON: ${(error as Error).message}`],
          };
        }
        const errors = model.validate(value);
        if (errors.length > 0)
          return { type: 'BAD_REQUEST_BODY', message: 'Invalid request body', validationErrors: errors };
      }
    }
    return undefined;
  }

  private event(
    state: RequestState,
    match: RouteMatch,
    body: Buffer,
    claims: Readonly<Record<string, string>> | undefined,
    trace: string,
  ): Record<string, unknown> {
    const { request, served } = state;
    const sourceIp = request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
    const multiValueHeaders: Record<string, string[]> = { ...state.headers };
    const forwardedFor = headerValue(multiValueHeaders, 'X-Forwarded-For');
    multiValueHeaders['X-Forwarded-For'] = [forwardedFor ? `${forwardedFor.join(', ')}, ${sourceIp}` : sourceIp];
    multiValueHeaders['X-Forwarded-Port'] = [String(request.socket.localPort ?? '')];
    multiValueHeaders['X-Forwarded-Proto'] = ['http'];
    multiValueHeaders['X-Amzn-Trace-Id'] = [trace];
    const host = headerValue(state.headers, 'Host')?.[0] ?? '127.0.0.1';
    const { restPath } = state;
    const contentType = mediaType(headerValue(state.headers, 'Content-Type')?.[0]);
    const binary = body.length > 0 && mediaTypeMatches(served.api.binaryMediaTypes, contentType);
    const now = new Date(state.started);
    const hasQuery = Object.keys(state.query).length > 0;
    return {
      resource: match.method.resourcePath,
      path: restPath
        .split('/')
        .map((segment) => (segment === '' ? '' : decodeSegment(segment)))
        .join('/'),
      httpMethod: request.method,
      headers: lastValues(multiValueHeaders),
      multiValueHeaders,
      queryStringParameters: hasQuery ? lastValues(state.query) : null,
      multiValueQueryStringParameters: hasQuery ? { ...state.query } : null,
      pathParameters: match.pathParameters,
      stageVariables: served.stage.variables,
      requestContext: {
        resourceId: match.method.resourceId,
        ...(claims === undefined ? {} : { authorizer: { claims: { ...claims } } }),
        resourcePath: match.method.resourcePath,
        httpMethod: request.method,
        extendedRequestId: state.extendedRequestId,
        requestTime: requestTime(now),
        path: state.rawPath,
        accountId: this.deps.accountId,
        protocol: `HTTP/${request.httpVersion}`,
        stage: served.stage.name,
        domainPrefix: host.split('.')[0]?.split(':')[0] ?? host,
        requestTimeEpoch: state.started,
        requestId: state.requestId,
        identity: {
          cognitoIdentityPoolId: null,
          accountId: null,
          cognitoIdentityId: null,
          caller: null,
          sourceIp,
          principalOrgId: null,
          accessKey: null,
          cognitoAuthenticationType: null,
          cognitoAuthenticationProvider: null,
          userArn: null,
          userAgent: headerValue(state.headers, 'User-Agent')?.[0] ?? null,
          user: null,
          ...(state.apiKey && { apiKey: state.apiKey.value, apiKeyId: state.apiKey.id }),
        },
        domainName: host,
        apiId: served.api.id,
      },
      body: body.length === 0 ? null : binary ? body.toString('base64') : body.toString('utf8'),
      isBase64Encoded: binary,
    };
  }

  private gatewayHeaders(state: RequestState, trace?: string): Record<string, string> {
    return {
      'x-amzn-RequestId': state.requestId,
      'x-amz-apigw-id': state.extendedRequestId,
      ...(state.served.stage.tracing ? { 'X-Amzn-Trace-Id': trace ?? traceId() } : {}),
    };
  }

  private refuse(state: RequestState, response: ServerResponse, error: GatewayError): number {
    const accept = headerValue(state.headers, 'Accept')?.join(', ');
    const rendered = state.served.responses.render(
      error,
      this.templateContext(state),
      this.requestParameters(state),
      accept,
    );
    this.send(state, response, rendered.status, { ...rendered.headers, ...this.gatewayHeaders(state) }, rendered.body);
    return rendered.status;
  }

  /** Sends an answer, and shows it to the observer. */
  private send(
    state: RequestState,
    response: ServerResponse,
    status: number,
    headers: Readonly<Record<string, HeaderValue>>,
    body: string | Buffer,
  ): void {
    send(response, status, headers, body);
    this.deps.observe?.({
      method: state.request.method ?? 'GET',
      path: state.restPath,
      search: state.search,
      resourcePath: state.match?.method.resourcePath,
      status,
      headers,
      body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    });
  }

  private templateContext(state: RequestState): TemplateContext {
    const { request, served, match } = state;
    return {
      requestId: state.requestId,
      extendedRequestId: state.extendedRequestId,
      stage: served.stage.name,
      apiId: served.api.id,
      accountId: this.deps.accountId,
      httpMethod: request.method,
      path: state.rawPath,
      resourcePath: match?.method.resourcePath,
      resourceId: match?.method.resourceId,
      domainName: headerValue(state.headers, 'Host')?.[0],
      requestTime: requestTime(new Date(state.started)),
      requestTimeEpoch: String(state.started),
      protocol: `HTTP/${request.httpVersion}`,
      'identity.sourceIp': request.socket.remoteAddress?.replace(/^::ffff:/, ''),
      'identity.userAgent': headerValue(state.headers, 'User-Agent')?.[0],
      'identity.apiKey': state.apiKey?.value,
      'identity.apiKeyId': state.apiKey?.id,
    };
  }

  private requestParameters(state: RequestState): RequestParameters {
    return {
      header: (name) => headerValue(state.headers, name)?.join(','),
      querystring: (name) => state.query[name]?.at(-1),
      path: (name) => state.match?.pathParameters?.[name],
      stageVariables: state.served.stage.variables ?? {},
    };
  }
}
