import {
  apiGatewayStageAlarms,
  cognitoTokenRequestAlarm,
  dynamodbTableAlarms,
  lambdaFunctionAlarms,
} from '../../policy/rules/operations-alarms';
import { stageDashboard } from '../../policy/rules/operations-dashboard';
import { snsTopicEncryption } from '../../policy/rules/sns-encryption';
import { addresses, check } from './fixtures/check';
import { ALARMS, DASHBOARD, TOPIC } from './fixtures/operations';
import { PlanBuilder, ref } from './fixtures/plan-builder';
import { CLIENT, compliantPlatform, FUNCTION, STAGE, TABLE } from './fixtures/platform';

const OPERATIONS_RULES = [
  apiGatewayStageAlarms,
  lambdaFunctionAlarms,
  dynamodbTableAlarms,
  cognitoTokenRequestAlarm,
  snsTopicEncryption,
  stageDashboard,
];

describe.each(OPERATIONS_RULES.map((rule) => [rule.id, rule] as const))('%s', (_, rule) => {
  it('passes on the compliant platform', () => {
    expect(check(rule, compliantPlatform())).toEqual([]);
  });

  it('passes a stack without the resources it watches (the bootstrap stack)', () => {
    expect(check(rule, new PlanBuilder().add('aws_s3_bucket.state', { bucket: 'state' }))).toEqual([]);
  });
});

/** The compliant platform without one alarm, also taken off the dashboard's alarm widget. */
const without = (alarm: string) => compliantPlatform().without(alarm);

