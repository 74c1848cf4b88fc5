/**
 * The REST APIs of a synthesized stack, as the local gateway serves them: the resource tree (from each
 * resource's `parent_id` down from the API's root), methods with their authorization, request validation and
 * integration, stages and gateway responses (the Lambda permissions that let API Gateway invoke functions are in
 * `lambda-permissions.ts`). Nothing here is a hand-written route list: add a method to the stack and it is served.
 */
import { resourceAttribute } from '../synth/references';
import type { Resource, SynthesizedStackConfig } from '../synth/stack-json';
import { LOCAL_ACCOUNT_ID } from './environment';
import { LocalStackError } from './errors';
import { isResponseType } from '../common/api-gateway-responses';
import { checkParameterExpression, checkTemplate, type GatewayResponseDefinition } from './gateway-responses';
import type { SchemaCompiler, ValidateFunction } from './json-schema';
import { functionArns } from './lambda';
import { stableId, type ReferenceResolver } from './reference-resolver';

export interface AuthorizerDefinition {
  readonly address: string;
  readonly name: string;
  readonly type: string;
  /** ARNs of the user pools whose tokens it accepts (resolved). */
  readonly providerArns: readonly string[];
}

export interface ModelDefinition {
  readonly name: string;
  readonly contentType: string;
  readonly validate: ValidateFunction;
}

/** What a MOCK integration answers (its integration response for the template's `statusCode`). */
export interface MockResponse {
  readonly status: number;
  /** Header → mapping expression (`'literal'`, `method.request.header.X`, ...). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface IntegrationDefinition {
  readonly address: string;
  readonly type: string;
  /** The `function_name` of the Lambda function behind an AWS_PROXY integration. */
  readonly functionName: string | undefined;
  /** The answer of a MOCK integration; `undefined` when no integration response fits (API Gateway: 500). */
  readonly mock: MockResponse | undefined;
  readonly timeoutMs: number;
}

export interface MethodDefinition {
  readonly address: string;
  readonly httpMethod: string;
  /** Resource path template, e.g. `/categories/{id}`. */
  readonly resourcePath: string;
  readonly resourceId: string;
  readonly authorization: string;
  readonly authorizer: AuthorizerDefinition | undefined;
  readonly scopes: readonly string[];
  /** `api_key_required`: only requests with an API key of a usage plan of the stage (see `usage-plans.ts`). */
  readonly apiKeyRequired: boolean;
  /** `method.request.<location>.<name>` → required. */
  readonly requestParameters: Readonly<Record<string, boolean>>;
  readonly validateBody: boolean;
  readonly validateParameters: boolean;
  /** Content type (or `$default`) → model. */
  readonly models: Readonly<Record<string, ModelDefinition>>;
  readonly integration: IntegrationDefinition;
}

export interface StageDefinition {
  readonly name: string;
  readonly variables: Readonly<Record<string, string>> | null;
  readonly tracing: boolean;
}

export interface ResourceNode {
  readonly id: string;
  readonly pathPart: string;
  readonly path: string;
  readonly children: ResourceNode[];
  readonly methods: Map<string, MethodDefinition>;
}

export interface RestApiDefinition {
  readonly address: string;
  readonly id: string;
  readonly name: string;
  readonly executionArn: string;
  readonly binaryMediaTypes: readonly string[];
  /** Where keyed methods take the API key from: `HEADER` (`x-api-key`, the default) or `AUTHORIZER`. */
  readonly apiKeySource: string;
  readonly root: ResourceNode;
  readonly methods: readonly MethodDefinition[];
  readonly stages: readonly StageDefinition[];
  readonly gatewayResponses: readonly GatewayResponseDefinition[];
}

const GREEDY = /^\{([^}+]+)\+\}$/;
const PARAMETER = /^\{([^}+]+)\}$/;

function restApiIdOf(stack: SynthesizedStackConfig, resource: Resource): string {
  return stableId(`${stack.name}/${resource.address}`, 10);
}

