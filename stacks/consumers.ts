/**
 * The consumer registry: the services ("consumers") that call the API, each holding only the scopes it needs, its
 * own credentials and, where the stage enforces them, its own limits. Types, derived names and the synth-time
 * checks live here; each stage's registry is in `config.ts`.
 *
 * The type system refuses what it can see (an empty or unknown scope, three credential generations, a name used
 * twice in one object literal: TS1117); {@link consumerProblems} refuses the rest at synth, naming the stage, the
 * consumer and the value, with what to do.
 */
import { accessTokenValidityProblem } from './constructs/m2m-auth';
import type { Scope } from './scopes';

/** At least one scope of the resource server: an empty list does not type-check, and synth refuses it too. */
export type ConsumerScopes = readonly [Scope, ...Scope[]];

/**
 * A credential generation: a counter (1, 2, 3 …) that names the consumer's app client, secret and API key. Never
 * reuse a number: a deleted secret keeps its name for its recovery window.
 */
export type CredentialGeneration = number;

/** An IAM principal that may read a consumer's secrets: a role, a user, or a whole account (`…:root`). */
export type IamPrincipalArn = `arn:${string}:iam::${number}:${string}`;

export interface ConsumerCredentialsConfig {
  /**
   * The live credential generations, one or two. Each has its own Cognito app client (with its own secret), its own
   * Secrets Manager secret and, with usage plans, its own API key. To rotate, add the next generation, hand it over,
   * let the consumer switch, then remove the old one. The highest number is the current generation.
   */
  readonly generations: readonly [CredentialGeneration] | readonly [CredentialGeneration, CredentialGeneration];
  /**
   * IAM principals, in this account or another, allowed to read the consumer's secrets (granted by the secrets'
   * resource policy and the encryption key's policy).
   * @default none: only principals of this account whose own IAM policies allow it
   */
  readonly readers?: readonly IamPrincipalArn[];
}

/** The period of a usage-plan quota. */
export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';

/** A consumer's own limits, enforced by an API Gateway usage plan when the stage turns usage plans on. */
export interface ConsumerLimits {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Burst bucket size (requests). */
  readonly burstLimit: number;
  /** Requests per period. @default no quota */
  readonly quota?: { readonly limit: number; readonly period: QuotaPeriod };
}

export interface ConsumerConfig {
  /** What the consumer is and what it uses the API for (shown on its app client, secret and usage plan). */
  readonly description: string;
  /** The scopes its tokens may carry: only what it needs. */
  readonly scopes: ConsumerScopes;
  /**
   * Lifetime of its access tokens, in minutes (5 to 1440). Also how long a removed credential generation's tokens
   * stay usable: access tokens cannot be revoked.
   * @default the stage's accessTokenValidityMinutes
   */
  readonly accessTokenValidityMinutes?: number;
  readonly credentials: ConsumerCredentialsConfig;
  /**
   * Rate, burst and an optional quota. Enforced where the stage turns usage plans on (there every consumer needs
   * them); elsewhere checked but inert, so one registry serves every stage.
   * @default none
   */
  readonly limits?: ConsumerLimits;
}

/** Consumer name → configuration. Names are lower-case kebab-case (see {@link CONSUMER_NAME_PATTERN}). */
export type ConsumerRegistry = Readonly<Record<string, ConsumerConfig>>;

/**
 * Consumer names: 1–48 lower-case letters, digits and single hyphens, starting with a letter. The names end up in
 * a Cognito app client name (`[\w\s+=,.@-]+`, 1–128 characters), a Secrets Manager secret name (letters, digits and
 * `/_+=.@-`, up to 512), API Gateway API key and usage plan names, Logs Insights labels and construct ids (no `/`).
 * Lower-case kebab-case is valid in all of them without quoting, cannot produce two names that differ only by case,
 * and leaves room for the `m2m-api-<stage>-` prefix and the generation.
 */
export const CONSUMER_NAME_PATTERN = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,47}$/;
/** Credential generations are whole numbers from 1 to this. */
export const MAX_GENERATION = 999;
/** Cognito: app client names are at most 128 characters. */
const MAX_CLIENT_NAME_LENGTH = 128;
/** Secrets Manager accepts 7–30 days (or 0, deletion without recovery, which this project refuses). */
export const SECRET_RECOVERY_DAYS = { min: 7, max: 30 } as const;
const READER_ARN = /^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:(?:root|(?:role|user)\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64})$/;
const QUOTA_PERIODS: readonly QuotaPeriod[] = ['DAY', 'WEEK', 'MONTH'];

/** `m2m-api-dev-catalog-reader-2`: the app client and API key of one generation (without one: the usage plan). */
export function consumerResourceName(namePrefix: string, consumer: string, generation?: CredentialGeneration): string {
  return generation === undefined ? `${namePrefix}-${consumer}` : `${namePrefix}-${consumer}-${generation}`;
}

