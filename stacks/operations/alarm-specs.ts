/**
 * The alarms of a stage as plain data: what each watches, when it fires, what it means and what to check first.
 * Built from AWS's recommended alarms ("Best practice recommended alarms for AWS services",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html)
 * for API Gateway, Lambda and DynamoDB, plus the one cost of a client-credentials API that can run away: tokens.
 *
 * Every alarm treats missing data as not breaching, for the reason given with each group: these services publish
 * nothing for a period without traffic (or, for DynamoDB errors, nothing while there are none), so a gap means
 * "nothing to report", never "failing". Availability without traffic is a synthetic canary's job, not these alarms'.
 */
import type { AlarmThresholds } from './config';
import {
  apiMetric,
  functionMetric,
  tableOperationMetric,
  tokenUsageQuery,
  type Metric,
  type Statistic,
  type TableOperationMetricName,
} from './metrics';

/** API Gateway's integration timeout unless an integration sets `timeout_milliseconds` (API Gateway quotas; provider default 29000). */
export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;

/** A statistic of one metric, as an alarm or a metric-math expression reads it. */
export interface MetricStat {
  readonly metric: Metric;
  readonly statistic: Statistic;
}

export type AlarmSource =
  | ({ readonly kind: 'metric' } & MetricStat)
  /** CloudWatch metric math over named inputs: every input counts as an alarm metric for billing. */
  | {
      readonly kind: 'math';
      readonly expression: string;
      readonly label: string;
      readonly inputs: Readonly<Record<string, MetricStat>>;
    }
  /** A CloudWatch Metrics Insights query that returns one time series. */
  | { readonly kind: 'query'; readonly query: string; readonly label: string };

export type TreatMissingData = 'notBreaching' | 'breaching' | 'ignore' | 'missing';

export interface AlarmSpec {
  /** Unique within the stage; the alarm is named `<stage name prefix>-<id>`. */
  readonly id: string;
  /** What the alarm means and the first thing to check. CloudWatch allows 1024 characters. */
  readonly description: string;
  readonly source: AlarmSource;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly comparison: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold';
  readonly threshold: number;
  readonly treatMissingData: TreatMissingData;
}

export interface ApiTarget {
  /** Dimension values: the REST API's name and the stage's name (Terraform references are fine). */
  readonly apiName: string;
  readonly stage: string;
  /** The longest a request can take before it fails, in ms (see {@link latencyCeilingMs}). */
  readonly latencyCeilingMs: number;
  /** Where to look first, for the descriptions: the access log group's name. */
  readonly accessLogGroup: string;
}

export interface FunctionTarget {
  /** Short name for alarm ids and descriptions, e.g. `categories`. */
  readonly label: string;
  /** Dimension value (a Terraform reference is fine). */
  readonly functionName: string;
  readonly timeoutSeconds: number;
  /** Reserved concurrency; the concurrency alarm exists only when it is set. */
  readonly reservedConcurrency?: number;
  readonly logGroup: string;
}

export interface TableTarget {
  /** Short name for alarm ids and descriptions, e.g. `categories`. */
  readonly label: string;
  readonly tableName: string;
  /** The DynamoDB operations its clients call (`GetItem`, `PutItem`, ...): the metrics' `Operation` values. */
  readonly operations: readonly string[];
}

export interface TokenTarget {
  /** Access-token lifetime of the pool's app clients, in minutes. */
  readonly accessTokenValidityMinutes: number;
}

const EVERY_MINUTE = 60;

/** The time after which a request through the API cannot succeed: the smaller of the integration and function timeouts. */
export function latencyCeilingMs(
  integrationTimeoutsMs: readonly number[],
  functionTimeoutsSeconds: readonly number[],
): number {
  const integration = Math.max(
    ...(integrationTimeoutsMs.length > 0 ? integrationTimeoutsMs : [DEFAULT_INTEGRATION_TIMEOUT_MS]),
  );
  const functions = functionTimeoutsSeconds.length > 0 ? Math.max(...functionTimeoutsSeconds) * 1000 : integration;
  return Math.min(integration, functions);
}

