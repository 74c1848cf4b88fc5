/**
 * The OpenAPI 3.1 document of one stage of a REST API, generated from the synthesized stack: paths and methods from
 * the API Gateway resources, security from the Cognito authorizer and resource servers, request bodies from the
 * models, responses from the contract of the function behind each method and from the gateway responses.
 */
import { createHash } from 'node:crypto';
import type { OpenAPIV3_1 } from 'openapi-types';
import { RESPONSE_HEADERS, type NamedSchema } from '../functions/shared/http-contract';
import { SynthOutputError } from '../synth/errors';
import { resourceAttribute } from '../synth/references';
import type { SynthesizedStackConfig } from '../synth/stack-json';
import { parameters } from './parameters';
import { integrationAnswers, ref, responses, type Schema } from './responses';
import { readRestApis, type MethodDefinition, type RestApiDefinition } from './rest-api';
import { modelSchema, zodSchema, zodSchemas } from './schemas';
import {
  API_KEY_SCHEME,
  API_KEY_SECURITY_SCHEME,
  cognitoScheme,
  DOMAIN_PLACEHOLDER,
  scopeIdentifiers,
  type OAuthScheme,
} from './security';

export type OpenApiDocument = OpenAPIV3_1.Document;

export interface DocumentOptions {
  /** The stage to describe. @default the stage of the stack's only REST API */
  readonly stage?: string;
  /** The stage's base URL, without a trailing slash. @default the execute-api URL with server variables */
  readonly apiUrl?: string;
  /** The token endpoint. @default the one the stack fixes (a placeholder for a prefix AWS derives at deployment) */
  readonly tokenUrl?: string;
}

/** The components the operations refer to, collected as they are met. */
class Components {
  readonly models: Record<string, Schema> = {};
  private readonly contracted = new Map<string, NamedSchema['schema']>();

  /** A reference to a contract's named schema, adding it once; one name cannot stand for two schemas. */
  named(named: NamedSchema): OpenAPIV3_1.ReferenceObject {
    const known = this.contracted.get(named.name);
    if (known !== undefined && known !== named.schema) {
      throw new SynthOutputError(`Two different schemas are named ${named.name}.`);
    }
    this.contracted.set(named.name, named.schema);
    return ref('schemas', named.name);
  }

