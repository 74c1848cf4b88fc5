/**
 * `LocalStack.reload` and `npm start -- --watch`'s loop (local/watch.ts): a stack with an extra function, whose
 * handler the tests rewrite in a temporary folder, is synthesized again and reloaded on the running stack. Tokens,
 * data and the port survive; the new code and routes are served; a broken change keeps the last good stack; a
 * request under way finishes on the code it started with.
 */
import type { Construct } from 'constructs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startLocalStack, type LocalStack, type ReloadSummary } from '../../local/stack';
import { watchStack } from '../../local/watch';
import { synthesizeApp } from '../../synth/synthesize';
import { stageConfig, type StageConfig } from '../../stacks/config';
import { NodeFunction } from '../../stacks/constructs/node-function';
import { PlatformStack } from '../../stacks/platform-stack';
import { http, temporaryDirectory, tokenFor } from './support';

jest.setTimeout(30_000);

interface Variant {
  /** What the handler answers, as `{ "version": … }`. */
  readonly version: string;
  /** Whether the stack has the route `GET /hello/again` too. */
  readonly extraRoute?: boolean;
}

/** The handler of `GET /hello`: waits `?delay=<ms>`, then answers its version. */
function handlerSource(version: string): string {
  return `export const handler = async (event: { queryStringParameters: Record<string, string> | null }) => {
  await new Promise((resolve) => setTimeout(resolve, Number(event.queryStringParameters?.delay ?? 0)));
  return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ version: ${JSON.stringify(version)} }) };
};
`;
}

/** The platform plus `GET /hello` (and `GET /hello/again`) on a handler from `entry`. */
class HelloPlatform extends PlatformStack {
  constructor(scope: Construct, id: string, config: StageConfig, entry: string, bundleName: string, extra: boolean) {
    super(scope, id, config);
    const hello = new NodeFunction(this, 'hello', {
      functionName: `${config.namePrefix}-hello`,
      bundleName,
      entry,
      logRetentionDays: 1,
      timeout: 3,
    });
    const read = [this.auth.scope('read')] as const;
    this.api.addRoute({ method: 'GET', path: '/hello', scopes: read, handler: hello.function });
    if (extra) this.api.addRoute({ method: 'GET', path: '/hello/again', scopes: read, handler: hello.function });
  }
}

let dir: string;
let sources: string;
let entry: string;
let stack: LocalStack;
let synths = 0;
const logs: string[] = [];

/** Synthesizes the stack as the handler file is now (the bundle cache rebuilds a bundle whose sources changed). */
function synthesizeCurrent(outdir: string, extraRoute = false): void {
  synths++;
  synthesizeApp(outdir, (app) => {
    new HelloPlatform(app, 'platform-dev', stageConfig('dev', {}), entry, 'local-test-reload', extraRoute);
  });
}

/** Writes the handler of `variant` and synthesizes it into a new folder; returns the folder. */
function synthesizeVariant(variant: Variant): string {
  fs.writeFileSync(entry, handlerSource(variant.version));
  const outdir = path.join(dir, `synth-${synths + 1}`);
  synthesizeCurrent(outdir, variant.extraRoute);
  return outdir;
}

