import 'cdktf/lib/testing/adapters/jest';
import * as path from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { CATEGORY_STORE_ACTIONS } from '../../functions/categories/store-permissions';
import { NodeFunction } from '../../stacks/constructs/node-function';
import { StageOperations } from '../../stacks/constructs/operations';
import { SecureRestApi } from '../../stacks/constructs/secure-rest-api';
import {
  latencyCeilingMs,
  tableOperationsSum,
  tokenRequestThreshold,
  tokenWindowMinutes,
} from '../../stacks/operations/alarm-specs';
import { OPERATIONS_DEFAULTS } from '../../stacks/operations/config';
import { dataSources, of, only, resources, type Found, type TerraformJson } from '../support/terraform-json';
import { synthPlatform } from '../support/synth';

Testing.setupJest();

const dev = synthPlatform('dev');
const prod = synthPlatform('prod');
const OPERATIONS = CATEGORY_STORE_ACTIONS.map((action) => action.replace('dynamodb:', ''));

/** The alarm named `<stage prefix>-<id>`. */
function alarm(json: TerraformJson, name: string): Found {
  const found = resources(json, 'aws_cloudwatch_metric_alarm').find((a) => a.config.alarm_name === name);
  if (!found) throw new Error(`no alarm ${name}`);
  return found;
}

const topicArn = (json: TerraformJson) => only(json, 'aws_sns_topic').ref('arn');

