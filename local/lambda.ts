/**
 * The local Lambda service: each synthesized `aws_lambda_function` runs from its own asset zip, extracted to a
 * task root, in execution environments that are worker threads with the function's environment variables.
 *
 * As in Lambda: an environment serves one invocation at a time (more environments start on demand, up to a cap);
 * the handler module loads once per environment (init phase); the function's timeout ends the environment; a
 * failed init is reported to the invocation and retried on the next one; a reserved concurrency of 0 throttles
 * every invocation (the code never runs).
 */
import AdmZip from 'adm-zip';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { Resource, SynthesizedStackConfig } from '../synth/stack-json';
import { LOCAL_ACCOUNT_ID } from './environment';
import { LocalStackError } from './errors';
import type { ReferenceResolver } from './reference-resolver';

/** Variables Lambda sets itself; a function that sets one fails to deploy ("Reserved keys used in this request"). */
const RESERVED_VARIABLES = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
] as const;

/** Lambda refuses environment variables larger than 4 KB in total. */
const MAX_ENVIRONMENT_BYTES = 4096;

export interface FunctionDefinition {
  readonly address: string;
  readonly functionName: string;
  readonly handler: string;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** Absolute path of the deployment package (the asset zip). */
  readonly zipFile: string;
  /** The function's own variables, references resolved to local values. */
  readonly variables: Readonly<Record<string, string>>;
  readonly logGroupName: string;
  readonly logFormat: string | undefined;
  /** `reserved_concurrent_executions`; `undefined` when unset or -1 (no reservation). 0 throttles every invocation. */
  readonly reservedConcurrency: number | undefined;
  readonly arn: string;
}

