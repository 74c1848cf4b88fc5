/**
 * `startLocalStack`: one stage of the platform on 127.0.0.1, built from its synthesized Terraform JSON —
 * Cognito's token endpoint and JWKS, the API Gateway REST API with its Cognito authorizer, the Lambda functions
 * from their asset zips, and the DynamoDB tables in dynalite.
 *
 * URL layout (one port): `/oauth2/token` (token endpoint), `/<poolId>` (issuer; JWKS at
 * `/<poolId>/.well-known/jwks.json`), `/<stage>/...` (the API stage), `/openapi.json` (the stage's OpenAPI document).
 * Anything else: 403 `{"message":"Forbidden"}`.
 */
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../common/project-paths';
import { platformStackName } from '../common/stack-names';
import { writeAtomically } from '../common/write-atomically';
import { SynthOutputError } from '../synth/errors';
import { readManifest } from '../synth/manifest';
import { SynthesizedStackConfig } from '../synth/stack-json';
import { CredentialsStore, credentialsFileFor } from './credentials-store';
import { describeTables, startDynamoDb, type LocalDynamoDb } from './dynamodb';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_FUNCTIONS_DIR,
  DEFAULT_PORT,
  DEFAULT_STAGE,
  DEFAULT_STATE_FILE,
  LOCAL_CREDENTIALS,
} from './environment';
import { LocalStackError } from './errors';
import type { ApiExchange } from './gateway';
import {
  buildGeneration,
  removeTaskRoot,
  summarizeReload,
  type Generation,
  type GenerationContext,
  type LocalRoute,
  type LocalStackConfig,
  type ReloadSummary,
} from './generation';
import { sendJson } from './http';
import type { SignOptions } from './cognito';
import { LocalFunction, runtimeNodePath } from './lambda';
import { ReferenceResolver } from './reference-resolver';

/** How long a reload waits, beyond the longest timeout of the functions it replaces, for their requests to end. */
const RETIRE_GRACE_SECONDS = 5;

export { LocalStackError } from './errors';

export type { LocalRoute, LocalStackConfig, ReloadSummary } from './generation';

export interface LocalStackOptions {
  /** Stage to serve: the stack `platform-<stage>`. @default 'dev' */
  readonly stage?: string;
  /** Stack to serve. @default `platform-<stage>` */
  readonly stackName?: string;
  /** Port on 127.0.0.1; 0 picks a free one. @default 3100 */
  readonly port?: number;
  /** Keep DynamoDB data and the made-up credentials in memory instead of `dataDir`. @default false */
  readonly inMemory?: boolean;
  /**
   * Where DynamoDB data persists; the client credentials, API keys and signing keys go beside it, in
   * `<dataDir>-credentials.json`. @default `.local/data`
   */
  readonly dataDir?: string;
  /**
   * The synth output to serve the stack from (a folder with `manifest.json`, as `cdktf synth` and synth/'s
   * `synthesize` write it). Give this or `stackFile`.
   */
  readonly synthDir?: string;
  /** The stack's `cdk.tf.json` to serve (its folder holds the assets). Give this or `synthDir`. */
  readonly stackFile?: string;
  /** Where to write the stack's connection details; `false` writes nothing. @default `.local/stack.json` */
  readonly stateFile?: string | false;
  /** Where function packages are extracted (one folder per function). @default `.local/functions` */
  readonly functionsDir?: string;
  /**
   * Client credentials of the primary client (the operations consumer's current generation).
   * @default env LOCAL_CLIENT_ID / LOCAL_CLIENT_SECRET, else the kept ones (generated once)
   */
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** The clock of usage-plan throttling and quotas, in milliseconds (tests). @default Date.now */
  readonly now?: () => number;
  /** Extra environment variables for every function (after Lambda's and the function's own). */
  readonly functionEnvironment?: Readonly<Record<string, string>>;
  /**
   * Most execution environments per function (each serves one invocation at a time; more requests queue).
   * @default the number of CPUs, from 2 to 8
   */
  readonly maxEnvironmentsPerFunction?: number;
  /** Gateway and start-up messages. @default none */
  readonly log?: (line: string) => void;
  /** Each line a function writes. @default discarded */
  readonly onFunctionLog?: (functionName: string, line: string) => void;
  /** Sees every answer of the API stage (tests check them against the OpenAPI document). @default none */
  readonly onApiExchange?: (exchange: ApiExchange) => void;
}

