import { dimensionIs, notificationProblems, plannedAlarms, type AlarmMetric, type PlannedAlarm } from '../plan/alarms';
import type { PlanResource, PlanView } from '../plan/plan-view';
import type { Finding, Rule } from '../types';
import { finding } from './helpers';

/*
 * Project rules (no checkov or cdk-nag rule checks that alarms exist): every stage is watched by AWS's recommended
 * alarms ("Best practice recommended alarms for AWS services", CloudWatch User Guide) and each alarm reaches someone —
 * SNS actions both when it fires and when it recovers. An alarm is recognised by the metric it reads (directly or in
 * metric math) and the dimensions that tie it to the resource, not by its name.
 */

/** What one required alarm watches: a metric of the resource, told apart by its dimensions. */
interface Requirement {
  /** For messages: `5XXError`. */
  readonly label: string;
  readonly matches: (alarm: PlannedAlarm, metric: AlarmMetric) => boolean;
}

/** The findings for `subject` when no alarm meets a requirement, or none of those that do would notify anyone. */
function requireAlarms(plan: PlanView, subject: PlanResource, requirements: readonly Requirement[]): Finding[] {
  const alarms = plannedAlarms(plan);
  const missing: string[] = [];
  const silent: string[] = [];
  for (const requirement of requirements) {
    const watching = alarms.filter((alarm) => alarm.metrics.some((metric) => requirement.matches(alarm, metric)));
    if (watching.length === 0) missing.push(requirement.label);
    else if (watching.every((alarm) => notificationProblems(plan, alarm.resource).length > 0)) {
      const problems = watching.map(
        (a) => `${a.resource.address}: ${notificationProblems(plan, a.resource).join(', ')}`,
      );
      silent.push(`${requirement.label} (${problems.join('; ')})`);
    }
  }
  const findings: Finding[] = [];
  if (missing.length > 0) findings.push(finding(subject, `no alarm watches ${missing.join(', ')}`));
  if (silent.length > 0) findings.push(finding(subject, `alarms that notify no one: ${silent.join('; ')}`));
  return findings;
}

const watches =
  (namespace: string, metricName: string, identifies: (alarm: PlannedAlarm, metric: AlarmMetric) => boolean) =>
  (alarm: PlannedAlarm, metric: AlarmMetric): boolean =>
    metric.namespace === namespace && metric.metricName === metricName && identifies(alarm, metric);

const NOTIFY_FIX =
  'Give each alarm alarm_actions and ok_actions naming an encrypted aws_sns_topic of the stack (StageOperations ' +
  'does, from the stage config: stacks/operations/config.ts).';

/** OPS_1: the API stage's recommended alarms. */
export const apiGatewayStageAlarms: Rule = {
  id: 'OPS_1',
  title: 'API Gateway stages have 5XX, 4XX and latency alarms that notify an SNS topic',
  fix:
    'Add aws_cloudwatch_metric_alarm resources on AWS/ApiGateway 5XXError, 4XXError and Latency with the ' +
    `dimensions ApiName and Stage of the stage (metric math over 5XXError / Count counts). ${NOTIFY_FIX}`,
  resourceTypes: ['aws_api_gateway_stage'],
  check(plan) {
    return plan.ofType('aws_api_gateway_stage').flatMap((stage) => {
      const apis = plan.referenced(stage, ['rest_api_id'], 'aws_api_gateway_rest_api');
      const ofStage = (alarm: PlannedAlarm, metric: AlarmMetric) =>
        apis.some((api) => dimensionIs(plan, alarm, metric, 'ApiName', api, 'name')) &&
        dimensionIs(plan, alarm, metric, 'Stage', stage, 'stage_name');
      return requireAlarms(
        plan,
        stage,
        ['5XXError', '4XXError', 'Latency'].map((name) => ({
          label: name,
          matches: watches('AWS/ApiGateway', name, ofStage),
        })),
      );
    });
  },
};

