/** Authorized `GET /categories` load on a local stack of its own, on 127.0.0.1 only. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CategoriesClient, ClientCredentialsTokenProvider } from '../client';
import { startLocalStack } from '../local/stack';
import { synthesize } from '../synth/synthesize';
import { runLoad, type LoadResult } from './http-load';

const LOAD_PATH = '/categories';

/**
 * Starts a local stack of its own (in memory, free port, nothing written to `.local`), seeds `seed` categories,
 * warms up for a second, then runs {@link runLoad} on authorized `GET /categories`, and stops the stack.
 */
export async function loadLocalStack(
  options: { durationMs?: number; concurrency?: number; seed?: number } = {},
): Promise<LoadResult> {
  const concurrency = options.concurrency ?? 20;
  const durationMs = options.durationMs ?? 5000;
  const seed = Math.min(options.seed ?? 20, 100);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-load-'));
  const synthDir = path.join(dir, 'synth');
  synthesize(synthDir);
  const stack = await startLocalStack({
    synthDir,
    port: 0,
    inMemory: true,
    stateFile: false,
    functionsDir: path.join(dir, 'functions'),
    functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'WARN' },
  });
  try {
    const credentials = {
      tokenUrl: stack.config.tokenUrl,
      clientId: stack.config.clientId,
      clientSecret: stack.config.clientSecret,
    };
    const api = new CategoriesClient({
      apiUrl: stack.config.apiUrl,
      tokens: new ClientCredentialsTokenProvider(credentials),
    });
    for (let i = 0; i < seed; i++) await api.create({ name: `Category ${i + 1}`, description: 'load test' });
    const route = stack.routes.find((r) => r.method === 'GET' && r.path === LOAD_PATH);
    if (!route || route.scopes.length === 0)
      throw new Error(`The local stack serves no GET ${LOAD_PATH} with a scope.`);
    const token = await new ClientCredentialsTokenProvider({ ...credentials, scopes: [route.scopes[0]] }).getToken();
    // Warm up every execution environment the load will use.
    await runLoad({ apiUrl: stack.config.apiUrl, path: LOAD_PATH, token, concurrency, durationMs: 1000 });
    return await runLoad({ apiUrl: stack.config.apiUrl, path: LOAD_PATH, token, concurrency, durationMs });
  } finally {
    await stack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