  /** Every schema: the models, and the contracts' (one referring to another by its component). */
  schemas(): Record<string, Schema> {
    const contracted = zodSchemas(this.contracted, (name) => ref('schemas', name).$ref);
    for (const name of Object.keys(contracted)) {
      if (name in this.models) throw new SynthOutputError(`A model and a function's schema are both named ${name}.`);
    }
    return { ...this.models, ...(contracted as Record<string, Schema>) };
  }
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

function security(
  method: MethodDefinition,
  scheme: OAuthScheme | undefined,
  apiKey: boolean,
): OpenAPIV3_1.SecurityRequirementObject[] | undefined {
  const key: OpenAPIV3_1.SecurityRequirementObject = method.apiKeyRequired && apiKey ? { [API_KEY_SCHEME]: [] } : {};
  if (method.authorization === 'NONE') return method.apiKeyRequired ? [key] : [];
  if (method.authorization !== 'COGNITO_USER_POOLS' || !scheme) return undefined;
  // Any of the scopes will do (Method.authorizationScopes): one requirement per scope, each with the API key. (Without
  // scopes a Cognito method wants an ID token, which client credentials never yield: the scheme, with no scope.)
  return method.scopes.length > 0
    ? method.scopes.map((scope) => ({ [scheme.name]: [scope], ...key }))
    : [{ [scheme.name]: [], ...key }];
}

function chooseApi(stack: SynthesizedStackConfig, apis: readonly RestApiDefinition[], stage?: string) {
  const candidates = apis.filter((api) => stage === undefined || api.stages.includes(stage));
  if (candidates.length !== 1 || (stage === undefined && candidates[0].stages.length !== 1)) {
    const found = apis.map((api) => `${api.name} (stages: ${api.stages.join(', ') || 'none'})`).join('; ');
    throw new SynthOutputError(
      `${stack.name}: ${stage === undefined ? 'name the stage to describe' : `no single REST API has a stage "${stage}"`}; ` +
        `its REST APIs: ${found || 'none'}.`,
    );
  }
  return { api: candidates[0], stage: stage ?? candidates[0].stages[0] };
}

/** The OpenAPI 3.1 document of a stage of the stack's REST API. */
export function openApiDocument(stack: SynthesizedStackConfig, options: DocumentOptions = {}): OpenApiDocument {
  const { api, stage } = chooseApi(stack, readRestApis(stack, scopeIdentifiers), options.stage);
  const components = new Components();
  for (const model of api.models) {
    components.models[model.name] = (model.schema === undefined ? {} : modelSchema(model.schema)) as Schema;
  }
  const authorizers = [
    ...new Map(
      api.methods.flatMap((m) =>
        m.authorization === 'COGNITO_USER_POOLS' && m.authorizer ? [[m.authorizer.address, m.authorizer]] : [],
      ),
    ).values(),
  ];
  const schemes = new Map(authorizers.map((a) => [a.address, cognitoScheme(stack, a, options.tokenUrl)]));
  // Keys in the x-api-key header: the default key source, HEADER (AUTHORIZER takes them from a Lambda authorizer).
  const keySource = api.resource.config.api_key_source;
  const apiKey = keySource === undefined || keySource === 'HEADER';
  // A web ACL on one of the API's stages filters its requests (WAF_FILTERED).
  const stages = stack
    .resources('aws_api_gateway_stage')
    .filter((stage) => resourceAttribute(stage.config.rest_api_id)?.name === api.resource.name)
    .map((stage) => `\${${stage.address}.`);
  const hasWebAcl = stack
    .resources('aws_wafv2_web_acl_association')
    .some((association) => stages.some((stage) => String(association.config.resource_arn).includes(stage)));

  const paths: OpenAPIV3_1.PathsObject = {};
  const operationIds = new Set<string>();
  for (const method of [...api.methods].sort((a, b) => a.path.localeCompare(b.path))) {
    const { answers, contract } = integrationAnswers(method, (named) => components.named(named));
    const operation = contract?.operation;
    let operationId =
      operation?.operationId ??
      `${method.httpMethod.toLowerCase()}${pascal(method.path.replace(/[{}+]/g, ' ')) || 'Root'}`;
    for (let n = 2; operationIds.has(operationId); n++) operationId = `${operation?.operationId ?? operationId}${n}`;
    operationIds.add(operationId);
    const scheme = method.authorizer ? schemes.get(method.authorizer.address) : undefined;
    const requirements = security(method, scheme, apiKey);
    const models = Object.entries(method.models);
    const entry: OpenAPIV3_1.OperationObject = {
      operationId,
      summary: operation?.summary ?? `${method.httpMethod} ${method.path}`,
      ...(operation?.description && { description: operation.description }),
      ...(method.authorization !== 'NONE' &&
        !requirements && { 'x-amazon-apigateway-auth': { type: method.authorization } }),
      parameters: parameters(method, operation?.parameters ?? []),
      ...(models.length > 0 && {
        requestBody: {
          required: true,
          content: Object.fromEntries(models.map(([type, model]) => [type, { schema: ref('schemas', model.name) }])),
        },
      }),
      responses: responses(api, method, answers, hasWebAcl),
      ...(requirements && { security: requirements }),
    };
    const verb = (
      method.httpMethod === 'ANY' ? 'x-amazon-apigateway-any-method' : method.httpMethod.toLowerCase()
    ) as OpenAPIV3_1.HttpMethods;
    paths[method.path] = { ...paths[method.path], [verb]: entry };
  }

  const oauth = [...schemes.values()];
  const everyMethodNeedsKey = api.methods.every((m) => m.httpMethod === 'OPTIONS' || m.apiKeyRequired);
  const usesKeys = apiKey && api.methods.some((m) => m.apiKeyRequired);
  const headerComponents: Record<string, OpenAPIV3_1.HeaderObject> = {
    RequestId: {
      description: "API Gateway's id of the request: quote it when reporting a problem",
      required: true,
      schema: { type: 'string' },
    },
    ...Object.fromEntries(
      Object.entries(RESPONSE_HEADERS).map(([name, header]) => [
        name,
        {
          description: header.description,
          required: true,
          schema: zodSchema(header.schema) as OpenAPIV3_1.HeaderObject['schema'],
        },
      ]),
    ),
  };
  const schemas = components.schemas();
  const body = { paths, schemas };
  const version = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 12);
  const placeholders = oauth.some((s) => s.placeholder);
  return {
    openapi: '3.1.0',
    info: {
      title: api.name,
      version,
      description: [
        api.description,
        `Stage \`${stage}\` of the stack ${stack.name}, generated from its synthesized Terraform configuration ` +
          '(`npm run openapi`). `info.version` is a hash of the paths and schemas: it changes with the API.',
        ...(placeholders
          ? [
              `The token URL's \`${DOMAIN_PLACEHOLDER}\` stands for the domain prefix AWS derives at deployment: ` +
                '`npm run openapi -- --stack <stack> --from-outputs` writes the deployed one.',
            ]
          : []),
      ]
        .filter(Boolean)
        .join('\n\n'),
    },
    servers: [
      options.apiUrl === undefined
        ? {
            url: 'https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}',
            description: `Stage ${stage} once deployed`,
            variables: {
              restApiId: { default: 'REST-API-ID', description: "The deployed REST API's id (output `rest_api_id`)" },
              region: { default: stack.region },
              stage: { default: stage, enum: [stage] },
            },
          }
        : { url: options.apiUrl, description: `Stage ${stage}` },
    ],
    ...(oauth.length === 1 && {
      security: [{ [oauth[0].name]: [], ...(usesKeys && everyMethodNeedsKey ? { [API_KEY_SCHEME]: [] } : {}) }],
    }),
    paths,
    components: {
      schemas,
      headers: headerComponents,
      securitySchemes: {
        ...Object.fromEntries(oauth.map((s) => [s.name, s.scheme])),
        ...(usesKeys && { [API_KEY_SCHEME]: API_KEY_SECURITY_SCHEME }),
      },
    },
  };
}
