import { Construct } from 'constructs';
import { Annotations, Token } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmConfig,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import {
  apiAlarms,
  DEFAULT_INTEGRATION_TIMEOUT_MS,
  functionAlarms,
  latencyCeilingMs,
  tableAlarms,
  tokenAlarms,
  type AlarmSpec,
  type FunctionTarget,
  type TableTarget,
} from '../operations/alarm-specs';
import { subscriptionVariables, type OperationsConfig } from '../operations/config';
import { dashboardBody } from '../operations/dashboard';
import type { Statistic } from '../operations/metrics';
import type { NodeFunction } from './node-function';
import { AlarmTopic } from './operations-topic';
import type { SecureRestApi } from './secure-rest-api';

/** Lambda's timeout when a function sets none (Lambda API, `Timeout`: default 3 seconds). */
const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3;

export interface StageOperationsProps {
  /** The stage's name prefix: the topic, dashboard and every alarm are named after it (`<name>-api-5xx-rate`). */
  readonly name: string;
  /** The stage, for messages and its environment variables (`ALARM_EMAIL_<STAGE>`). */
  readonly stage: string;
  readonly region: string;
  readonly config: OperationsConfig;
  /** The stage's API. Add its routes before creating this construct: the latency alarm reads their integrations. */
  readonly api: SecureRestApi;
  /** The functions behind the API, each with a short label for alarm names (`categories`). */
  readonly functions: readonly { readonly label: string; readonly fn: NodeFunction }[];
  /** The tables, with the DynamoDB operations their clients call (`GetItem`, ...). @default none */
  readonly tables?: readonly {
    readonly label: string;
    readonly table: DynamodbTable;
    readonly operations: readonly string[];
  }[];
  /** Access-token lifetime of the stage's app clients, in minutes: the token-request alarm's window. */
  readonly accessTokenValidityMinutes: number;
}

/**
 * What tells someone that a stage is failing: an encrypted SNS topic with the stage's subscriptions, AWS's
 * recommended alarms for the API, its functions and tables (alarm-specs.ts), a token-request alarm for the Cognito
 * bill, and one CloudWatch dashboard that graphs what the alarms watch next to every alarm's state.
 */
export class StageOperations extends Construct {
  public readonly alarmTopic: AlarmTopic;
  /** The alarms as plain data, in the order they were created. */
  public readonly specs: readonly AlarmSpec[];
  /** The alarms, by spec id (`api-5xx-rate`, `categories-errors`, ...). */
  public readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;
  public readonly dashboard: CloudwatchDashboard;
  /** The dashboard in the CloudWatch console. */
  public readonly dashboardUrl: string;

