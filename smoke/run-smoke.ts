/**
 * The smoke check of a running stack (`npm run smoke`), local or deployed (see `target.ts`). Checks that the
 * gateway refuses a request without a token (and, with usage plans, without an API key), that a read token lists
 * categories, the whole CRUD cycle with the right scopes (create → get → replace with If-Match → stale If-Match
 * refused → delete → gone), and that each method refuses a token lacking its scope without acting; then every
 * consumer credential generation (`consumer-checks.ts`). Deletes everything it created, even when a check fails.
 * Prints one line per check and a verdict.
 */
import { ApiError, CategoriesClient, ClientCredentialsTokenProvider, type Category } from '../client';
import { checkConsumer } from './consumer-checks';
import { firstToken, type SmokeOptions } from './first-token';
import type { SmokeTarget } from './target';
import { throttledFetch } from './throttled-fetch';
import { scopesOf } from './token-scopes';

export interface SmokeResult {
  readonly ok: boolean;
  readonly passed: number;
  readonly failed: number;
  readonly seconds: number;
}

/**
 * Runs the smoke checks against `target`, printing through `print`. Never throws for a failed check. Give a
 * deployed target `tokenEndpointWaitMs` ({@link DEPLOYED_TOKEN_WAIT_MS}); the local one fails fast without it.
 */
