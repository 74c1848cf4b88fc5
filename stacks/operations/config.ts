/**
 * Typed operations settings of a stage: the alarm thresholds and who the alarms notify. Defaults are here; the
 * differences of a stage are in `STAGE_OVERRIDES` (stacks/config.ts); subscriptions also come from the environment:
 * - `ALARM_EMAIL_<STAGE>`: comma-separated email addresses (each must confirm the subscription email AWS sends).
 * - `ALARM_HTTPS_<STAGE>`: comma-separated HTTPS endpoints, e.g. a pager's Amazon SNS / CloudWatch integration URL
 *   (such URLs often embed an integration key: keep them out of the repository, in the environment).
 */
import type { Stage } from '../config';

/** One recipient of the stage's alarm notifications (an Amazon SNS subscription). */
export interface AlarmSubscription {
  readonly protocol: 'email' | 'https';
  /** The email address, or the `https://` URL that receives the notifications. */
  readonly endpoint: string;
}

/**
 * What makes each alarm fire. Every alarm evaluates one-minute periods unless its own documentation says otherwise;
 * the number of breaching periods is fixed per alarm in `alarm-specs.ts`, where each choice is explained.
 */
export interface AlarmThresholds {
  /**
   * API Gateway 5XX responses as a percentage of requests, per minute, 3 minutes in a row. CloudWatch's recommended
   * 5XXError alarm fires above 5 % (Average > 0.05) over 3 of 3 one-minute periods.
   * @default 5
   */
  readonly apiServerErrorRatePercent: number;
  /**
   * API Gateway 4XX responses as a percentage of requests, per 5 minutes, 3 periods in a row (15 minutes): far above
   * normal for machine clients, which should rarely be refused — a consumer that lost its credentials or scopes,
   * a broken release of a consumer, or someone probing the API.
   * @default 25
   */
  readonly apiClientErrorRatePercent: number;
  /**
   * p99 API latency as a percentage of the longest a request can take before it fails: the integration timeout
   * (29 s unless an integration sets its own) or, if sooner, the timeout of the function behind the API.
   * @default 80
   */
  readonly apiLatencyPercentOfTimeout: number;
  /** Lambda `Errors` (unhandled errors, timeouts, crashes) per minute, 3 minutes in a row. @default 1 */
  readonly functionErrorsPerMinute: number;
  /** Lambda `Throttles` per minute, in 5 minutes in a row. @default 1 */
  readonly functionThrottlesPerMinute: number;
  /** p99 Lambda `Duration` as a percentage of the function's timeout, 5 minutes in a row. @default 80 */
  readonly functionDurationPercentOfTimeout: number;
  /**
   * Maximum `ConcurrentExecutions` as a percentage of the function's reserved concurrency, 10 minutes in a row.
   * Only functions with reserved concurrency get this alarm (without it, the ceiling is the account's pool).
   * @default 80
   */
  readonly functionConcurrencyPercentOfReserved: number;
  /** DynamoDB `ThrottledRequests` per minute on the table (all its operations together), 5 minutes in a row. @default 1 */
  readonly tableThrottledRequestsPerMinute: number;
  /** DynamoDB `SystemErrors` per minute on the table (all its operations together), 3 of 5 minutes. @default 1 */
  readonly tableSystemErrorsPerMinute: number;
  /**
   * Running instances of all client-credentials consumers together (processes that each keep their own token
   * cache). A caching instance asks for a token once per token lifetime, so the token-request alarm fires above
   * `instances × 2 × safety factor` requests in a window of one token lifetime (at most an hour): see
   * `tokenRequestThreshold` in alarm-specs.ts. The usage metric counts the whole account and region: include
   * the consumers of every stage that shares them.
   * @default 5
   */
  readonly tokenClientInstances: number;
  /** Headroom above what caching consumers need (restarts and deploys fetch new tokens) before the token alarm fires. @default 2 */
  readonly tokenRequestSafetyFactor: number;
}

export interface OperationsConfig {
  readonly alarms: AlarmThresholds;
  /** Who the stage's alarms notify. @default none (dev); add them here or through the environment */
  readonly subscriptions: readonly AlarmSubscription[];
  /** Warn at synth time when the stage's alarms would notify no one (for stages someone must watch). @default false */
  readonly warnWithoutSubscriptions: boolean;
}

/** What a stage may change; the rest comes from {@link OPERATIONS_DEFAULTS}. */
export interface OperationsOverrides {
  readonly alarms?: Partial<AlarmThresholds>;
  readonly subscriptions?: readonly AlarmSubscription[];
  readonly warnWithoutSubscriptions?: boolean;
}

export const OPERATIONS_DEFAULTS: OperationsConfig = {
  alarms: {
    apiServerErrorRatePercent: 5,
    apiClientErrorRatePercent: 25,
    apiLatencyPercentOfTimeout: 80,
    functionErrorsPerMinute: 1,
    functionThrottlesPerMinute: 1,
    functionDurationPercentOfTimeout: 80,
    functionConcurrencyPercentOfReserved: 80,
    tableThrottledRequestsPerMinute: 1,
    tableSystemErrorsPerMinute: 1,
    tokenClientInstances: 5,
    tokenRequestSafetyFactor: 2,
  },
  subscriptions: [],
  warnWithoutSubscriptions: false,
};