describe('alarm topic', () => {
  it('is encrypted with a rotating customer managed key, which CloudWatch may use (not alias/aws/sns)', () => {
    const key = of(dev.json, dev.stack.operations.alarmTopic.key);
    expect(dev.synthesized).toHaveResourceWithProperties(KmsKey, {
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    expect(dev.synthesized).toHaveResourceWithProperties(SnsTopic, {
      name: 'm2m-api-dev-alarms',
      kms_master_key_id: key.ref('arn'),
    });
    const keyPolicy = of(dev.json, dev.stack.operations.alarmTopic.keyPolicy);
    expect(keyPolicy.config.key_id).toBe(key.ref('key_id'));
    // The account and partition come from the key's own ARN: no AWS call, so the stage still plans offline.
    const keyArn = arnOf(dev.json, key.ref('arn'));
    expect(JSON.parse(keyPolicy.config.policy as string)).toMatchObject({
      Statement: [
        { Principal: { AWS: `arn:${keyArn.ref('partition')}:iam::${keyArn.ref('account')}:root` }, Action: 'kms:*' },
        {
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
        },
      ],
    });
    // The topic is created once CloudWatch may use its key.
    expect(only(dev.json, 'aws_sns_topic').config.depends_on).toEqual([`aws_kms_key_policy.${keyPolicy.name}`]);
  });

  it("lets only this stage's alarms of this account publish", () => {
    const policy = only(dev.json, 'aws_sns_topic_policy');
    const topic = only(dev.json, 'aws_sns_topic');
    expect(policy.config.arn).toBe(topic.ref('arn'));
    const [statement] = (JSON.parse(policy.config.policy as string) as { Statement: Record<string, unknown>[] })
      .Statement;
    const arn = arnOf(dev.json, topic.ref('arn'));
    expect(statement).toEqual({
      Sid: 'AlarmsOfThisStagePublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: topic.ref('arn'),
      Condition: {
        ArnLike: {
          'aws:SourceArn': `arn:${arn.ref('partition')}:cloudwatch:${arn.ref('region')}:${arn.ref('account')}:alarm:m2m-api-dev-*`,
        },
        StringEquals: { 'aws:SourceAccount': arn.ref('account') },
      },
    });
  });

  it('has no subscription by default, and one per address or endpoint from the environment', () => {
    expect(resources(dev.json, 'aws_sns_topic_subscription')).toEqual([]);
    const { json } = synthPlatform('prod', {
      ALARM_EMAIL_PROD: 'ops@example.com,oncall@example.com',
      ALARM_HTTPS_PROD: 'https://pager.example/hook',
    });
    const subscriptions = resources(json, 'aws_sns_topic_subscription').map((s) => s.config);
    expect(subscriptions).toEqual(
      expect.arrayContaining([
        { topic_arn: topicArn(json), protocol: 'email', endpoint: 'ops@example.com' },
        { topic_arn: topicArn(json), protocol: 'email', endpoint: 'oncall@example.com' },
        { topic_arn: topicArn(json), protocol: 'https', endpoint: 'https://pager.example/hook' },
      ]),
    );
    expect(subscriptions).toHaveLength(3);
  });

  it('warns at synth time when prod alarms would notify no one, not in dev', () => {
    const warnings = (stack: typeof dev.stack) =>
      stack.operations.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data as string);
    expect(warnings(prod.stack)).toEqual([
      'Stage "prod": its alarms notify no one. Set ALARM_EMAIL_PROD (or ALARM_HTTPS_PROD), or add operations.subscriptions in stacks/config.ts.',
    ]);
    expect(warnings(dev.stack)).toEqual([]);
    expect(warnings(synthPlatform('prod', { ALARM_EMAIL_PROD: 'ops@example.com' }).stack)).toEqual([]);
  });
});

/** The `aws_arn` data source that parses `arn`. */
function arnOf(json: TerraformJson, arn: string): Found {
  const found = dataSources(json, 'aws_arn').find((d) => d.config.arn === arn);
  if (!found) throw new Error(`no aws_arn data source parses ${arn}`);
  return found;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('alarms', () => {
  const api = () => only(dev.json, 'aws_api_gateway_rest_api');
  const stage = () => only(dev.json, 'aws_api_gateway_stage');
  const apiDimensions = () => ({ ApiName: api().ref('name'), Stage: stage().ref('stage_name') });
  const fn = () => only(dev.json, 'aws_lambda_function');
  const table = () => only(dev.json, 'aws_dynamodb_table');

  /** What every alarm shares: notified both ways through the topic, missing data never alarming. */
  const notifying = (json: TerraformJson) => ({
    actions_enabled: true,
    alarm_actions: [topicArn(json)],
    ok_actions: [topicArn(json)],
    treat_missing_data: 'notBreaching',
  });

  /** A metric-math input as the alarm carries it. */
  const input = (id: string, namespace: string, metricName: string, dimensions: object, period: number) => ({
    id,
    return_data: false,
    metric: { namespace, metric_name: metricName, dimensions, period, stat: 'Sum' },
  });

  it('watches the 5XX rate: 100 × 5XXError / Count above 5 % for 3 of 3 minutes', () => {
    expect(dev.synthesized).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: 'm2m-api-dev-api-5xx-rate',
      ...notifying(dev.json),
      comparison_operator: 'GreaterThanThreshold',
      threshold: 5,
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      metric_query: [
        {
          id: 'result',
          expression: '100 * errors / requests',
          label: '5XX responses (% of requests)',
          return_data: true,
        },
        input('errors', 'AWS/ApiGateway', '5XXError', apiDimensions(), 60),
        input('requests', 'AWS/ApiGateway', 'Count', apiDimensions(), 60),
      ],
    });
  });

  it('watches a sustained 4XX rate: above 25 % for 3 five-minute periods', () => {
    const found = alarm(dev.json, 'm2m-api-dev-api-4xx-rate');
    expect(found.config).toMatchObject({
      threshold: 25,
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      ...notifying(dev.json),
    });
    expect(found.config.metric_query).toEqual([
      expect.objectContaining({ expression: '100 * errors / requests' }),
      input('errors', 'AWS/ApiGateway', '4XXError', apiDimensions(), 300),
      input('requests', 'AWS/ApiGateway', 'Count', apiDimensions(), 300),
    ]);
  });

  it('watches p99 latency against the time requests fail: 80 % of the 10 s function timeout, below the 29 s integration timeout', () => {
    expect(dev.synthesized).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: 'm2m-api-dev-api-latency-p99',
      ...notifying(dev.json),
      namespace: 'AWS/ApiGateway',
      metric_name: 'Latency',
      dimensions: apiDimensions(),
      extended_statistic: 'p99',
      evaluate_low_sample_count_percentiles: 'evaluate',
      period: 60,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 8000,
      evaluation_periods: 5,
      datapoints_to_alarm: 5,
    });
    expect(alarm(dev.json, 'm2m-api-dev-api-latency-p99').config).not.toHaveProperty('statistic');
  });

  it.each([
    ['categories-errors', 'Errors', 'Sum', 1, 3, 3],
    ['categories-throttles', 'Throttles', 'Sum', 1, 5, 5],
    ['categories-duration-p99', 'Duration', 'p99', 8000, 5, 5],
  ] as const)(
    'watches the function: %s (%s %s >= %s, %s of %s minutes)',
    (id, metric, statistic, threshold, datapoints, periods) => {
      expect(dev.synthesized).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_name: `m2m-api-dev-${id}`,
        ...notifying(dev.json),
        namespace: 'AWS/Lambda',
        metric_name: metric,
        dimensions: { FunctionName: fn().ref('function_name') },
        ...(statistic === 'Sum' ? { statistic } : { extended_statistic: statistic }),
        period: 60,
        comparison_operator: 'GreaterThanOrEqualToThreshold',
        threshold,
        evaluation_periods: periods,
        datapoints_to_alarm: datapoints,
      });
    },
  );

  it('watches concurrency near the reservation only where concurrency is reserved (prod: 40 of 50)', () => {
    expect(prod.synthesized).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: 'm2m-api-prod-categories-concurrency',
      ...notifying(prod.json),
      namespace: 'AWS/Lambda',
      metric_name: 'ConcurrentExecutions',
      statistic: 'Maximum',
      threshold: 40,
      evaluation_periods: 10,
      datapoints_to_alarm: 10,
    });
    expect(resources(dev.json, 'aws_cloudwatch_metric_alarm').map((a) => a.config.metric_name)).not.toContain(
      'ConcurrentExecutions',
    );
  });

  it.each([
    ['categories-table-throttles', 'ThrottledRequests', 5],
    ['categories-table-system-errors', 'SystemErrors', 3],
  ] as const)('watches the table: %s, the sum of %s over every operation the store calls', (id, metric, datapoints) => {
    const found = alarm(dev.json, `m2m-api-dev-${id}`);
    const ids = OPERATIONS.map((_, i) => `m${i}`);
    expect(found.config).toMatchObject({
      ...notifying(dev.json),
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      evaluation_periods: 5,
      datapoints_to_alarm: datapoints,
    });
    expect(found.config.metric_query).toEqual([
      expect.objectContaining({ id: 'result', expression: ids.join(' + '), return_data: true }),
      ...OPERATIONS.map((operation, i) =>
        input(ids[i], 'AWS/DynamoDB', metric, { TableName: table().ref('name'), Operation: operation }, 60),
      ),
    ]);
  });

  it('watches token requests in a token-lifetime window: instances × 2 × safety factor (dev 20, prod 80 an hour)', () => {
    for (const [json, name, threshold] of [
      [dev.json, 'm2m-api-dev-token-requests', 20],
      [prod.json, 'm2m-api-prod-token-requests', 80],
    ] as const) {
      expect(alarm(json, name).config).toEqual(
        expect.objectContaining({
          ...notifying(json),
          comparison_operator: 'GreaterThanThreshold',
          threshold,
          evaluation_periods: 1,
          metric_query: [
            {
              id: 'result',
              expression:
                'SELECT SUM(CallCount) FROM SCHEMA("AWS/Usage", Class, Resource, Service, Type) ' +
                "WHERE Resource = 'ClientAuthentication' AND Type = 'API'",
              label: 'Token requests',
              period: 3600,
              return_data: true,
            },
          ],
        }),
      );
    }
    const shortTokens = synthPlatform('dev', {}, (c) => ({ ...c, accessTokenValidityMinutes: 15 }));
    expect(
      (alarm(shortTokens.json, 'm2m-api-dev-token-requests').config.metric_query as { period: number }[])[0].period,
    ).toBe(900);
  });

  it('watches refused token requests: any ThrottleCount in 5 minutes', () => {
    expect(alarm(dev.json, 'm2m-api-dev-token-throttles').config).toMatchObject({
      ...notifying(dev.json),
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      metric_query: [
        { expression: expect.stringMatching(/^SELECT SUM\(ThrottleCount\) FROM SCHEMA\("AWS\/Usage"/), period: 300 },
      ],
    });
  });

  it('has exactly these alarms, each saying what it means and what to check first', () => {
    const names = (json: TerraformJson) =>
      resources(json, 'aws_cloudwatch_metric_alarm').map((a) => a.config.alarm_name);
    const expected = [
      'api-5xx-rate',
      'api-4xx-rate',
      'api-latency-p99',
      'categories-errors',
      'categories-throttles',
      'categories-duration-p99',
      'categories-table-throttles',
      'categories-table-system-errors',
      'token-requests',
      'token-throttles',
    ];
    expect(names(dev.json).sort()).toEqual(expected.map((id) => `m2m-api-dev-${id}`).sort());
    expect(names(prod.json).sort()).toEqual(
      [...expected, 'categories-concurrency'].map((id) => `m2m-api-prod-${id}`).sort(),
    );
    for (const found of resources(prod.json, 'aws_cloudwatch_metric_alarm')) {
      const description = found.config.alarm_description as string;
      expect(description).toMatch(/First check/);
      expect(description.length).toBeLessThanOrEqual(1024);
      expect(description).not.toContain('${');
    }
  });
});

