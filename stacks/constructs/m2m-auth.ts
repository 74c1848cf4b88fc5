import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoResourceServer } from '@cdktf/provider-aws/lib/cognito-resource-server';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import {
  acceptedAccessTokenMinutes,
  DEFAULT_ACCESS_TOKEN_MINUTES,
  MAX_ACCESS_TOKEN_MINUTES,
  MIN_ACCESS_TOKEN_MINUTES,
} from '../../common/cognito-token-validity';

/** One OAuth2 scope of the resource server. */
export interface ScopeDefinition<Name extends string = string> {
  readonly name: Name;
  readonly description: string;
}

export interface M2mAuthProps<Scope extends string> {
  /** Name of the user pool and prefix of the client's name. */
  readonly name: string;
  /** AWS region of the pool: part of the token endpoint and issuer URLs. */
  readonly region: string;
  /** Resource server identifier: the prefix of every scope, as in `access_points/read`. */
  readonly resourceServerIdentifier: string;
  /** Human-readable name of the resource server. @default the identifier */
  readonly resourceServerName?: string;
  /** The scopes the resource server defines; the client may request all of them. */
  readonly scopes: readonly ScopeDefinition<Scope>[];
  /** Access-token lifetime in minutes, 5 to 1440. @default 60 (Cognito's own default) */
  readonly accessTokenValidityMinutes?: number;
  /**
   * Hosted-domain prefix. Must be unique in the region across all AWS accounts.
   * @default the user pool id, lower-cased, `_` replaced by `-`, reserved words replaced (unique in practice)
   */
  readonly domainPrefix?: string;
  /** Refuse to delete the user pool (its clients' credentials would be lost). @default false */
  readonly deletionProtection?: boolean;
  /**
   * The pool's feature plan. Plans differ in features and in the price per monthly active user; client-credentials
   * grants are billed apart, per app client and token request ("User pool feature plans",
   * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html). A pool of machine
   * clients uses no Essentials or Plus feature, so Lite. Customizing client-credentials access tokens (claims,
   * scopes) needs Essentials or Plus: the pre token generation trigger with event version V3_0 ("Pre token
   * generation Lambda trigger"). Without this setting Cognito creates pools in Essentials.
   * @default 'LITE'
   */
  readonly userPoolTier?: 'LITE' | 'ESSENTIALS' | 'PLUS';
}

const DOMAIN_PREFIX_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED_DOMAIN_WORDS = ['aws', 'amazon', 'cognito'];

/**
 * The default hosted-domain prefix: the user pool id (`<region>_<random>`), which no other pool has, lower-cased
 * with `_` as `-`, and with the words Cognito reserves taken out (the random part may spell one of them).
 */
function derivedDomainPrefix(userPoolId: string): string {
  return Fn.replace(Fn.lower(Fn.replace(userPoolId, '_', '-')), `/${RESERVED_DOMAIN_WORDS.join('|')}/`, '0');
}

/** Why Cognito would refuse `prefix` as a hosted-domain prefix, or `undefined` when it is acceptable. */
export function domainPrefixProblem(prefix: string): string | undefined {
  if (!DOMAIN_PREFIX_PATTERN.test(prefix)) {
    return 'use 1 to 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit';
  }
  const reserved = RESERVED_DOMAIN_WORDS.find((word) => prefix.includes(word));
  return reserved ? `it must not contain the reserved word "${reserved}"` : undefined;
}

/**
 * An Amazon Cognito user pool that issues OAuth2 client-credentials ("machine to machine") access tokens:
 * a resource server with typed scopes, one confidential app client allowed only `client_credentials`,
 * and the hosted domain that serves the token endpoint.
 */
export class M2mAuth<Scope extends string> extends Construct {
  public readonly userPool: CognitoUserPool;
  public readonly resourceServer: CognitoResourceServer;
  public readonly client: CognitoUserPoolClient;
  public readonly domain: CognitoUserPoolDomain;
  /** `https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token` */
  public readonly tokenEndpoint: string;
  /** The `iss` claim of the pool's tokens. */
  public readonly issuer: string;
  /** Where the pool publishes its signing keys. */
  public readonly jwksUri: string;
  private readonly identifier: string;
  private readonly scopeNames: ReadonlySet<string>;

