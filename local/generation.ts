/**
 * One generation of the local stack: everything served from one synthesis of the stack — Cognito's app clients,
 * the gateway with its authorizers and usage plans, the functions, the OpenAPI document — behind one request
 * handler. `startLocalStack` builds the first; a reload builds the next beside it and swaps the handler, keeping
 * the server, DynamoDB and the credentials (see stack.ts). A function whose package and configuration did not change
 * is handed over, environments and all; the others start from their new packages.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import type { SynthesizedStackConfig } from '../synth/stack-json';
import { openApiDocument } from '../openapi/document';
import { describeApiKeys } from './api-keys';
import { CognitoAuthorizer } from './authorizer';
import { describeCognito, LocalCognito, type ClientCredentials, type SignOptions } from './cognito';
import { describeConsumers, type LocalConsumer } from './consumers';
import type { CredentialsStore } from './credentials-store';
import { describeTables, type TableDefinition } from './dynamodb';
import { LOCAL_ACCOUNT_ID } from './environment';
import { LocalStackError } from './errors';
import { LocalGateway, type ApiExchange } from './gateway';
import { sendJson } from './http';
import { schemaCompiler } from './json-schema';
import { describeFunctions, LocalFunction, type FunctionDefinition } from './lambda';
import { describeLambdaPermissions } from './lambda-permissions';
import { OPENAPI_PATH, OpenApiEndpoint } from './openapi-endpoint';
import { ReferenceResolver } from './reference-resolver';
import { describeRestApis, registerApiAttributes } from './rest-api';
import { describeUsagePlans, UsagePlanEnforcer, usagePlanWarnings } from './usage-plans';

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

export interface LocalRoute {
  readonly method: string;
  readonly path: string;
  readonly authorization: string;
  readonly scopes: readonly string[];
  readonly integration: string;
  readonly functionName: string | undefined;
}

/** What stays the same from one generation to the next. */
export interface GenerationContext {
  /** The stage asked for (the first stage of the API when it has no such stage). */
  readonly stage: string;
  /** `http://127.0.0.1:<port>`: the issuer and every URL start with it. */
  readonly baseUrl: string;
  readonly credentials: ClientCredentials;
  readonly now: () => number;
  /** Makes a function from its definition, in a task root of this generation. */
  readonly newFunction: (definition: FunctionDefinition, generation: number) => LocalFunction;
  readonly log: ((line: string) => void) | undefined;
  readonly observe: ((exchange: ApiExchange) => void) | undefined;
}

export interface Generation {
  /** 0 for the stack `startLocalStack` starts with, then one more per reload. */
  readonly number: number;
  readonly stack: SynthesizedStackConfig;
  readonly store: CredentialsStore;
  readonly tables: readonly TableDefinition[];
  /** By function name; each with the fingerprint of its package and configuration. */
  readonly functions: ReadonlyMap<string, { readonly fn: LocalFunction; readonly fingerprint: string }>;
  readonly config: LocalStackConfig;
  readonly routes: readonly LocalRoute[];
  readonly handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  readonly signToken: (payload: Record<string, unknown>, options?: SignOptions) => Promise<string>;
}

/**
 * What identifies a function's code and configuration: the SHA-256 of its package (not its path, which changes
 * with every synthesis) and every other field of its definition.
 */
export function functionFingerprint(definition: FunctionDefinition): string {
  const { zipFile, ...configuration } = definition;
  return createHash('sha256').update(fs.readFileSync(zipFile)).update(JSON.stringify(configuration)).digest('hex');
}

/**
 * Builds a generation from a stack: its functions prepared (one environment started each), Cognito's keys loaded,
 * the gateway ready. Functions of `previous` with the same fingerprint are reused, not rebuilt. On failure, the
 * functions it started are stopped and nothing of `previous` is touched.
 */