describe('dashboard', () => {
  interface Widget {
    type: string;
    x: number;
    y: number;
    width: number;
    height: number;
    properties: { metrics?: unknown[][]; alarms?: string[]; query?: string; annotations?: unknown };
  }
  const body = (json: TerraformJson) =>
    JSON.parse(only(json, 'aws_cloudwatch_dashboard').config.dashboard_body as string) as { widgets: Widget[] };
  const metricsOf = (json: TerraformJson) =>
    body(json).widgets.flatMap((w) => (w.properties.metrics ?? []) as (string | Record<string, unknown>)[][]);

  it('is one per stage, named after it', () => {
    expect(only(prod.json, 'aws_cloudwatch_dashboard').config.dashboard_name).toBe('m2m-api-prod');
    expect(prod.json.output.dashboard_url.value).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/m2m-api-prod',
    );
    expect(prod.json.output.alarm_topic_arn.value).toBe(topicArn(prod.json));
  });

  it("shows every alarm's state", () => {
    const [widget] = body(prod.json).widgets.filter((w) => w.type === 'alarm');
    expect([...(widget.properties.alarms ?? [])].sort()).toEqual(
      resources(prod.json, 'aws_cloudwatch_metric_alarm')
        .map((a) => a.ref('arn'))
        .sort(),
    );
  });

  it('graphs requests, 4XX/5XX, API and integration latency p50/p99, the function, the table and token requests', () => {
    const rows = metricsOf(prod.json);
    const has = (namespace: string, metricName: string, stat?: string) =>
      rows.some(
        (r) =>
          r[0] === namespace && r[1] === metricName && (!stat || (r[r.length - 1] as { stat?: string }).stat === stat),
      );
    for (const [namespace, metricName, stat] of [
      ['AWS/ApiGateway', 'Count'],
      ['AWS/ApiGateway', '4XXError'],
      ['AWS/ApiGateway', '5XXError'],
      ['AWS/ApiGateway', 'Latency', 'p50'],
      ['AWS/ApiGateway', 'Latency', 'p99'],
      ['AWS/ApiGateway', 'IntegrationLatency', 'p50'],
      ['AWS/ApiGateway', 'IntegrationLatency', 'p99'],
      ['AWS/Lambda', 'Duration', 'p99'],
      ['AWS/Lambda', 'Errors'],
      ['AWS/Lambda', 'Throttles'],
      ['AWS/Lambda', 'ConcurrentExecutions'],
      ['AWS/DynamoDB', 'ConsumedReadCapacityUnits'],
      ['AWS/DynamoDB', 'ConsumedWriteCapacityUnits'],
      ['AWS/DynamoDB', 'ThrottledRequests'],
      ['AWS/DynamoDB', 'SystemErrors'],
    ] as const) {
      expect([namespace, metricName, stat, has(namespace, metricName, stat)]).toEqual([
        namespace,
        metricName,
        stat,
        true,
      ]);
    }
    const expressions = rows.map((r) => (r[0] as { expression?: string }).expression).filter(Boolean);
    expect(expressions).toEqual([
      expect.stringContaining('SUM(CallCount)'),
      expect.stringContaining('SUM(ThrottleCount)'),
    ]);
    // The free dashboard tier covers 50 metrics.
    expect(rows.length).toBeLessThanOrEqual(50);
  });

  it('lists distinct access tokens per client from the access log, which now records the token id', () => {
    const logGroup = of(prod.json, prod.stack.api.accessLogGroup);
    const [widget] = body(prod.json).widgets.filter((w) => w.type === 'log');
    expect(widget.properties.query).toMatch(
      new RegExp(
        `^SOURCE '${escape(logGroup.config.name as string)}' .*count_distinct\\(tokenId\\) as tokens.* by clientId`,
      ),
    );
    const format = (only(prod.json, 'aws_api_gateway_stage').config.access_log_settings as { format: string }).format;
    expect(JSON.parse(format)).toMatchObject({
      tokenId: '$context.authorizer.claims.jti',
      clientId: '$context.authorizer.claims.client_id',
    });
  });

  it('lays its widgets out on the 24-column grid without overlaps', () => {
    const widgets = body(prod.json).widgets;
    for (const w of widgets) expect(w.x + w.width).toBeLessThanOrEqual(24);
    for (const [i, a] of widgets.entries()) {
      for (const b of widgets.slice(i + 1)) {
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap).toBe(false);
      }
    }
  });
});

