/**
 * The responses of an operation: what the integration answers (the function by its contract, a MOCK by its method
 * responses, or anything when unknown) and what API Gateway itself may answer, merged per status.
 */
import type { OpenAPIV3_1 } from 'openapi-types';
import type { NamedSchema } from '../functions/shared/http-contract';
import { routeContract, type RouteContract } from './function-contracts';
import { applicableResponseTypes, gatewayAnswer } from './gateway-responses';
import type { MethodDefinition, RestApiDefinition } from './rest-api';

export type Schema = OpenAPIV3_1.SchemaObject | OpenAPIV3_1.ReferenceObject;
type Header = OpenAPIV3_1.HeaderObject | OpenAPIV3_1.ReferenceObject;

export const ref = (kind: 'schemas' | 'headers', name: string): OpenAPIV3_1.ReferenceObject => ({
  $ref: `#/components/${kind}/${name}`,
});

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

/** What the integration answers, by status: the function's contract, a MOCK's method responses, or unknown. */
export function integrationAnswers(
  method: MethodDefinition,
  named: (schema: NamedSchema) => OpenAPIV3_1.ReferenceObject,
): { answers: Map<string, Answer[]>; contract: RouteContract | undefined } {
  const answers = new Map<string, Answer[]>();
  const { lambda, type } = method.integration;
  const route = `${method.httpMethod} ${method.path}`;
  const contract = lambda ? routeContract(lambda, route) : undefined;
  if (contract) {
    for (const [status, response] of contract.responses) {
      answers.set(String(status), [
        {
          description: response.description,
          ...(response.body && { mediaType: JSON_MEDIA_TYPE, schema: named(response.body) }),
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
    const name = lambda?.config.function_name;
    const who = lambda ? `the function ${typeof name === 'string' ? name : lambda.name}` : `the ${type} integration`;
    answers.set('default', [{ description: `Whatever ${who} answers: its contract is not known`, mediaType: '*/*' }]);
  }
  return { answers, contract };
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

export function responses(
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
