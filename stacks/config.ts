/**
 * Typed configuration of every stage, in one place.
 *
 * Environment variables (all optional) override the values that differ between accounts:
 * - `STATE_BUCKET`, `STATE_REGION`: the S3 bucket (created by the `bootstrap` stack) that holds Terraform state,
 *   and its region (default: the stages' region). Required to deploy.
 * - `AWS_REGION`: the region the stages deploy to.
 * - `DOMAIN_PREFIX_<STAGE>` (e.g. `DOMAIN_PREFIX_DEV`): the Cognito hosted-domain prefix of one stage.
 * - `CORS_ALLOW_ORIGIN_<STAGE>`: the one browser origin allowed to call a stage's API (CORS is off by default).
 * - `ALARM_EMAIL_<STAGE>`, `ALARM_HTTPS_<STAGE>`: who a stage's alarms notify (see stacks/operations/config.ts).
 */
import { DEFAULT_ACCESS_TOKEN_MINUTES } from '../common/cognito-token-validity';
import type { ConsumerRegistry } from './consumers';
import { operationsConfig, type OperationsConfig, type OperationsOverrides } from './operations/config';

/** The stages this project deploys. Add one here and `main.ts` creates its stack. */
export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export interface StateConfig {
  /** S3 bucket holding the Terraform state of every stage (created by the bootstrap stack). */
  readonly bucket: string;
  /** Region of the state bucket. */
  readonly region: string;
}

export interface ThrottlingConfig {
  /** Steady-state requests per second for the whole stage. */
  readonly rateLimit: number;
  /** Burst bucket size for the whole stage. */
  readonly burstLimit: number;
}

export interface StageConfig {
  readonly stage: Stage;
  /** AWS region of the stage's resources. */
  readonly region: string;
  /** Prefix of every named AWS resource of the stage, e.g. `m2m-api-dev`. */
  readonly namePrefix: string;
  /**
   * Cognito hosted-domain prefix (`https://<prefix>.auth.<region>.amazoncognito.com`).
   * Must be unique in the region across all AWS accounts.
   * @default derived from the user pool id, which is globally unique, so it deploys without configuration
   */
  readonly domainPrefix?: string;
  /**
   * Lifetime of access tokens, in minutes (Cognito allows 5 minutes to 1 day), for consumers that do not set
   * their own. @default 60, Cognito's own default
   */
  readonly accessTokenValidityMinutes: number;
  /** The services that call the API: name → scopes, credentials, limits (`stacks/consumers.ts`). */
  readonly consumers: ConsumerRegistry;
  /**
   * The consumer for operations and smoke tests. It must hold every scope; the `client_id`, `client_secret` (and
   * `api_key`) outputs are its current credentials.
   */
  readonly operationsConsumer: string;
  /**
   * Per-consumer limits: every method requires an API key (`x-api-key`), each credential generation gets one, and
   * each consumer a usage plan with its `limits`.
   */
  readonly usagePlans: boolean;
  /** Days a removed consumer secret stays recoverable (Secrets Manager: 7 to 30). */
  readonly secretRecoveryDays: number;
  /** Retention of the Lambda and API Gateway log groups, in days. */
  readonly logRetentionDays: number;
  /** Stage-wide API Gateway throttling. */
  readonly throttling: ThrottlingConfig;
  /** Refuse to delete the DynamoDB table (and the user pool) through Terraform. */
  readonly deletionProtection: boolean;
  /**
   * Concurrency reserved for the categories function: a guaranteed share of the account's pool, and a ceiling
   * that protects the table and the account. Unset leaves the function on the unreserved pool (new accounts
   * cannot reserve concurrency below their unreserved minimum of 100, so dev leaves it unset).
   */
  readonly reservedConcurrency?: number;
  /**
   * The one browser origin (or `*`) allowed to call the API. Machine-to-machine clients need no CORS.
   * @default undefined: no CORS headers, no OPTIONS methods
   */
  readonly corsAllowOrigin?: string;
  readonly state: StateConfig;
  /** Alarm thresholds and who the alarms notify. @default OPERATIONS_DEFAULTS (stacks/operations/config.ts) */
  readonly operations: OperationsConfig;
}