async function hello(token: string, pathname = '/hello'): Promise<{ status: number; version?: string }> {
  const result = await http(`${stack.config.apiUrl}${pathname}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: result.status, version: (result.json as { version?: string } | undefined)?.version };
}

beforeAll(async () => {
  dir = temporaryDirectory('local-reload-');
  sources = path.join(dir, 'sources');
  fs.mkdirSync(sources);
  entry = path.join(sources, 'hello.ts');
  const outdir = synthesizeVariant({ version: 'one' });
  stack = await startLocalStack({
    synthDir: outdir,
    port: 0,
    inMemory: true,
    stateFile: path.join(dir, 'stack.json'),
    functionsDir: path.join(dir, 'functions'),
    functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    log: (line) => logs.push(line),
  });
});

afterAll(async () => {
  await stack?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('reloading the running local stack', () => {
  let token: string;
  let categoryId: string;
  let summary: ReloadSummary;
  let portBefore: string;

  beforeAll(async () => {
    token = await tokenFor(stack);
    portBefore = new URL(stack.config.apiUrl).port;
    const created = await http(`${stack.config.apiUrl}/categories`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Kept across reloads' }),
    });
    expect(created.status).toBe(201);
    categoryId = (created.json as { id: string }).id;
    expect(await hello(token)).toEqual({ status: 200, version: 'one' });
    summary = await stack.reload({ synthDir: synthesizeVariant({ version: 'two', extraRoute: true }) });
  });

  it('serves the edited handler, and reports it reloaded (the untouched function is not)', async () => {
    expect(await hello(token)).toEqual({ status: 200, version: 'two' });
    expect(summary.functionsReloaded).toEqual(['m2m-api-dev-hello']);
    expect(summary.functionsAdded).toEqual([]);
    expect(summary.functionsRemoved).toEqual([]);
  });

  it('serves an added route, and reports it', async () => {
    expect(summary.routesAdded).toEqual(['GET /hello/again']);
    expect(summary.routesRemoved).toEqual([]);
    expect(await hello(token, '/hello/again')).toEqual({ status: 200, version: 'two' });
    expect(stack.routes.map((route) => `${route.method} ${route.path}`)).toContain('GET /hello/again');
  });

  it('accepts tokens issued before it, on the same port with the same client credentials', async () => {
    expect(new URL(stack.config.apiUrl).port).toBe(portBefore);
    expect(await hello(token)).toEqual({ status: 200, version: 'two' });
    const written = JSON.parse(fs.readFileSync(path.join(dir, 'stack.json'), 'utf8')) as { clientId: string };
    expect(written.clientId).toBe(stack.config.clientId);
    expect(await tokenFor(stack)).toEqual(expect.any(String));
  });

  it('keeps the data', async () => {
    const kept = await http(`${stack.config.apiUrl}/categories/${categoryId}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(kept.status).toBe(200);
    expect(kept.json).toMatchObject({ id: categoryId, name: 'Kept across reloads' });
  });

  it('reports a removed route, which is then not served', async () => {
    const removed = await stack.reload({ synthDir: synthesizeVariant({ version: 'two' }) });
    expect(removed).toMatchObject({ routesAdded: [], routesRemoved: ['GET /hello/again'], functionsReloaded: [] });
    expect((await hello(token, '/hello/again')).status).toBe(403);
  });

  it('lets a request under way finish on the code it started with', async () => {
    const slow = hello(token, '/hello?delay=600');
    // The request reaches the function (its environment is busy) before the reload starts.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stack.reload({ synthDir: synthesizeVariant({ version: 'three' }) });
    expect(await hello(token)).toEqual({ status: 200, version: 'three' });
    expect(await slow).toEqual({ status: 200, version: 'two' });
  });

  it('keeps the last good stack serving when the new one cannot be served, and says why', async () => {
    await expect(stack.reload({ synthDir: path.join(dir, 'no-such-synth') })).rejects.toThrow(/manifest/i);
    expect(await hello(token)).toEqual({ status: 200, version: 'three' });
  });
});

describe('watching the sources', () => {
  it('serves a saved change, reports what changed, and keeps serving after a change that does not synthesize', async () => {
    const token = await tokenFor(stack);
    const watchLogs: string[] = [];
    const watcher = watchStack({
      stack,
      synthesize: (outdir) => Promise.resolve(synthesizeCurrent(outdir)),
      folders: [sources],
      workDir: path.join(dir, 'watch'),
      log: (line) => watchLogs.push(line),
      debounceMs: 20,
    });
    const served = async (version: string): Promise<void> => {
      for (let tries = 0; tries < 200 && (await hello(token)).version !== version; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    try {
      // A burst of saves (and an editor's swap file) makes one reload.
      fs.writeFileSync(path.join(sources, '.hello.ts.swp'), 'scratch');
      fs.writeFileSync(entry, handlerSource('four-draft'));
      fs.writeFileSync(entry, handlerSource('four'));
      await served('four');
      await watcher.settled();
      expect(await hello(token)).toEqual({ status: 200, version: 'four' });
      expect(watchLogs.filter((line) => line.includes('reloading'))).toEqual([`[watch] ${entry} changed: reloading…`]);
      expect(watchLogs).toContain('  ~ function m2m-api-dev-hello reloaded');

      // A syntax error: the bundling fails, the last good stack keeps serving, the error is printed.
      fs.writeFileSync(entry, 'export const handler = async () => {');
      for (let tries = 0; tries < 200 && !watchLogs.some((line) => line.includes('reload failed')); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await watcher.settled();
      const failure = watchLogs.find((line) => line.includes('reload failed')) ?? '';
      expect(failure).toMatch(/still serving the last good stack/);
      expect(failure).toMatch(/hello\.ts/);
      expect(await hello(token)).toEqual({ status: 200, version: 'four' });

      // Fixed: served again.
      fs.writeFileSync(entry, handlerSource('five'));
      await served('five');
      expect(await hello(token)).toEqual({ status: 200, version: 'five' });
    } finally {
      await watcher.close();
    }
    expect(fs.existsSync(path.join(dir, 'watch'))).toBe(false);
  });
});
