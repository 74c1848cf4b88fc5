/**
 * The CloudWatch dashboard of a stage, as typed widgets laid out on CloudWatch's 24-column grid ("Dashboard body
 * structure and syntax", https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
 * The metrics are the ones the alarms watch (metrics.ts), so a graph shows what made an alarm fire.
 */
import {
  apiMetric,
  functionMetric,
  tableMetric,
  tableOperationMetric,
  tokenUsageQuery,
  type Metric,
  type Statistic,
} from './metrics';

interface MetricOptions {
  readonly stat?: Statistic;
  readonly label?: string;
  readonly id?: string;
  readonly visible?: boolean;
}

/** `[namespace, metricName, dimensionName, dimensionValue, ..., options]` */
export type MetricRow = readonly (string | MetricOptions)[];
/** A metric-math expression or Metrics Insights query. */
export type ExpressionRow = readonly [{ readonly expression: string; readonly label: string; readonly id: string }];

interface MetricWidgetProperties {
  readonly title: string;
  readonly region: string;
  readonly view: 'timeSeries';
  readonly stacked: false;
  readonly period: number;
  readonly metrics: readonly (MetricRow | ExpressionRow)[];
  readonly yAxis?: { readonly left: { readonly min: number; readonly label?: string; readonly showUnits?: boolean } };
  readonly annotations?: { readonly horizontal: readonly { readonly label: string; readonly value: number }[] };
}

export type Widget =
  | { readonly type: 'metric'; readonly properties: MetricWidgetProperties }
  | { readonly type: 'alarm'; readonly properties: { readonly title: string; readonly alarms: readonly string[] } }
  | {
      readonly type: 'log';
      readonly properties: {
        readonly title: string;
        readonly region: string;
        readonly query: string;
        readonly view: 'table';
      };
    }
  | { readonly type: 'text'; readonly properties: { readonly markdown: string } };

export type PlacedWidget = Widget & {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
};

export interface DashboardBody {
  readonly start: string;
  readonly periodOverride: 'inherit';
  readonly widgets: readonly PlacedWidget[];
}

export interface DashboardInput {
  readonly title: string;
  readonly region: string;
  readonly api: { readonly apiName: string; readonly stage: string; readonly accessLogGroup: string };
  readonly functions: readonly {
    readonly label: string;
    readonly functionName: string;
    readonly timeoutSeconds: number;
    readonly reservedConcurrency?: number;
  }[];
  readonly tables: readonly {
    readonly label: string;
    readonly tableName: string;
    readonly operations: readonly string[];
  }[];
  /** ARNs of every alarm of the stage, for the alarm status widget. */
  readonly alarmArns: readonly string[];
}

const GRID_WIDTH = 24;

function row(metric: Metric, options: MetricOptions): MetricRow {
  return [
    metric.namespace,
    metric.metricName,
    ...Object.entries(metric.dimensions).flatMap(([name, value]) => [name, value]),
    options,
  ];
}

function metricWidget(
  title: string,
  region: string,
  metrics: readonly (MetricRow | ExpressionRow)[],
  extra: Pick<MetricWidgetProperties, 'yAxis' | 'annotations'> = {},
): Widget {
  return {
    type: 'metric',
    properties: {
      title,
      region,
      view: 'timeSeries',
      stacked: false,
      period: 60,
      metrics,
      yAxis: { left: { min: 0 } },
      ...extra,
    },
  };
}

/** Places rows of widgets: each row fills the grid's width in equal parts, `height` units tall. */
export function layout(
  rows: readonly { readonly height: number; readonly widgets: readonly Widget[] }[],
): PlacedWidget[] {
  const placed: PlacedWidget[] = [];
  let y = 0;
  for (const { height, widgets } of rows) {
    const width = Math.floor(GRID_WIDTH / widgets.length);
    widgets.forEach((widget, i) => placed.push({ ...widget, x: i * width, y, width, height }));
    y += height;
  }
  return placed;
}

