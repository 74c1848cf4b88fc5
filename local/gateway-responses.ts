/**
 * API Gateway's gateway responses: what the gateway itself answers when it refuses a request or its
 * integration fails. Defaults as API Gateway's (`{"message":$context.error.messageString}`), overridden by the
 * stack's `aws_api_gateway_gateway_response` resources: the specific type first, then DEFAULT_4XX / DEFAULT_5XX.
 */
import {
  DEFAULT_STATUS,
  DEFAULT_TEMPLATE,
  renderTemplate,
  type ResponseType,
  type TemplateContext,
} from '../common/api-gateway-responses';
import { LocalStackError } from './errors';

/** The `x-amzn-ErrorType` header API Gateway sends with its own errors. */
const ERROR_TYPE_HEADER: Partial<Record<ResponseType, string>> = {
  UNAUTHORIZED: 'UnauthorizedException',
  ACCESS_DENIED: 'AccessDeniedException',
  MISSING_AUTHENTICATION_TOKEN: 'MissingAuthenticationTokenException',
  BAD_REQUEST_BODY: 'BadRequestException',
  BAD_REQUEST_PARAMETERS: 'BadRequestException',
  REQUEST_TOO_LARGE: 'RequestTooLargeException',
  INTEGRATION_TIMEOUT: 'InternalServerErrorException',
  API_CONFIGURATION_ERROR: 'InternalServerErrorException',
  DEFAULT_5XX: 'InternalServerErrorException',
  INVALID_API_KEY: 'ForbiddenException',
  THROTTLED: 'TooManyRequestsException',
  QUOTA_EXCEEDED: 'LimitExceededException',
};

/** A refusal or failure, as the gateway reports it. */
export interface GatewayError {
  readonly type: ResponseType;
  /** `$context.error.message`. */
  readonly message: string;
  /** The status when no gateway response overrides it (defaults to the type's own). */
  readonly status?: number;
  /** `$context.error.validationErrorString` (request validation). */
  readonly validationErrors?: readonly string[];
}

export interface GatewayResponseDefinition {
  readonly type: ResponseType;
  readonly statusCode?: number;
  readonly templates: Readonly<Record<string, string>>;
  /** `gatewayresponse.header.<Name>` → mapping expression (`'literal'`, `method.request.header.X`, ...). */
  readonly headers: Readonly<Record<string, string>>;
}

export interface RenderedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface RequestParameters {
  readonly header: (name: string) => string | undefined;
  readonly querystring: (name: string) => string | undefined;
  readonly path: (name: string) => string | undefined;
  readonly stageVariables: Readonly<Record<string, string>>;
}

const DIRECTIVE = /(^|[^\\])#(set|if|elseif|else|end|foreach|break|stop|macro|parse|include|define|evaluate)\b/;

/** Checks a template uses only `$context` substitutions (no VTL directives), so it renders as API Gateway would. */
export function checkTemplate(template: string, where: string): void {
  if (DIRECTIVE.test(template)) {
    throw new LocalStackError(
      `${where}: the template uses VTL directives (#set, #if, ...), which the local stack does not render; ` +
        'use $context substitutions only.',
    );
  }
  const other = /\$!?\{?(input|util|stageVariables|method)\b/.exec(template);
  if (other) {
    throw new LocalStackError(`${where}: the template uses $${other[1]}, which the local stack does not render.`);
  }
}

function jsonStringBody(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** The gateway responses of one REST API. */
export class GatewayResponses {
  private readonly byType: ReadonlyMap<ResponseType, GatewayResponseDefinition>;

  constructor(definitions: readonly GatewayResponseDefinition[]) {
    this.byType = new Map(definitions.map((d) => [d.type, d]));
  }

  render(
    error: GatewayError,
    context: TemplateContext,
    request: RequestParameters | undefined,
    accept?: string,
  ): RenderedResponse {
    const naturalStatus = error.status ?? DEFAULT_STATUS[error.type];
    const definition =
      this.byType.get(error.type) ?? this.byType.get(naturalStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
    const status = this.byType.get(error.type)?.statusCode ?? naturalStatus;
    const errorContext: TemplateContext = {
      ...context,
      'error.message': error.message,
      'error.messageString': JSON.stringify(error.message),
      'error.responseType': error.type,
      'error.validationErrorString': jsonStringBody(`[${(error.validationErrors ?? []).join(', ')}]`),
      status: String(status),
    };
    const templates = definition?.templates ?? {};
    const contentType = chooseTemplate(templates, accept);
    const template = contentType === undefined ? DEFAULT_TEMPLATE : templates[contentType];
    const headers: Record<string, string> = { 'Content-Type': contentType ?? 'application/json' };
    const errorType = ERROR_TYPE_HEADER[error.type];
    if (errorType) headers['x-amzn-ErrorType'] = errorType;
    for (const [name, expression] of Object.entries(definition?.headers ?? {})) {
      const value = mapParameter(expression, request, errorContext);
      if (value !== undefined) headers[name] = value;
    }
    return { status, headers, body: renderTemplate(template, errorContext) };
  }
}

function chooseTemplate(templates: Readonly<Record<string, string>>, accept: string | undefined): string | undefined {
  const types = Object.keys(templates);
  if (types.length === 0) return undefined;
  const wanted = (accept ?? '')
    .split(',')
    .map((part) => part.split(';', 1)[0].trim().toLowerCase())
    .find((type) => types.includes(type));
  return wanted ?? (types.includes('application/json') ? 'application/json' : types[0]);
}

/** A response-parameter mapping expression: `'static'`, `method.request.<location>.<name>`, `stageVariables.x`, `context.x`. */
export function mapParameter(
  expression: string,
  request: RequestParameters | undefined,
  context: TemplateContext,
): string | undefined {
  const literal = /^'(.*)'$/s.exec(expression);
  if (literal) return literal[1];
  const parameter = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(expression);
  if (parameter) {
    const location = parameter[1] as 'header' | 'querystring' | 'path';
    return request?.[location](parameter[2]);
  }
  const stageVariable = /^stageVariables\.(.+)$/.exec(expression);
  if (stageVariable) return request?.stageVariables[stageVariable[1]];
  const contextVariable = /^context\.(.+)$/.exec(expression);
  if (contextVariable) return context[contextVariable[1]];
  return undefined;
}

/** Checks a response-parameter expression is one {@link mapParameter} understands. */
export function checkParameterExpression(expression: string, where: string): void {
  if (!/^('.*'|method\.request\.(header|querystring|path)\..+|stageVariables\..+|context\..+)$/s.test(expression)) {
    throw new LocalStackError(`${where}: the local stack cannot map ${JSON.stringify(expression)}.`);
  }
}
