/**
 * The clients' way to the API: one request per call, with the token of the operation's scope; while measuring,
 * every answer's latency and status are counted and held to what the operation may answer.
 */
import type { ClientCredentialsTokenProvider } from '../../client';
import { latencyFigures, type LatencyFigures } from '../../common/statistics';
import { callApi, type ApiAnswer } from '../api-call';
import { sortedTally, tally, type ScopeNames, type Violations } from '../support';
import { ALLOWED, MIX, type Operation } from './operations';
import type { OperationFigures } from './result';

const REQUEST_TIMEOUT_MS = 10_000;

/** What the measured answers add up to. */
export interface MeasuredFigures {
  readonly requests: number;
  readonly latency: LatencyFigures;
  readonly statuses: Readonly<Record<string, number>>;
  readonly operations: Readonly<Record<Operation, OperationFigures>>;
  /** 412 answers. */
  readonly preconditionFailed: number;
}

export class MeasuredApi {
  /** Whether answers are counted: only while the clients run (not while seeding, warming up or verifying). */
  measuring = false;
  private readonly latencies: number[] = [];
  private readonly statuses: Record<string, number> = {};
  private readonly perOperation = Object.fromEntries(
    (Object.keys(MIX) as Operation[]).map((op) => [op, { latencies: [] as number[], statuses: {} }]),
  ) as Record<Operation, { latencies: number[]; statuses: Record<string, number> }>;

  constructor(
    private readonly apiUrl: string,
    private readonly providers: Readonly<Record<keyof ScopeNames, ClientCredentialsTokenProvider>>,
    private readonly violations: Violations,
  ) {}

  async call(
    operation: Operation,
    method: string,
    path: string,
    scope: keyof ScopeNames,
    extra: { body?: unknown; ifMatch?: string } = {},
  ): Promise<ApiAnswer> {
    const token = await this.providers[scope].getToken();
    const answer = await callApi(`${this.apiUrl}${path}`, {
      token,
      method,
      body: extra.body,
      ifMatch: extra.ifMatch,
      acceptJson: true,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    if (this.measuring) {
      const ms = answer.ended - answer.started;
      this.latencies.push(ms);
      this.perOperation[operation].latencies.push(ms);
      tally(this.statuses, answer.status);
      tally(this.perOperation[operation].statuses, answer.status);
      if (!ALLOWED[operation].includes(answer.status as number)) {
        this.violations.add(
          `${method} ${path} (${operation}) answered ${answer.status}${answer.body ? `: ${JSON.stringify(answer.body).slice(0, 200)}` : ''}`,
        );
      }
    }
    return answer;
  }

  figures(): MeasuredFigures {
    const operations = Object.fromEntries(
      (Object.keys(MIX) as Operation[]).map((op) => [
        op,
        {
          count: this.perOperation[op].latencies.length,
          statuses: sortedTally(this.perOperation[op].statuses),
          ...latencyFigures(this.perOperation[op].latencies),
        },
      ]),
    ) as Record<Operation, OperationFigures>;
    return {
      requests: this.latencies.length,
      latency: latencyFigures(this.latencies),
      statuses: sortedTally(this.statuses),
      operations,
      preconditionFailed: this.statuses['412'] ?? 0,
    };
  }
}
