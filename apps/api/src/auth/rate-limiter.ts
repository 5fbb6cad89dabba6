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

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now() / 1000,
    private readonly maxKeys = 10_000,
  ) {
    this.capacity = perSecond * 2;
  }

  get enabled(): boolean {
    return this.perSecond > 0;
  }

  /** Takes one request from the key's bucket, or throws RateLimitedError saying when to retry. */
  take(key: string): void {
    if (!this.enabled) return;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      throw new RateLimitedError(Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond)));
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.forgetRefilled(now);
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
