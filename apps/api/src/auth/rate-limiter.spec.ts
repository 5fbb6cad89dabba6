import { RateLimitedError, RateLimiter, describeRateLimit } from './rate-limiter';

describe('RateLimiter (a token bucket per key)', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1000;
  });

  it('lets a burst of twice the rate through, then refuses with the seconds to wait', () => {
    const limiter = new RateLimiter(5, clock);
    for (let i = 0; i < 10; i += 1) limiter.take('a');
    expect(() => limiter.take('a')).toThrow(RateLimitedError);
    try {
      limiter.take('a');
    } catch (error) {
      expect((error as RateLimitedError).retryAfterSeconds).toBe(1);
    }
  });

  it('tryTake answers the seconds to wait instead of throwing, from the same bucket as take', () => {
    const limiter = new RateLimiter(2, clock);
    for (let i = 0; i < 3; i += 1) expect(limiter.tryTake('a')).toBeUndefined();
    limiter.take('a');
    expect(limiter.tryTake('a')).toBe(1);
    expect(() => limiter.take('a')).toThrow(RateLimitedError);
    now += 0.5;
    expect(limiter.tryTake('a')).toBeUndefined();
    expect(limiter.tryTake('a')).toBe(1);
  });

  it('leaves, after each tryTake, the burst, the whole requests left and the seconds until the bucket is full again (the RateLimit-* headers)', () => {
    const limiter = new RateLimiter(5, clock);
    expect(limiter.limit).toBe(10);
    const seen: Array<[number | undefined, number, number]> = [];
    for (let i = 0; i < 11; i += 1) seen.push([limiter.tryTake('a'), limiter.remaining, limiter.resetSeconds]);
    expect(seen[0]).toEqual([undefined, 9, 1]);
    expect(seen[4]).toEqual([undefined, 5, 1]);
    expect(seen[5]).toEqual([undefined, 4, 2]);
    expect(seen[9]).toEqual([undefined, 0, 2]);
    expect(seen[10]).toEqual([1, 0, 2]);
    now += 0.3; // a request and a half back
    expect([limiter.tryTake('a'), limiter.remaining, limiter.resetSeconds]).toEqual([undefined, 0, 2]);
    expect([limiter.tryTake('b'), limiter.remaining, limiter.resetSeconds]).toEqual([undefined, 9, 1]);
  });

  it('refills at the rate: after one second, five more', () => {
    const limiter = new RateLimiter(5, clock);
    for (let i = 0; i < 10; i += 1) limiter.take('a');
    now += 1;
    for (let i = 0; i < 5; i += 1) limiter.take('a');
    expect(() => limiter.take('a')).toThrow(RateLimitedError);
  });

  it('keeps one bucket per key', () => {
    const limiter = new RateLimiter(1, clock);
    limiter.take('a');
    limiter.take('a');
    expect(() => limiter.take('a')).toThrow(RateLimitedError);
    expect(() => limiter.take('b')).not.toThrow();
  });

  it('with a rate of 0 never refuses', () => {
    const limiter = new RateLimiter(0, clock);
    for (let i = 0; i < 1000; i += 1) limiter.take('a');
    expect(limiter.enabled).toBe(false);
  });

  it('forgets refilled buckets and never holds more than its key limit', () => {
    const limiter = new RateLimiter(10, clock, 100);
    for (let i = 0; i < 100; i += 1) limiter.take(`k${i}`);
    now += 10;
    limiter.take('late');
    expect(limiter.size).toBeLessThanOrEqual(100);
    for (let i = 0; i < 5000; i += 1) limiter.take(`flood${i}`);
    expect(limiter.size).toBeLessThanOrEqual(101);
  });
});

describe('describeRateLimit (the start-up line)', () => {
  it('says the limit in force, its burst and its setting', () => {
    expect(describeRateLimit(100)).toBe('100 requests a second per token, bursts of 200 (RATE_LIMIT_PER_SECOND); bad or missing tokens per address; RateLimit-* headers on every counted answer');
    expect(describeRateLimit(1)).toBe('1 request a second per token, bursts of 2 (RATE_LIMIT_PER_SECOND); bad or missing tokens per address; RateLimit-* headers on every counted answer');
  });

  it('says when it is off', () => {
    expect(describeRateLimit(0)).toBe('off (RATE_LIMIT_PER_SECOND=0): no token or address is limited; set it to limit each token (see the README)');
  });
});