  constructor(scope: Construct, id: string, props: StageOperationsProps) {
    super(scope, id);
    const { config } = props;
    this.alarmTopic = new AlarmTopic(this, 'alarm-topic', {
      name: `${props.name}-alarms`,
      alarmNamePrefix: `${props.name}-`,
      subscriptions: config.subscriptions,
    });
    if (config.warnWithoutSubscriptions && config.subscriptions.length === 0) {
      const variables = subscriptionVariables(props.stage);
      Annotations.of(this).addWarning(
        `Stage "${props.stage}": its alarms notify no one. Set ${variables.email} (or ${variables.https}), ` +
          'or add operations.subscriptions in stacks/config.ts.',
      );
    }

    const functions = props.functions.map(({ label, fn }) => this.functionTarget(label, fn));
    const tables = (props.tables ?? []).map(({ label, table, operations }): TableTarget => ({
      label,
      tableName: table.name,
      operations,
    }));
    const api = {
      apiName: props.api.api.name,
      stage: props.api.stage.stageName,
      accessLogGroup: this.literal(props.api.accessLogGroup.nameInput, 'the access log group name'),
      latencyCeilingMs: latencyCeilingMs(
        this.integrationTimeouts(props.api),
        functions.map((f) => f.timeoutSeconds),
      ),
    };
    this.specs = [
      ...apiAlarms(api, config.alarms),
      ...functions.flatMap((fn) => functionAlarms(fn, config.alarms)),
      ...tables.flatMap((table) => tableAlarms(table, config.alarms)),
      ...tokenAlarms({ accessTokenValidityMinutes: props.accessTokenValidityMinutes }, config.alarms),
    ];
    const alarms: Record<string, CloudwatchMetricAlarm> = {};
    for (const spec of this.specs) {
      if (alarms[spec.id])
        throw new Error(`${this.node.path}: two alarms are named "${spec.id}"; give each a unique label.`);
      alarms[spec.id] = new CloudwatchMetricAlarm(
        this,
        `alarm-${spec.id}`,
        alarmConfig(spec, `${props.name}-${spec.id}`, this.alarmTopic.topic.arn),
      );
    }
    this.alarms = alarms;

    const region = props.region;
    this.dashboardUrl = `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${props.name}`;
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.name,
      dashboardBody: JSON.stringify(
        dashboardBody({
          title: `${props.name} (${props.stage})`,
          region: props.region,
          api,
          functions,
          tables,
          alarmArns: Object.values(alarms).map((alarm) => alarm.arn),
        }),
      ),
    });
  }

  private functionTarget(label: string, fn: NodeFunction): FunctionTarget {
    const reserved = fn.function.reservedConcurrentExecutionsInput;
    return {
      label,
      functionName: fn.function.functionName,
      timeoutSeconds: this.literal(fn.function.timeoutInput ?? LAMBDA_DEFAULT_TIMEOUT_SECONDS, `${label}'s timeout`),
      reservedConcurrency:
        reserved === undefined ? undefined : this.literal(reserved, `${label}'s reserved concurrency`),
      logGroup: this.literal(fn.logGroup.nameInput, `${label}'s log group name`),
    };
  }

  /** Every route's integration timeout, API Gateway's default where the integration sets none. */
  private integrationTimeouts(api: SecureRestApi): number[] {
    if (api.integrations.length === 0) {
      throw new Error(`${this.node.path}: the API has no routes yet; add them before creating the stage's operations.`);
    }
    return api.integrations.map((integration) =>
      this.literal(integration.timeoutMillisecondsInput ?? DEFAULT_INTEGRATION_TIMEOUT_MS, 'an integration timeout'),
    );
  }

  /** A value the alarms are computed from at synth time: it must be known then, not a Terraform reference. */
  private literal<T extends string | number>(value: T | undefined, what: string): T {
    if (value === undefined || Token.isUnresolved(value)) {
      throw new Error(`${this.node.path}: ${what} must be a literal value to compute the alarms, not a reference.`);
    }
    return value;
  }
}

const isPercentile = (statistic: Statistic): boolean => /^p\d/.test(statistic);

/** The Terraform configuration of one alarm: notifying the topic when it fires and when it recovers. */
function alarmConfig(spec: AlarmSpec, alarmName: string, topicArn: string): CloudwatchMetricAlarmConfig {
  const common = {
    alarmName,
    alarmDescription: spec.description,
    comparisonOperator: spec.comparison,
    threshold: spec.threshold,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm,
    treatMissingData: spec.treatMissingData,
    actionsEnabled: true,
    alarmActions: [topicArn],
    okActions: [topicArn],
  };
  const { source } = spec;
  switch (source.kind) {
    case 'metric':
      return {
        ...common,
        namespace: source.metric.namespace,
        metricName: source.metric.metricName,
        dimensions: { ...source.metric.dimensions },
        period: spec.periodSeconds,
        ...(isPercentile(source.statistic)
          ? {
              extendedStatistic: source.statistic,
              // With little traffic p99 is the slowest request; minutes of them in a row are still worth knowing.
              evaluateLowSampleCountPercentiles: 'evaluate',
            }
          : { statistic: source.statistic }),
      };
    case 'math':
      return {
        ...common,
        metricQuery: [
          { id: 'result', expression: source.expression, label: source.label, returnData: true },
          ...Object.entries(source.inputs).map(([id, input]) => ({
            id,
            returnData: false,
            metric: {
              namespace: input.metric.namespace,
              metricName: input.metric.metricName,
              dimensions: { ...input.metric.dimensions },
              period: spec.periodSeconds,
              stat: input.statistic,
            },
          })),
        ],
      };
    case 'query':
      return {
        ...common,
        metricQuery: [
          { id: 'result', expression: source.query, label: source.label, period: spec.periodSeconds, returnData: true },
        ],
      };
  }
}
