import { Construct } from 'constructs';
import { CloudwatchQueryDefinition } from '@cdktf/provider-aws/lib/cloudwatch-query-definition';

/** An app client and the label the queries show for its requests. */
export interface LabelledClient {
  /** e.g. `catalog-reader/2`: consumer and credential generation. */
  readonly label: string;
  readonly clientId: string;
}

export interface ConsumerQueriesProps {
  /** Folder of the saved queries in the console, e.g. `m2m-api-dev/consumers`. */
  readonly folder: string;
  /** The API's access log group, whose JSON lines carry `clientId`, `status` and `responseLatency`. */
  readonly logGroupName: string;
  readonly clients: readonly LabelledClient[];
}

/**
 * Saved CloudWatch Logs Insights queries over the access log: requests, errors and latency per consumer. Each app
 * client id is mapped to `<consumer>/<generation>` inside the query, with `replace` (Logs Insights string functions:
 * "Boolean, comparison, numeric, datetime, and other functions", CloudWatch Logs user guide) — so a rotation shows
 * which generation is still in use. Requests without a valid token have no client id (`-`).
 */
export class ConsumerQueries extends Construct {
  public readonly requests: CloudwatchQueryDefinition;
  public readonly errors: CloudwatchQueryDefinition;
  public readonly latency: CloudwatchQueryDefinition;

  constructor(scope: Construct, id: string, props: ConsumerQueriesProps) {
    super(scope, id);
    const consumer = props.clients.reduce(
      (expression, client) => `replace(${expression}, "${client.clientId}", "${client.label}")`,
      'clientId',
    );
    const query = (name: string, lines: readonly string[]) =>
      new CloudwatchQueryDefinition(this, name, {
        name: `${props.folder}/${name}`,
        logGroupNames: [props.logGroupName],
        queryString: [`fields ${consumer} as consumer`, ...lines].join('\n| '),
      });
    this.requests = query('requests', ['stats count(*) as requests by consumer, bin(1h)', 'sort consumer']);
    this.errors = query('errors', [
      'filter status >= 400',
      'stats count(*) as errors by consumer, status',
      'sort errors desc',
    ]);
    this.latency = query('latency', [
      'stats count(*) as requests, avg(responseLatency) as avgMs, pct(responseLatency, 50) as p50Ms, ' +
        'pct(responseLatency, 99) as p99Ms, max(responseLatency) as maxMs by consumer',
      'sort p99Ms desc',
    ]);
  }
}