/** The ARN and invoke ARN of a function resource, as Terraform would know them after apply. */
export function functionArns(stack: SynthesizedStackConfig, resource: Resource): { arn: string; invokeArn: string } {
  const configured = resource.config.function_name;
  const name = typeof configured === 'string' ? configured : resource.name;
  const arn = `arn:aws:lambda:${stack.region}:${LOCAL_ACCOUNT_ID}:function:${name}`;
  return {
    arn,
    invokeArn: `arn:aws:apigateway:${stack.region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
  };
}

/** Reads the functions of the stack (package, handler, timeout, memory, environment with references resolved). */
export function describeFunctions(stack: SynthesizedStackConfig, resolver: ReferenceResolver): FunctionDefinition[] {
  return stack.resources('aws_lambda_function').map((resource) => {
    const where = resource.address;
    const config = resource.config;
    const functionName = resolver.string(config.function_name, `${where}.function_name`);
    if (typeof config.filename !== 'string') {
      throw new LocalStackError(`${where}: only functions deployed from a local package (filename) can run locally.`);
    }
    if (config.package_type === 'Image')
      throw new LocalStackError(`${where}: container-image functions cannot run locally.`);
    const runtime = typeof config.runtime === 'string' ? config.runtime : '';
    if (!runtime.startsWith('nodejs')) {
      throw new LocalStackError(`${where}: runtime "${runtime}" cannot run locally (Node.js runtimes only).`);
    }
    const zipFile = path.resolve(stack.workingDirectory, config.filename);
    if (!fs.existsSync(zipFile)) throw new LocalStackError(`${where}: the package ${zipFile} does not exist.`);
    const environment = (config.environment ?? {}) as { variables?: Record<string, unknown> };
    const variables: Record<string, string> = {};
    for (const [name, value] of Object.entries(environment.variables ?? {})) {
      if ((RESERVED_VARIABLES as readonly string[]).includes(name)) {
        throw new LocalStackError(
          `${where}: environment variable ${name} is reserved by Lambda; the deployment would fail.`,
        );
      }
      variables[name] = resolver.string(value, `${where}: environment variable ${name}`);
    }
    const size = Object.entries(variables).reduce(
      (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v),
      0,
    );
    if (size > MAX_ENVIRONMENT_BYTES) {
      throw new LocalStackError(
        `${where}: environment variables take ${size} bytes; Lambda allows ${MAX_ENVIRONMENT_BYTES}.`,
      );
    }
    const logging = (config.logging_config ?? {}) as Record<string, unknown>;
    const logGroup =
      logging.log_group === undefined ? undefined : resolver.string(logging.log_group, `${where}.logging_config`);
    return {
      address: where,
      functionName,
      handler: typeof config.handler === 'string' ? config.handler : 'index.handler',
      runtime,
      timeoutSeconds: typeof config.timeout === 'number' ? config.timeout : 3,
      memorySize: typeof config.memory_size === 'number' ? config.memory_size : 128,
      zipFile,
      variables,
      logGroupName: logGroup ?? `/aws/lambda/${functionName}`,
      logFormat: typeof logging.log_format === 'string' ? logging.log_format : undefined,
      reservedConcurrency:
        typeof config.reserved_concurrent_executions === 'number' && config.reserved_concurrent_executions >= 0
          ? config.reserved_concurrent_executions
          : undefined,
      arn: functionArns(stack, resource).arn,
    };
  });
}

export interface FunctionError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stack?: readonly string[];
}

export type InvokeOutcome =
  | { readonly kind: 'result'; readonly payload: string }
  | { readonly kind: 'error'; readonly error: FunctionError }
  | { readonly kind: 'timeout' }
  /** Lambda refused to run the function (429 TooManyRequestsException): its reserved concurrency is 0. */
  | { readonly kind: 'throttled' };

export interface LocalFunctionOptions {
  readonly definition: FunctionDefinition;
  /** Folder the package is extracted into (the task root); emptied first. */
  readonly taskRoot: string;
  /** NODE_PATH of the environments: where the "runtime" provides the AWS SDK. */
  readonly nodePath: string | undefined;
  /** Variables beyond the function's own: region, credentials, local endpoints. Applied after Lambda's. */
  readonly environment: Readonly<Record<string, string>>;
  /** Most environments running at once. */
  readonly maxEnvironments: number;
  /** Receives each line the function writes to stdout/stderr; `undefined` discards them. */
  readonly onLog: ((functionName: string, line: string) => void) | undefined;
}

interface Pending {
  readonly resolve: (outcome: InvokeOutcome) => void;
}

const WORKER_SCRIPT = path.join(__dirname, 'lambda-worker.cjs');

/** One execution environment: a worker thread that loaded the handler. */
class ExecutionEnvironment {
  readonly worker: Worker;
  readonly ready: Promise<FunctionError | undefined>;
  dead = false;
  private pending: (Pending & { id: string }) | undefined;
  private exitError: FunctionError | undefined;

  constructor(options: LocalFunctionOptions, env: Record<string, string>) {
    const { definition } = options;
    const logStreamName = `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomUUID().replace(/-/g, '')}`;
    this.worker = new Worker(WORKER_SCRIPT, {
      env: { ...env, AWS_LAMBDA_LOG_STREAM_NAME: logStreamName },
      workerData: {
        taskRoot: options.taskRoot,
        handler: definition.handler,
        functionName: definition.functionName,
        memorySize: definition.memorySize,
        functionArn: definition.arn,
        logGroupName: definition.logGroupName,
        logStreamName,
      },
      stdout: true,
      stderr: true,
      // Plain Node.js, as in Lambda: a worker inherits the parent's flags by default, and with them the TypeScript
      // loader `npm start` runs under (about 150 ms more to start each environment, and a loader Lambda lacks).
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, definition.memorySize) },
    });
    for (const stream of [this.worker.stdout, this.worker.stderr]) {
      if (options.onLog) {
        const onLog = options.onLog;
        readline.createInterface({ input: stream }).on('line', (line) => onLog(definition.functionName, line));
      } else {
        stream.resume();
      }
    }
    this.ready = new Promise((resolve) => {
      const onMessage = (message: { type: string; error?: FunctionError }): void => {
        if (message.type === 'ready') resolve(undefined);
        else if (message.type === 'init-error') resolve(message.error);
      };
      this.worker.once('message', onMessage);
      this.worker.once('exit', () =>
        resolve(this.exitError ?? { errorType: 'Runtime.ExitError', errorMessage: 'The runtime exited during init.' }),
      );
    });
    this.worker.on('message', (message: { type: string; id?: string; result?: string; error?: FunctionError }) => {
      const pending = this.pending;
      if (!pending || message.id !== pending.id) return;
      this.pending = undefined;
      if (message.type === 'result') pending.resolve({ kind: 'result', payload: message.result ?? 'null' });
      else
        pending.resolve({
          kind: 'error',
          error: message.error ?? { errorType: 'Error', errorMessage: 'Unknown error' },
        });
    });
    this.worker.on('error', (error) => {
      this.exitError = { errorType: 'Runtime.ExitError', errorMessage: `The runtime exited: ${error.message}` };
    });
    this.worker.on('exit', () => {
      this.dead = true;
      const pending = this.pending;
      this.pending = undefined;
      pending?.resolve({
        kind: 'error',
        error: this.exitError ?? { errorType: 'Runtime.ExitError', errorMessage: 'The runtime exited.' },
      });
    });
  }

  invoke(eventJson: string, awsRequestId: string, deadline: number, traceId: string): Promise<InvokeOutcome> {
    return new Promise((resolve) => {
      const id = randomUUID();
      this.pending = { id, resolve };
      this.worker.postMessage({ type: 'invoke', id, event: eventJson, awsRequestId, deadline, traceId });
    });
  }

  async terminate(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}

/** A function with its pool of execution environments. */
export class LocalFunction {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly all = new Set<ExecutionEnvironment>();
  private readonly waiting: Array<() => void> = [];
  private readonly env: Record<string, string>;
  private stopped = false;
  private count = 0;

  constructor(private readonly options: LocalFunctionOptions) {
    const { definition } = options;
    const lambdaEnvironment: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      AWS_EXECUTION_ENV: `AWS_Lambda_${definition.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: definition.functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memorySize),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: definition.logGroupName,
      LAMBDA_TASK_ROOT: options.taskRoot,
      LAMBDA_RUNTIME_DIR: path.dirname(WORKER_SCRIPT),
      _HANDLER: definition.handler,
      ...(definition.logFormat === undefined ? {} : { AWS_LAMBDA_LOG_FORMAT: definition.logFormat }),
      ...(options.nodePath === undefined ? {} : { NODE_PATH: options.nodePath }),
    };
    this.env = { ...lambdaEnvironment, ...definition.variables, ...options.environment };
  }

  get definition(): FunctionDefinition {
    return this.options.definition;
  }

  /** The folder its package is extracted into. */
  get taskRoot(): string {
    return this.options.taskRoot;
  }

  /** How many invocations reached the function's code (init failures included). */
  get invocations(): number {
    return this.count;
  }

  /** Whether every invocation is throttled: a reserved concurrency of 0 stops the function from running at all. */
  get throttled(): boolean {
    return this.options.definition.reservedConcurrency === 0;
  }

  /**
   * Extracts the package into the task root and starts one environment (its init error, if any, is returned);
   * none for a throttled function, whose code never runs.
   */
  async prepare(): Promise<FunctionError | undefined> {
    fs.rmSync(this.options.taskRoot, { recursive: true, force: true });
    fs.mkdirSync(this.options.taskRoot, { recursive: true });
    try {
      new AdmZip(this.options.definition.zipFile).extractAllTo(this.options.taskRoot, true);
    } catch (error) {
      throw new LocalStackError(
        `${this.options.definition.address}: cannot extract its package: ${(error as Error).message}`,
      );
    }
    if (this.throttled) return undefined;
    const environment = new ExecutionEnvironment(this.options, this.env);
    this.all.add(environment);
    const initError = await environment.ready;
    if (initError) {
      this.all.delete(environment);
      await environment.terminate();
      return initError;
    }
    this.idle.push(environment);
    return undefined;
  }

  /** Invokes the function with an event (JSON), enforcing its timeout. */
  async invoke(eventJson: string, awsRequestId: string, traceId: string): Promise<InvokeOutcome> {
    // Reserved concurrency 0: Lambda throttles the invocation before any environment runs (fail closed).
    if (this.throttled) return { kind: 'throttled' };
    this.count++;
    const acquired = await this.acquire();
    if ('errorType' in acquired) return { kind: 'error', error: acquired };
    const environment = acquired;
    const timeoutMs = this.options.definition.timeoutSeconds * 1000;
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<InvokeOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
    });
    const outcome = await Promise.race([environment.invoke(eventJson, awsRequestId, deadline, traceId), timedOut]);
    clearTimeout(timer);
    if (outcome.kind === 'timeout') {
      // Lambda stops the environment of a function that timed out; the next invocation starts a new one.
      await this.discard(environment);
    } else if (environment.dead) {
      await this.discard(environment);
    } else {
      this.release(environment);
    }
    return outcome;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.all].map((environment) => environment.terminate()));
    this.all.clear();
    this.idle.length = 0;
    for (const wake of this.waiting.splice(0)) wake();
  }

  private get maxEnvironments(): number {
    const reserved = this.options.definition.reservedConcurrency;
    return Math.max(1, Math.min(this.options.maxEnvironments, reserved ?? Infinity));
  }

  private async acquire(): Promise<ExecutionEnvironment | FunctionError> {
    for (;;) {
      if (this.stopped) return { errorType: 'Runtime.Stopped', errorMessage: 'The local stack is stopping.' };
      const idle = this.idle.pop();
      if (idle && !idle.dead) return idle;
      if (idle) continue;
      if (this.all.size < this.maxEnvironments) {
        const environment = new ExecutionEnvironment(this.options, this.env);
        this.all.add(environment);
        const initError = await environment.ready;
        if (initError) {
          await this.discard(environment);
          return initError;
        }
        return environment;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(environment: ExecutionEnvironment): void {
    this.idle.push(environment);
    this.waiting.shift()?.();
  }

  private async discard(environment: ExecutionEnvironment): Promise<void> {
    this.all.delete(environment);
    this.waiting.shift()?.();
    await environment.terminate();
  }
}

/**
 * A folder to use as NODE_PATH that provides `@aws-sdk/*` (as the Lambda Node.js runtime does) and nothing
 * else, by linking the project's `node_modules/@aws-sdk`. `undefined` when the project has no AWS SDK.
 */
export function runtimeNodePath(root: string): string | undefined {
  let sdk: string;
  try {
    sdk = path.dirname(path.dirname(require.resolve('@aws-sdk/client-dynamodb/package.json')));
  } catch {
    return undefined;
  }
  const modules = path.join(root, 'node_modules');
  const link = path.join(modules, '@aws-sdk');
  fs.mkdirSync(modules, { recursive: true });
  try {
    if (fs.realpathSync(link) === fs.realpathSync(sdk)) return modules;
    fs.rmSync(link, { recursive: true, force: true });
  } catch {
    // no link yet
  }
  try {
    fs.symlinkSync(sdk, link, 'dir');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return modules;
}
