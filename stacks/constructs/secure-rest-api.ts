import { Construct } from 'constructs';
import { Fn, Lazy, TerraformLocal } from 'cdktf';
import { ApiGatewayAuthorizer } from '@cdktf/provider-aws/lib/api-gateway-authorizer';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayModel } from '@cdktf/provider-aws/lib/api-gateway-model';
import { ApiGatewayRequestValidator } from '@cdktf/provider-aws/lib/api-gateway-request-validator';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { apiDefinition } from './api-definition';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/** At least one scope: the type system refuses an empty list, and so does {@link SecureRestApi.addRoute}. */
export type Scopes = readonly [string, ...string[]];

export interface RouteOptions {
  /** Resource path, with `{name}` path parameters, e.g. `/categories/{id}`. */
  readonly path: string;
  readonly method: HttpMethod;
  /**
   * OAuth2 scopes, one of which the caller's access token must carry. Required: a COGNITO_USER_POOLS method
   * without scopes accepts only ID tokens, which client credentials never yield.
   */
  readonly scopes: Scopes;
  /** The function behind the route (Lambda proxy integration). */
  readonly handler: LambdaFunction;
  /**
   * JSON Schema (draft-04) that an `application/json` body must match; API Gateway refuses other bodies with
   * 400 before the function runs. @default no body validation
   */
  readonly requestModel?: RequestModel;
}

/** A named JSON Schema (draft-04) for request bodies. Routes sharing a name share one model. */
export interface RequestModel {
  /** Alphanumeric model name, unique in the API. */
  readonly name: string;
  readonly schema: object;
}

/** Cross-origin access for browsers. Machine-to-machine clients need none of it. */
export interface CorsOptions {
  /** The one origin allowed to call the API (`https://console.example.com`), or `*`. */
  readonly allowOrigin: string;
  /** Request headers a browser may send. @default ['Authorization', 'Content-Type', 'If-Match'] */
  readonly allowHeaders?: readonly string[];
  /** How long browsers may cache a preflight answer, in seconds. @default 600 */
  readonly maxAgeSeconds?: number;
}

export interface SecureRestApiProps {
  /** Name of the REST API. */
  readonly name: string;
  readonly description?: string;
  /** ARN of the Cognito user pool whose access tokens the API accepts. */
  readonly userPoolArn: string;
  /** Stage name: the first path segment of the invoke URL. */
  readonly stageName: string;
  /** Stage-wide throttling. */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  /** Retention of the access log group, in days. */
  readonly logRetentionDays: number;
  /**
   * Execution-log level of every method. Access and execution logs need the account's API Gateway
   * CloudWatch role, which the bootstrap stack creates.
   * @default 'ERROR'
   */
  readonly loggingLevel?: 'OFF' | 'ERROR' | 'INFO';
  /**
   * Error `code` in the body of a request refused by a request model, the same code the functions use for
   * invalid input so clients see one error shape. @default 'ValidationFailed'
   */
  readonly validationErrorCode?: string;
  /**
   * Answer CORS preflights (OPTIONS, the only methods without a token: browsers send preflights without
   * credentials) and add `Access-Control-Allow-Origin` to API Gateway's own error responses. The functions
   * behind the routes must add it to theirs. @default no CORS
   */
  readonly cors?: CorsOptions;
  /**
   * Require an API key (`x-api-key`, the HEADER key source) on every method but the OPTIONS preflights, for usage
   * plans; the access log then records the key's id. API Gateway refuses a missing or unknown key with 403.
   * @default false
   */
  readonly apiKeyRequired?: boolean;
}

/**
 * Bodies of the responses API Gateway itself sends. Gateway-response templates allow only simple variable
 * substitution (no VTL, no escaping); `$context.error.messageString` is already a quoted JSON string.
 * They keep API Gateway's familiar `{"message": ...}` shape and add the request id for support.
 */
const GATEWAY_ERROR_BODY = '{"message":$context.error.messageString,"requestId":"$context.requestId"}';
const GATEWAY_RESPONSE_TYPES = [
  'UNAUTHORIZED',
  'ACCESS_DENIED',
  'MISSING_AUTHENTICATION_TOKEN',
  'THROTTLED',
  'DEFAULT_4XX',
  'DEFAULT_5XX',
] as const;

/** What API Gateway writes for each request to the access log. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  clientId: '$context.authorizer.claims.client_id',
  // The access token's id: distinct ids per client show who fetches a new token per call instead of caching it.
  tokenId: '$context.authorizer.claims.jti',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  errorMessage: '$context.error.message',
};
/** With API keys required, also the id (never the value) of the key each request came with. */
const API_KEY_LOG_FIELD = { apiKeyId: '$context.identity.apiKeyId' };

