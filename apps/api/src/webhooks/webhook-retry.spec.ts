import { CLOSED, afterAttempt, breakerOpen, nextAttemptAt, retryDelayMs, type RetryPolicy } from './webhook-retry';

const policy: RetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 3_600_000, retryWindowMs: 86_400_000 };

describe('retry back-off', () => {
  it('doubles the ceiling after each failure, from the base, up to the maximum', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, policy, top))).toEqual([999, 1999, 3999, 7999]);
    expect(retryDelayMs(40, policy, top)).toBe(3_599_996);
  });

  it('jitters the whole wait (full jitter): from 0 up to the ceiling', () => {
    expect(retryDelayMs(3, policy, () => 0)).toBe(0);
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(2000);
  });

  it('stops when the next attempt would fall outside the retry window, measured from the first attempt', () => {
    const short: RetryPolicy = { baseDelayMs: 100, maxDelayMs: 1_000, retryWindowMs: 2_000 };
    expect(nextAttemptAt(0, 500, 2, short, () => 1)).toBe(700);
    expect(nextAttemptAt(0, 1_900, 5, short, () => 1)).toBeNull();
  });
});

describe('circuit breaker', () => {
  const breaker = { threshold: 3, cooldownMs: 60_000 };

  it('opens on the threshold-th consecutive failure, for the cool-down', () => {
    let state = CLOSED;
    state = afterAttempt(state, false, 1_000, breaker);
    state = afterAttempt(state, false, 2_000, breaker);
    expect(breakerOpen(state, 2_000)).toBe(false);
    state = afterAttempt(state, false, 3_000, breaker);
    expect(breakerOpen(state, 3_000)).toBe(true);
    expect(breakerOpen(state, 62_999)).toBe(true);
    expect(breakerOpen(state, 63_000)).toBe(false);
  });

  it('opens again at once when the attempt after the cool-down fails, and closes on a success', () => {
    const open = { consecutiveFailures: 3, openUntil: 63_000 };
    expect(afterAttempt(open, false, 64_000, breaker)).toEqual({ consecutiveFailures: 4, openUntil: 124_000 });
    expect(afterAttempt(open, true, 64_000, breaker)).toEqual(CLOSED);
  });
});
