/**
 * A REST API of a synthesized stack as the document describes it: its resource paths (each resource's `parent_id`
 * down from the API's root), its methods with their authorization, API key, parameters, models, validation and
 * integration, and its gateway responses. Read from the Terraform JSON alone, references followed: a method added to
 * the stack, by the construct or beside it, is in the document.
 */
import { isResponseType, type ResponseType } from '../common/api-gateway-responses';
import { configuredString, configuredValue, type ComputedValue } from '../synth/configured-value';
import { SynthOutputError } from '../synth/errors';
import { resourceAttribute } from '../synth/references';
import type { Resource, SynthesizedStackConfig } from '../synth/stack-json';

export interface ModelDefinition {
  readonly name: string;
  /** The model's JSON Schema (draft-04); `undefined` when it has none. */
  readonly schema: unknown;
}

export interface IntegrationDefinition {
  readonly type: string;
  /** The Lambda function behind an AWS_PROXY or AWS integration. */
  readonly lambda: Resource | undefined;
}

export interface MethodDefinition {
  readonly address: string;
  /** Upper case, as API Gateway stores it (`ANY` included). */
  readonly httpMethod: string;
  /** The resource path, e.g. `/categories/{id}`. */
  readonly path: string;
  readonly authorization: string;
  readonly authorizer: Resource | undefined;
  readonly scopes: readonly string[];
  readonly apiKeyRequired: boolean;
  /** `method.request.<location>.<name>` → required. */
  readonly requestParameters: Readonly<Record<string, boolean>>;
  /** Content type → model. */
  readonly models: Readonly<Record<string, ModelDefinition>>;
  readonly validatesBody: boolean;
  readonly validatesParameters: boolean;
  readonly integration: IntegrationDefinition;
  /** The method responses (`aws_api_gateway_method_response`): status → header → required. */
  readonly methodResponses: Readonly<Record<string, Readonly<Record<string, boolean>>>>;
}

export interface GatewayResponseDefinition {
  readonly type: ResponseType;
  readonly statusCode: string | undefined;
  /** Content type → template. */
  readonly templates: Readonly<Record<string, string>>;
}

export interface RestApiDefinition {
  readonly resource: Resource;
  readonly name: string;
  readonly description: string | undefined;
  readonly stages: readonly string[];
  readonly methods: readonly MethodDefinition[];
  readonly models: readonly ModelDefinition[];
  readonly gatewayResponses: readonly GatewayResponseDefinition[];
}

/** The configured values of a resource's arguments, and the resource each reference points at. */
class Reader {
  constructor(
    readonly stack: SynthesizedStackConfig,
    private readonly computed: ComputedValue,
  ) {}

  string(value: unknown, where: string): string {
    return configuredString(this.stack, value, where, this.computed);
  }

  optionalString(value: unknown, where: string): string | undefined {
    return value === undefined ? undefined : this.string(value, where);
  }

  strings(value: unknown, where: string): string[] {
    const resolved = configuredValue(this.stack, value ?? [], this.computed);
    if (!Array.isArray(resolved)) {
      throw new SynthOutputError(`${this.stack.name}: ${where} has no list of strings before deployment.`);
    }
    return resolved.flat().map(String);
  }
}

/** Every REST API of the stack. `computed` supplies attributes known without deploying (scope identifiers). */
export function readRestApis(stack: SynthesizedStackConfig, computed: ComputedValue): RestApiDefinition[] {
  const reader = new Reader(stack, computed);
  return stack.resources('aws_api_gateway_rest_api').map((api) => readRestApi(reader, api));
}