/** OPS_2: each function's recommended alarms; the concurrency alarm where concurrency is reserved. */
export const lambdaFunctionAlarms: Rule = {
  id: 'OPS_2',
  title: 'Lambda functions have error, throttle and duration alarms (and concurrency, when reserved) that notify',
  fix:
    'Add aws_cloudwatch_metric_alarm resources on AWS/Lambda Errors, Throttles and Duration — and ' +
    `ConcurrentExecutions when reserved_concurrent_executions is set — with the dimension FunctionName. ${NOTIFY_FIX}`,
  resourceTypes: ['aws_lambda_function'],
  check(plan) {
    return plan.ofType('aws_lambda_function').flatMap((fn) => {
      const ofFunction = (alarm: PlannedAlarm, metric: AlarmMetric) =>
        dimensionIs(plan, alarm, metric, 'FunctionName', fn, 'function_name');
      const reserved = plan.value<number>(fn, ['reserved_concurrent_executions']);
      const names = [
        'Errors',
        'Throttles',
        'Duration',
        ...(reserved !== undefined && reserved > 0 ? ['ConcurrentExecutions'] : []),
      ];
      return requireAlarms(
        plan,
        fn,
        names.map((name) => ({ label: name, matches: watches('AWS/Lambda', name, ofFunction) })),
      );
    });
  },
};

/** OPS_3: throttling and DynamoDB's own errors on each table. */
export const dynamodbTableAlarms: Rule = {
  id: 'OPS_3',
  title: 'DynamoDB tables have throttling and system-error alarms that notify',
  fix:
    'Add aws_cloudwatch_metric_alarm resources on AWS/DynamoDB ThrottledRequests and SystemErrors with the ' +
    'dimensions TableName and Operation (metric math summing the operations the table is called with). ' +
    NOTIFY_FIX,
  resourceTypes: ['aws_dynamodb_table'],
  check(plan) {
    return plan.ofType('aws_dynamodb_table').flatMap((table) => {
      const ofTable = (alarm: PlannedAlarm, metric: AlarmMetric) =>
        dimensionIs(plan, alarm, metric, 'TableName', table, 'name');
      return requireAlarms(plan, table, [
        { label: 'ThrottledRequests', matches: watches('AWS/DynamoDB', 'ThrottledRequests', ofTable) },
        { label: 'SystemErrors', matches: watches('AWS/DynamoDB', 'SystemErrors', ofTable) },
      ]);
    });
  },
};

/** The Cognito usage metric that counts client-credentials token requests: quota category ClientAuthentication. */
function watchesTokenRequests(plan: PlanView, alarm: PlannedAlarm, metric: AlarmMetric): boolean {
  if (metric.namespace !== 'AWS/Usage' || metric.metricName !== 'CallCount') return false;
  return plan.value(alarm.resource, [...metric.dimensions, 'Resource']) === 'ClientAuthentication';
}

const queriesTokenRequests = (expression: string): boolean =>
  /\bCallCount\b/.test(expression) &&
  /["']AWS\/Usage["']/.test(expression) &&
  /'ClientAuthentication'/.test(expression);

/** OPS_4: a watch on the one cost of a client-credentials API that can run away: token requests. */
export const cognitoTokenRequestAlarm: Rule = {
  id: 'OPS_4',
  title: 'Client-credentials app clients are covered by a token-request alarm that notifies',
  fix:
    'Add an aws_cloudwatch_metric_alarm on AWS/Usage CallCount of the Cognito quota category ClientAuthentication ' +
    `(a Metrics Insights query in metric_query, as StageOperations does). ${NOTIFY_FIX}`,
  resourceTypes: ['aws_cognito_user_pool_client'],
  check(plan) {
    const clients = plan
      .ofType('aws_cognito_user_pool_client')
      .filter((client) => (plan.value<string[]>(client, ['allowed_oauth_flows']) ?? []).includes('client_credentials'));
    if (clients.length === 0) return [];
    const alarms = plannedAlarms(plan).filter(
      (alarm) =>
        alarm.expressions.some(queriesTokenRequests) ||
        alarm.metrics.some((metric) => watchesTokenRequests(plan, alarm, metric)),
    );
    const notifying = alarms.filter((alarm) => notificationProblems(plan, alarm.resource).length === 0);
    if (notifying.length > 0) return [];
    const message =
      alarms.length === 0
        ? 'no alarm watches the token requests (AWS/Usage CallCount, ClientAuthentication): a consumer that does not cache tokens goes unnoticed, and each request is billed'
        : `the token-request alarms notify no one: ${alarms.map((a) => `${a.resource.address}: ${notificationProblems(plan, a.resource).join(', ')}`).join('; ')}`;
    return clients.map((client) => finding(client, message));
  },
};
