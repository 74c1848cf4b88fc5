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
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../common/project-paths';
import { platformStackName } from '../common/stack-names';
import { writeAtomically } from '../common/write-atomically';
import { SynthOutputError } from '../synth/errors';
import { readManifest } from '../synth/manifest';
import { SynthesizedStackConfig } from '../synth/stack-json';
import { describeApiKeys } from './api-keys';
import { CognitoAuthorizer } from './authorizer';
import { describeCognito, LocalCognito, type SignOptions } from './cognito';
import { describeConsumers, type LocalConsumer } from './consumers';
import { CredentialsStore, credentialsFileFor } from './credentials-store';
import { describeTables, startDynamoDb, type LocalDynamoDb } from './dynamodb';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_FUNCTIONS_DIR,
  DEFAULT_PORT,
  DEFAULT_STAGE,
  DEFAULT_STATE_FILE,
  LOCAL_ACCOUNT_ID,
  LOCAL_CREDENTIALS,
} from './environment';
import { LocalStackError } from './errors';
import { openApiDocument } from '../openapi/document';
import { LocalGateway, type ApiExchange } from './gateway';
import { sendJson } from './http';
import { schemaCompiler } from './json-schema';
import { describeFunctions, LocalFunction, runtimeNodePath } from './lambda';
import { describeLambdaPermissions } from './lambda-permissions';
import { OPENAPI_PATH, OpenApiEndpoint } from './openapi-endpoint';
import { describeRestApis, registerApiAttributes } from './rest-api';
import { ReferenceResolver } from './reference-resolver';
import { describeUsagePlans, UsagePlanEnforcer, usagePlanWarnings } from './usage-plans';

export { LocalStackError } from './errors';

/** What `.local/stack.json` holds, and what `startLocalStack` reports. */
export interface LocalStackConfig {
  readonly stage: string;
  /** Base URL of the API stage, without a trailing slash. */
  readonly apiUrl: string;
  readonly tokenUrl: string;
  readonly jwksUrl: string;
  readonly issuer: string;
  /** The primary client's credentials: the operations consumer's current generation (the `client_id` output). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** Its API key (the `api_key` output), where the stage has usage plans. */
  readonly apiKey?: string;
  /** The stage's OpenAPI document, with these URLs. */
  readonly openapiUrl: string;
  /** Every consumer of the stack's `consumers` output, with its credentials; see `consumers.ts`. */
  readonly consumers: Readonly<Record<string, LocalConsumer>>;
}

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

export interface LocalRoute {
  readonly method: string;
  readonly path: string;
  readonly authorization: string;
  readonly scopes: readonly string[];
  readonly integration: string;
  readonly functionName: string | undefined;
}

export interface LocalStack {
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
  /** Stops every server and environment; keeps persisted data. Safe to call twice. */
  stop(): Promise<void>;
}

/** A synth output or stack the local stack cannot read is a problem of its configuration, and reported as one. */
function asLocalStackError(error: unknown): unknown {
  return error instanceof SynthOutputError ? new LocalStackError(error.message, { cause: error }) : error;
}

