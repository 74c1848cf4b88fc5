/**
 * Typed client of the categories API: a consumer's credentials from where the platform hands them over (Secrets
 * Manager, a local file, the environment), client-credentials tokens from Cognito (cached, single-flight) and the
 * five operations of `/categories`, with typed errors.
 *
 * ```ts
 * const credentials = await new SecretsManagerCredentialsSource({ secretId: secretArn }).load();
 * const { api } = consumerClient(credentials); // or: new CategoriesClient({ apiUrl, tokens, apiKey })
 * const { category, etag } = await api.create({ name: 'Books' });
 * await api.replace(category.id, { name: 'Novels' }, { ifMatch: etag });
 * ```
 */
export {
  CategoriesClient,
  toApiError,
  type CategoriesClientOptions,
  type Category,
  type CategoryInput,
  type CategoryPage,
  type CreatedCategory,
  type IfMatch,
  type VersionedCategory,
} from './categories-client';
export { consumerClient, type ConsumerClient, type ConsumerClientOptions } from './consumer-client';
export {
  EnvironmentCredentialsSource,
  FileCredentialsSource,
  type ConsumerCredentials,
  type CredentialsSource,
  type EnvironmentCredentialsSourceOptions,
  type FileCredentialsSourceOptions,
} from './credentials-source';
export {
  ApiError,
  ApiUnreachableError,
  CredentialsSourceError,
  TokenEndpointError,
  TokenEndpointUnreachableError,
  type ApiErrorDetail,
  type ApiErrorSource,
} from './errors';
export {
  SecretsManagerCredentialsSource,
  type SecretsManagerCredentialsSourceOptions,
} from './secrets-manager-credentials';
export {
  ClientCredentialsTokenProvider,
  type AccessToken,
  type ClientCredentialsTokenProviderOptions,
  type Fetch,
  type TokenSource,
} from './token-provider';