export async function buildGeneration(
  stack: SynthesizedStackConfig,
  store: CredentialsStore,
  context: GenerationContext,
  previous?: Generation,
): Promise<Generation> {
  const number = previous === undefined ? 0 : previous.number + 1;
  const { baseUrl, log } = context;
  const resolver = new ReferenceResolver(stack);
  registerApiAttributes(stack, resolver, baseUrl);
  // Consumers: credentials kept with the data, API keys and usage plans (credentials-store, api-keys, usage-plans).
  const cognitoModel = describeCognito(stack, resolver, store, context.credentials);
  const apiKeys = describeApiKeys(stack, resolver, store);
  const usagePlans = describeUsagePlans(stack, resolver, apiKeys);
  const consumers = describeConsumers(stack, cognitoModel.clients, apiKeys);
  const primary = cognitoModel.primaryClient;
  if (!primary || primary.clientSecret === undefined) {
    throw new LocalStackError(`${stack.name} has no app client allowed the client_credentials flow.`);
  }
  const tables = describeTables(stack, resolver);
  const functionDefinitions = describeFunctions(stack, resolver);
  const apis = describeRestApis(stack, resolver, schemaCompiler());
  const permissions = describeLambdaPermissions(stack, resolver);

  const functions = new Map<string, { fn: LocalFunction; fingerprint: string }>();
  const started: LocalFunction[] = [];
  try {
    for (const definition of functionDefinitions) {
      const fingerprint = functionFingerprint(definition);
      const kept = previous?.functions.get(definition.functionName);
      if (kept?.fingerprint === fingerprint) {
        functions.set(definition.functionName, kept);
        continue;
      }
      const fn = context.newFunction(definition, number);
      started.push(fn);
      functions.set(definition.functionName, { fn, fingerprint });
    }
    const [cognito, initErrors] = await Promise.all([
      LocalCognito.start(cognitoModel, baseUrl, store),
      Promise.all(started.map(async (fn) => [fn.definition.functionName, await fn.prepare()] as const)),
    ]);
    for (const [name, error] of initErrors) {
      if (error)
        log?.(
          `[local] WARNING: ${name} failed to initialise (${error.errorType}: ${error.errorMessage}); its invocations will fail with 502.`,
        );
    }
    for (const fn of started) {
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
      functions: new Map([...functions].map(([name, { fn }]) => [name, fn])),
      authorizers,
      permissions,
      usagePlans: new UsagePlanEnforcer(apiKeys, usagePlans, context.now),
      log,
      observe: context.observe,
    });
    const stageNames = gateway.stageNames;
    if (stageNames.length === 0) throw new LocalStackError(`${stack.name} has no API Gateway stage to serve.`);
    const stageName = stageNames.includes(context.stage) ? context.stage : stageNames[0];
    if (previous !== undefined && stageName !== previous.config.stage) {
      throw new LocalStackError(
        `${stack.name} no longer has the stage "${previous.config.stage}" it serves; restart to serve another.`,
      );
    }
    const servedApi = apis.find((api) => api.stages.some((s) => s.name === stageName));

    const openapi = new OpenApiEndpoint(
      openApiDocument(stack, { stage: stageName, apiUrl: `${baseUrl}/${stageName}`, tokenUrl: cognito.tokenUrl }),
    );
    const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
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
    return {
      number,
      stack,
      store,
      tables,
      functions,
      config,
      routes: (servedApi?.methods ?? []).map((method) => ({
        method: method.httpMethod,
        path: method.resourcePath,
        authorization: method.authorization,
        scopes: method.scopes,
        integration: method.integration.type,
        functionName: method.integration.functionName,
      })),
      handle,
      signToken: (payload, signOptions) => cognito.sign(primary.pool.poolId, payload, signOptions),
    };
  } catch (error) {
    await Promise.all(started.map((fn) => fn.stop()));
    throw error;
  }
}

/** What a reload changed, as `npm start -- --watch` prints it. */
export interface ReloadSummary {
  /** `METHOD /path` of the routes served now and not before, sorted. */
  readonly routesAdded: readonly string[];
  readonly routesRemoved: readonly string[];
  /** Functions whose package or configuration changed: they run their new code from now on. */
  readonly functionsReloaded: readonly string[];
  readonly functionsAdded: readonly string[];
  readonly functionsRemoved: readonly string[];
}

/** Compares two generations: routes and functions added, removed or rebuilt. */
export function summarizeReload(before: Generation, after: Generation): ReloadSummary {
  const routeNames = (generation: Generation): Set<string> =>
    new Set(generation.routes.map((route) => `${route.method} ${route.path}`));
  const [routesBefore, routesAfter] = [routeNames(before), routeNames(after)];
  const only = (a: Iterable<string>, b: { has(key: string): boolean }): string[] =>
    [...a].filter((key) => !b.has(key)).sort();
  return {
    routesAdded: only(routesAfter, routesBefore),
    routesRemoved: only(routesBefore, routesAfter),
    functionsReloaded: [...after.functions]
      .filter(([name, { fn }]) => before.functions.has(name) && before.functions.get(name)?.fn !== fn)
      .map(([name]) => name)
      .sort(),
    functionsAdded: only(after.functions.keys(), before.functions),
    functionsRemoved: only(before.functions.keys(), after.functions),
  };
}

/** The summary as lines for the terminal: "nothing changed" when it is empty. */
export function describeReload(summary: ReloadSummary): string[] {
  const lines = [
    ...summary.routesAdded.map((route) => `  + ${route}`),
    ...summary.routesRemoved.map((route) => `  - ${route}`),
    ...summary.functionsAdded.map((name) => `  + function ${name}`),
    ...summary.functionsRemoved.map((name) => `  - function ${name}`),
    ...summary.functionsReloaded.map((name) => `  ~ function ${name} reloaded`),
  ];
  return lines.length === 0 ? ['  nothing served changed'] : lines;
}

/** Removes a task root a retired function no longer uses (`path` under the functions folder only). */
export function removeTaskRoot(functionsDir: string, taskRoot: string): void {
  if (path.dirname(taskRoot) === functionsDir) fs.rmSync(taskRoot, { recursive: true, force: true });
}