/** `100 * <errors> / <requests>`, from the Sum of an error metric and of `Count`. */
function errorRate(api: ApiTarget, errors: '4XXError' | '5XXError', label: string): AlarmSource {
  return {
    kind: 'math',
    expression: '100 * errors / requests',
    label,
    inputs: {
      errors: { metric: apiMetric(errors, api), statistic: 'Sum' },
      requests: { metric: apiMetric('Count', api), statistic: 'Sum' },
    },
  };
}

/**
 * The API stage's alarms. Missing data: API Gateway publishes no datapoint for a period without requests.
 * - 5XX rate: AWS recommends 5XXError above 5 % over 3 of 3 one-minute periods; the rate is computed as 5XXError /
 *   Count so it reads as a percentage of requests.
 * - 4XX rate: a sustained share far above normal (15 minutes), not the occasional 404 or 412.
 * - p99 latency against the time after which requests fail (the recommended Latency alarm uses p90 over 5 of 5).
 */
export function apiAlarms(api: ApiTarget, thresholds: AlarmThresholds): AlarmSpec[] {
  const latencyThreshold = Math.round((api.latencyCeilingMs * thresholds.apiLatencyPercentOfTimeout) / 100);
  return [
    {
      id: 'api-5xx-rate',
      description:
        `More than ${thresholds.apiServerErrorRatePercent}% of API requests answered 5XX for 3 minutes in a row: ` +
        'consumers get server errors. First check the dashboard: function errors, throttles or DynamoDB errors at the ' +
        `same time point to the cause; then the status and errorMessage fields in ${api.accessLogGroup} and the ` +
        "function's log group.",
      source: errorRate(api, '5XXError', '5XX responses (% of requests)'),
      periodSeconds: EVERY_MINUTE,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparison: 'GreaterThanThreshold',
      threshold: thresholds.apiServerErrorRatePercent,
      treatMissingData: 'notBreaching',
    },
    {
      id: 'api-4xx-rate',
      description:
        `More than ${thresholds.apiClientErrorRatePercent}% of API requests answered 4XX for 15 minutes: a consumer ` +
        'with expired or wrong credentials or scopes (401/403), a broken consumer release (400/404/412), or probing. ' +
        `First check ${api.accessLogGroup}: group by clientId and status to find who gets refused, and why.`,
      source: errorRate(api, '4XXError', '4XX responses (% of requests)'),
      periodSeconds: 5 * EVERY_MINUTE,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparison: 'GreaterThanThreshold',
      threshold: thresholds.apiClientErrorRatePercent,
      treatMissingData: 'notBreaching',
    },
    {
      id: 'api-latency-p99',
      description:
        `p99 API latency at or above ${latencyThreshold} ms (${thresholds.apiLatencyPercentOfTimeout}% of the ` +
        `${api.latencyCeilingMs} ms after which requests fail) for 5 minutes: the slowest requests are about to time ` +
        'out. First check the dashboard: IntegrationLatency and function Duration near it mean the function is slow ' +
        '(DynamoDB latency or throttling, cold starts); a gap between Latency and IntegrationLatency means API Gateway.',
      source: { kind: 'metric', metric: apiMetric('Latency', api), statistic: 'p99' },
      periodSeconds: EVERY_MINUTE,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: latencyThreshold,
      treatMissingData: 'notBreaching',
    },
  ];
}

/**
 * A function's alarms, shaped like AWS's recommended Lambda alarms (one-minute periods; Errors 3 of 3, Throttles 5
 * of 5, ConcurrentExecutions Maximum 10 of 10), with p99 Duration against the timeout: AWS suggests 15 of 15 minutes
 * for a duration threshold of your choosing, but near the timeout 5 minutes is long enough to wait. Missing data:
 * Lambda publishes nothing for a minute without invocations.
 */
