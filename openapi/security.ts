/**
 * The security schemes of the document: an OAuth 2.0 client-credentials scheme per Cognito authorizer (the token URL
 * of its user pool's domain, the scopes its pool's resource servers define), and the `x-api-key` header where
 * methods require API keys.
 */
import type { OpenAPIV3_1 } from 'openapi-types';
import { configuredValue, type ComputedValue } from '../synth/configured-value';
import type { Resource, SynthesizedStackConfig } from '../synth/stack-json';

/** The name of the API key scheme: API Gateway reads keys from the `x-api-key` header (`api_key_source` HEADER). */
export const API_KEY_SCHEME = 'api-key';

/**
 * Scope identifiers are computed by AWS, but from configuration only: `<identifier>/<scope_name>` per scope
 * ("Scopes, M2M, and APIs with resource servers", Amazon Cognito developer guide).
 */
export const scopeIdentifiers: ComputedValue = (resource, attribute) => {
  if (resource.type !== 'aws_cognito_resource_server' || attribute !== 'scope_identifiers') return undefined;
  const identifier = resource.config.identifier;
  const scopes = (resource.config.scope ?? []) as readonly Record<string, unknown>[];
  return typeof identifier === 'string'
    ? scopes.map((scope) => `${identifier}/${String(scope.scope_name)}`)
    : undefined;
};

function poolsOf(stack: SynthesizedStackConfig, authorizer: Resource): Resource[] {
  const arns = (authorizer.config.provider_arns ?? []) as readonly unknown[];
  return arns.map((arn) => stack.target(arn, 'aws_cognito_user_pool', `${authorizer.address}.provider_arns`));
}

function belongsTo(stack: SynthesizedStackConfig, resource: Resource, pool: Resource): boolean {
  return stack.target(resource.config.user_pool_id, 'aws_cognito_user_pool', resource.address).address === pool.address;
}

/** What the token URL is when the stack does not fix it: the domain prefix AWS derives at deployment. */
export const DOMAIN_PLACEHOLDER = 'USER-POOL-DOMAIN';

/**
 * The token endpoint of a pool's domain: `https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token`, or
 * `https://<domain>/oauth2/token` for a custom domain ("Configuring a user pool domain", "The token issuer
 * endpoint"). `placeholder` when the prefix is only known after deployment (derived from the pool id).
 */
function tokenUrlOf(stack: SynthesizedStackConfig, pool: Resource): { url: string; placeholder: boolean } {
  const domain = stack.resources('aws_cognito_user_pool_domain').find((d) => belongsTo(stack, d, pool));
  const configured = domain ? configuredValue(stack, domain.config.domain) : undefined;
  if (typeof configured === 'string' && configured.includes('.')) {
    return { url: `https://${configured}/oauth2/token`, placeholder: false };
  }
  const prefix = typeof configured === 'string' ? configured : DOMAIN_PLACEHOLDER;
  return {
    url: `https://${prefix}.auth.${stack.region}.amazoncognito.com/oauth2/token`,
    placeholder: typeof configured !== 'string',
  };
}

export interface OAuthScheme {
  readonly name: string;
  readonly scheme: OpenAPIV3_1.OAuth2SecurityScheme;
  /** Whether the token URL stands in for one only known after deployment. */
  readonly placeholder: boolean;
}

/** The OAuth 2.0 scheme of a COGNITO_USER_POOLS authorizer; `tokenUrl` overrides the one the stack fixes. */
export function cognitoScheme(
  stack: SynthesizedStackConfig,
  authorizer: Resource,
  tokenUrl: string | undefined,
): OAuthScheme {
  const pools = poolsOf(stack, authorizer);
  const scopes: Record<string, string> = {};
  for (const server of stack.resources('aws_cognito_resource_server')) {
    if (!pools.some((pool) => belongsTo(stack, server, pool))) continue;
    const identifier = String(configuredValue(stack, server.config.identifier));
    for (const scope of (server.config.scope ?? []) as readonly Record<string, unknown>[]) {
      const description = configuredValue(stack, scope.scope_description);
      scopes[`${identifier}/${String(configuredValue(stack, scope.scope_name))}`] =
        typeof description === 'string' ? description : '';
    }
  }
  const derived = pools[0] ? tokenUrlOf(stack, pools[0]) : { url: '', placeholder: true };
  const configuredName = configuredValue(stack, authorizer.config.name);
  const name = typeof configuredName === 'string' ? configuredName : authorizer.name;
  return {
    name,
    placeholder: tokenUrl === undefined && derived.placeholder,
    scheme: {
      type: 'oauth2',
      description:
        'Amazon Cognito access tokens of the client-credentials grant, sent as `Authorization: Bearer <token>`. ' +
        'Authenticate to the token endpoint with the app client id and secret (HTTP Basic). A method accepts a ' +
        'token holding any one of the scopes it lists.',
      flows: { clientCredentials: { tokenUrl: tokenUrl ?? derived.url, scopes } },
    },
  };
}

export const API_KEY_SECURITY_SCHEME: OpenAPIV3_1.ApiKeySecurityScheme = {
  type: 'apiKey',
  in: 'header',
  name: 'x-api-key',
  description: "The consumer's API key (its secret's `apiKey`): the stage meters requests with usage plans.",
};
