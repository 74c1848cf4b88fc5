import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

export const TEST_CLIENT_ID = '5r1k7q2example0client0id00';

type Values = string | readonly string[];

export interface ApiRequest {
  readonly method: string;
  /** Path below the stage, e.g. `/categories/123`. */
  readonly path: string;
  /**
   * API Gateway resource template. By default `/a` stays `/a` and `/a/b` becomes `/a/{id}` with
   * `pathParameters.id = 'b'` (decoded).
   */
  readonly resource?: string;
  readonly query?: Readonly<Record<string, Values>>;
  readonly headers?: Readonly<Record<string, Values>>;
  /** A string is sent as is; anything else is JSON-encoded (with `Content-Type: application/json` by default). */
  readonly body?: unknown;
  /** Send the body base64-encoded, as API Gateway does for binary media types. */
  readonly base64?: boolean;
  /** `Content-Type` of the body; `null` leaves it out. @default 'application/json' when there is a body */
  readonly contentType?: string | null;
  /** Authorizer claims; `null` for none. @default an access token of {@link TEST_CLIENT_ID} */
  readonly claims?: Readonly<Record<string, string>> | null;
  readonly stage?: string;
  readonly requestId?: string;
}

/** Sets an own property, even for names such as `__proto__` (which API Gateway delivers as plain JSON keys). */
function setOwn<T>(target: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

function toMulti(values: Readonly<Record<string, Values>>): Record<string, string[]> {
  const multi: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(values))
    setOwn(multi, name, typeof value === 'string' ? [value] : [...value]);
  return multi;
}

function toSingle(multi: Record<string, string[]>): Record<string, string> {
  const single: Record<string, string> = {};
  for (const [name, values] of Object.entries(multi)) {
    const last = values[values.length - 1];
    if (last !== undefined) setOwn(single, name, last);
  }
  return single;
}

/**
 * Claims the Cognito authorizer passes for a client-credentials access token: all values strings, `exp` and `iat`
 * as dates (see local/FIDELITY.md, "claims").
 */
export function accessTokenClaims(clientId: string = TEST_CLIENT_ID): Record<string, string> {
  return {
    sub: clientId,
    client_id: clientId,
    token_use: 'access',
    scope: 'categories/read categories/write categories/update categories/delete',
    auth_time: '1767225600',
    iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example',
    exp: 'Thu Jan 01 01:00:00 UTC 2026',
    iat: 'Thu Jan 01 00:00:00 UTC 2026',
    jti: randomUUID(),
    version: '2',
  };
}

/** A REST API (v1 payload) Lambda proxy event, shaped as API Gateway sends it behind a Cognito authorizer. */
export function apiGatewayEvent(request: ApiRequest): APIGatewayProxyEvent {
  const stage = request.stage ?? 'dev';
  const requestId = request.requestId ?? randomUUID();
  const segments = request.path.split('/').filter((segment) => segment !== '');
  let resource = request.resource;
  let pathParameters: Record<string, string> | null = null;
  if (resource === undefined) {
    if (segments.length === 2) {
      resource = `/${segments[0]}/{id}`;
      let id = segments[1];
      try {
        id = decodeURIComponent(id);
      } catch {
        // API Gateway passes undecodable escapes through
      }
      pathParameters = { id };
    } else {
      resource = request.path;
    }
  }

  const headers: Record<string, Values> = {
    Accept: 'application/json',
    Host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'User-Agent': 'test-client/1.0',
    'X-Forwarded-Proto': 'https',
    Authorization: 'Bearer eyJraWQiOiJ0ZXN0In0.e30.c2ln',
  };
  let body: string | null = null;
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    if (request.base64) body = Buffer.from(body, 'utf8').toString('base64');
    if (request.contentType !== null) headers['Content-Type'] = request.contentType ?? 'application/json';
  } else if (typeof request.contentType === 'string') {
    headers['Content-Type'] = request.contentType;
  }
  for (const [name, value] of Object.entries(request.headers ?? {})) setOwn(headers, name, value);
  const multiValueHeaders = toMulti(headers);
  const multiQuery = request.query === undefined ? null : toMulti(request.query);
  const claims = request.claims === undefined ? accessTokenClaims() : request.claims;

  return {
    resource,
    path: request.path,
    httpMethod: request.method,
    headers: toSingle(multiValueHeaders),
    multiValueHeaders,
    queryStringParameters: multiQuery === null ? null : toSingle(multiQuery),
    multiValueQueryStringParameters: multiQuery,
    pathParameters,
    stageVariables: null,
    body,
    isBase64Encoded: request.base64 ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: claims === null ? null : { claims },
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      extendedRequestId: requestId.slice(0, 16),
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.10',
        user: null,
        userAgent: 'test-client/1.0',
        userArn: null,
      },
      path: `/${stage}${request.path}`,
      protocol: 'HTTP/1.1',
      requestId,
      requestTime: '01/Jan/2026:00:00:00 +0000',
      requestTimeEpoch: 1767225600000,
      resourceId: 'res123',
      resourcePath: resource,
      stage,
    },
  };
}

/** A Lambda context as the Node.js runtime passes it. */
export function lambdaContext(functionName = 'categories'): Context {
  const awsRequestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/01/01/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 10_000,
    // The Context type still requires the callbacks of Node.js 8 and earlier, deprecated since: nothing calls them.
    /* eslint-disable @typescript-eslint/no-deprecated */
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    /* eslint-enable @typescript-eslint/no-deprecated */
  };
}
