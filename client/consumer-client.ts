/**
 * A consumer's ready-to-use clients from its credentials (as a {@link CredentialsSource} loads them): a caching
 * token provider for every scope the consumer holds, and a categories client for its API stage that sends its API
 * key, where it has one, with every API request — never to the token endpoint.
 *
 * ```ts
 * const credentials = await new SecretsManagerCredentialsSource({ secretId: process.env.CREDENTIALS_SECRET_ARN! }).load();
 * const { api } = consumerClient(credentials);
 * const page = await api.list();
 * ```
 */
import type { ConsumerCredentials } from '../contracts/consumer-credentials';
import { CategoriesClient } from './categories-client';
import { ClientCredentialsTokenProvider, type Fetch } from './token-provider';

export interface ConsumerClientOptions {
  /** Scopes to request; none asks for every scope the consumer may have. */
  readonly scopes?: readonly string[];
  readonly fetch?: Fetch;
}

export interface ConsumerClient {
  readonly tokens: ClientCredentialsTokenProvider;
  readonly api: CategoriesClient;
}

export function consumerClient(credentials: ConsumerCredentials, options: ConsumerClientOptions = {}): ConsumerClient {
  const tokens = new ClientCredentialsTokenProvider({
    tokenUrl: credentials.tokenUrl,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    scopes: options.scopes,
    fetch: options.fetch,
  });
  const api = new CategoriesClient({
    apiUrl: credentials.apiUrl,
    tokens,
    apiKey: credentials.apiKey,
    fetch: options.fetch,
  });
  return { tokens, api };
}