export function functionAlarms(fn: FunctionTarget, thresholds: AlarmThresholds): AlarmSpec[] {
  const timeoutMs = fn.timeoutSeconds * 1000;
  const durationThreshold = Math.round((timeoutMs * thresholds.functionDurationPercentOfTimeout) / 100);
  const alarms: AlarmSpec[] = [
    {
      id: `${fn.label}-errors`,
      description:
        `The ${fn.label} function failed (unhandled error, timeout or crash) at least ` +
        `${thresholds.functionErrorsPerMinute} time(s) a minute for 3 minutes. Its handled errors are API responses, ` +
        `not these. First check ${fn.logGroup} for ERROR entries and "Task timed out"; then the last deployment.`,
      source: { kind: 'metric', metric: functionMetric('Errors', fn.functionName), statistic: 'Sum' },
      periodSeconds: EVERY_MINUTE,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: thresholds.functionErrorsPerMinute,
      treatMissingData: 'notBreaching',
    },
    {
      id: `${fn.label}-throttles`,
      description:
        `Lambda refused invocations of the ${fn.label} function for 5 minutes in a row: requests fail because ` +
        'concurrency ran out. First check the dashboard: ConcurrentExecutions against the reserved concurrency (raise ' +
        "it in the stage config) or the account's concurrency quota, and whether a consumer's traffic jumped.",
      source: { kind: 'metric', metric: functionMetric('Throttles', fn.functionName), statistic: 'Sum' },
      periodSeconds: EVERY_MINUTE,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: thresholds.functionThrottlesPerMinute,
      treatMissingData: 'notBreaching',
    },
    {
      id: `${fn.label}-duration-p99`,
      description:
        `p99 duration of the ${fn.label} function at or above ${durationThreshold} ms ` +
        `(${thresholds.functionDurationPercentOfTimeout}% of its ${fn.timeoutSeconds} s timeout) for 5 minutes: ` +
        'invocations are about to time out. First check DynamoDB latency and throttling on the dashboard and the ' +
        `slow invocations' traces in X-Ray; ${fn.logGroup} shows the REPORT lines with each duration.`,
      source: { kind: 'metric', metric: functionMetric('Duration', fn.functionName), statistic: 'p99' },
      periodSeconds: EVERY_MINUTE,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: durationThreshold,
      treatMissingData: 'notBreaching',
    },
  ];
  if (fn.reservedConcurrency !== undefined && fn.reservedConcurrency > 0) {
    const concurrencyThreshold = Math.ceil(
      (fn.reservedConcurrency * thresholds.functionConcurrencyPercentOfReserved) / 100,
    );
    alarms.push({
      id: `${fn.label}-concurrency`,
      description:
        `The ${fn.label} function ran ${concurrencyThreshold} or more invocations at once ` +
        `(${thresholds.functionConcurrencyPercentOfReserved}% of its reserved ${fn.reservedConcurrency}) for 10 ` +
        'minutes: at the reservation Lambda throttles. First check the request rate per consumer on the dashboard ' +
        'and the p99 duration (slower invocations hold concurrency longer); raise reservedConcurrency if the load is real.',
      source: { kind: 'metric', metric: functionMetric('ConcurrentExecutions', fn.functionName), statistic: 'Maximum' },
      periodSeconds: EVERY_MINUTE,
      evaluationPeriods: 10,
      datapointsToAlarm: 10,
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: concurrencyThreshold,
      treatMissingData: 'notBreaching',
    });
  }
  return alarms;
}

/** The sum of one DynamoDB per-operation metric over the table's operations: `m0 + m1 + ...`. */
export function tableOperationsSum(
  table: TableTarget,
  metricName: TableOperationMetricName,
  label: string,
): AlarmSource {
  if (table.operations.length === 0) {
    throw new Error(`Table "${table.label}": name the DynamoDB operations its clients call, to watch ${metricName}.`);
  }
  const inputs = Object.fromEntries(
    table.operations.map((operation, i) => [
      `m${i}`,
      { metric: tableOperationMetric(metricName, table.tableName, operation), statistic: 'Sum' as const },
    ]),
  );
  return { kind: 'math', expression: Object.keys(inputs).join(' + '), label, inputs };
}

/**
 * A table's alarms. `ThrottledRequests` and `SystemErrors` exist only per operation (TableName + Operation), so each
 * alarm sums the operations the table's clients call — as AWS CDK's `metricThrottledRequestsForOperations` and
 * `metricSystemErrorsForOperations` do. CloudWatch's recommended alarms watch `ReadThrottleEvents` and
 * `WriteThrottleEvents` per table instead: those count throttled events (each item of a batch, each index written),
 * `ThrottledRequests` the requests a caller saw refused; for this store's single-item calls on a table without
 * indexes the two agree, and `ThrottledRequests` also names the operation. Missing data: DynamoDB sends these metrics
 * only when they are non-zero, so a gap is a zero. Throttling on an on-demand table means a hot partition or a jump
 * beyond what the table has scaled to; the SDK retries, so a single throttled minute is not worth a page: 5 in a row
 * (the recommended throttle alarms' 5 of 5) is.
 */
