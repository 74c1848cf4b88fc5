/**
 * The accounts of a hostile-input run, request by request: answers by status and family, and the function
 * invocations each request caused. A 5xx, no answer, an invocation without a valid token for the method, more
 * than one invocation, or a 2xx from the API stage without a valid token is a violation.
 */
import { sortedTally, tally, type Violations } from '../support';
import type { HostileRequest } from './hostile-request';
import type { RawAnswer } from './raw-http';

export interface FamilyFigures {
  readonly sent: number;
  readonly statuses: Readonly<Record<string, number>>;
}

export class RequestAccounting {
  /** Requests sent that carried a valid token with the scope of their method. */
  mayInvoke = 0;
  sent = 0;
  invocations = 0;
  invocationsWithoutValidToken = 0;
  /** 5xx answers. */
  serverErrors = 0;
  private readonly statuses: Record<string, number> = {};
  private readonly byFamily: Record<string, { sent: number; statuses: Record<string, number> }> = {};

  /** `stage`: requests under `/<stage>` are the API's. */
  constructor(
    private readonly stage: string,
    private readonly violations: Violations,
  ) {}

  /** Counts one request sent, its answer, and the invocations it caused (`delta`). */
  record(request: HostileRequest, answer: RawAnswer, delta: number): void {
    const { violations } = this;
    if (request.mayInvoke) this.mayInvoke++;
    this.sent++;
    tally(this.statuses, answer.status);
    const family = (this.byFamily[request.family] ??= { sent: 0, statuses: {} });
    family.sent++;
    tally(family.statuses, answer.status);
    this.invocations += delta;
    const where = `${request.label} — ${request.raw ? 'raw bytes' : `${request.method} ${request.target.length > 120 ? `${request.target.slice(0, 120)}…` : request.target}`}`;
    if (typeof answer.status !== 'number') {
      violations.add(`${where}: no answer (${answer.status})`);
    } else if (answer.status >= 500) {
      this.serverErrors++;
      violations.add(`${where}: ${answer.status} ${answer.body.slice(0, 200)}`);
    }
    if (delta > 0 && !request.mayInvoke) {
      this.invocationsWithoutValidToken += delta;
      violations.add(`${where}: reached the function without a valid token for its method`);
    }
    if (delta > 1) violations.add(`${where}: ${delta} invocations for one request`);
    if (
      !request.mayInvoke &&
      typeof answer.status === 'number' &&
      answer.status < 300 &&
      request.target.startsWith(`/${this.stage}`)
    ) {
      violations.add(`${where}: the API answered ${answer.status} without a valid token`);
    }
  }

  /** Answers by status, sorted. */
  statusFigures(): Record<string, number> {
    return sortedTally(this.statuses);
  }

  /** Requests and answers by family, sorted. */
  familyFigures(): Record<string, FamilyFigures> {
    return Object.fromEntries(
      Object.entries(this.byFamily)
        .sort()
        .map(([name, f]) => [name, { sent: f.sent, statuses: sortedTally(f.statuses) }]),
    );
  }
}