/** Registers the computed attributes of API Gateway resources (ids, root resource, execution ARN, invoke URL). */
export function registerApiAttributes(
  stack: SynthesizedStackConfig,
  resolver: ReferenceResolver,
  apiBaseUrl: string,
): void {
  resolver.register('aws_api_gateway_rest_api', (resource, attribute) => {
    const id = restApiIdOf(stack, resource);
    switch (attribute) {
      case 'id':
        return id;
      case 'root_resource_id':
        return stableId(`${stack.name}/${resource.address}/root`, 10);
      case 'execution_arn':
        return `arn:aws:execute-api:${stack.region}:${LOCAL_ACCOUNT_ID}:${id}`;
      case 'arn':
        return `arn:aws:apigateway:${stack.region}::/restapis/${id}`;
      default:
        return undefined;
    }
  });
  resolver.register('aws_api_gateway_stage', (resource, attribute) => {
    const stageName = resolver.string(resource.config.stage_name, resource.address);
    if (attribute === 'invoke_url') return `${apiBaseUrl}/${stageName}`;
    if (attribute === 'execution_arn') {
      const api = stack.target(resource.config.rest_api_id, 'aws_api_gateway_rest_api', resource.address);
      return `arn:aws:execute-api:${stack.region}:${LOCAL_ACCOUNT_ID}:${restApiIdOf(stack, api)}/${stageName}`;
    }
    return undefined;
  });
  resolver.register('aws_lambda_function', (resource, attribute) => {
    const arns = functionArns(stack, resource);
    if (attribute === 'arn' || attribute === 'qualified_arn') return arns.arn;
    if (attribute === 'invoke_arn' || attribute === 'qualified_invoke_arn') return arns.invokeArn;
    return undefined;
  });
  resolver.register('aws_dynamodb_table', (resource, attribute) => {
    const name = resolver.string(resource.config.name, resource.address);
    if (attribute === 'id') return name;
    if (attribute === 'arn') return `arn:aws:dynamodb:${stack.region}:${LOCAL_ACCOUNT_ID}:table/${name}`;
    return undefined;
  });
  resolver.register('aws_cloudwatch_log_group', (resource, attribute) => {
    const name = resolver.string(resource.config.name, resource.address);
    if (attribute === 'arn') return `arn:aws:logs:${stack.region}:${LOCAL_ACCOUNT_ID}:log-group:${name}`;
    return undefined;
  });
}

function sameRestApi(stack: SynthesizedStackConfig, value: unknown, api: Resource, where: string): boolean {
  return stack.target(value, 'aws_api_gateway_rest_api', where).address === api.address;
}

/** Reads every REST API of the stack. */
export function describeRestApis(
  stack: SynthesizedStackConfig,
  resolver: ReferenceResolver,
  compiler: SchemaCompiler,
): RestApiDefinition[] {
  return stack.resources('aws_api_gateway_rest_api').map((api) => describeRestApi(stack, resolver, compiler, api));
}