export interface LocalStack {
  /** The connection details; a reload may change them (a consumer added, say). */
  readonly config: LocalStackConfig;
  readonly stackName: string;
  /** `http://127.0.0.1:<port>` of the local DynamoDB. */
  readonly dynamodbEndpoint: string;
  /** Every method the gateway serves, for the stage in `config`. */
  readonly routes: readonly LocalRoute[];
  /** Invocations that reached a function (all functions when no name is given). */
  invocations(functionName?: string): number;
  /**
   * Stops the local DynamoDB, as an outage would (fault tests): functions then meet a refused connection.
   * Persisted data stays in the data folder; in-memory data is lost. Safe to call twice.
   */
  stopDynamoDb(): Promise<void>;
  /**
   * Starts the local DynamoDB again after {@link stopDynamoDb}, on the same port (the functions' endpoint does
   * not change) and data folder; missing tables are created. Does nothing while it runs.
   */
  startDynamoDb(): Promise<void>;
  /** Signs a token with the user pool's real key, for tests of the authorizer. */
  signToken(payload: Record<string, unknown>, options?: SignOptions): Promise<string>;
  /**
   * Serves a new synthesis of the stack (a synth output or stack file, as {@link LocalStackOptions} takes them) on
   * the same port: DynamoDB and its data, the client credentials, API keys and signing keys stay (tokens issued
   * before stay valid); tables new to the stack are created; only functions whose package or configuration changed
   * start again. The new routes are served once everything is ready; requests already under way finish on the
   * code they started with. On error (reported as a {@link LocalStackError} where the stack is at fault), the
   * stack keeps serving what it served. Reloads run one at a time; the state file is written again.
   */
  reload(source: { readonly synthDir?: string; readonly stackFile?: string }): Promise<ReloadSummary>;
  /** Stops every server and environment; keeps persisted data. Safe to call twice. */
  stop(): Promise<void>;
}

/** A synth output or stack the local stack cannot read is a problem of its configuration, and reported as one. */
function asLocalStackError(error: unknown): unknown {
  return error instanceof SynthOutputError ? new LocalStackError(error.message, { cause: error }) : error;
}

/** Loads the stack's Terraform JSON: the file given, or the stack of that name in the synth output given. */
function loadStack(
  options: Pick<LocalStackOptions, 'synthDir' | 'stackFile'>,
  stackName: string,
): SynthesizedStackConfig {
  if (options.stackFile !== undefined) return SynthesizedStackConfig.load(stackName, path.resolve(options.stackFile));
  if (options.synthDir === undefined) {
    throw new LocalStackError('Give the local stack a synth output (synthDir) or a stack file (stackFile) to serve.');
  }
  const stacks = readManifest(path.resolve(options.synthDir));
  const stack = stacks.find((s) => s.name === stackName);
  if (!stack) {
    throw new LocalStackError(
      `No stack "${stackName}" in the synth output (stacks: ${stacks.map((s) => s.name).join(', ')}). ` +
        'Pick another --stage.',
    );
  }
  return SynthesizedStackConfig.load(stack.name, stack.synthesizedFile);
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new LocalStackError(
              `Port ${port} on 127.0.0.1 is in use: stop what uses it, or pass --port <n> (0 picks a free port).`,
            )
          : error.code === 'EACCES'
            ? new LocalStackError(`Not allowed to listen on port ${port}: pick a port above 1023 with --port <n>.`)
            : error,
      );
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function writeStateFile(file: string, config: LocalStackConfig): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // The client secret is in it: readable by its owner only.
  writeAtomically(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}

