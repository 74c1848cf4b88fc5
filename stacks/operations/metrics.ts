/**
 * The CloudWatch metrics a stage is watched by, named once for its alarms and its dashboard. Namespaces, metric
 * names and dimensions are AWS's (sources next to each group).
 */

/** A statistic CloudWatch computes over a period: the named ones, or a percentile such as `p99`. */
export type Statistic = 'Sum' | 'Average' | 'Maximum' | 'Minimum' | 'SampleCount' | `p${number}`;

/** One metric: namespace, name, and every dimension it is published with (CloudWatch does not aggregate over a missing one). */
export interface Metric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/**
 * API Gateway REST API metrics per stage: dimensions `ApiName` and `Stage` ("Amazon API Gateway dimensions and
 * metrics", https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html).
 * `4XXError` and `5XXError` count 1 per failing request (0 otherwise), so their `Sum` divided by `Count`'s is the
 * error rate; `Latency` runs from request received to response sent, `IntegrationLatency` is the backend's part.
 */
export type ApiMetricName = 'Count' | '4XXError' | '5XXError' | 'Latency' | 'IntegrationLatency';

export function apiMetric(
  metricName: ApiMetricName,
  api: { readonly apiName: string; readonly stage: string },
): Metric {
  return { namespace: 'AWS/ApiGateway', metricName, dimensions: { ApiName: api.apiName, Stage: api.stage } };
}

/**
 * Lambda function metrics: dimension `FunctionName` ("Types of metrics for Lambda functions",
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html). `Errors` counts invocations that
 * ended in a function error (unhandled exception, timeout, out of memory) — not the 4XX/5XX answers the handler
 * returns itself; `Throttles` counts refused invocations; `Duration` is in milliseconds.
 */
export type FunctionMetricName = 'Invocations' | 'Errors' | 'Throttles' | 'Duration' | 'ConcurrentExecutions';

export function functionMetric(metricName: FunctionMetricName, functionName: string): Metric {
  return { namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: functionName } };
}

/**
 * DynamoDB metrics ("DynamoDB Metrics and dimensions",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html): `ThrottledRequests`
 * and `SystemErrors` are published per `TableName` and `Operation`, so a table-wide figure is the sum over the
 * operations its clients call; capacity metrics per `TableName`. DynamoDB sends these metrics only when they are
 * non-zero: a missing datapoint means none.
 */
export type TableOperationMetricName = 'ThrottledRequests' | 'SystemErrors';
export type TableMetricName = 'ConsumedReadCapacityUnits' | 'ConsumedWriteCapacityUnits';

export function tableOperationMetric(
  metricName: TableOperationMetricName,
  tableName: string,
  operation: string,
): Metric {
  return { namespace: 'AWS/DynamoDB', metricName, dimensions: { TableName: tableName, Operation: operation } };
}

export function tableMetric(metricName: TableMetricName, tableName: string): Metric {
  return { namespace: 'AWS/DynamoDB', metricName, dimensions: { TableName: tableName } };
}

/**
 * Client-credentials token requests. Cognito's `AWS/Cognito` user-pool metrics (`SignInSuccesses`,
 * `TokenRefreshSuccesses`, `FederationSuccesses`, ...) count user sign-ins per pool and app client; none of them
 * counts client-credentials grants. What does is the usage metric of the request-rate quota category they fall in,
 * `ClientAuthentication` ("Monitoring costs": client credentials requests show as "Rate of ClientAuthentication
 * requests", https://docs.aws.amazon.com/cognito/latest/developerguide/tracking-cost.html): `CallCount` (every call,
 * throttled and failed ones included) and `ThrottleCount` in the `AWS/Usage` namespace, with the dimensions
 * `Service`, `Type` (`API`), `Resource` (the category) and `Class` ("User pool metrics in CloudWatch",
 * https://docs.aws.amazon.com/cognito/latest/developerguide/metrics-for-cognito-user-pools.html). They are counted
 * per account and region, across every user pool there — not per pool or app client.
 *
 * The query selects by `Resource` and `Type` only: the documented `Service` value ("Cognito user pool") is not
 * needed to find the one usage metric of this category, so a difference in its spelling cannot silence the alarm.
 * Per-client counts need CloudTrail (`Token_POST` events, same "Monitoring costs" page) or the API access log.
 */
export type TokenUsageMetricName = 'CallCount' | 'ThrottleCount';

export const TOKEN_QUOTA_CATEGORY = 'ClientAuthentication';

/** A CloudWatch Metrics Insights query for the account's client-credentials token requests (or their throttling). */
export function tokenUsageQuery(metricName: TokenUsageMetricName): string {
  return (
    `SELECT SUM(${metricName}) FROM SCHEMA("AWS/Usage", Class, Resource, Service, Type) ` +
    `WHERE Resource = '${TOKEN_QUOTA_CATEGORY}' AND Type = 'API'`
  );
}