describe('OPS_1 API stage alarms', () => {
  it.each([
    [ALARMS.api5xx, '5XXError'],
    [ALARMS.api4xx, '4XXError'],
    [ALARMS.apiLatency, 'Latency'],
  ])('fails a stage without the %s alarm, naming the metric', (alarm, metric) => {
    const findings = check(apiGatewayStageAlarms, without(alarm));
    expect(addresses(findings)).toEqual([STAGE]);
    expect(findings[0].message).toBe(`no alarm watches ${metric}`);
  });

  it('does not count an alarm on another stage or another API', () => {
    const otherStage = compliantPlatform().with(ALARMS.apiLatency, { dimensions: { Stage: 'other' } });
    expect(check(apiGatewayStageAlarms, otherStage)[0].message).toBe('no alarm watches Latency');
    const otherApi = compliantPlatform().with(ALARMS.api5xx, {
      metric_query: [{}, { metric: [{ dimensions: { ApiName: ref('aws_api_gateway_rest_api.other', 'name') } }] }],
    });
    expect(check(apiGatewayStageAlarms, otherApi)[0].message).toBe('no alarm watches 5XXError');
  });

  it('fails alarms that notify no one: no OK action, actions disabled, or no SNS topic', () => {
    for (const patch of [
      { ok_actions: [] },
      { actions_enabled: false },
      { alarm_actions: ['arn:aws:automate:us-east-1:ec2:stop'], ok_actions: ['arn:aws:automate:us-east-1:ec2:stop'] },
    ]) {
      const findings = check(apiGatewayStageAlarms, compliantPlatform().with(ALARMS.apiLatency, patch));
      expect(addresses(findings)).toEqual([STAGE]);
      expect(findings[0].message).toMatch(
        /^alarms that notify no one: Latency \(aws_cloudwatch_metric_alarm\.api_latency: /,
      );
    }
  });
});

describe('OPS_2 function alarms', () => {
  it.each([
    [ALARMS.fnErrors, 'Errors'],
    [ALARMS.fnThrottles, 'Throttles'],
    [ALARMS.fnDuration, 'Duration'],
    [ALARMS.fnConcurrency, 'ConcurrentExecutions'],
  ])('fails a function (with reserved concurrency) without the %s alarm', (alarm, metric) => {
    const findings = check(lambdaFunctionAlarms, without(alarm));
    expect(addresses(findings)).toEqual([FUNCTION]);
    expect(findings[0].message).toBe(`no alarm watches ${metric}`);
  });

  it('asks for no concurrency alarm where no concurrency is reserved (the provider plans -1)', () => {
    const fixture = without(ALARMS.fnConcurrency).with(FUNCTION, { reserved_concurrent_executions: -1 });
    expect(check(lambdaFunctionAlarms, fixture)).toEqual([]);
  });

  it('does not count an alarm on another function', () => {
    const fixture = compliantPlatform().with(ALARMS.fnErrors, { dimensions: { FunctionName: 'someone-else' } });
    expect(check(lambdaFunctionAlarms, fixture)[0].message).toBe('no alarm watches Errors');
  });
});

describe('OPS_3 table alarms', () => {
  it.each([
    [ALARMS.tableThrottles, 'ThrottledRequests'],
    [ALARMS.tableErrors, 'SystemErrors'],
  ])('fails a table without the %s alarm', (alarm, metric) => {
    const findings = check(dynamodbTableAlarms, without(alarm));
    expect(addresses(findings)).toEqual([TABLE]);
    expect(findings[0].message).toBe(`no alarm watches ${metric}`);
  });

  it('does not count an alarm on another table', () => {
    const fixture = compliantPlatform().with(ALARMS.tableErrors, {
      metric_query: [
        {},
        { metric: [{ dimensions: { TableName: 'other-table' } }] },
        { metric: [{ dimensions: { TableName: 'other-table' } }] },
      ],
    });
    expect(check(dynamodbTableAlarms, fixture)[0].message).toBe('no alarm watches SystemErrors');
  });
});

describe('OPS_4 token-request alarm', () => {
  it('fails every client-credentials client when nothing watches the token requests', () => {
    const findings = check(cognitoTokenRequestAlarm, without(ALARMS.tokens));
    expect(addresses(findings)).toEqual([CLIENT]);
    expect(findings[0].message).toMatch(
      /no alarm watches the token requests \(AWS\/Usage CallCount, ClientAuthentication\)/,
    );
  });

  it('fails when the token alarm notifies no one', () => {
    const findings = check(
      cognitoTokenRequestAlarm,
      compliantPlatform().with(ALARMS.tokens, { actions_enabled: false }),
    );
    expect(findings[0].message).toMatch(
      /the token-request alarms notify no one: aws_cloudwatch_metric_alarm\.tokens: actions_enabled is false/,
    );
  });

  it('accepts the plain usage metric as well as a Metrics Insights query', () => {
    const fixture = compliantPlatform().with(ALARMS.tokens, {
      metric_query: undefined,
      namespace: 'AWS/Usage',
      metric_name: 'CallCount',
      dimensions: { Service: 'Cognito user pool', Type: 'API', Resource: 'ClientAuthentication', Class: 'None' },
      statistic: 'Sum',
      period: 3600,
    });
    expect(check(cognitoTokenRequestAlarm, fixture)).toEqual([]);
  });

  it('does not ask for it without a client-credentials client', () => {
    const fixture = without(ALARMS.tokens).with(CLIENT, { allowed_oauth_flows: ['code'] });
    expect(check(cognitoTokenRequestAlarm, fixture)).toEqual([]);
  });
});

describe('CKV_AWS_26 topic encryption', () => {
  it('fails an unencrypted topic', () => {
    const findings = check(snsTopicEncryption, compliantPlatform().with(TOPIC, { kms_master_key_id: undefined }));
    expect(addresses(findings)).toEqual([TOPIC]);
    expect(findings[0].message).toMatch(/kms_master_key_id is not set/);
  });

  it('fails the AWS managed key on a topic alarms notify: CloudWatch cannot use it', () => {
    const findings = check(snsTopicEncryption, compliantPlatform().with(TOPIC, { kms_master_key_id: 'alias/aws/sns' }));
    expect(addresses(findings)).toEqual([TOPIC]);
    expect(findings[0].message).toMatch(/AWS managed key alias\/aws\/sns, which CloudWatch alarms cannot use/);
  });

  it('accepts the AWS managed key on a topic no alarm notifies', () => {
    const fixture = new PlanBuilder().add('aws_sns_topic.events', {
      name: 'events',
      kms_master_key_id: 'alias/aws/sns',
    });
    expect(check(snsTopicEncryption, fixture)).toEqual([]);
  });
});

describe('OPS_5 dashboard', () => {
  it('fails a stage without a dashboard, and every alarm with it', () => {
    const findings = check(stageDashboard, compliantPlatform().without(DASHBOARD));
    expect(addresses(findings)).toEqual([...Object.values(ALARMS), STAGE].sort());
    expect(findings.find((f) => f.address === STAGE)?.message).toBe('no CloudWatch dashboard graphs this stage');
  });

  it("fails an alarm missing from the dashboard's alarm widget", () => {
    const fixture = compliantPlatform().with(DASHBOARD, {
      dashboard_body: JSON.stringify({
        widgets: [
          { type: 'alarm', properties: { alarms: [ref(ALARMS.api5xx, 'arn')] } },
          { type: 'metric', properties: { metrics: [['AWS/ApiGateway', 'Count', 'ApiName', 'm2m-api-test']] } },
        ],
      }),
    });
    const findings = check(stageDashboard, fixture);
    expect(addresses(findings)).toEqual(
      Object.values(ALARMS)
        .filter((a) => a !== ALARMS.api5xx)
        .sort(),
    );
    expect(findings[0].message).toBe("the alarm is on no dashboard's alarm widget");
  });

  it('recognises the stage by its API name in a body that is known at plan time', () => {
    const fixture = without(ALARMS.tokens)
      .without(ALARMS.api5xx)
      .without(ALARMS.api4xx)
      .without(ALARMS.apiLatency)
      .without(ALARMS.fnErrors)
      .without(ALARMS.fnThrottles)
      .without(ALARMS.fnDuration)
      .without(ALARMS.fnConcurrency)
      .without(ALARMS.tableThrottles)
      .without(ALARMS.tableErrors)
      .with(DASHBOARD, {
        dashboard_body: JSON.stringify({
          widgets: [
            { type: 'metric', properties: { metrics: [['AWS/ApiGateway', 'Count', 'ApiName', 'm2m-api-test']] } },
          ],
        }),
      });
    expect(check(stageDashboard, fixture)).toEqual([]);
    const otherApi = fixture.with(DASHBOARD, { dashboard_body: JSON.stringify({ widgets: [] }) });
    expect(addresses(check(stageDashboard, otherApi))).toEqual([STAGE]);
  });
});
