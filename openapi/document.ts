/**
 * The OpenAPI 3.1 document of one stage of a REST API, generated from the synthesized stack: paths and methods from
 * the API Gateway resources, security from the Cognito authorizer and resource servers, request bodies from the
 * models, responses from the contract of the function behind each method and from the gateway responses.
 */
import { createHash } from 'node:crypto';
import type { OpenAPIV3_1 } from 'openapi-types';
import { RESPONSE_HEADERS, type NamedSchema, type ParameterContract } from '../functions/shared/http-contract';
import { SynthOutputError } from '../synth/errors';
import { resourceAttribute } from '../synth/references';
import type { SynthesizedStackConfig } from '../synth/stack-json';
import { routeContract } from './function-contracts';
import { applicableResponseTypes, gatewayAnswer } from './gateway-responses';
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

type Schema = OpenAPIV3_1.SchemaObject | OpenAPIV3_1.ReferenceObject;
type Header = OpenAPIV3_1.HeaderObject | OpenAPIV3_1.ReferenceObject;

/** One party that may answer with a status: the function (by its contract) or API Gateway. */
interface Answer {
  readonly description: string;
  /** The media type of its body; none for an answer without one. */
  readonly mediaType?: string;
  /** The body's schema; `undefined` for a body of unknown shape. */
  readonly schema?: Schema;
  /** By name: the header, and whether it is always there. */
  readonly headers?: Readonly<Record<string, { readonly header: Header; readonly required: boolean }>>;
}

/** API Gateway's request id, on every response it sends ("observed": not in a specification). */
const REQUEST_ID_HEADER = 'x-amzn-RequestId';
const JSON_MEDIA_TYPE = 'application/json';
/** The server-error statuses API Gateway answers with itself ("Gateway response types"; 502 for a failed function). */
const GATEWAY_5XX: readonly string[] = ['500', '502', '504'];

const ref = (kind: 'schemas' | 'headers', name: string): OpenAPIV3_1.ReferenceObject => ({
  $ref: `#/components/${kind}/${name}`,
});

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

function parameterName(location: string, name: string): string {
  return location === 'header' ? name.toLowerCase() : name;
}

/** The parameters of a method: its path's, its declared request parameters, and those its function reads. */
function parameters(method: MethodDefinition, contracted: readonly ParameterContract[]): OpenAPIV3_1.ParameterObject[] {
  const found = new Map<string, OpenAPIV3_1.ParameterObject>();
  const add = (parameter: OpenAPIV3_1.ParameterObject): void => {
    const key = `${parameter.in} ${parameterName(parameter.in, parameter.name)}`;
    const known = found.get(key);
    found.set(key, known ? { ...known, ...parameter, required: known.required || parameter.required } : parameter);
  };
  for (const [, name] of method.path.matchAll(/\{([^}]+)\}/g)) {
    const greedy = name.endsWith('+');
    add({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
      ...(greedy && { description: 'One or more path segments (a greedy path variable)' }),
    });
  }
  for (const [key, required] of Object.entries(method.requestParameters)) {
    const match = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/.exec(key);
    if (!match || match[1] === 'path') continue;
    const location = match[1].endsWith('querystring') ? 'query' : 'header';
    add({ name: match[2], in: location, required, schema: { type: 'string' } });
  }
  for (const parameter of contracted) {
    add({
      name: parameter.name,
      in: parameter.in,
      description: parameter.description,
      required: parameter.in === 'path' || parameter.required === true,
      schema: zodSchema(parameter.schema) as OpenAPIV3_1.ParameterObject['schema'],
    });
  }
  return [...found.values()];
}

