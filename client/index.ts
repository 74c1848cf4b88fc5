/**
 * Typed client of the categories API: client-credentials tokens from Cognito (cached, single-flight) and the
 * five operations of `/categories`, with typed errors.
 *
 * ```ts
 * const tokens = new ClientCredentialsTokenProvider({ tokenUrl, clientId, clientSecret });
 * const api = new CategoriesClient({ apiUrl, tokens });
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
export {
  ApiError,
  ApiUnreachableError,
  TokenEndpointError,
  TokenEndpointUnreachableError,
  type ApiErrorDetail,
  type ApiErrorSource,
} from './errors';
export {
  ClientCredentialsTokenProvider,
  type AccessToken,
  type ClientCredentialsTokenProviderOptions,
  type Fetch,
  type TokenSource,
} from './token-provider';