/** The dashboard of one stage: alarms, API traffic and latency, functions, tables and token requests. */
export function dashboardBody(input: DashboardInput): DashboardBody {
  const { region, api } = input;
  const apiRows = {
    requests: metricWidget('API requests (per minute)', region, [
      row(apiMetric('Count', api), { stat: 'Sum', label: 'Requests' }),
    ]),
    errors: metricWidget('API 4XX and 5XX (per minute)', region, [
      row(apiMetric('4XXError', api), { stat: 'Sum', label: '4XX' }),
      row(apiMetric('5XXError', api), { stat: 'Sum', label: '5XX' }),
    ]),
    latency: metricWidget(
      'API latency (ms)',
      region,
      (['p50', 'p99'] as const).flatMap((stat) => [
        row(apiMetric('Latency', api), { stat, label: `Latency ${stat}` }),
        row(apiMetric('IntegrationLatency', api), { stat, label: `Integration ${stat}` }),
      ]),
    ),
  };
  const functionRows = input.functions.map((fn) => ({
    height: 6,
    widgets: [
      metricWidget(`${fn.label}: invocations, errors, throttles`, region, [
        row(functionMetric('Invocations', fn.functionName), { stat: 'Sum', label: 'Invocations' }),
        row(functionMetric('Errors', fn.functionName), { stat: 'Sum', label: 'Errors' }),
        row(functionMetric('Throttles', fn.functionName), { stat: 'Sum', label: 'Throttles' }),
      ]),
      metricWidget(
        `${fn.label}: duration (ms)`,
        region,
        (['p50', 'p99'] as const).map((stat) =>
          row(functionMetric('Duration', fn.functionName), { stat, label: stat }),
        ),
        { annotations: { horizontal: [{ label: 'Timeout', value: fn.timeoutSeconds * 1000 }] } },
      ),
      metricWidget(
        `${fn.label}: concurrent executions`,
        region,
        [row(functionMetric('ConcurrentExecutions', fn.functionName), { stat: 'Maximum', label: 'Maximum' })],
        fn.reservedConcurrency === undefined
          ? {}
          : { annotations: { horizontal: [{ label: 'Reserved', value: fn.reservedConcurrency }] } },
      ),
    ],
  }));
  const tableRows = input.tables.map((table) => ({
    height: 6,
    widgets: [
      metricWidget(`${table.label} table: consumed capacity (units per minute)`, region, [
        row(tableMetric('ConsumedReadCapacityUnits', table.tableName), { stat: 'Sum', label: 'Read' }),
        row(tableMetric('ConsumedWriteCapacityUnits', table.tableName), { stat: 'Sum', label: 'Write' }),
      ]),
      metricWidget(
        `${table.label} table: throttled requests and system errors, by operation`,
        region,
        (['ThrottledRequests', 'SystemErrors'] as const).flatMap((metricName) =>
          table.operations.map((operation) =>
            row(tableOperationMetric(metricName, table.tableName, operation), {
              stat: 'Sum',
              label: `${metricName === 'ThrottledRequests' ? 'Throttled' : 'System errors'} ${operation}`,
            }),
          ),
        ),
      ),
    ],
  }));
  const tokens = metricWidget('Client-credentials token requests (account and region)', region, [
    [{ expression: tokenUsageQuery('CallCount'), label: 'Token requests', id: 'tokens' }],
    [{ expression: tokenUsageQuery('ThrottleCount'), label: 'Throttled', id: 'throttled' }],
  ]);
  const tokensPerClient: Widget = {
    type: 'log',
    properties: {
      title: 'Tokens per client (distinct access tokens seen by the API)',
      region,
      view: 'table',
      query:
        `SOURCE '${api.accessLogGroup}' | filter ispresent(clientId) and clientId != "-" ` +
        '| stats count_distinct(tokenId) as tokens, count(*) as requests by clientId | sort tokens desc | limit 25',
    },
  };
  return {
    start: '-PT3H',
    periodOverride: 'inherit',
    widgets: layout([
      {
        height: 2,
        widgets: [
          {
            type: 'text',
            properties: {
              markdown:
                `## ${input.title}\nEvery alarm says what it means and what to check first; the README's ` +
                '"Operations" section explains each one.',
            },
          },
        ],
      },
      { height: 4, widgets: [{ type: 'alarm', properties: { title: 'Alarms', alarms: input.alarmArns } }] },
      { height: 6, widgets: [apiRows.requests, apiRows.errors, apiRows.latency] },
      ...functionRows,
      ...tableRows,
      { height: 6, widgets: [tokens, tokensPerClient] },
    ]),
  };
}