export async function runSmoke(
  target: SmokeTarget,
  print: (line: string) => void = console.log,
  options: SmokeOptions = {},
): Promise<SmokeResult> {
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  const check = async (name: string, run: () => Promise<string | void>): Promise<boolean> => {
    const t0 = Date.now();
    try {
      const note = await run();
      passed++;
      print(`  ✔ ${name}${note ? ` — ${note}` : ''} (${Date.now() - t0} ms)`);
      return true;
    } catch (error) {
      failed++;
      print(`  ✘ ${name}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  };
  const expectRefused = async (what: string, call: () => Promise<unknown>): Promise<string> => {
    try {
      await call();
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403))
        return `${error.status} ${error.message}`;
      throw error;
    }
    throw new Error(`${what} was accepted`);
  };

  print(`Smoke test of ${target.apiUrl} (from ${target.source})`);
  const tokenFor = (scopes?: string[]): ClientCredentialsTokenProvider =>
    new ClientCredentialsTokenProvider({
      tokenUrl: target.tokenUrl,
      clientId: target.clientId,
      clientSecret: target.clientSecret,
      scopes,
    });
  const created: string[] = [];
  const full = tokenFor();
  // A stage with usage plans wants the operations consumer's API key on every API request, and throttles it.
  const apiFetch = throttledFetch();
  const keyHeader: Record<string, string> = target.apiKey === undefined ? {} : { 'x-api-key': target.apiKey };
  const api = (tokens: ClientCredentialsTokenProvider): CategoriesClient =>
    new CategoriesClient({ apiUrl: target.apiUrl, tokens, apiKey: target.apiKey, fetch: apiFetch });
  const fullApi = api(full);
  const marker = `smoke-${Date.now().toString(36)}`;

  try {
    let allScopesOfOperations: string[] = [];
    const haveToken = await check('token endpoint issues a token for all allowed scopes', async () => {
      allScopesOfOperations = scopesOf(await firstToken(() => full.getToken(), print, options));
      if (allScopesOfOperations.length === 0) throw new Error('the token carries no scope');
      return allScopesOfOperations.join(' ');
    });
    if (!haveToken) return finish();
    const scopeFor = (name: string): string => {
      const scope = allScopesOfOperations.find((s) => s.endsWith(`/${name}`));
      if (!scope) throw new Error(`the client is not allowed a "${name}" scope`);
      return scope;
    };
    const without = (name: string): CategoriesClient =>
      api(tokenFor(allScopesOfOperations.filter((s) => s !== scopeFor(name))));

    await check('GET /categories without a token → 401', async () => {
      const response = await apiFetch(`${target.apiUrl}/categories`, { headers: keyHeader });
      if (response.status !== 401) throw new Error(`status ${response.status}`);
      return (await response.text()).slice(0, 80);
    });
    if (target.apiKey !== undefined) {
      await check('GET /categories with a read token but no API key → 403', async () => {
        const token = await tokenFor([scopeFor('read')]).getToken();
        const response = await apiFetch(`${target.apiUrl}/categories`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        if (response.status !== 403) throw new Error(`status ${response.status}`);
        return (await response.text()).slice(0, 80);
      });
    }
    await check('GET /categories with a read token → 200', async () => {
      const page = await api(tokenFor([scopeFor('read')])).list({ limit: 5 });
      return `${page.items.length} item(s) on the first page`;
    });

    let category: Category | undefined;
    let etag = '';
    await check('POST /categories (write) → 201 with Location and ETag', async () => {
      const result = await fullApi.create({ name: `${marker} books`, description: 'created by the smoke test' });
      created.push(result.category.id);
      category = result.category;
      etag = result.etag;
      if (!result.location.endsWith(`/categories/${result.category.id}`))
        throw new Error(`Location ${result.location}`);
      if (etag !== `"${result.category.version}"`) throw new Error(`ETag ${etag}`);
      return result.category.id;
    });
    if (category) {
      const id = category.id;
      await check('GET /categories/{id} (read) → 200', async () => {
        const result = await fullApi.get(id);
        if (result.category.name !== `${marker} books`) throw new Error(`name ${result.category.name}`);
        return `ETag ${result.etag}`;
      });
      const staleEtag = etag;
      await check('PUT /categories/{id} (update) with If-Match → 200, version + 1', async () => {
        const result = await fullApi.replace(id, { name: `${marker} novels` }, { ifMatch: etag });
        if (result.category.version !== (category as Category).version + 1)
          throw new Error(`version ${result.category.version}`);
        etag = result.etag;
        return `ETag ${result.etag}`;
      });
      await check('PUT /categories/{id} with a stale If-Match → 412', async () => {
        try {
          await fullApi.replace(id, { name: `${marker} stale` }, { ifMatch: staleEtag });
        } catch (error) {
          if (error instanceof ApiError && error.status === 412) return error.code;
          throw error;
        }
        throw new Error('the stale write was accepted');
      });

      await check('POST /categories without the write scope → refused, nothing created', async () => {
        const refused = await expectRefused('POST', () => without('write').create({ name: `${marker} intruder` }));
        for await (const item of fullApi.listAll(100)) {
          if (item.name === `${marker} intruder`) {
            created.push(item.id);
            throw new Error('the category was created anyway');
          }
        }
        return refused;
      });
      await check('GET /categories without the read scope → refused', () =>
        expectRefused('GET', () => without('read').list()),
      );
      await check('GET /categories/{id} without the read scope → refused', () =>
        expectRefused('GET', () => without('read').get(id)),
      );
      await check('PUT /categories/{id} without the update scope → refused, unchanged', async () => {
        const refused = await expectRefused('PUT', () => without('update').replace(id, { name: `${marker} intruder` }));
        const current = await fullApi.get(id);
        if (current.category.name !== `${marker} novels`) throw new Error('the category changed anyway');
        return refused;
      });
      await check('DELETE /categories/{id} without the delete scope → refused, still there', async () => {
        const refused = await expectRefused('DELETE', () => without('delete').remove(id));
        await fullApi.get(id);
        return refused;
      });

      await check('DELETE /categories/{id} (delete) with If-Match → 204, then GET → 404', async () => {
        await fullApi.remove(id, { ifMatch: etag });
        created.splice(created.indexOf(id), 1);
        try {
          await fullApi.get(id);
        } catch (error) {
          if (error instanceof ApiError && error.status === 404) return 'gone';
          throw error;
        }
        throw new Error('still there after DELETE');
      });
    }

    const allScopes = target.allScopes ?? allScopesOfOperations;
    for (const consumer of target.consumers ?? []) {
      await checkConsumer(consumer, { check, allScopes, operations: fullApi, created, marker, fetch: apiFetch });
    }
  } finally {
    for (const id of created) {
      try {
        await fullApi.remove(id);
        print(`  · cleaned up ${id}`);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) {
          failed++;
          print(`  ✘ cleanup of ${id} failed: ${(error as Error).message}`);
        }
      }
    }
  }
  return finish();

  function finish(): SmokeResult {
    const seconds = (Date.now() - started) / 1000;
    const ok = failed === 0 && passed > 0;
    print(`${ok ? 'SMOKE PASSED' : 'SMOKE FAILED'}: ${passed} passed, ${failed} failed (${seconds.toFixed(1)} s)`);
    return { ok, passed, failed, seconds };
  }
}