/**
 * A REST API on which every method demands a Cognito access token carrying one of its scopes.
 * There is deliberately no way to add an open method. Routes are Lambda proxy integrations; the deployment
 * is replaced whenever anything in the API definition changes — any setting of any resource, method, integration,
 * model, validator, gateway response or the authorizer, including resources users add beside the construct — and
 * the stage is its own resource.
 */
export class SecureRestApi extends Construct {
  public readonly api: ApiGatewayRestApi;
  public readonly authorizer: ApiGatewayAuthorizer;
  /**
   * The whole API definition as the deployment's trigger hashes it (see {@link apiDefinition}): the REST API and
   * every resource, method, integration, response, model, validator, gateway response and authorizer of it, built
   * here or added by users anywhere in the stack.
   */
  public readonly definition: TerraformLocal;
  /** Replaced, new one first, whenever {@link definition} changes; the stage then serves the new one. */
  public readonly deployment: ApiGatewayDeployment;
  public readonly stage: ApiGatewayStage;
  public readonly accessLogGroup: CloudwatchLogGroup;
  /** Where API Gateway writes execution logs (`API-Gateway-Execution-Logs_<api id>/<stage>`). */
  public readonly executionLogGroup: CloudwatchLogGroup;
  /** Base URL of the stage, without a trailing slash. */
  public readonly invokeUrl: string;
  /** API Gateway's own error responses, by response type, with JSON bodies. */
  public readonly gatewayResponses: Readonly<Record<string, ApiGatewayGatewayResponse>>;
  private readonly resources = new Map<string, ApiGatewayResource>();
  /** Path of each construct-id slug, so two paths that slug alike are refused with both named. */
  private readonly slugs = new Map<string, string>();
  /** The routes added so far (`GET /path`), so one added twice is refused. */
  private readonly routes = new Set<string>();
  /** The integration of each route, in the order the routes were added. */
  private readonly routeIntegrations: ApiGatewayIntegration[] = [];
  private readonly models = new Map<string, { model: ApiGatewayModel; schema: string }>();
  /** HTTP methods per path, for the OPTIONS preflight of each path. */
  private readonly methodsByPath = new Map<string, HttpMethod[]>();
  private readonly cors?: CorsOptions;
  private readonly apiKeyRequired: boolean;
  private bodyValidator?: ApiGatewayRequestValidator;

