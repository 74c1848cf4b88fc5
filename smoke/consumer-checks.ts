/**
 * The smoke check of one consumer credential generation: its credentials load from where the platform hands them
 * over; a token without `scope` carries exactly the consumer's scopes; asking for any other scope is `invalid_scope`;
 * and its token (with its API key, where the stage has usage plans) is accepted on exactly the methods its scopes
 * allow and refused on the others, without effect. What it creates, the smoke check deletes.
 */
import {
  ApiError,
  consumerClient,
  TokenEndpointError,
  type CategoriesClient,
  type ConsumerCredentials,
  type CredentialsSource,
  type Fetch,
} from '../client';
import { scopesOf } from './token-scopes';

/** One live credential generation of a consumer, as the stack declares it. */
export interface SmokeConsumer {
  readonly name: string;
  readonly generation: number;
  /** The full scopes the stack gives it (`access_points/read`, …). */
  readonly scopes: readonly string[];
  readonly credentials: CredentialsSource;
}

export interface ConsumerCheckContext {
  /** Runs one named check, printing its outcome; resolves to whether it passed. */
  readonly check: (name: string, run: () => Promise<string | void>) => Promise<boolean>;
  /** Every scope the resource server defines. */
  readonly allScopes: readonly string[];
  /** An all-scope client, to set up and verify. */
  readonly operations: CategoriesClient;
  /** Ids of categories to delete at the end. */
  readonly created: string[];
  /** Names the smoke check's categories start with. */
  readonly marker: string;
  readonly fetch: Fetch;
}

/** The scope names (`read`, `write`, …) each method of the API demands, and a call of it that succeeds. */
const METHODS: ReadonlyArray<{
  readonly method: string;
  readonly scope: string;
  readonly call: (api: CategoriesClient, target: string, name: string) => Promise<string | undefined>;
}> = [
  { method: 'GET /categories', scope: 'read', call: async (api) => (await api.list({ limit: 1 }), undefined) },
  { method: 'GET /categories/{id}', scope: 'read', call: async (api, id) => (await api.get(id), undefined) },
  {
    method: 'POST /categories',
    scope: 'write',
    call: async (api, _, name) => (await api.create({ name })).category.id,
  },
  {
    method: 'PUT /categories/{id}',
    scope: 'update',
    call: async (api, id, name) => (await api.replace(id, { name }), undefined),
  },
  { method: 'DELETE /categories/{id}', scope: 'delete', call: async (api, id) => (await api.remove(id), undefined) },
];

/** The gateway's refusal (401 or 403) of `call`; anything else, an acceptance included, fails the check. */
async function refusalOf(call: () => Promise<string | undefined>, created: string[]): Promise<ApiError> {
  let createdId: string | undefined;
  try {
    createdId = await call();
  } catch (error) {
    if (error instanceof ApiError && error.source === 'gateway' && [401, 403].includes(error.status)) return error;
    throw error;
  }
  if (createdId) created.push(createdId);
  throw new Error('it was accepted');
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((item) => b.includes(item));

export async function checkConsumer(consumer: SmokeConsumer, context: ConsumerCheckContext): Promise<void> {
  const { check, operations, created, marker } = context;
  const label = `${consumer.name}/${consumer.generation}`;
  let credentials: ConsumerCredentials | undefined;
  const loaded = await check(`${label}: credentials from ${consumer.credentials.description}`, async () => {
    credentials = await consumer.credentials.load();
    if (credentials.consumer !== consumer.name || credentials.generation !== consumer.generation) {
      throw new Error(`they are ${credentials.consumer}/${credentials.generation}'s`);
    }
    return credentials.apiKey === undefined ? undefined : 'with an API key';
  });
  if (!loaded || !credentials) return;
  const loadedCredentials = credentials;
  const client = (scopes?: readonly string[]) => consumerClient(loadedCredentials, { scopes, fetch: context.fetch });

  const { tokens, api } = client();
  const tokenOk = await check(
    `${label}: a token without scope carries exactly ${consumer.scopes.join(' ')}`,
    async () => {
      const granted = scopesOf(await tokens.getToken());
      if (!sameSet(granted, consumer.scopes)) throw new Error(`it carries ${granted.join(' ') || 'no scope'}`);
    },
  );

  const identifier = consumer.scopes[0]?.split('/')[0] ?? 'unknown';
  const others = [
    ...context.allScopes.filter((scope) => !consumer.scopes.includes(scope)),
    `${identifier}/smoke-undefined`,
  ];
  await check(`${label}: any other scope → invalid_scope (${others.join(', ')})`, async () => {
    for (const scope of others) {
      try {
        await client([scope]).tokens.getToken();
      } catch (error) {
        if (error instanceof TokenEndpointError && error.error === 'invalid_scope') continue;
        throw error;
      }
      throw new Error(`${scope} was granted`);
    }
  });
  if (!tokenOk) return;

  // One category for its calls, made by the operations consumer; DELETE comes last.
  let targetId: string | undefined;
  const haveTarget = await check(`${label}: a category to call the methods on`, async () => {
    targetId = (await operations.create({ name: `${marker} ${label} target` })).category.id;
    created.push(targetId);
    return targetId;
  });
  if (!haveTarget || targetId === undefined) return;
  const id = targetId;
  for (const { method, scope, call } of METHODS) {
    const allowed = consumer.scopes.some((s) => s.endsWith(`/${scope}`));
    const name = `${marker} ${label} ${allowed ? 'ok' : 'intruder'}`;
    await check(`${label}: ${method} → ${allowed ? 'accepted' : 'refused, without effect'}`, async () => {
      if (allowed) {
        const createdId = await call(api, id, name);
        if (createdId) created.push(createdId);
        return undefined;
      }
      const before = (await operations.get(id)).category;
      const refusal = await refusalOf(() => call(api, id, name), created);
      const after = (await operations.get(id)).category;
      if (after.version !== before.version) throw new Error('the category changed anyway');
      if (method.startsWith('POST')) {
        for await (const item of operations.listAll(100)) {
          if (item.name === name) {
            created.push(item.id);
            throw new Error('the category was created anyway');
          }
        }
      }
      return `${refusal.status} ${refusal.message}`;
    });
  }
}
