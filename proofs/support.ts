/**
 * What the proofs share: a local stack of their own (free port, temporary folders, nothing written to `.local`),
 * the scopes of the routes, latency figures, and the report file each proof writes to `.build/proofs/`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClientCredentialsTokenProvider } from '../client';
import { BUILD_DIR, PROJECT_ROOT } from '../common/project-paths';
import type { ApiExchange } from '../local/gateway';
import { startLocalStack, type LocalStack, type LocalStackConfig } from '../local/stack';
import { DocumentConformance } from '../openapi/conformance';
import type { OpenApiDocument } from '../openapi/document';
import { synthesize } from '../synth/synthesize';

const REPORT_DIR = path.join(BUILD_DIR, 'proofs');

/** Where the API and its token endpoint are, and the client's credentials. */
export type ApiTarget = Pick<LocalStackConfig, 'apiUrl' | 'tokenUrl' | 'clientId' | 'clientSecret'>;

/** The scope each kind of operation needs. */
export interface ScopeNames {
  readonly read: string;
  readonly write: string;
  readonly update: string;
  readonly delete: string;
}

export const DEFAULT_SCOPES: ScopeNames = {
  read: 'access_points/read',
  write: 'access_points/write',
  update: 'access_points/update',
  delete: 'access_points/delete',
};

/** The scopes of the categories routes as the stack serves them (not written down twice). */
export function scopesOf(stack: LocalStack): ScopeNames {
  const scope = (method: string, route: string): string => {
    const found = stack.routes.find((r) => r.method === method && r.path === route);
    if (!found || found.scopes.length === 0) throw new Error(`The stack serves no ${method} ${route} with a scope.`);
    return found.scopes[0];
  };
  return {
    read: scope('GET', '/categories'),
    write: scope('POST', '/categories'),
    update: scope('PUT', '/categories/{id}'),
    delete: scope('DELETE', '/categories/{id}'),
  };
}

/** Answers of the API checked against the OpenAPI document the stack serves. */
export interface AnswerConformance {
  /** Answers checked (with `checkAnswers`; none otherwise). */
  readonly checked: number;
  /** Each answer the document does not describe is one. */
  readonly violations: Violations;
}

export interface ProofStack {
  readonly stack: LocalStack;
  readonly answers: AnswerConformance;
  /** The temporary folder holding synth output, function packages and (when persisted) DynamoDB data. */
  readonly dir: string;
  /** Stops the stack and removes the temporary folder. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a local stack of the project's `platform-dev` on 127.0.0.1 (free port), with DynamoDB in memory or, with
 * `persist`, in a temporary data folder (so that it survives a restart of the local DynamoDB). With
 * `checkAnswers`, every answer of the API is checked against the OpenAPI document the stack serves (the load proof
 * leaves it off: it measures throughput).
 */
export async function startProofStack(
  options: { persist?: boolean; log?: (line: string) => void; checkAnswers?: boolean } = {},
): Promise<ProofStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proof-stack-'));
  const answers = { checked: 0, violations: new Violations() };
  let conformance: DocumentConformance | undefined;
  const observe = (exchange: ApiExchange): void => {
    if (!conformance) return;
    answers.checked += 1;
    for (const problem of conformance.checkAnswer(exchange).problems) answers.violations.add(`OpenAPI: ${problem}`);
  };
  let stack: LocalStack;
  try {
    const synthDir = path.join(dir, 'synth');
    synthesize(synthDir);
    stack = await startLocalStack({
      synthDir,
      port: 0,
      ...(options.persist ? { dataDir: path.join(dir, 'data') } : { inMemory: true }),
      stateFile: false,
      functionsDir: path.join(dir, 'functions'),
      functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
      log: options.log,
      ...(options.checkAnswers && { onApiExchange: observe }),
    });
    if (options.checkAnswers) {
      const served = await fetch(stack.config.openapiUrl);
      conformance = await DocumentConformance.of((await served.json()) as OpenApiDocument);
    }
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  return {
    stack,
    answers,
    dir,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await stack.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A token provider for some scopes (cached: one token request per provider for a whole run). */
function tokensFor(target: ApiTarget, scopes: readonly string[]): ClientCredentialsTokenProvider {
  return new ClientCredentialsTokenProvider({
    tokenUrl: target.tokenUrl,
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    scopes,
    timeoutMs: 5000,
  });
}

/** The kinds of operation, in the order read, write, update, delete. */
export const SCOPE_KINDS = ['read', 'write', 'update', 'delete'] as const satisfies ReadonlyArray<keyof ScopeNames>;

/** Every scope of the routes, in the order read, write, update, delete. */
export function everyScope(scopes: ScopeNames): string[] {
  return SCOPE_KINDS.map((kind) => scopes[kind]);
}

/** One token provider per kind of operation, each for that operation's scope only. */
export function providersByScope(
  target: ApiTarget,
  scopes: ScopeNames,
): Record<keyof ScopeNames, ClientCredentialsTokenProvider> {
  return {
    read: tokensFor(target, [scopes.read]),
    write: tokensFor(target, [scopes.write]),
    update: tokensFor(target, [scopes.update]),
    delete: tokensFor(target, [scopes.delete]),
  };
}

/** A token carrying every scope of the routes. */
export function tokenWithEveryScope(target: ApiTarget, scopes: ScopeNames): Promise<string> {
  return tokensFor(target, everyScope(scopes)).getToken();
}

/** Adds one to `counts[key]`. */
export function tally(counts: Record<string, number>, key: string | number): void {
  counts[String(key)] = (counts[String(key)] ?? 0) + 1;
}

/** Sorted copy of a tally, for stable output. */
export function sortedTally(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Collects violations: every one is counted, the first `keep` are kept verbatim. */
export class Violations {
  readonly messages: string[] = [];
  count = 0;

  constructor(private readonly keep = 50) {}

  add(message: string): void {
    this.count++;
    if (this.messages.length < this.keep) this.messages.push(message);
  }
}

/** Writes `.build/proofs/<name>.json` and returns its path relative to the project. */
export function writeProofReport(name: string, report: unknown): string {
  fs.mkdirSync(REPORT_DIR, { recursive: true });
  const file = path.join(REPORT_DIR, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return path.relative(PROJECT_ROOT, file);
}

/** What a proof's result says about its rules: how many were broken, and the first violations verbatim. */
export interface ProofVerdict {
  readonly violationCount: number;
  readonly violations: readonly string[];
}

/** The verdicts of several results, as one. */
export function combinedVerdict(...verdicts: readonly ProofVerdict[]): ProofVerdict {
  return {
    violationCount: verdicts.reduce((sum, verdict) => sum + verdict.violationCount, 0),
    violations: verdicts.flatMap((verdict) => verdict.violations),
  };
}
