/**
 * The consumers journey of the README, end to end: a read-only consumer added with one registry entry gets its
 * credentials from stack.json, reads and is refused every write; it rotates — generation 2 added (both work, the
 * first one's credentials unchanged across the restart), then generation 1 removed (its credentials refused at the
 * token endpoint, while a token it got before stays valid until it expires, as on AWS). Each step synthesizes the
 * dev stage with the registry as the README edits it and restarts the local stack on the same port and data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ApiError,
  consumerClient,
  FileCredentialsSource,
  TokenEndpointError,
  type ConsumerCredentials,
} from '../../client';
import { platformStackName } from '../../common/stack-names';
import type { ConsumerConfig } from '../../stacks/consumers';
import { stageConfig } from '../../stacks/config';
import { PlatformStack } from '../../stacks/platform-stack';
import { startLocalStack, type LocalStack, type LocalStackConfig } from '../../local/stack';
import { synthesizeApp } from '../../synth/synthesize';
import { checkAnswersAfterEach, http, temporaryDirectory } from './support';

jest.setTimeout(60_000);

const CONSUMER = 'inventory-reader';

/** The one registry entry the README adds: read-only, with the credential generations given. */
const entry = (generations: ConsumerConfig['credentials']['generations']): ConsumerConfig => ({
  description: 'Inventory service: reads categories',
  scopes: ['read'],
  credentials: { generations },
  limits: { rateLimit: 5, burstLimit: 10 },
});

/** Every answer must be one the OpenAPI document of the stack served at the time describes. */
const answers = checkAnswersAfterEach();
let dir: string;
let stack: LocalStack | undefined;
let port = 0;

beforeAll(() => {
  dir = temporaryDirectory('consumers-journey-');
});
afterAll(async () => {
  await stack?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const stateFile = (): string => path.join(dir, 'stack.json');

/** Synthesizes the dev stage with the consumer at `generations` and (re)starts the local stack on it. */
async function restartWith(generations: ConsumerConfig['credentials']['generations']): Promise<LocalStackConfig> {
  await stack?.stop();
  const synthDir = path.join(dir, `synth-${generations.join('-')}`);
  const config = stageConfig('dev', {});
  synthesizeApp(synthDir, (app) => {
    new PlatformStack(app, platformStackName('dev'), {
      ...config,
      consumers: { ...config.consumers, [CONSUMER]: entry(generations) },
    });
  });
  stack = await startLocalStack({
    synthDir,
    port,
    dataDir: path.join(dir, 'data'),
    stateFile: stateFile(),
    functionsDir: path.join(dir, 'functions'),
    functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    onApiExchange: answers.observe,
  });
  await answers.load(stack.config.openapiUrl);
  port = Number(new URL(stack.config.apiUrl).port);
  return JSON.parse(fs.readFileSync(stateFile(), 'utf8')) as LocalStackConfig;
}

/** The consumer's clients, from its entry in stack.json (the README's way), for a generation. */
async function clientsOf(generation?: number) {
  const credentials = await new FileCredentialsSource({ file: stateFile(), consumer: CONSUMER, generation }).load();
  return { credentials, ...consumerClient(credentials) };
}

async function refused(call: () => Promise<unknown>): Promise<number> {
  try {
    await call();
  } catch (error) {
    if (error instanceof ApiError && error.source === 'gateway') return error.status;
    throw error;
  }
  throw new Error('accepted');
}

describe('a read-only consumer, added and rotated', () => {
  let generation1Token: string;
  let generation1: ConsumerCredentials;

  it('gets its credentials from stack.json, can read, and is refused every write', async () => {
    const written = await restartWith([1]);
    expect(written.consumers[CONSUMER]).toMatchObject({ scopes: ['access_points/read'], generation: 1 });

    const { api, tokens, credentials } = await clientsOf();
    generation1 = credentials;
    await expect(api.list()).resolves.toEqual({ items: [] });

    const operations = consumerClient(
      await new FileCredentialsSource({ file: stateFile(), consumer: 'operations' }).load(),
    );
    const { category, etag } = await operations.api.create({ name: 'Journey' });
    await expect(api.get(category.id)).resolves.toMatchObject({ category: { name: 'Journey' } });
    expect(await refused(() => api.create({ name: 'Intruder' }))).toBe(401);
    expect(await refused(() => api.replace(category.id, { name: 'Intruder' }))).toBe(401);
    expect(await refused(() => api.remove(category.id))).toBe(401);
    const after = await operations.api.get(category.id);
    expect(after.etag).toBe(etag);
    expect((await operations.api.list()).items.map((item) => item.name)).toEqual(['Journey']);
    await operations.api.remove(category.id);

    generation1Token = await tokens.getToken();
  });

  it('adds generation 2: both work, and generation 1 keeps its credentials across the restart', async () => {
    const written = await restartWith([1, 2]);
    const consumer = written.consumers[CONSUMER];
    expect(consumer.generation).toBe(2);
    expect(Object.keys(consumer.generations)).toEqual(['1', '2']);
    expect(consumer.generations['1']).toMatchObject({
      clientId: generation1.clientId,
      clientSecret: generation1.clientSecret,
    });
    expect(consumer.clientId).not.toBe(generation1.clientId);

    const previous = await clientsOf(1);
    const current = await clientsOf();
    expect(current.credentials.generation).toBe(2);
    await expect(previous.api.list()).resolves.toEqual({ items: [] });
    await expect(current.api.list()).resolves.toEqual({ items: [] });
    expect(await refused(() => current.api.create({ name: 'Intruder' }))).toBe(401);
    // The signing key is kept with the data: a token from before the restart is still good.
    const result = await http(`${written.apiUrl}/categories`, {
      headers: { Authorization: `Bearer ${generation1Token}` },
    });
    expect(result.status).toBe(200);
  });

  it('removes generation 1: its credentials are refused, while its token lives until it expires', async () => {
    const before = JSON.parse(fs.readFileSync(stateFile(), 'utf8')) as LocalStackConfig;
    const written = await restartWith([2]);
    const consumer = written.consumers[CONSUMER];
    expect(Object.keys(consumer.generations)).toEqual(['2']);
    expect(consumer).toMatchObject({
      generation: 2,
      clientId: before.consumers[CONSUMER].clientId,
      clientSecret: before.consumers[CONSUMER].clientSecret,
    });
    expect(fs.readFileSync(`${path.join(dir, 'data')}-credentials.json`, 'utf8')).not.toContain(generation1.clientId);

    const refusedToken = consumerClient(generation1).tokens.getToken();
    await expect(refusedToken).rejects.toBeInstanceOf(TokenEndpointError);
    await expect(refusedToken).rejects.toMatchObject({ status: 400, error: 'invalid_client' });
    await expect(clientsOf(1)).rejects.toThrow('inventory-reader has no generation 1 (live: 2).');

    const result = await http(`${written.apiUrl}/categories`, {
      headers: { Authorization: `Bearer ${generation1Token}` },
    });
    expect(result.status).toBe(200);
    await expect((await clientsOf()).api.list()).resolves.toEqual({ items: [] });
  });
});