/** `m2m-api-dev/consumers/catalog-reader/`: the common prefix of a consumer's secret names. */
export function consumerSecretPrefix(namePrefix: string, consumer: string): string {
  return `${namePrefix}/consumers/${consumer}/`;
}

/** `m2m-api-dev/consumers/catalog-reader/2`: the secret holding one generation's credentials. */
export function consumerSecretName(namePrefix: string, consumer: string, generation: CredentialGeneration): string {
  return `${consumerSecretPrefix(namePrefix, consumer)}${generation}`;
}

/** The current (highest) generation. */
export function currentGeneration(credentials: ConsumerCredentialsConfig): CredentialGeneration {
  return Math.max(...credentials.generations);
}

/** The stage settings the registry is checked against. */
export interface ConsumerSettings {
  readonly stage: string;
  readonly namePrefix: string;
  readonly consumers: ConsumerRegistry;
  /** The consumer for operations and smoke tests, which must hold every scope. */
  readonly operationsConsumer: string;
  /** The scope names the resource server defines. */
  readonly definedScopes: readonly string[];
  readonly usagePlans: boolean;
  /** Stage-wide throttling: no consumer's limits may exceed it. */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  readonly secretRecoveryDays: number;
}

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);
const isWhole = (value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
/** `Array.isArray` without its `any[]`: the items of a list from config stay what they were declared, or `unknown`. */
const isList = (value: unknown): value is readonly unknown[] => Array.isArray(value);

/** Every problem of the stage's consumer settings, each naming the stage, the consumer and the value. */
export function consumerProblems(settings: ConsumerSettings): string[] {
  const stage = `Stage "${settings.stage}"`;
  const problems: string[] = [];
  const names = Object.keys(settings.consumers);
  if (names.length === 0) {
    problems.push(
      `${stage}: the consumer registry is empty. Add at least the "${settings.operationsConsumer}" consumer.`,
    );
  }
  if (!isWhole(settings.secretRecoveryDays, SECRET_RECOVERY_DAYS.min, SECRET_RECOVERY_DAYS.max)) {
    problems.push(
      `${stage}: secretRecoveryDays is ${show(settings.secretRecoveryDays)}; use whole days from ` +
        `${SECRET_RECOVERY_DAYS.min} to ${SECRET_RECOVERY_DAYS.max} (Secrets Manager's recovery window).`,
    );
  }
  const operations = settings.consumers[settings.operationsConsumer];
  if (names.length > 0 && !operations) {
    problems.push(
      `${stage}: the operations consumer "${settings.operationsConsumer}" is not in the registry ` +
        `(${names.join(', ')}). Add it with every scope, or set operationsConsumer to one that has every scope.`,
    );
  } else if (operations) {
    const missing = settings.definedScopes.filter((scope) => !(operations.scopes ?? []).includes(scope as Scope));
    if (missing.length > 0) {
      problems.push(
        `${stage}, consumer "${settings.operationsConsumer}": as the operations consumer (smoke tests, the ` +
          `client_id output) it needs every scope; it lacks ${missing.join(', ')}. Add them, or set ` +
          'operationsConsumer to a consumer that has every scope.',
      );
    }
  }
  for (const name of names) {
    const where = `${stage}, consumer "${name}"`;
    problems.push(...consumerConfigProblems(where, name, settings.consumers[name], settings));
  }
  return problems;
}

function consumerConfigProblems(where: string, name: string, consumer: ConsumerConfig, settings: ConsumerSettings) {
  const problems: string[] = [];
  if (!CONSUMER_NAME_PATTERN.test(name)) {
    problems.push(
      `${where}: the name ${show(name)} is invalid; use 1–48 lower-case letters, digits and single hyphens, ` +
        'starting with a letter (it names the app client, the secret and the usage plan).',
    );
  }
  if (typeof consumer.description !== 'string' || consumer.description.trim() === '') {
    problems.push(
      `${where}: description is ${show(consumer.description)}; say what the consumer is and why it calls the API.`,
    );
  }
  problems.push(...scopeProblems(where, consumer.scopes, settings.definedScopes));
  if (consumer.accessTokenValidityMinutes !== undefined) {
    const problem = accessTokenValidityProblem(consumer.accessTokenValidityMinutes);
    if (problem) problems.push(`${where}: accessTokenValidityMinutes ${problem}.`);
  }
  problems.push(...credentialProblems(where, name, consumer.credentials, settings));
  problems.push(...limitProblems(where, consumer.limits, settings));
  return problems;
}

function scopeProblems(where: string, scopes: readonly string[] | undefined, defined: readonly string[]): string[] {
  const known = `the resource server's scopes are ${defined.join(', ')}`;
  if (!isList(scopes) || scopes.length === 0) {
    return [`${where}: scopes is ${show(scopes)}; give at least one scope (${known}).`];
  }
  const problems: string[] = [];
  for (const scope of scopes) {
    if (!defined.includes(scope)) {
      problems.push(`${where}: scope ${show(scope)} is not defined; ${known}. Use one of them, or add it to SCOPES.`);
    }
  }
  const duplicates = scopes.filter((scope, i) => scopes.indexOf(scope) !== i);
  if (duplicates.length > 0) problems.push(`${where}: scope ${show(duplicates[0])} is listed twice; list it once.`);
  return problems;
}

function credentialProblems(
  where: string,
  name: string,
  credentials: ConsumerCredentialsConfig | undefined,
  settings: ConsumerSettings,
): string[] {
  const generations: readonly unknown[] | undefined = credentials?.generations;
  if (!isList(generations) || generations.length === 0) {
    return [`${where}: credentials.generations is ${show(generations)}; give one generation, e.g. [1].`];
  }
  const problems: string[] = [];
  if (generations.length > 2) {
    problems.push(
      `${where}: credentials.generations is ${show(generations)}; at most two generations live at once (the ` +
        'current one and the one being replaced). Remove the oldest once its consumer has switched.',
    );
  }
  for (const generation of generations) {
    if (!isWhole(generation, 1, MAX_GENERATION)) {
      problems.push(
        `${where}: credential generation ${show(generation)} is invalid; use whole numbers from 1 to ` +
          `${MAX_GENERATION}, the next one for each rotation.`,
      );
    } else {
      const clientName = consumerResourceName(settings.namePrefix, name, generation);
      if (clientName.length > MAX_CLIENT_NAME_LENGTH) {
        problems.push(
          `${where}: the app client name "${clientName}" is longer than Cognito's ${MAX_CLIENT_NAME_LENGTH} ` +
            'characters; shorten the consumer name.',
        );
      }
    }
  }
  const duplicate = generations.find((generation, i) => generations.indexOf(generation) !== i);
  if (duplicate !== undefined) {
    problems.push(`${where}: credential generation ${show(duplicate)} is listed twice; each generation is one client.`);
  }
  const readers: readonly unknown[] = credentials?.readers ?? [];
  if (!isList(readers)) {
    problems.push(`${where}: credentials.readers is ${show(readers)}; give a list of IAM principal ARNs.`);
    return problems;
  }
  for (const reader of readers) {
    if (typeof reader !== 'string' || !READER_ARN.test(reader)) {
      problems.push(
        `${where}: reader ${show(reader)} is not an IAM principal ARN; use arn:aws:iam::<12-digit account>:role/<name>, ` +
          ':user/<name> or :root (no wildcards, no assumed-role sessions).',
      );
    }
  }
  const repeated = readers.find((reader, i) => readers.indexOf(reader) !== i);
  if (repeated !== undefined) problems.push(`${where}: reader ${show(repeated)} is listed twice; list it once.`);
  return problems;
}

function limitProblems(where: string, limits: ConsumerLimits | undefined, settings: ConsumerSettings): string[] {
  if (limits === undefined) {
    return settings.usagePlans
      ? [
          `${where}: stage "${settings.stage}" has usagePlans on, so every consumer needs limits ` +
            '({ rateLimit, burstLimit, quota? }); add them, or turn usagePlans off for the stage.',
        ]
      : [];
  }
  const problems: string[] = [];
  const { rateLimit, burstLimit, quota } = limits;
  if (typeof rateLimit !== 'number' || !Number.isFinite(rateLimit) || rateLimit <= 0) {
    problems.push(`${where}: limits.rateLimit is ${show(rateLimit)}; use requests per second above 0.`);
  } else if (settings.usagePlans && rateLimit > settings.throttling.rateLimit) {
    problems.push(
      `${where}: limits.rateLimit ${rateLimit} exceeds the stage's throttling.rateLimit ` +
        `${settings.throttling.rateLimit}, which caps every consumer anyway; lower it, or raise the stage's.`,
    );
  }
  if (!isWhole(burstLimit, 1)) {
    problems.push(`${where}: limits.burstLimit is ${show(burstLimit)}; use a whole number of requests, at least 1.`);
  } else if (settings.usagePlans && burstLimit > settings.throttling.burstLimit) {
    problems.push(
      `${where}: limits.burstLimit ${burstLimit} exceeds the stage's throttling.burstLimit ` +
        `${settings.throttling.burstLimit}, which caps every consumer anyway; lower it, or raise the stage's.`,
    );
  }
  if (quota !== undefined) {
    if (!isWhole(quota.limit, 1)) {
      problems.push(
        `${where}: limits.quota.limit is ${show(quota.limit)}; use a whole number of requests, at least 1.`,
      );
    }
    if (!QUOTA_PERIODS.includes(quota.period)) {
      problems.push(`${where}: limits.quota.period is ${show(quota.period)}; use ${QUOTA_PERIODS.join(', ')}.`);
    }
  }
  return problems;
}

/** Refuses the stage's consumer settings when anything is wrong, listing every problem. */
export function validateConsumers(settings: ConsumerSettings): void {
  const problems = consumerProblems(settings);
  if (problems.length > 0) {
    throw new Error(`The consumer registry cannot be deployed:\n- ${problems.join('\n- ')}`);
  }
}
