import { FailureStreak, type LoopFailure } from './failure-streak';

/**
 * A check that runs every `intervalMs` once started, never two passes at once (a pass still running
 * when the next is due is not doubled). A pass that fails is reported to `onError` and the next one
 * runs as usual; `stop()` waits for the pass in flight. `wake()` runs a pass now instead of at the
 * next tick (for a check told that something changed). `failure()` says when passes keep failing
 * (twice or more in a row), for /health: a check that fails at every tick is retried, and not silent. The SLA monitors, the merge completion and the
 * webhooks' outbox and sender use it.
 */
export abstract class PeriodicCheck {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  /** A wake while a pass ran: one more pass follows it, so that what woke it is not left to the next tick. */
  private again = false;
  private readonly streak = new FailureStreak();

  protected constructor(private readonly schedule: { readonly intervalMs: number; readonly onError?: (error: unknown) => void }) {}

  /** One pass; returns how many things it did. */
  abstract check(): Promise<number>;

  /** The passes failing in a row (from the second), with the last error; null while they go through. */
  failure(): LoopFailure | null {
    return this.streak.failure();
  }

  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.run();
    }, this.schedule.intervalMs);
    this.timer.unref();
  }

  /** A pass now (after the one under way, if any); nothing before `start()` or after `stop()`. Wakes that come together make one pass. */
  wake(): void {
    if (!this.timer) return;
    if (this.running) this.again = true;
    else this.run();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // A pass may follow the one in flight (woken meanwhile): wait until none runs.
    while (this.running) await this.running;
  }

  private run(): void {
    this.again = false;
    this.running = this.check().then((done) => {
      this.streak.succeeded();
      return done;
    }, (error: unknown) => {
      this.streak.failed(error, this.schedule.intervalMs);
      this.schedule.onError?.(error);
      return 0;
    }).finally(() => {
      this.running = undefined;
      if (this.again && this.timer) this.run();
    });
  }
}