  constructor(scope: Construct, id: string, props: SecureRestApiProps) {
    super(scope, id);
    this.cors = props.cors;
    this.apiKeyRequired = props.apiKeyRequired ?? false;
    // An origin is scheme://host[:port], with no path: browsers send nothing else, so anything else never matches.
    if (props.cors && !/^(\*|https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)$/.test(props.cors.allowOrigin)) {
      throw new Error(
        `${this.node.path}: cors.allowOrigin "${props.cors.allowOrigin}" must be "*" or one origin such as https://app.example.com.`,
      );
    }

    this.api = new ApiGatewayRestApi(this, 'api', {
      name: props.name,
      description: props.description,
      endpointConfiguration: { types: ['REGIONAL'] },
      // Keys come in the x-api-key header: AUTHORIZER (the key from the authorizer) works only with Lambda
      // authorizers, not Cognito ("Choose an API key source", API Gateway developer guide).
      apiKeySource: 'HEADER',
    });

    this.authorizer = new ApiGatewayAuthorizer(this, 'authorizer', {
      name: 'cognito-access-token',
      restApiId: this.api.id,
      type: 'COGNITO_USER_POOLS',
      providerArns: [props.userPoolArn],
      identitySource: 'method.request.header.Authorization',
    });

    // Read at synth time, once every route and every resource users add beside the construct exists. A local, not
    // an argument of jsonencode: cdktf writes strings inside a function call without escaping their quotes and
    // backslashes (cdktf lib/tfExpression.js, escapeString), which breaks on a model schema or a mapping template,
    // whereas a local is written as JSON, whose strings Terraform reads exactly as it reads the resources' own.
    this.definition = new TerraformLocal(this, 'definition', Lazy.anyValue({ produce: () => apiDefinition(this.api) }));
    this.deployment = new ApiGatewayDeployment(this, 'deployment', {
      restApiId: this.api.id,
      description: 'Managed by Terraform: replaced whenever the API definition changes.',
      // Hashed by Terraform, so the values the definition refers to (a replaced pool, a new function) count too.
      // Referring to every definition resource also makes Terraform create the deployment after all of them.
      triggers: { redeployment: Fn.sha1(Fn.jsonencode(this.definition.expression)) },
      lifecycle: { createBeforeDestroy: true },
    });

    this.accessLogGroup = new CloudwatchLogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${props.name}/${props.stageName}/access`,
      retentionInDays: props.logRetentionDays,
    });

    // API Gateway writes execution logs to this group; made here, it has a retention instead of none.
    this.executionLogGroup = new CloudwatchLogGroup(this, 'execution-logs', {
      name: `API-Gateway-Execution-Logs_${this.api.id}/${props.stageName}`,
      retentionInDays: props.logRetentionDays,
    });

    this.stage = new ApiGatewayStage(this, 'stage', {
      restApiId: this.api.id,
      deploymentId: this.deployment.id,
      stageName: props.stageName,
      xrayTracingEnabled: true,
      accessLogSettings: {
        destinationArn: this.accessLogGroup.arn,
        format: JSON.stringify({ ...ACCESS_LOG_FIELDS, ...(this.apiKeyRequired && API_KEY_LOG_FIELD) }),
      },
      dependsOn: [this.executionLogGroup],
    });

    new ApiGatewayMethodSettings(this, 'method-settings', {
      restApiId: this.api.id,
      stageName: this.stage.stageName,
      methodPath: '*/*',
      settings: {
        metricsEnabled: true,
        loggingLevel: props.loggingLevel ?? 'ERROR',
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttling.rateLimit,
        throttlingBurstLimit: props.throttling.burstLimit,
      },
    });

    const validationBody =
      `{"error":{"code":"${props.validationErrorCode ?? 'ValidationFailed'}",` +
      '"message":$context.error.messageString,"requestId":"$context.requestId"}}';
    const responses: Record<string, ApiGatewayGatewayResponse> = {};
    for (const [type, body] of [
      ...GATEWAY_RESPONSE_TYPES.map((t) => [t, GATEWAY_ERROR_BODY] as const),
      ['BAD_REQUEST_BODY', validationBody] as const,
    ]) {
      responses[type] = new ApiGatewayGatewayResponse(this, `response-${type.toLowerCase()}`, {
        restApiId: this.api.id,
        responseType: type,
        responseTemplates: { 'application/json': body },
        responseParameters: props.cors && {
          'gatewayresponse.header.Access-Control-Allow-Origin': `'${props.cors.allowOrigin}'`,
        },
      });
    }
    this.gatewayResponses = responses;

    this.invokeUrl = this.stage.invokeUrl;
  }

  /** Adds `method path`, authorized by the Cognito authorizer with `scopes`, proxied to `handler`. */
  public addRoute(options: RouteOptions): ApiGatewayMethod {
    const key = `${options.method} ${options.path}`;
    if (!options.scopes || options.scopes.length === 0) {
      throw new Error(
        `${this.node.path}: ${key} needs at least one scope; without scopes API Gateway accepts only ID tokens, ` +
          'which the client-credentials flow never issues.',
      );
    }
    if (this.routes.has(key)) {
      throw new Error(`${this.node.path}: ${key} is defined twice.`);
    }
    const resourceId = this.resourceIdFor(options.path);
    const name = routeName(options.method, options.path);

    const method = new ApiGatewayMethod(this, `method-${name}`, {
      restApiId: this.api.id,
      resourceId,
      httpMethod: options.method,
      authorization: 'COGNITO_USER_POOLS',
      authorizerId: this.authorizer.id,
      authorizationScopes: [...options.scopes],
      ...(this.apiKeyRequired && { apiKeyRequired: true }),
      requestParameters: Object.fromEntries(
        pathParameters(options.path).map((p) => [`method.request.path.${p}`, true]),
      ),
      ...(options.requestModel && {
        requestValidatorId: this.validator().id,
        requestModels: { 'application/json': this.model(options.requestModel).name },
      }),
    });
    const integration = new ApiGatewayIntegration(this, `integration-${name}`, {
      restApiId: this.api.id,
      resourceId,
      httpMethod: method.httpMethod,
      type: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      uri: options.handler.invokeArn,
    });
    new LambdaPermission(this, `permission-${name}`, {
      action: 'lambda:InvokeFunction',
      functionName: options.handler.functionName,
      principal: 'apigateway.amazonaws.com',
      // Only this API, this method and this path (any stage) may invoke the function.
      sourceArn: `${this.api.executionArn}/*/${options.method}${executeApiPath(options.path)}`,
    });

    this.routes.add(key);
    this.routeIntegrations.push(integration);
    const methods = this.methodsByPath.get(options.path);
    if (methods) methods.push(options.method);
    else {
      this.methodsByPath.set(options.path, [options.method]);
      if (this.cors) this.addPreflight(options.path, resourceId, this.cors);
    }
    return method;
  }

  /** The integration of every route added so far (not the CORS preflights), in the order the routes were added. */
  public get integrations(): readonly ApiGatewayIntegration[] {
    return [...this.routeIntegrations];
  }

  /** OPTIONS on `path`, answered by API Gateway itself (a MOCK integration) with the CORS headers. */
  private addPreflight(path: string, resourceId: string, cors: CorsOptions): void {
    const name = routeName('OPTIONS', path);
    const header = (h: string) => `method.response.header.Access-Control-${h}`;
    const headers = ['Allow-Origin', 'Allow-Methods', 'Allow-Headers', 'Max-Age'];
    const method = new ApiGatewayMethod(this, `method-${name}`, {
      restApiId: this.api.id,
      resourceId,
      httpMethod: 'OPTIONS',
      authorization: 'NONE',
    });
    const integration = new ApiGatewayIntegration(this, `integration-${name}`, {
      restApiId: this.api.id,
      resourceId,
      httpMethod: method.httpMethod,
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 204}' },
    });
    const methodResponse = new ApiGatewayMethodResponse(this, `method-response-${name}`, {
      restApiId: this.api.id,
      resourceId,
      httpMethod: method.httpMethod,
      statusCode: '204',
      responseParameters: Object.fromEntries(headers.map((h) => [header(h), true])),
    });
    new ApiGatewayIntegrationResponse(this, `integration-response-${name}`, {
      restApiId: this.api.id,
      resourceId,
      httpMethod: method.httpMethod,
      statusCode: methodResponse.statusCode,
      responseParameters: {
        [header('Allow-Origin')]: `'${cors.allowOrigin}'`,
        // Read at synth time, once every route of the path is known.
        [header('Allow-Methods')]: Lazy.stringValue({
          produce: () => `'${['OPTIONS', ...(this.methodsByPath.get(path) ?? [])].join(',')}'`,
        }),
        [header('Allow-Headers')]:
          `'${(cors.allowHeaders ?? ['Authorization', 'Content-Type', 'If-Match']).join(',')}'`,
        [header('Max-Age')]: `'${cors.maxAgeSeconds ?? 600}'`,
      },
      dependsOn: [integration],
    });
  }

  /** The API's one request validator: bodies against their model, and required parameters. */
  private validator(): ApiGatewayRequestValidator {
    this.bodyValidator ??= new ApiGatewayRequestValidator(this, 'body-validator', {
      restApiId: this.api.id,
      name: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    return this.bodyValidator;
  }

  private model(model: RequestModel): ApiGatewayModel {
    if (!/^[A-Za-z0-9]+$/.test(model.name)) {
      throw new Error(`${this.node.path}: model name "${model.name}" must be alphanumeric.`);
    }
    const schema = JSON.stringify(model.schema);
    const existing = this.models.get(model.name);
    if (existing && existing.schema !== schema) {
      throw new Error(`${this.node.path}: two different schemas are named "${model.name}"; give each its own name.`);
    }
    if (existing) return existing.model;
    const created = new ApiGatewayModel(this, `model-${model.name}`, {
      restApiId: this.api.id,
      name: model.name,
      contentType: 'application/json',
      schema,
    });
    this.models.set(model.name, { model: created, schema });
    return created;
  }

  /** The API Gateway resource id of `path`, creating the missing resources along it. */
  private resourceIdFor(path: string): string {
    if (!/^\/[A-Za-z0-9._\-{}/]*$/.test(path) || path.includes('//') || (path.length > 1 && path.endsWith('/'))) {
      throw new Error(`${this.node.path}: "${path}" is not a resource path like /categories/{id}.`);
    }
    let parentId = this.api.rootResourceId;
    let current = '';
    for (const part of path.split('/').filter(Boolean)) {
      current += `/${part}`;
      let resource = this.resources.get(current);
      if (!resource) {
        const clash = this.slugs.get(slug(current));
        if (clash !== undefined) {
          throw new Error(
            `${this.node.path}: paths ${clash} and ${current} cannot both be resources here; rename one of them.`,
          );
        }
        this.slugs.set(slug(current), current);
        resource = new ApiGatewayResource(this, `resource-${slug(current)}`, {
          restApiId: this.api.id,
          parentId,
          pathPart: part,
        });
        this.resources.set(current, resource);
      }
      parentId = resource.id;
    }
    return parentId;
  }
}

function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

/** The resource path as it appears in an execute-api ARN: path parameters become wildcards. */
function executeApiPath(path: string): string {
  return path.replace(/\{[^}]+\}/g, '*');
}

function slug(path: string): string {
  return path.replace(/[{}]/g, '').replace(/^\//, '').replace(/\//g, '-') || 'root';
}

function routeName(method: HttpMethod | 'OPTIONS', path: string): string {
  return `${method.toLowerCase()}-${slug(path)}`;
}