function describeRestApi(
  stack: SynthesizedStackConfig,
  resolver: ReferenceResolver,
  compiler: SchemaCompiler,
  api: Resource,
): RestApiDefinition {
  const belongs = (resource: Resource): boolean =>
    sameRestApi(stack, resource.config.rest_api_id, api, resource.address);
  const rootId = resolver.string(`\${${api.address}.root_resource_id}`, api.address);
  const root: ResourceNode = { id: rootId, pathPart: '', path: '/', children: [], methods: new Map() };

  // Resource tree: each resource hangs under its parent_id (the API's root resource or another resource).
  const resources = stack.resources('aws_api_gateway_resource').filter(belongs);
  const nodes = new Map<string, ResourceNode>(); // address → node
  const build = (resource: Resource, seen: Set<string>): ResourceNode => {
    const existing = nodes.get(resource.address);
    if (existing) return existing;
    if (seen.has(resource.address)) throw new LocalStackError(`${resource.address}: its parent_id chain loops.`);
    seen.add(resource.address);
    const parentRef = resourceAttribute(resource.config.parent_id);
    let parent: ResourceNode;
    if (parentRef?.type === 'aws_api_gateway_rest_api' && parentRef.attribute === 'root_resource_id') {
      parent = root;
    } else if (parentRef?.type === 'aws_api_gateway_resource' && parentRef.attribute === 'id') {
      const parentResource = stack.find(parentRef.type, parentRef.name);
      if (!parentResource)
        throw new LocalStackError(`${resource.address}: parent ${parentRef.name} is not in the stack.`);
      parent = build(parentResource, seen);
    } else {
      throw new LocalStackError(
        `${resource.address}: parent_id ${JSON.stringify(resource.config.parent_id)} is not a resource of the API.`,
      );
    }
    const pathPart = resolver.string(resource.config.path_part, `${resource.address}.path_part`);
    if (parent.children.some((child) => child.pathPart === pathPart)) {
      throw new LocalStackError(
        `${resource.address}: ${parent.path} already has a child "${pathPart}" (API Gateway: ConflictException).`,
      );
    }
    if (
      (PARAMETER.test(pathPart) || GREEDY.test(pathPart)) &&
      parent.children.some((c) => PARAMETER.test(c.pathPart) || GREEDY.test(c.pathPart))
    ) {
      throw new LocalStackError(
        `${resource.address}: ${parent.path} may have only one path-parameter child (API Gateway: BadRequestException).`,
      );
    }
    const node: ResourceNode = {
      id: resolver.string(`\${${resource.address}.id}`, resource.address),
      pathPart,
      path: parent.path === '/' ? `/${pathPart}` : `${parent.path}/${pathPart}`,
      children: [],
      methods: new Map(),
    };
    parent.children.push(node);
    nodes.set(resource.address, node);
    return node;
  };
  for (const resource of resources) build(resource, new Set());
  resolver.register('aws_api_gateway_resource', (resource, attribute) =>
    attribute === 'path' ? nodes.get(resource.address)?.path : undefined,
  );
  const nodeOf = (value: unknown, where: string): ResourceNode => {
    const ref = resourceAttribute(value);
    if (ref?.type === 'aws_api_gateway_rest_api' && ref.attribute === 'root_resource_id') return root;
    const resource = stack.target(value, 'aws_api_gateway_resource', where);
    const node = nodes.get(resource.address);
    if (!node) throw new LocalStackError(`${where}: ${resource.address} belongs to another REST API.`);
    return node;
  };

  // Models and validators.
  const models = new Map<string, { contentType: string; validate: ValidateFunction }>();
  for (const model of stack.resources('aws_api_gateway_model').filter(belongs)) {
    const name = resolver.string(model.config.name, `${model.address}.name`);
    const schemaText =
      model.config.schema === undefined ? undefined : resolver.string(model.config.schema, `${model.address}.schema`);
    const contentType = resolver.string(model.config.content_type, `${model.address}.content_type`);
    let validate: ValidateFunction = () => [];
    if (schemaText !== undefined) {
      let schema: unknown;
      try {
        schema = JSON.parse(schemaText);
      } catch {
        throw new LocalStackError(`${model.address}: schema is not valid JSON.`);
      }
      validate = compiler.compile(schema, model.address);
    }
    models.set(name, { contentType, validate });
  }
  const validators = new Map<string, { body: boolean; parameters: boolean }>();
  for (const validator of stack.resources('aws_api_gateway_request_validator').filter(belongs)) {
    validators.set(validator.address, {
      body: validator.config.validate_request_body === true,
      parameters: validator.config.validate_request_parameters === true,
    });
  }

  // MOCK integrations answer with the integration response selected by their request template's statusCode.
  const integrationResponses = stack.resources('aws_api_gateway_integration_response').filter(belongs);
  const mockResponse = (integration: Resource, node: ResourceNode, httpMethod: string): MockResponse | undefined => {
    const where = integration.address;
    const templates = (integration.config.request_templates ?? {}) as Record<string, unknown>;
    const template = templates['application/json'] ?? Object.values(templates)[0];
    const text = template === undefined ? '' : resolver.string(template, `${where}.request_templates`);
    const selected = /"statusCode"\s*:\s*(\d{3})/.exec(text)?.[1] ?? '200';
    const candidates = integrationResponses
      .filter((r) => nodeOf(r.config.resource_id, `${r.address}.resource_id`) === node)
      .filter((r) => resolver.string(r.config.http_method, `${r.address}.http_method`).toUpperCase() === httpMethod);
    const chosen =
      candidates.find((r) => resolver.string(r.config.status_code, `${r.address}.status_code`) === selected) ??
      candidates.find((r) => r.config.selection_pattern === undefined || r.config.selection_pattern === '');
    if (!chosen) return undefined;
    const headers: Record<string, string> = {};
    for (const [key, expression] of Object.entries(
      (chosen.config.response_parameters ?? {}) as Record<string, unknown>,
    )) {
      const header = /^method\.response\.header\.(.+)$/.exec(key);
      if (!header) continue;
      const value = resolver.string(expression, `${chosen.address}.response_parameters`);
      checkParameterExpression(value, `${chosen.address}.response_parameters["${key}"]`);
      headers[header[1]] = value;
    }
    const bodies = (chosen.config.response_templates ?? {}) as Record<string, unknown>;
    const body = bodies['application/json'] ?? Object.values(bodies)[0];
    const bodyText = body === undefined ? '' : resolver.string(body, `${chosen.address}.response_templates`);
    if (bodyText !== '') checkTemplate(bodyText, `${chosen.address}.response_templates`);
    return {
      status: Number(resolver.string(chosen.config.status_code, `${chosen.address}.status_code`)),
      headers,
      body: bodyText,
    };
  };

  // Integrations, keyed by resource node id and HTTP method.
  const integrations = new Map<string, IntegrationDefinition>();
  for (const integration of stack.resources('aws_api_gateway_integration').filter(belongs)) {
    const where = integration.address;
    const node = nodeOf(integration.config.resource_id, `${where}.resource_id`);
    const httpMethod = resolver.string(integration.config.http_method, `${where}.http_method`);
    const type = resolver.string(integration.config.type ?? '', `${where}.type`);
    let functionName: string | undefined;
    if (type === 'AWS_PROXY') {
      const fn = stack.target(integration.config.uri, 'aws_lambda_function', `${where}.uri`);
      if (resourceAttribute(integration.config.uri)?.attribute !== 'invoke_arn') {
        throw new LocalStackError(`${where}.uri: expected the function's invoke_arn.`);
      }
      functionName = resolver.string(fn.config.function_name, `${fn.address}.function_name`);
      if (integration.config.integration_http_method !== 'POST') {
        throw new LocalStackError(`${where}: Lambda integrations must use integration_http_method POST.`);
      }
    }
    const timeout = integration.config.timeout_milliseconds;
    integrations.set(`${node.id} ${httpMethod}`, {
      address: where,
      type,
      functionName,
      mock: type === 'MOCK' ? mockResponse(integration, node, httpMethod) : undefined,
      timeoutMs: typeof timeout === 'number' ? timeout : 29_000,
    });
  }

  // Authorizers.
  const authorizers = new Map<string, AuthorizerDefinition>();
  for (const authorizer of stack.resources('aws_api_gateway_authorizer').filter(belongs)) {
    const providerArns = (
      (resolver.resolve(authorizer.config.provider_arns, `${authorizer.address}.provider_arns`) ?? []) as unknown[]
    ).map(String);
    authorizers.set(authorizer.address, {
      address: authorizer.address,
      name: resolver.string(authorizer.config.name ?? authorizer.name, `${authorizer.address}.name`),
      type: resolver.string(authorizer.config.type ?? 'TOKEN', `${authorizer.address}.type`),
      providerArns,
    });
  }

  // Methods.
  const methods: MethodDefinition[] = [];
  for (const method of stack.resources('aws_api_gateway_method').filter(belongs)) {
    const where = method.address;
    const node = nodeOf(method.config.resource_id, `${where}.resource_id`);
    const httpMethod = resolver.string(method.config.http_method, `${where}.http_method`).toUpperCase();
    const integration = integrations.get(`${node.id} ${httpMethod}`);
    if (!integration) {
      throw new LocalStackError(
        `${where}: ${httpMethod} ${node.path} has no integration (API Gateway refuses to deploy it).`,
      );
    }
    const authorization = resolver.string(method.config.authorization ?? 'NONE', `${where}.authorization`);
    let authorizer: AuthorizerDefinition | undefined;
    if (authorization === 'COGNITO_USER_POOLS' || authorization === 'CUSTOM') {
      const target = stack.target(method.config.authorizer_id, 'aws_api_gateway_authorizer', `${where}.authorizer_id`);
      authorizer = authorizers.get(target.address);
    }
    const validatorRef = method.config.request_validator_id;
    const validator =
      validatorRef === undefined
        ? undefined
        : validators.get(
            stack.target(validatorRef, 'aws_api_gateway_request_validator', `${where}.request_validator_id`).address,
          );
    const methodModels: Record<string, ModelDefinition> = {};
    const requestModels = (method.config.request_models ?? {}) as Record<string, unknown>;
    for (const [contentType, modelName] of Object.entries(requestModels)) {
      const name = resolver.string(modelName, `${where}.request_models`);
      if (name === 'Empty' || name === 'Error') continue; // API Gateway's built-in models validate nothing
      const model = models.get(name);
      if (!model) throw new LocalStackError(`${where}: request model "${name}" is not a model of the API.`);
      methodModels[contentType.toLowerCase()] = { name, contentType, validate: model.validate };
    }
    const definition: MethodDefinition = {
      address: where,
      httpMethod,
      resourcePath: node.path,
      resourceId: node.id,
      authorization,
      authorizer,
      scopes: ((method.config.authorization_scopes ?? []) as unknown[]).map((scope) =>
        resolver.string(scope, `${where}.authorization_scopes`),
      ),
      apiKeyRequired: method.config.api_key_required === true,
      requestParameters: (method.config.request_parameters ?? {}) as Record<string, boolean>,
      validateBody: validator?.body ?? false,
      validateParameters: validator?.parameters ?? false,
      models: methodModels,
      integration,
    };
    if (node.methods.has(httpMethod))
      throw new LocalStackError(`${where}: ${httpMethod} ${node.path} is defined twice.`);
    node.methods.set(httpMethod, definition);
    methods.push(definition);
  }

  // Stages.
  const stages = stack
    .resources('aws_api_gateway_stage')
    .filter(belongs)
    .map((stage) => {
      const variables = stage.config.variables as Record<string, unknown> | undefined;
      return {
        name: resolver.string(stage.config.stage_name, `${stage.address}.stage_name`),
        variables: variables
          ? Object.fromEntries(
              Object.entries(variables).map(([k, v]) => [k, resolver.string(v, `${stage.address}.variables`)]),
            )
          : null,
        tracing: stage.config.xray_tracing_enabled === true,
      };
    });

  // Gateway responses.
  const gatewayResponses: GatewayResponseDefinition[] = stack
    .resources('aws_api_gateway_gateway_response')
    .filter(belongs)
    .map((response) => {
      const where = response.address;
      const type = String(response.config.response_type);
      if (!isResponseType(type)) throw new LocalStackError(`${where}: unknown response_type ${type}.`);
      const templates = Object.fromEntries(
        Object.entries((response.config.response_templates ?? {}) as Record<string, unknown>).map(
          ([contentType, template]) => {
            const text = resolver.string(template, `${where}.response_templates`);
            checkTemplate(text, `${where}.response_templates["${contentType}"]`);
            return [contentType.toLowerCase(), text];
          },
        ),
      );
      const headers: Record<string, string> = {};
      for (const [key, expression] of Object.entries(
        (response.config.response_parameters ?? {}) as Record<string, unknown>,
      )) {
        const match = /^gatewayresponse\.header\.(.+)$/.exec(key);
        if (!match)
          throw new LocalStackError(`${where}: response parameter ${key} is not gatewayresponse.header.<name>.`);
        const text = resolver.string(expression, `${where}.response_parameters`);
        checkParameterExpression(text, `${where}.response_parameters["${key}"]`);
        headers[match[1]] = text;
      }
      const status = response.config.status_code;
      return {
        type,
        statusCode: status === undefined ? undefined : Number(resolver.string(status, `${where}.status_code`)),
        templates,
        headers,
      };
    });

  const binary = api.config.binary_media_types;
  return {
    address: api.address,
    id: resolver.string(`\${${api.address}.id}`, api.address),
    name: resolver.string(api.config.name ?? api.name, `${api.address}.name`),
    executionArn: resolver.string(`\${${api.address}.execution_arn}`, api.address),
    binaryMediaTypes: Array.isArray(binary) ? binary.map(String) : [],
    apiKeySource:
      api.config.api_key_source === undefined ? 'HEADER' : resolver.string(api.config.api_key_source, api.address),
    root,
    methods,
    stages,
    gatewayResponses,
  };
}

