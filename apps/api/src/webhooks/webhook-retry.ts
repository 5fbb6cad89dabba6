/** How a failed delivery is tried again, and when an endpoint is given a rest. */
export interface RetryPolicy {
  /** The first retry waits up to this; each next one up to twice as long … */
  readonly baseDelayMs: number;
  /** … but never more than this. */
  readonly maxDelayMs: number;
  /** From the first attempt: past this, a delivery that still fails is a dead letter. */
  readonly retryWindowMs: number;
}

/**
 * Exponential back-off with full jitter (a uniform wait between 0 and min(max, base·2^(n−1))): many
 * deliveries that failed together do not all come back together. `attempts` counts the failed ones.
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40));
  return Math.floor(random() * ceiling);
}

/** When the next attempt is due, or null when the retry window is over (the delivery is then dead). */
export function nextAttemptAt(firstAttemptAt: number, failedAt: number, attempts: number, policy: RetryPolicy, random: () => number = Math.random): number | null {
  const due = failedAt + retryDelayMs(attempts, policy, random);
  return due - firstAttemptAt > policy.retryWindowMs ? null : due;
}

export interface BreakerPolicy {
  /** Consecutive failed attempts (any delivery) that open the breaker. */
  readonly threshold: number;
  /** How long an open breaker keeps the endpoint from being called. */
  readonly cooldownMs: number;
}

/** One endpoint's breaker: closed while `openUntil` is null or past; one attempt is let through after the cool-down (half-open). */
export interface BreakerState {
  readonly consecutiveFailures: number;
  readonly openUntil: number | null;
}

export const CLOSED: BreakerState = { consecutiveFailures: 0, openUntil: null };

export const breakerOpen = (state: BreakerState, now: number): boolean => state.openUntil !== null && now < state.openUntil;

/** A success closes the breaker; a failure counts, and the threshold's failure (or any failure after a cool-down) opens it. */
export function afterAttempt(state: BreakerState, succeeded: boolean, now: number, policy: BreakerPolicy): BreakerState {
  if (succeeded) return CLOSED;
  const consecutiveFailures = state.consecutiveFailures + 1;
  return { consecutiveFailures, openUntil: consecutiveFailures >= policy.threshold ? now + policy.cooldownMs : null };
}