/** What a stage may set; everything else falls back to {@link DEFAULTS}. */
export type StageOverrides = Partial<Omit<StageConfig, 'stage' | 'state' | 'namePrefix' | 'operations'>> & {
  readonly operations?: OperationsOverrides;
};

/**
 * The consumers of every stage unless a stage overrides them: the all-scope client for operations and smoke tests,
 * and a read-only example. To add a consumer, add an entry; to rotate one's credentials, add the next generation,
 * hand it over, then remove the old one (README: "Consumers").
 */
export const DEFAULT_CONSUMERS: ConsumerRegistry = {
  operations: {
    description: 'Operations and smoke tests: every scope',
    scopes: ['read', 'write', 'update', 'delete'],
    credentials: { generations: [1] },
    limits: { rateLimit: 10, burstLimit: 20 },
  },
  'catalog-reader': {
    description: 'Example read-only consumer: lists and reads categories',
    scopes: ['read'],
    credentials: { generations: [1] },
    limits: { rateLimit: 50, burstLimit: 100, quota: { limit: 1_000_000, period: 'DAY' } },
  },
};

/** Values shared by every stage unless the stage overrides them. */
export const DEFAULTS = {
  region: 'us-east-1',
  accessTokenValidityMinutes: DEFAULT_ACCESS_TOKEN_MINUTES,
  consumers: DEFAULT_CONSUMERS,
  operationsConsumer: 'operations',
  usagePlans: false,
  secretRecoveryDays: 30,
  logRetentionDays: 30,
  throttling: { rateLimit: 50, burstLimit: 100 },
  deletionProtection: false,
} as const;

/** Per-stage differences from {@link DEFAULTS}. */
export const STAGE_OVERRIDES: Record<Stage, StageOverrides> = {
  dev: { logRetentionDays: 14, secretRecoveryDays: 7 },
  prod: {
    logRetentionDays: 365,
    usagePlans: true,
    throttling: { rateLimit: 200, burstLimit: 400 },
    deletionProtection: true,
    reservedConcurrency: 50,
    operations: { alarms: { tokenClientInstances: 20 }, warnWithoutSubscriptions: true },
  },
};

/** Project name: the key prefix in the state bucket and the tag on every resource. */
export const PROJECT = 'cognito-serverless-platform';

/**
 * The state bucket when `STATE_BUCKET` is not set: deliberately not a valid bucket name (upper case), so nobody can
 * own it and a deploy without your own bucket fails instead of sending state — with the client secret — to a
 * bucket someone else created. Offline synth, plans and the local stack never touch it.
 */
export const UNSET_STATE_BUCKET = 'STATE_BUCKET-is-not-set';

type Env = Readonly<Record<string, string | undefined>>;

/** Builds the configuration of one stage from the defaults, the stage's overrides and the environment. */
export function stageConfig(stage: Stage, env: Env = process.env): StageConfig {
  const overrides = STAGE_OVERRIDES[stage];
  const region = env.AWS_REGION || overrides.region || DEFAULTS.region;
  return {
    ...DEFAULTS,
    ...overrides,
    stage,
    region,
    namePrefix: `m2m-api-${stage}`,
    domainPrefix: env[`DOMAIN_PREFIX_${stage.toUpperCase()}`] || overrides.domainPrefix,
    corsAllowOrigin: env[`CORS_ALLOW_ORIGIN_${stage.toUpperCase()}`] || overrides.corsAllowOrigin,
    state: {
      bucket: env.STATE_BUCKET || UNSET_STATE_BUCKET,
      region: env.STATE_REGION || region,
    },
    operations: operationsConfig(stage, overrides.operations, env),
  };
}

/** The key of a stage's state object in the state bucket. */
export function stateKey(stage: Stage): string {
  return `${PROJECT}/${stage}/terraform.tfstate`;
}
