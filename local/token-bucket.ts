/**
 * The token bucket API Gateway throttles with: a bucket of `burstLimit` tokens, refilled at `rateLimit` tokens a
 * second, starting full; each request takes one token, and a request that finds none is throttled ("Throttle
 * requests to your REST APIs for better throughput in API Gateway": "the token bucket algorithm, where a token
 * counts for a request"; the burst is the bucket's capacity, the rate the speed tokens are added at).
 */
export interface ThrottleLimits {
  /** Tokens added per second (steady-state requests per second); may be fractional. */
  readonly rateLimit: number;
  /** The bucket's capacity: how many requests may come at once. */
  readonly burstLimit: number;
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  /** @param now the time the bucket starts full at, in milliseconds */
  constructor(
    private readonly limits: ThrottleLimits,
    now: number,
  ) {
    this.tokens = Math.max(0, limits.burstLimit);
    this.updatedAt = now;
  }

  /** Whether a request at `now` (milliseconds) would find a token (the bucket refills up to `now`). */
  hasToken(now: number): boolean {
    const capacity = Math.max(0, this.limits.burstLimit);
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(capacity, this.tokens + elapsedSeconds * Math.max(0, this.limits.rateLimit));
    this.updatedAt = Math.max(this.updatedAt, now);
    return this.tokens >= 1;
  }

  /** Takes a token, after {@link hasToken} found one. */
  takeToken(): void {
    this.tokens = Math.max(0, this.tokens - 1);
  }
}