/** What the integration answers, by status: the function's contract, a MOCK's method responses, or unknown. */
function integrationAnswers(
  method: MethodDefinition,
  components: Components,
): { answers: Map<string, Answer[]>; operation: ReturnType<typeof routeContract> } {
  const answers = new Map<string, Answer[]>();
  const { lambda, type } = method.integration;
  const route = `${method.httpMethod} ${method.path}`;
  const contract = lambda ? routeContract(lambda, route) : undefined;
  if (contract) {
    for (const [status, response] of contract.responses) {
      answers.set(String(status), [
        {
          description: response.description,
          ...(response.body && { mediaType: JSON_MEDIA_TYPE, schema: components.named(response.body) }),
          headers: Object.fromEntries(
            (response.headers ?? []).map((name) => [name, { header: ref('headers', name), required: true }]),
          ),
        },
      ]);
    }
  } else if (type === 'MOCK' && Object.keys(method.methodResponses).length > 0) {
    for (const [status, headers] of Object.entries(method.methodResponses)) {
      answers.set(status, [
        {
          description: 'Answered by API Gateway itself (MOCK integration)',
          headers: Object.fromEntries(
            Object.entries(headers).map(([name, required]) => [
              name,
              { header: { required, schema: { type: 'string' } }, required },
            ]),
          ),
        },
      ]);
    }
  } else {
    const who = lambda
      ? `the function ${String(lambda.config.function_name ?? lambda.name)}`
      : `the ${type} integration`;
    answers.set('default', [{ description: `Whatever ${who} answers: its contract is not known`, mediaType: '*/*' }]);
  }
  return { answers, operation: contract };
}

/** One response object for the answers that share a status. */
function responseObject(answers: readonly Answer[]): OpenAPIV3_1.ResponseObject {
  const descriptions = [...new Set(answers.map((a) => a.description))];
  const headerNames = Object.keys(answers[0].headers ?? {}).filter((name) => answers.every((a) => a.headers?.[name]));
  const headers: Record<string, Header> = { [REQUEST_ID_HEADER]: ref('headers', 'RequestId') };
  for (const name of headerNames) headers[name] = answers[0].headers?.[name]?.header as Header;
  const content: Record<string, OpenAPIV3_1.MediaTypeObject> = {};
  for (const mediaType of new Set(answers.flatMap((a) => (a.mediaType ? [a.mediaType] : [])))) {
    const bodies = answers.filter((a) => a.mediaType === mediaType);
    const schemas = [...new Map(bodies.map((a) => [JSON.stringify(a.schema), a.schema])).values()];
    // A body of unknown shape among them leaves the shape open.
    content[mediaType] = schemas.includes(undefined)
      ? {}
      : { schema: schemas.length === 1 ? schemas[0] : ({ anyOf: schemas } as OpenAPIV3_1.SchemaObject) };
  }
  return {
    description: descriptions.length === 1 ? descriptions[0] : descriptions.map((d) => `- ${d}`).join('\n'),
    headers,
    ...(Object.keys(content).length > 0 && { content }),
  };
}

function responses(
  api: RestApiDefinition,
  method: MethodDefinition,
  answers: Map<string, Answer[]>,
  hasWebAcl: boolean,
): OpenAPIV3_1.ResponsesObject {
  for (const type of applicableResponseTypes(method, hasWebAcl)) {
    const answer = gatewayAnswer(type, api.gatewayResponses);
    const list = answers.get(answer.status) ?? [];
    list.push({
      description: answer.description,
      mediaType: answer.mediaType,
      ...(answer.schema !== undefined && { schema: answer.schema as Schema }),
    });
    answers.set(answer.status, list);
  }
  // An exact status takes precedence over the 5XX range, so one API Gateway itself answers with (500, 502 for a
  // failed function, 504) takes the range's answers too.
  const serverErrors = answers.get('5XX') ?? [];
  for (const [status, list] of answers) if (GATEWAY_5XX.includes(status)) list.push(...serverErrors);
  const order = (status: string): string => (status === 'default' ? '9' : status);
  return Object.fromEntries(
    [...answers]
      .sort(([a], [b]) => order(a).localeCompare(order(b)))
      .map(([status, list]) => [status, responseObject(list)]),
  );
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
  const apiKey = String(api.resource.config.api_key_source ?? 'HEADER') === 'HEADER';
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
    const { answers, operation: contract } = integrationAnswers(method, components);
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