/** Loads the stack's Terraform JSON: the file given, or the stack of that name in the synth output given. */
function loadStack(options: LocalStackOptions, stackName: string): SynthesizedStackConfig {
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
  let handler: (request: IncomingMessage, response: ServerResponse) => Promise<void> = (_request, response) => {
    sendJson(response, 503, { message: 'The local stack is starting.' });
    return Promise.resolve();
  };
  const server = createServer((request, response) => {
    handler(request, response).catch((error: unknown) => {
      log?.(`[local] ${(error as Error).stack ?? String(error)}`);
      if (!response.headersSent) sendJson(response, 500, { message: 'Internal server error' });
      else response.destroy();
    });
  });
  const port = await listen(server, options.port ?? DEFAULT_PORT);
  const baseUrl = `http://127.0.0.1:${port}`;

  const cleanups: Array<() => Promise<void>> = [() => closeServer(server)];
  let stopped = false;
  const stopAll = async (): Promise<void> => {
    stopped = true;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };

  try {
    const resolver = new ReferenceResolver(stack);
    registerApiAttributes(stack, resolver, baseUrl);
    const dataDir = options.inMemory ? undefined : path.resolve(PROJECT_ROOT, options.dataDir ?? DEFAULT_DATA_DIR);
    // Consumers: credentials kept with the data, API keys and usage plans (credentials-store, api-keys, usage-plans).
    const store = CredentialsStore.open(dataDir && credentialsFileFor(dataDir), stack);
    const cognitoModel = describeCognito(stack, resolver, store, { clientId, clientSecret });
    const apiKeys = describeApiKeys(stack, resolver, store);
    const usagePlans = describeUsagePlans(stack, resolver, apiKeys);
    const consumers = describeConsumers(stack, cognitoModel.clients, apiKeys);
    const primary = cognitoModel.primaryClient;
    if (!primary || primary.clientSecret === undefined) {
      throw new LocalStackError(`${stack.name} has no app client allowed the client_credentials flow.`);
    }
    const tables = describeTables(stack, resolver);
    const functionDefinitions = describeFunctions(stack, resolver);
    const compiler = schemaCompiler();
    const apis = describeRestApis(stack, resolver, compiler);
    const permissions = describeLambdaPermissions(stack, resolver);

    const cognitoStarting = LocalCognito.start(cognitoModel, baseUrl, store);
    const dynamoDbOptions = { dataDir, region: stack.region, tables };
    let dynamoDb: LocalDynamoDb | undefined = await startDynamoDb(dynamoDbOptions);
    const dynamoDbEndpoint = dynamoDb.endpoint;
    const dynamoDbPort = Number(new URL(dynamoDbEndpoint).port);
    let restarting: Promise<void> | undefined;
    const stopDynamoDb = async (): Promise<void> => {
      await restarting?.catch(() => undefined); // a start under way finishes first, then stops
      const running = dynamoDb;
      dynamoDb = undefined;
      await running?.stop();
    };
    const restartDynamoDb = (): Promise<void> => {
      if (stopped) return Promise.reject(new LocalStackError('The local stack is stopped.'));
      if (dynamoDb) return Promise.resolve();
      restarting ??= startDynamoDb({ ...dynamoDbOptions, port: dynamoDbPort }).then(
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

    const functionsDir = path.resolve(PROJECT_ROOT, options.functionsDir ?? DEFAULT_FUNCTIONS_DIR);
    const runtimeDir = path.join(functionsDir, '.runtime');
    const nodePath = runtimeNodePath(runtimeDir);
    const functions = new Map<string, LocalFunction>();
    for (const definition of functionDefinitions) {
      const fn = new LocalFunction({
        definition,
        taskRoot: path.join(functionsDir, definition.functionName),
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
      functions.set(definition.functionName, fn);
      cleanups.push(() => fn.stop());
    }
    const [cognito, initErrors] = await Promise.all([
      cognitoStarting,
      Promise.all([...functions.values()].map(async (fn) => [fn.definition.functionName, await fn.prepare()] as const)),
    ]);
    store.save();
    for (const [name, error] of initErrors) {
      if (error)
        log?.(
          `[local] WARNING: ${name} failed to initialise (${error.errorType}: ${error.errorMessage}); its invocations will fail with 502.`,
        );
    }
    for (const fn of functions.values()) {
      if (fn.throttled) {
        log?.(
          `[local] WARNING: ${fn.definition.functionName} has reserved_concurrent_executions = 0: Lambda throttles every invocation, so its routes answer 500.`,
        );
      }
    }

    const authorizers = new Map<string, CognitoAuthorizer>();
    for (const api of apis) {
      for (const method of api.methods) {
        const definition = method.authorizer;
        if (!definition || authorizers.has(definition.address)) continue;
        if (definition.type !== 'COGNITO_USER_POOLS') continue;
        const pools = cognitoModel.pools.filter((pool) => definition.providerArns.includes(pool.arn));
        if (pools.length !== definition.providerArns.length) {
          throw new LocalStackError(`${definition.address}: provider_arns name a user pool that is not in the stack.`);
        }
        authorizers.set(
          definition.address,
          new CognitoAuthorizer(
            definition.name,
            pools.map((pool) => ({ issuer: cognito.issuer(pool.poolId), jwksUri: cognito.jwksUrl(pool.poolId) })),
          ),
        );
      }
      for (const method of api.methods) {
        if (method.authorization !== 'COGNITO_USER_POOLS' && method.authorization !== 'NONE') {
          log?.(
            `[local] WARNING: ${method.httpMethod} ${method.resourcePath} uses ${method.authorization} authorization, which is not emulated: every request is refused.`,
          );
        }
      }
    }

    for (const warning of usagePlanWarnings(apis, usagePlans)) log?.(`[local] WARNING: ${warning}`);
    const gateway = new LocalGateway(apis, {
      region: stack.region,
      accountId: LOCAL_ACCOUNT_ID,
      functions,
      authorizers,
      permissions,
      usagePlans: new UsagePlanEnforcer(apiKeys, usagePlans, options.now ?? Date.now),
      log,
      observe: options.onApiExchange,
    });
    const stageNames = gateway.stageNames;
    if (stageNames.length === 0) throw new LocalStackError(`${stack.name} has no API Gateway stage to serve.`);
    const stageName = stageNames.includes(stage) ? stage : stageNames[0];
    const servedApi = apis.find((api) => api.stages.some((s) => s.name === stageName));

    const openapi = new OpenApiEndpoint(
      openApiDocument(stack, { stage: stageName, apiUrl: `${baseUrl}/${stageName}`, tokenUrl: cognito.tokenUrl }),
    );

    handler = async (request, response) => {
      const url = new URL(request.url ?? '/', baseUrl);
      if (openapi.handle(request, response, url.pathname)) return;
      if (await cognito.handle(request, response, url.pathname)) return;
      if (await gateway.handle(request, response, url)) return;
      request.resume();
      sendJson(response, 403, { message: 'Forbidden' });
    };

    const apiKeyOutput = stack.json.output?.api_key?.value;
    const apiKey = apiKeyOutput === undefined ? undefined : resolver.string(apiKeyOutput, 'output "api_key"');
    const config: LocalStackConfig = {
      stage: stageName,
      apiUrl: `${baseUrl}/${stageName}`,
      tokenUrl: cognito.tokenUrl,
      jwksUrl: cognito.jwksUrl(primary.pool.poolId),
      issuer: cognito.issuer(primary.pool.poolId),
      clientId: primary.clientId,
      clientSecret: primary.clientSecret,
      ...(apiKey !== undefined && { apiKey }),
      openapiUrl: `${baseUrl}${OPENAPI_PATH}`,
      consumers,
    };
    const stateFile = options.stateFile === undefined ? DEFAULT_STATE_FILE : options.stateFile;
    if (stateFile !== false) writeStateFile(path.resolve(stateFile), config);

    return {
      config,
      stackName: stack.name,
      dynamodbEndpoint: dynamoDbEndpoint,
      routes: (servedApi?.methods ?? []).map((method) => ({
        method: method.httpMethod,
        path: method.resourcePath,
        authorization: method.authorization,
        scopes: method.scopes,
        integration: method.integration.type,
        functionName: method.integration.functionName,
      })),
      invocations: (functionName) =>
        functionName === undefined
          ? [...functions.values()].reduce((sum, fn) => sum + fn.invocations, 0)
          : (functions.get(functionName)?.invocations ?? 0),
      stopDynamoDb,
      startDynamoDb: restartDynamoDb,
      signToken: (payload, signOptions) => cognito.sign(primary.pool.poolId, payload, signOptions),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw asLocalStackError(error);
  }
}