  constructor(scope: Construct, id: string, props: M2mAuthProps<Scope>) {
    super(scope, id);
    const validityMinutes = props.accessTokenValidityMinutes ?? DEFAULT_ACCESS_TOKEN_MINUTES;
    this.validate(props, validityMinutes);
    this.identifier = props.resourceServerIdentifier;
    this.scopeNames = new Set(props.scopes.map((s) => s.name));

    this.userPool = new CognitoUserPool(this, 'user-pool', {
      name: props.name,
      deletionProtection: props.deletionProtection ? 'ACTIVE' : 'INACTIVE',
      userPoolTier: props.userPoolTier ?? 'LITE',
      // Machines sign in with client credentials only: no self sign-up, no user attributes to verify.
      adminCreateUserConfig: { allowAdminCreateUserOnly: true },
      accountRecoverySetting: { recoveryMechanism: [{ name: 'admin_only', priority: 1 }] },
    });

    this.resourceServer = new CognitoResourceServer(this, 'resource-server', {
      userPoolId: this.userPool.id,
      identifier: props.resourceServerIdentifier,
      name: props.resourceServerName ?? props.resourceServerIdentifier,
      scope: props.scopes.map((s) => ({ scopeName: s.name, scopeDescription: s.description })),
    });

    this.client = new CognitoUserPoolClient(this, 'client', {
      name: `${props.name}-client`,
      userPoolId: this.userPool.id,
      generateSecret: true,
      allowedOauthFlows: ['client_credentials'],
      allowedOauthFlowsUserPoolClient: true,
      // Taken from the resource server so Terraform creates the scopes before the client that uses them.
      allowedOauthScopes: this.resourceServer.scopeIdentifiers,
      supportedIdentityProviders: ['COGNITO'],
      accessTokenValidity: validityMinutes,
      tokenValidityUnits: [{ accessToken: 'minutes' }],
      enableTokenRevocation: true,
    });

    this.domain = new CognitoUserPoolDomain(this, 'domain', {
      userPoolId: this.userPool.id,
      domain: props.domainPrefix ?? derivedDomainPrefix(this.userPool.id),
    });

    const host = `${this.domain.domain}.auth.${props.region}.amazoncognito.com`;
    this.tokenEndpoint = `https://${host}/oauth2/token`;
    this.issuer = `https://cognito-idp.${props.region}.amazonaws.com/${this.userPool.id}`;
    this.jwksUri = `${this.issuer}/.well-known/jwks.json`;
  }

  /** The full scope string (`<identifier>/<name>`) that a method demands. */
  public scope(name: Scope): string {
    if (!this.scopeNames.has(name)) {
      throw new Error(`${this.node.path}: the resource server defines no scope "${name}".`);
    }
    return `${this.identifier}/${name}`;
  }

  /** Every scope string the resource server defines. */
  public get allScopes(): string[] {
    return [...this.scopeNames].map((name) => `${this.identifier}/${name}`);
  }

  private validate(props: M2mAuthProps<Scope>, validityMinutes: number): void {
    const where = this.node.path;
    if (props.scopes.length === 0) {
      throw new Error(`${where}: define at least one scope; client credentials without scopes are refused.`);
    }
    if (!Number.isInteger(validityMinutes) || !acceptedAccessTokenMinutes(validityMinutes)) {
      throw new Error(
        `${where}: accessTokenValidityMinutes is ${validityMinutes}; Cognito accepts whole minutes from ` +
          `${MIN_ACCESS_TOKEN_MINUTES} to ${MAX_ACCESS_TOKEN_MINUTES}.`,
      );
    }
    if (props.domainPrefix !== undefined) {
      const problem = domainPrefixProblem(props.domainPrefix);
      if (problem) {
        throw new Error(`${where}: Cognito domain prefix "${props.domainPrefix}" is invalid: ${problem}.`);
      }
    }
  }
}
