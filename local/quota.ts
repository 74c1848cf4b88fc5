/**
 * A usage plan's quota for one API key: at most `limit` requests per DAY, WEEK or MONTH ("QuotaSettings", API
 * Gateway API reference). What a period is, AWS does not document, and reports disagree: a UTC calendar day (an
 * answer on Stack Overflow), or a window that rolls (consumers of quota-limited APIs on API Gateway report
 * requests freeing up gradually, not at midnight UTC); nor is the first day of a WEEK documented. So the local
 * stack fails closed: a request is refused while the period ending now — the last 24 hours, 7 days or 31 days —
 * already holds `limit` counted requests. Every calendar reading is covered: a calendar day, week (from whichever
 * weekday) or month so far always lies within that rolling period. Requests are counted per minute; a minute
 * partly inside the period counts whole (refusing a little early, never late).
 *
 * `offset` — "the number of requests subtracted from the given limit in the initial time period" (API reference,
 * CloudFormation) — lowers the limit for one period length from when counting started, which covers the initial
 * period however it is aligned.
 */
export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';

export interface QuotaLimits {
  readonly limit: number;
  /** Requests subtracted from the limit in the initial period. @default 0 */
  readonly offset: number;
  readonly period: QuotaPeriod;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const PERIOD_MS: Readonly<Record<QuotaPeriod, number>> = { DAY: DAY_MS, WEEK: 7 * DAY_MS, MONTH: 31 * DAY_MS };

export class QuotaCounter {
  /** Requests counted per minute over the period, oldest first, and their sum. */
  private readonly minutes: Array<{ minute: number; count: number }> = [];
  private counted = 0;
  private readonly periodMs: number;

  /** @param startedAt when counting started, in milliseconds: the initial period begins there */
  constructor(
    readonly limits: QuotaLimits,
    private readonly startedAt: number,
  ) {
    this.periodMs = PERIOD_MS[limits.period];
  }

  /** Whether the quota is spent at `now`: another request would exceed it. */
  exhausted(now: number): boolean {
    const periodStart = now - this.periodMs;
    while (this.minutes.length > 0 && (this.minutes[0].minute + 1) * MINUTE_MS <= periodStart) {
      this.counted -= (this.minutes.shift() as { count: number }).count;
    }
    const initial = now < this.startedAt + this.periodMs;
    return this.counted >= this.limits.limit - (initial ? this.limits.offset : 0);
  }

  /** Counts a request made at `now`. */
  count(now: number): void {
    const minute = Math.floor(now / MINUTE_MS);
    const last = this.minutes.at(-1);
    if (last?.minute === minute) last.count++;
    else this.minutes.push({ minute, count: 1 });
    this.counted++;
  }
}