export interface RouteMatch {
  readonly method: MethodDefinition;
  readonly node: ResourceNode;
  /** Decoded path parameters, or `null` when the resource has none. */
  readonly pathParameters: Record<string, string> | null;
}

/** A percent-decoded path segment; a segment that is not valid percent-encoding stays as it is. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Finds the method for `segments` (raw, still percent-encoded) and `httpMethod`: literal path parts before
 * `{param}` before `{proxy+}` (greedy, one or more segments), the method itself before `ANY`. An empty segment
 * (a double or trailing slash) matches nothing.
 */
export function matchRoute(
  root: ResourceNode,
  segments: readonly string[],
  httpMethod: string,
): RouteMatch | undefined {
  if (segments.some((segment) => segment === '')) return undefined;
  const walk = (node: ResourceNode, index: number, params: Record<string, string>): RouteMatch | undefined => {
    if (index === segments.length) {
      const method = node.methods.get(httpMethod) ?? node.methods.get('ANY');
      if (!method) return undefined;
      return { method, node, pathParameters: Object.keys(params).length === 0 ? null : params };
    }
    const segment = segments[index];
    const literal = node.children.find((child) => child.pathPart === segment);
    if (literal) {
      const found = walk(literal, index + 1, params);
      if (found) return found;
    }
    for (const child of node.children) {
      const parameter = PARAMETER.exec(child.pathPart);
      if (parameter) {
        const found = walk(child, index + 1, { ...params, [parameter[1]]: decodeSegment(segment) });
        if (found) return found;
      }
    }
    for (const child of node.children) {
      const greedy = GREEDY.exec(child.pathPart);
      if (greedy) {
        const method = child.methods.get(httpMethod) ?? child.methods.get('ANY');
        if (method) {
          const value = segments.slice(index).map(decodeSegment).join('/');
          return { method, node: child, pathParameters: { ...params, [greedy[1]]: value } };
        }
      }
    }
    return undefined;
  };
  return walk(root, 0, {});
}
