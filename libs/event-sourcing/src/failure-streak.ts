/**
 * The wait before the next try of background work that failed `attempts` times in a row: `firstMs`,
 * doubling at each failure, never more than `maxMs`. The projections and the notifier's planner use it.
 */
export function backOffDelayMs(attempts: number, firstMs: number, maxMs: number): number {
  return Math.min(maxMs, firstMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
}

/** Background work that fails, as /health shows it. */
export interface LoopFailure {
  /** The last error, in one line or a few. */
  readonly error: string;
  /** When the streak of failures began (ISO 8601). */
  readonly since: string;
  /** Failures in a row. */
  readonly attempts: number;
  /** When it is tried again (ISO 8601); null when it is not tried again by itself. */
  readonly nextRetryAt: string | null;
}

/**
 * The failures in a row of one piece of background work (a loop that follows the log, a periodic
 * check), so that it can say it is failing instead of only logging it. One failure that the next try
 * mends is not reported (a restart is not an outage): `failure()` answers from the `reportAfter`-th
 * failure in a row (default 2) until a success.
 */
export class FailureStreak {
  private current: LoopFailure | null = null;

  constructor(private readonly options: { readonly reportAfter?: number; readonly now?: () => Date } = {}) {}

  /** Notes a failure; `retryInMs`: when the work is tried again (undefined: at its next turn, unknown here). */
  failed(error: unknown, retryInMs?: number): LoopFailure {
    const now = (this.options.now ?? (() => new Date()))();
    this.current = {
      error: String((error as Error)?.message ?? error).slice(0, 2000),
      since: this.current?.since ?? now.toISOString(),
      attempts: (this.current?.attempts ?? 0) + 1,
      nextRetryAt: retryInMs === undefined ? null : new Date(now.getTime() + retryInMs).toISOString(),
    };
    return this.current;
  }

  /** The work went through: the streak ends. */
  succeeded(): void {
    this.current = null;
  }

  /** Failures in a row so far (0 after a success). */
  get attempts(): number {
    return this.current?.attempts ?? 0;
  }

  /** The streak, once it is long enough to report; null while the work goes through (or failed only once). */
  failure(): LoopFailure | null {
    return this.current !== null && this.current.attempts >= (this.options.reportAfter ?? 2) ? this.current : null;
  }
}

/** A failing piece of work in the words of /health's `problems`. */
export function describeLoopFailure(name: string, failure: LoopFailure): string {
  const retry = failure.nextRetryAt === null ? 'tried again at its next turn' : `next try at ${failure.nextRetryAt}`;
  return `${name} fails (${failure.attempts} times in a row since ${failure.since}; ${retry}): ${failure.error.split('\n')[0]}`;
}