/** What each threshold accepts, and how to say it: every threshold has an entry, or this does not compile. */
const PERCENTAGE = { accepts: (v: number) => v > 0 && v <= 100, expected: 'a percentage above 0 and at most 100' };
const POSITIVE = { accepts: (v: number) => v > 0, expected: 'a number above 0' };
const ACCEPTED: Readonly<Record<keyof AlarmThresholds, typeof POSITIVE>> = {
  apiServerErrorRatePercent: PERCENTAGE,
  apiClientErrorRatePercent: PERCENTAGE,
  apiLatencyPercentOfTimeout: PERCENTAGE,
  functionErrorsPerMinute: POSITIVE,
  functionThrottlesPerMinute: POSITIVE,
  functionDurationPercentOfTimeout: PERCENTAGE,
  functionConcurrencyPercentOfReserved: PERCENTAGE,
  tableThrottledRequestsPerMinute: POSITIVE,
  tableSystemErrorsPerMinute: POSITIVE,
  tokenClientInstances: { accepts: (v) => Number.isInteger(v) && v > 0, expected: 'a whole number above 0' },
  tokenRequestSafetyFactor: { accepts: (v) => v >= 1, expected: 'a number of at least 1' },
};

type Env = Readonly<Record<string, string | undefined>>;

/** The environment variables that add subscriptions to `stage`. */
export function subscriptionVariables(stage: string): Record<AlarmSubscription['protocol'], string> {
  return { email: `ALARM_EMAIL_${stage.toUpperCase()}`, https: `ALARM_HTTPS_${stage.toUpperCase()}` };
}

/** Builds the operations settings of `stage` from the defaults, the stage's overrides and the environment. */
export function operationsConfig(stage: Stage, overrides: OperationsOverrides = {}, env: Env = {}): OperationsConfig {
  const alarms = { ...OPERATIONS_DEFAULTS.alarms, ...overrides.alarms };
  validateThresholds(stage, alarms);
  const variables = subscriptionVariables(stage);
  const configured = (overrides.subscriptions ?? OPERATIONS_DEFAULTS.subscriptions).map((subscription) => ({
    subscription,
    source: 'operations.subscriptions in stacks/config.ts',
  }));
  const fromEnv = (['email', 'https'] as const).flatMap((protocol) =>
    (env[variables[protocol]] ?? '')
      .split(',')
      .map((endpoint) => endpoint.trim())
      .filter(Boolean)
      .map((endpoint) => ({ subscription: { protocol, endpoint }, source: variables[protocol] })),
  );
  const subscriptions: AlarmSubscription[] = [];
  for (const { subscription, source } of [...configured, ...fromEnv]) {
    validateSubscription(stage, subscription, source);
    if (!subscriptions.some((s) => s.protocol === subscription.protocol && s.endpoint === subscription.endpoint)) {
      subscriptions.push(subscription);
    }
  }
  return {
    alarms,
    subscriptions,
    warnWithoutSubscriptions: overrides.warnWithoutSubscriptions ?? OPERATIONS_DEFAULTS.warnWithoutSubscriptions,
  };
}

function validateThresholds(stage: Stage, alarms: AlarmThresholds): void {
  for (const [name, { accepts, expected }] of Object.entries(ACCEPTED) as [keyof AlarmThresholds, typeof POSITIVE][]) {
    const value = alarms[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || !accepts(value)) {
      throw new Error(
        `Stage "${stage}": operations.alarms.${name} is ${value}; use ${expected} (stacks/config.ts, STAGE_OVERRIDES).`,
      );
    }
  }
}

/** Deliberately simple: one `@`, no spaces, a dot in the domain. SNS itself sends the confirmation that proves it. */
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

/** Refuses an endpoint SNS would refuse or that could not be reached, naming the stage, the value and its source. */
function validateSubscription(stage: Stage, subscription: AlarmSubscription, source: string): void {
  const { protocol, endpoint } = subscription;
  if (protocol === 'email' && !EMAIL.test(endpoint)) {
    throw new Error(
      `Stage "${stage}": alarm subscription "${endpoint}" (from ${source}) is not an email address; ` +
        'give addresses such as ops@example.com, comma-separated in the environment variable.',
    );
  }
  if (protocol !== 'email' && protocol !== 'https') {
    throw new Error(
      `Stage "${stage}": alarm subscription protocol "${String(protocol)}" (from ${source}) is not email or https.`,
    );
  }
  if (protocol === 'https') {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== 'https:') {
      throw new Error(
        `Stage "${stage}": alarm subscription "${endpoint}" (from ${source}) is not an https:// URL; ` +
          'alarm details leave AWS over TLS only, so give HTTPS endpoints, comma-separated in the environment variable.',
      );
    }
  }
}