/** Starts the local stack; resolves once every part is ready (and `stack.json` is written). */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const stage = options.stage ?? DEFAULT_STAGE;
  const stackName = options.stackName ?? platformStackName(stage);
  const log = options.log;
  const clientId = options.clientId ?? (process.env.LOCAL_CLIENT_ID || undefined);
  const clientSecret = options.clientSecret ?? (process.env.LOCAL_CLIENT_SECRET || undefined);
  if (clientId !== undefined && !/^[\w+]{1,128}$/.test(clientId)) {
    throw new LocalStackError('LOCAL_CLIENT_ID must be 1 to 128 letters, digits, "_" or "+".');
  }
  if (clientSecret !== undefined && !/^[\w+]{1,128}$/.test(clientSecret)) {
    throw new LocalStackError('LOCAL_CLIENT_SECRET must be 1 to 128 letters, digits, "_" or "+".');
  }

  let stack: SynthesizedStackConfig;
  try {
    stack = loadStack(options, stackName);
  } catch (error) {
    throw asLocalStackError(error);
  }

  // Listen first: the port is part of the issuer and of every URL.
  let current: Generation | undefined;
  const inFlight = new Map<Generation, number>();
  const idle = new Map<Generation, () => void>();
  const server = createServer((request, response) => {
    const generation = current;
    if (!generation) {
      sendJson(response, 503, { message: 'The local stack is starting.' });
      return;
    }
    // Each request runs on the generation it arrived at, to the end, even when a reload swaps in the next one.
    inFlight.set(generation, (inFlight.get(generation) ?? 0) + 1);
    generation
      .handle(request, response)
      .catch((error: unknown) => {
        log?.(`[local] ${(error as Error).stack ?? String(error)}`);
        if (!response.headersSent) sendJson(response, 500, { message: 'Internal server error' });
        else response.destroy();
      })
      .finally(() => {
        const left = (inFlight.get(generation) ?? 1) - 1;
        if (left > 0) inFlight.set(generation, left);
        else {
          inFlight.delete(generation);
          idle.get(generation)?.();
        }
      });
  });
  const port = await listen(server, options.port ?? DEFAULT_PORT);
  const baseUrl = `http://127.0.0.1:${port}`;

  /** Every function with environments, of the served generation and of those still finishing requests. */
  const running = new Set<LocalFunction>();
  const cleanups: Array<() => Promise<void>> = [
    () => closeServer(server),
    () => Promise.all([...running].map((fn) => fn.stop())).then(() => running.clear()),
  ];
  let stopped = false;
  const stopAll = async (): Promise<void> => {
    stopped = true;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };

  try {
    const dataDir = options.inMemory ? undefined : path.resolve(PROJECT_ROOT, options.dataDir ?? DEFAULT_DATA_DIR);
    const store = CredentialsStore.open(dataDir && credentialsFileFor(dataDir), stack);
    const functionsDir = path.resolve(PROJECT_ROOT, options.functionsDir ?? DEFAULT_FUNCTIONS_DIR);
    const runtimeDir = path.join(functionsDir, '.runtime');
    const nodePath = runtimeNodePath(runtimeDir);
    let dynamoDbEndpoint = '';
    const context: GenerationContext = {
      stage,
      baseUrl,
      credentials: { clientId, clientSecret },
      now: options.now ?? Date.now,
      log,
      observe: options.onApiExchange,
      newFunction: (definition, generation) => {
        const fn = new LocalFunction({
          definition,
          // A reload's functions get task roots of their own: the ones they replace may still be serving.
          taskRoot: path.join(
            functionsDir,
            generation === 0 ? definition.functionName : `${definition.functionName}.${generation}`,
          ),
          nodePath,
          environment: {
            AWS_REGION: stack.region,
            AWS_DEFAULT_REGION: stack.region,
            AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
            AWS_SESSION_TOKEN: 'local',
            // No shared config or credentials files, as in Lambda: nothing from ~/.aws leaks in.
            AWS_CONFIG_FILE: path.join(runtimeDir, 'no-aws-config'),
            AWS_SHARED_CREDENTIALS_FILE: path.join(runtimeDir, 'no-aws-credentials'),
            AWS_ENDPOINT_URL_DYNAMODB: dynamoDbEndpoint,
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            ...options.functionEnvironment,
          },
          maxEnvironments: options.maxEnvironmentsPerFunction ?? Math.min(8, Math.max(2, os.availableParallelism())),
          onLog: options.onFunctionLog,
        });
        running.add(fn);
        return fn;
      },
    };

    // The tables are read from the stack before DynamoDB starts, so that it starts with them.
    const firstTables = describeTables(stack, new ReferenceResolver(stack));
    const dynamoDbOptions = { dataDir, region: stack.region, tables: firstTables };
    let dynamoDb: LocalDynamoDb | undefined = await startDynamoDb(dynamoDbOptions);
    dynamoDbEndpoint = dynamoDb.endpoint;
    const dynamoDbPort = Number(new URL(dynamoDbEndpoint).port);
    let restarting: Promise<void> | undefined;
    const stopDynamoDb = async (): Promise<void> => {
      await restarting?.catch(() => undefined); // a start under way finishes first, then stops
      const instance = dynamoDb;
      dynamoDb = undefined;
      await instance?.stop();
    };
    const restartDynamoDb = (): Promise<void> => {
      if (stopped) return Promise.reject(new LocalStackError('The local stack is stopped.'));
      if (dynamoDb) return Promise.resolve();
      restarting ??= startDynamoDb({
        ...dynamoDbOptions,
        tables: current?.tables ?? firstTables,
        port: dynamoDbPort,
      }).then(
        async (started) => {
          restarting = undefined;
          if (stopped) await started.stop();
          else dynamoDb = started;
        },
        (error: unknown) => {
          restarting = undefined;
          throw error;
        },
      );
      return restarting;
    };
    cleanups.push(stopDynamoDb);

    const first = await buildGeneration(stack, store, context);
    store.save();
    const stateFile = options.stateFile === undefined ? DEFAULT_STATE_FILE : options.stateFile;
    if (stateFile !== false) writeStateFile(path.resolve(stateFile), first.config);
    current = first;

    /** Once the requests a generation took have finished, stops its functions the next one does not use. */
    const retire = async (old: Generation, next: Generation): Promise<void> => {
      const leaving = [...old.functions.values()]
        .map(({ fn }) => fn)
        .filter((fn) => next.functions.get(fn.definition.functionName)?.fn !== fn);
      if (inFlight.has(old)) {
        // Requests end within their function's timeout; the bound keeps a stalled client from holding the old code.
        const longest = Math.max(0, ...leaving.map((fn) => fn.definition.timeoutSeconds));
        await new Promise<void>((resolve) => {
          idle.set(old, resolve);
          setTimeout(resolve, (longest + RETIRE_GRACE_SECONDS) * 1000).unref();
        });
        idle.delete(old);
      }
      await Promise.all(
        leaving.map(async (fn) => {
          running.delete(fn);
          await fn.stop();
          removeTaskRoot(functionsDir, fn.taskRoot);
        }),
      );
    };

    let reloading: Promise<unknown> = Promise.resolve();
    const reload = (source: { readonly synthDir?: string; readonly stackFile?: string }): Promise<ReloadSummary> => {
      const next = reloading.then(async () => {
        if (stopped || !current) throw new LocalStackError('The local stack is stopped.');
        const previous = current;
        const before = new Set(running);
        /** Stops what this reload started: nothing of it is served. */
        const discard = async (): Promise<void> => {
          const started = [...running].filter((fn) => !before.has(fn));
          for (const fn of started) running.delete(fn);
          await Promise.all(started.map((fn) => fn.stop().then(() => removeTaskRoot(functionsDir, fn.taskRoot))));
        };
        let built: Generation;
        try {
          const nextStack = loadStack(source, stackName);
          built = await buildGeneration(nextStack, previous.store.successor(nextStack), context, previous);
          await dynamoDb?.ensureTables(built.tables);
        } catch (error) {
          await discard();
          throw asLocalStackError(error);
        }
        if (stopped) {
          await discard();
          throw new LocalStackError('The local stack is stopped.');
        }
        built.store.save();
        if (stateFile !== false) writeStateFile(path.resolve(stateFile), built.config);
        current = built;
        void retire(previous, built);
        return summarizeReload(previous, built);
      });
      reloading = next.catch(() => undefined);
      return next;
    };

    return {
      get config() {
        return (current ?? first).config;
      },
      stackName: stack.name,
      dynamodbEndpoint: dynamoDbEndpoint,
      get routes() {
        return (current ?? first).routes;
      },
      invocations: (functionName) => {
        const functions = [...(current ?? first).functions.values()].map(({ fn }) => fn);
        return functionName === undefined
          ? functions.reduce((sum, fn) => sum + fn.invocations, 0)
          : (functions.find((fn) => fn.definition.functionName === functionName)?.invocations ?? 0);
      },
      stopDynamoDb,
      startDynamoDb: restartDynamoDb,
      signToken: (payload, signOptions) => (current ?? first).signToken(payload, signOptions),
      reload,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw asLocalStackError(error);
  }
}
