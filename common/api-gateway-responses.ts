/**
 * API Gateway's gateway responses (REST APIs): the response types, the status each answers with when the API sets
 * none, and the body template API Gateway uses when neither the type nor DEFAULT_4XX / DEFAULT_5XX has one of the
 * API's own. Sources: API Gateway developer guide, "Gateway response types for API Gateway" and "Gateway responses
 * for REST APIs in API Gateway". The local gateway renders them; the OpenAPI document describes them.
 */

export type ResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED';

/** The status of each response type when its gateway response sets none. */
export const DEFAULT_STATUS: Readonly<Record<ResponseType, number>> = {
  ACCESS_DENIED: 403,
  API_CONFIGURATION_ERROR: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  AUTHORIZER_FAILURE: 500,
  BAD_REQUEST_PARAMETERS: 400,
  BAD_REQUEST_BODY: 400,
  DEFAULT_4XX: 400,
  DEFAULT_5XX: 500,
  EXPIRED_TOKEN: 403,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  INVALID_API_KEY: 403,
  INVALID_SIGNATURE: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  QUOTA_EXCEEDED: 429,
  REQUEST_TOO_LARGE: 413,
  RESOURCE_NOT_FOUND: 404,
  THROTTLED: 429,
  UNAUTHORIZED: 401,
  UNSUPPORTED_MEDIA_TYPE: 415,
  WAF_FILTERED: 403,
};

/** Whether `type` names a gateway response type API Gateway knows. */
export function isResponseType(type: string): type is ResponseType {
  return Object.hasOwn(DEFAULT_STATUS, type);
}

/** The body API Gateway sends when no gateway response of the API has a template for the type. */
export const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/** What `$context` holds while rendering (dotted paths, e.g. `identity.sourceIp`). */
export type TemplateContext = Readonly<Record<string, string | undefined>>;

const VARIABLE = /\$!?(?:\{(context(?:\.[A-Za-z0-9_:-]+)+)\}|(context(?:\.[A-Za-z0-9_:-]+)+))/g;

/** Renders `$context.x.y` / `${context.x.y}` substitutions; unknown variables render as nothing. */
export function renderTemplate(template: string, context: TemplateContext): string {
  return template.replace(VARIABLE, (_all, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare ?? '').slice('context.'.length);
    return context[name] ?? '';
  });
}