function readRestApi(reader: Reader, api: Resource): RestApiDefinition {
  const { stack } = reader;
  const ofApi = (type: string): Resource[] =>
    stack
      .resources(type)
      .filter((r) => stack.target(r.config.rest_api_id, 'aws_api_gateway_rest_api', r.address).address === api.address);

  // Resource paths, from each resource's parent_id down from the API's root resource.
  const resources = new Map(ofApi('aws_api_gateway_resource').map((r) => [r.address, r]));
  const paths = new Map<string, string>();
  const pathOf = (value: unknown, where: string, seen: readonly string[] = []): string => {
    const reference = resourceAttribute(value);
    if (reference?.type === 'aws_api_gateway_rest_api' && reference.attribute === 'root_resource_id') return '/';
    const resource = stack.target(value, 'aws_api_gateway_resource', where);
    if (!resources.has(resource.address)) {
      throw new SynthOutputError(`${stack.name}: ${where}: ${resource.address} belongs to another REST API.`);
    }
    const known = paths.get(resource.address);
    if (known !== undefined) return known;
    if (seen.includes(resource.address)) {
      throw new SynthOutputError(`${stack.name}: ${resource.address}: its parent_id chain loops.`);
    }
    const parent = pathOf(resource.config.parent_id, `${resource.address}.parent_id`, [...seen, resource.address]);
    const part = reader.string(resource.config.path_part, `${resource.address}.path_part`);
    const path = parent === '/' ? `/${part}` : `${parent}/${part}`;
    paths.set(resource.address, path);
    return path;
  };
  const methodKey = (resourceId: unknown, httpMethod: unknown, where: string): string =>
    `${reader.string(httpMethod, `${where}.http_method`).toUpperCase()} ${pathOf(resourceId, `${where}.resource_id`)}`;

  const models = ofApi('aws_api_gateway_model').map((model) => {
    const schema = reader.optionalString(model.config.schema, `${model.address}.schema`);
    let parsed: unknown;
    try {
      parsed = schema === undefined ? undefined : JSON.parse(schema);
    } catch {
      throw new SynthOutputError(`${stack.name}: ${model.address}.schema is not valid JSON.`);
    }
    return { name: reader.string(model.config.name, `${model.address}.name`), schema: parsed };
  });
  const validators = new Map(
    ofApi('aws_api_gateway_request_validator').map((v) => [
      v.address,
      { body: v.config.validate_request_body === true, parameters: v.config.validate_request_parameters === true },
    ]),
  );
  const integrations = new Map(
    ofApi('aws_api_gateway_integration').map((integration) => {
      const type = reader.string(integration.config.type, `${integration.address}.type`);
      const lambda =
        type === 'AWS_PROXY' || type === 'AWS'
          ? resourceAttribute(integration.config.uri)?.type === 'aws_lambda_function'
            ? stack.target(integration.config.uri, 'aws_lambda_function', `${integration.address}.uri`)
            : undefined
          : undefined;
      const key = methodKey(integration.config.resource_id, integration.config.http_method, integration.address);
      return [key, { type, lambda }] as const;
    }),
  );
  const methodResponses = new Map<string, Record<string, Record<string, boolean>>>();
  for (const response of ofApi('aws_api_gateway_method_response')) {
    const key = methodKey(response.config.resource_id, response.config.http_method, response.address);
    const status = reader.string(response.config.status_code, `${response.address}.status_code`);
    const headers = Object.entries((response.config.response_parameters ?? {}) as Record<string, unknown>).flatMap(
      ([parameter, required]) => {
        const header = /^method\.response\.header\.(.+)$/.exec(parameter);
        return header ? [[header[1], required === true] as const] : [];
      },
    );
    methodResponses.set(key, { ...methodResponses.get(key), [status]: Object.fromEntries(headers) });
  }

  const methods = ofApi('aws_api_gateway_method').map((method): MethodDefinition => {
    const where = method.address;
    const key = methodKey(method.config.resource_id, method.config.http_method, where);
    const [httpMethod, path] = key.split(' ') as [string, string];
    const integration = integrations.get(key);
    if (!integration) {
      throw new SynthOutputError(
        `${stack.name}: ${where}: ${key} has no integration (API Gateway refuses to deploy it).`,
      );
    }
    const authorization = reader.string(method.config.authorization ?? 'NONE', `${where}.authorization`);
    const validator =
      method.config.request_validator_id === undefined
        ? undefined
        : validators.get(
            stack.target(method.config.request_validator_id, 'aws_api_gateway_request_validator', where).address,
          );
    const methodModels: Record<string, ModelDefinition> = {};
    for (const [contentType, name] of Object.entries((method.config.request_models ?? {}) as Record<string, unknown>)) {
      const modelName = reader.string(name, `${where}.request_models`);
      const model = models.find((m) => m.name === modelName);
      // API Gateway's built-in Empty and Error models describe nothing.
      if (model) methodModels[contentType] = model;
      else if (modelName !== 'Empty' && modelName !== 'Error') {
        throw new SynthOutputError(`${stack.name}: ${where}: request model "${modelName}" is not a model of the API.`);
      }
    }
    return {
      address: where,
      httpMethod,
      path,
      authorization,
      authorizer:
        method.config.authorizer_id === undefined
          ? undefined
          : stack.target(method.config.authorizer_id, 'aws_api_gateway_authorizer', `${where}.authorizer_id`),
      scopes: reader.strings(method.config.authorization_scopes, `${where}.authorization_scopes`),
      apiKeyRequired: configuredValue(stack, method.config.api_key_required) === true,
      requestParameters: Object.fromEntries(
        Object.entries((method.config.request_parameters ?? {}) as Record<string, unknown>).map(([k, v]) => [
          k,
          v === true,
        ]),
      ),
      models: methodModels,
      validatesBody: validator?.body ?? false,
      validatesParameters: validator?.parameters ?? false,
      integration,
      methodResponses: methodResponses.get(key) ?? {},
    };
  });

  const gatewayResponses = ofApi('aws_api_gateway_gateway_response').map((response) => {
    const where = response.address;
    const type = reader.string(response.config.response_type, `${where}.response_type`);
    if (!isResponseType(type)) throw new SynthOutputError(`${stack.name}: ${where}: unknown response_type ${type}.`);
    return {
      type,
      statusCode: reader.optionalString(response.config.status_code, `${where}.status_code`),
      templates: Object.fromEntries(
        Object.entries((response.config.response_templates ?? {}) as Record<string, unknown>).map(([type, t]) => [
          type.toLowerCase(),
          reader.string(t, `${where}.response_templates`),
        ]),
      ),
    };
  });

  return {
    resource: api,
    name: reader.string(api.config.name, `${api.address}.name`),
    description: reader.optionalString(api.config.description, `${api.address}.description`),
    stages: ofApi('aws_api_gateway_stage').map((s) => reader.string(s.config.stage_name, `${s.address}.stage_name`)),
    methods,
    models,
    gatewayResponses,
  };
}
