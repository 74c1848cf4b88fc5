/**
 * The answers API Gateway itself may give to a request for a method — which gateway response types apply to it, and
 * with which status and body — from the method's settings and the API's `aws_api_gateway_gateway_response`s.
 * Sources: API Gateway developer guide, "Gateway response types for API Gateway", "Gateway responses for REST APIs
 * in API Gateway", "Amazon API Gateway quotas", "Throttle requests to your REST APIs for better throughput",
 * "Request validation for REST APIs", "Control access to REST APIs using Amazon Cognito user pools as an authorizer",
 * "Usage plans and API keys for REST APIs".
 */
import { DEFAULT_STATUS, DEFAULT_TEMPLATE, type ResponseType } from '../common/api-gateway-responses';
import type { GatewayResponseDefinition, MethodDefinition } from './rest-api';
import { templateBodySchema, type JsonSchema } from './schemas';

/** Why API Gateway answers with each response type, as the document tells it. */
const REASONS: Readonly<Partial<Record<ResponseType, string>>> = {
  UNAUTHORIZED: 'no valid access token, or (as reported) one without any of the scopes the method demands',
  ACCESS_DENIED:
    'refused by the authorizer; API Gateway does not document whether a token without the scope gets this or 401',
  INVALID_API_KEY: 'no `x-api-key` header, or a key of no usage plan of this stage',
  QUOTA_EXCEEDED: "the API key's usage plan quota is spent",
  THROTTLED: 'throttled (the account, stage, method or usage-plan rate or burst limit)',
  REQUEST_TOO_LARGE: 'the request is larger than 10 MB',
  BAD_REQUEST_BODY: "the body does not match the method's request model",
  BAD_REQUEST_PARAMETERS: 'a required request parameter is missing or blank',
  MISSING_AUTHENTICATION_TOKEN: 'no valid signature (AWS_IAM authorization)',
  INVALID_SIGNATURE: 'the request signature does not match',
  EXPIRED_TOKEN: 'the AWS credentials expired',
  WAF_FILTERED: 'blocked by the web ACL of the stage',
  API_CONFIGURATION_ERROR: 'the API is misconfigured (e.g. no permission to invoke the function)',
  AUTHORIZER_CONFIGURATION_ERROR: 'the authorizer could not be reached',
  AUTHORIZER_FAILURE: 'the authorizer failed',
  INTEGRATION_FAILURE: 'the integration failed',
  INTEGRATION_TIMEOUT: 'the integration did not answer in time',
  DEFAULT_5XX: 'the function failed or answered a malformed result, or Lambda throttled it',
};

/** The gateway response types a request for `method` may meet. */
export function applicableResponseTypes(method: MethodDefinition, hasWebAcl: boolean): ResponseType[] {
  // Every method: the payload quota, and throttling (account-level limits apply to every API).
  const types: ResponseType[] = ['REQUEST_TOO_LARGE', 'THROTTLED'];
  if (method.authorization === 'COGNITO_USER_POOLS') types.push('UNAUTHORIZED', 'ACCESS_DENIED');
  if (method.authorization === 'CUSTOM') {
    types.push('UNAUTHORIZED', 'ACCESS_DENIED', 'AUTHORIZER_CONFIGURATION_ERROR', 'AUTHORIZER_FAILURE');
  }
  if (method.authorization === 'AWS_IAM') {
    types.push('MISSING_AUTHENTICATION_TOKEN', 'INVALID_SIGNATURE', 'EXPIRED_TOKEN', 'ACCESS_DENIED');
  }
  if (method.apiKeyRequired) types.push('INVALID_API_KEY', 'QUOTA_EXCEEDED');
  if (method.validatesBody && Object.keys(method.models).length > 0) types.push('BAD_REQUEST_BODY');
  if (method.validatesParameters && Object.values(method.requestParameters).includes(true)) {
    types.push('BAD_REQUEST_PARAMETERS');
  }
  if (hasWebAcl) types.push('WAF_FILTERED');
  types.push('API_CONFIGURATION_ERROR', 'DEFAULT_5XX');
  if (method.integration.type !== 'MOCK') types.push('INTEGRATION_FAILURE', 'INTEGRATION_TIMEOUT');
  return [...new Set(types)];
}

export interface GatewayAnswer {
  readonly type: ResponseType;
  /**
   * An exact status, or `5XX` for a server error the API sets no status for: API Gateway answers those with 500,
   * 502 (a failed function) or 504 (a timeout).
   */
  readonly status: string;
  readonly description: string;
  /** The content type of the body: the template's. */
  readonly mediaType: string;
  /** The body's schema; `undefined` when the template renders no JSON whose shape can be known. */
  readonly schema: JsonSchema | undefined;
}

/**
 * What API Gateway answers for a response type: the status of the API's gateway response for the type, else the
 * type's own; the `application/json` template (else the first) of the type's gateway response, else of DEFAULT_4XX
 * or DEFAULT_5XX, and API Gateway's default `{"message":$context.error.messageString}` when that has none.
 */
export function gatewayAnswer(type: ResponseType, responses: readonly GatewayResponseDefinition[]): GatewayAnswer {
  const own = responses.find((r) => r.type === type);
  const natural = DEFAULT_STATUS[type];
  const fallback = responses.find((r) => r.type === (natural >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'));
  const defined = (own ?? fallback)?.templates ?? {};
  const templates = Object.keys(defined).length > 0 ? defined : { 'application/json': DEFAULT_TEMPLATE };
  const mediaType = 'application/json' in templates ? 'application/json' : Object.keys(templates)[0];
  const template = templates[mediaType];
  const status = own?.statusCode ?? (natural >= 500 ? '5XX' : String(natural));
  return {
    type,
    status,
    description: `API Gateway ${type}: ${REASONS[type] ?? 'refused by API Gateway'}`,
    mediaType,
    schema: templateBodySchema(template),
  };
}