describe('alarm arithmetic', () => {
  it('takes the latency ceiling from the integration timeout, or the function timeout if that comes first', () => {
    expect(latencyCeilingMs([], [])).toBe(29_000);
    expect(latencyCeilingMs([29_000], [10])).toBe(10_000);
    expect(latencyCeilingMs([5_000, 29_000], [60])).toBe(29_000);
    expect(latencyCeilingMs([5_000], [60])).toBe(5_000);
  });

  it('counts tokens in one token lifetime, at most an hour', () => {
    expect([5, 15, 60, 1440].map(tokenWindowMinutes)).toEqual([5, 15, 60, 60]);
    expect(
      tokenRequestThreshold({ ...OPERATIONS_DEFAULTS.alarms, tokenClientInstances: 7, tokenRequestSafetyFactor: 1.5 }),
    ).toBe(21);
  });

  it('refuses a table without operations to sum', () => {
    expect(() => tableOperationsSum({ label: 'orders', tableName: 't', operations: [] }, 'SystemErrors', 'x')).toThrow(
      'Table "orders": name the DynamoDB operations its clients call, to watch SystemErrors.',
    );
  });
});

describe('StageOperations', () => {
  function apiStack() {
    const stack = new TerraformStack(Testing.app(), 'ops');
    const api = new SecureRestApi(stack, 'api', {
      name: 'ops',
      userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc',
      stageName: 'test',
      throttling: { rateLimit: 1, burstLimit: 1 },
      logRetentionDays: 1,
    });
    const fn = new NodeFunction(stack, 'fn', {
      functionName: 'ops-fn',
      entry: path.resolve(__dirname, '..', 'local', 'fixtures', 'echo-handler.ts'),
      logRetentionDays: 1,
      timeout: 60,
    });
    return { stack, api, fn };
  }
  const props = (api: SecureRestApi, fn: NodeFunction) => ({
    name: 'ops',
    stage: 'test',
    region: 'eu-west-1',
    config: OPERATIONS_DEFAULTS,
    api,
    functions: [{ label: 'echo', fn }],
    accessTokenValidityMinutes: 60,
  });

  it('refuses an API without routes: the latency alarm reads their integrations', () => {
    const { stack, api, fn } = apiStack();
    expect(() => new StageOperations(stack, 'operations', props(api, fn))).toThrow(
      "ops/operations: the API has no routes yet; add them before creating the stage's operations.",
    );
  });

  it("reads an integration's own timeout for the latency alarm", () => {
    const { stack, api, fn } = apiStack();
    api.addRoute({ method: 'GET', path: '/echo', scopes: ['s/read'], handler: fn.function });
    api.integrations[0].timeoutMilliseconds = 5_000;
    const operations = new StageOperations(stack, 'operations', props(api, fn));
    expect(operations.specs.find((s) => s.id === 'api-latency-p99')?.threshold).toBe(4_000);
    expect(operations.specs.find((s) => s.id === 'echo-duration-p99')?.threshold).toBe(48_000);
  });
});
