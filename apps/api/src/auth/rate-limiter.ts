/** A request refused because its token (or, without a valid token, its address) asked too often. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; try again in ${retryAfterSeconds} s.`);
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key: `perSecond` requests per second on average, bursts up to twice that.
 * Buckets that have refilled are forgotten, so the map stays small whatever keys callers send.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  /** The burst, the most requests a key may make at once (RateLimit-Limit). */
  readonly limit: number;
  /**
   * What the last tryTake left, for the RateLimit-* headers of its answer (read at once, on the same turn): the whole requests
   * left in its key's bucket (0 when it refused), and the seconds until the bucket is full again. A token bucket has no window
   * that resets; the nearest thing is the time until the whole burst is back. Fields, not a returned object: no allocation.
   */
  remaining = 0;
  resetSeconds = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now() / 1000,
    private readonly maxKeys = 10_000,
  ) {
    this.capacity = perSecond * 2;
    this.limit = Math.floor(this.capacity);
  }

  get enabled(): boolean {
    return this.perSecond > 0;
  }

  /** Takes one request from the key's bucket, or throws RateLimitedError saying when to retry. */
  take(key: string): void {
    const retryAfterSeconds = this.tryTake(key);
    if (retryAfterSeconds !== undefined) throw new RateLimitedError(retryAfterSeconds);
  }

  /**
   * Takes one request from the key's bucket and answers undefined, or answers the seconds to wait. No error is made:
   * the edge refuses an abusive client thousands of times a second, and an Error's stack trace is most of a refusal's cost here.
   */
  tryTake(key: string): number | undefined {
    if (!this.enabled) return undefined;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: this.capacity, at: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.remaining = 0;
      this.resetSeconds = Math.ceil((this.capacity - bucket.tokens) / this.perSecond);
      return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
    }
    bucket.tokens -= 1;
    this.remaining = Math.floor(bucket.tokens);
    this.resetSeconds = Math.ceil((this.capacity - bucket.tokens) / this.perSecond);
    if (this.buckets.size > this.maxKeys) this.forgetRefilled(now);
    return undefined;
  }

  get size(): number {
    return this.buckets.size;
  }

  private forgetRefilled(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perSecond >= this.capacity) this.buckets.delete(key);
    }
    // Still too many keys being hammered at once: drop the oldest rather than grow without bound,
    // down to 90 % so that a flood of new keys pays for this scan once per many requests.
    const target = Math.floor(this.maxKeys * 0.9);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(key);
    }
  }
}

/** The start-up line's words for the rate limit in force (main.ts), or that it is off. */
export function describeRateLimit(perSecond: number): string {
  if (perSecond <= 0) return 'off (RATE_LIMIT_PER_SECOND=0): no token or address is limited; set it to limit each token (see the README)';
  return `${perSecond} request${perSecond === 1 ? '' : 's'} a second per token, bursts of ${perSecond * 2} (RATE_LIMIT_PER_SECOND); `
    + 'bad or missing tokens per address; RateLimit-* headers on every counted answer';
}