export function tableAlarms(table: TableTarget, thresholds: AlarmThresholds): AlarmSpec[] {
  return [
    {
      id: `${table.label}-table-throttles`,
      description:
        `DynamoDB throttled requests to the ${table.label} table for 5 minutes in a row (on-demand): requests wait on ` +
        'retries and may fail with 503. First check the dashboard: consumed capacity (a traffic jump beyond what the ' +
        'table has scaled to) and which operation is throttled; a single hot key throttles even at low traffic.',
      source: tableOperationsSum(table, 'ThrottledRequests', 'Throttled requests'),
      periodSeconds: EVERY_MINUTE,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: thresholds.tableThrottledRequestsPerMinute,
      treatMissingData: 'notBreaching',
    },
    {
      id: `${table.label}-table-system-errors`,
      description:
        `DynamoDB answered requests to the ${table.label} table with internal errors (HTTP 500) in 3 of 5 minutes: ` +
        'the SDK retries them, the API may answer 503. First check the AWS Health Dashboard for DynamoDB in this ' +
        "region, then the function's log group for the failing operations.",
      source: tableOperationsSum(table, 'SystemErrors', 'System errors'),
      periodSeconds: EVERY_MINUTE,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: thresholds.tableSystemErrorsPerMinute,
      treatMissingData: 'notBreaching',
    },
  ];
}

/** The token-request window: one token lifetime, at most an hour (so a runaway consumer is found within the hour). */
export function tokenWindowMinutes(accessTokenValidityMinutes: number): number {
  return Math.min(accessTokenValidityMinutes, 60);
}

/**
 * The most token requests caching consumers make in one window: a caching instance needs a new token once per
 * lifetime, and a window no longer than a lifetime can hold two requests of one instance (it straddles a refresh).
 * So `instances × 2 × safety factor`; a consumer that fetches a token per API call exceeds it within minutes.
 */
export function tokenRequestThreshold(thresholds: AlarmThresholds): number {
  return Math.ceil(thresholds.tokenClientInstances * 2 * thresholds.tokenRequestSafetyFactor);
}

/**
 * Token alarms, on the account's client-credentials usage metrics (see `tokenUsageQuery`): the request count that
 * means a consumer is not caching its tokens (each request is billed), and refused token requests (consumers cannot
 * get tokens at all). Missing data: the usage metrics have no datapoint for a period without token requests.
 */
export function tokenAlarms(tokens: TokenTarget, thresholds: AlarmThresholds): AlarmSpec[] {
  const window = tokenWindowMinutes(tokens.accessTokenValidityMinutes);
  const threshold = tokenRequestThreshold(thresholds);
  return [
    {
      id: 'token-requests',
      description:
        `More than ${threshold} client-credentials token requests in ${window} minutes (expected at most ` +
        `${thresholds.tokenClientInstances} consumer instances × 2 × safety ${thresholds.tokenRequestSafetyFactor}): ` +
        'a consumer is probably not caching its tokens, and Cognito bills every request. The count is account- and ' +
        'region-wide. First check the dashboard\'s "tokens per client" table (distinct token ids per clientId in the ' +
        'access log); then CloudTrail Token_POST events per client.',
      source: { kind: 'query', query: tokenUsageQuery('CallCount'), label: 'Token requests' },
      periodSeconds: window * 60,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      comparison: 'GreaterThanThreshold',
      threshold,
      treatMissingData: 'notBreaching',
    },
    {
      id: 'token-throttles',
      description:
        'Cognito refused client-credentials token requests (rate quota ClientAuthentication, account- and ' +
        'region-wide) in the last 5 minutes: consumers cannot get tokens and their API calls will fail once their ' +
        'cached tokens expire. First check the token-requests alarm and the dashboard for a consumer not caching ' +
        'tokens; then the quota in Service Quotas.',
      source: { kind: 'query', query: tokenUsageQuery('ThrottleCount'), label: 'Throttled token requests' },
      periodSeconds: 5 * 60,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      treatMissingData: 'notBreaching',
    },
  ];
}
