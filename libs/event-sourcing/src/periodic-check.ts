/**
 * A check that runs every `intervalMs` once started, never two passes at once (a pass still running
 * when the next is due is not doubled). A pass that fails is reported to `onError` and the next one
 * runs as usual; `stop()` waits for the pass in flight. The SLA monitors and the merge completion use it.
 */
export abstract class PeriodicCheck {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  protected constructor(private readonly schedule: { readonly intervalMs: number; readonly onError?: (error: unknown) => void }) {}

  /** One pass; returns how many things it did. */
  abstract check(): Promise<number>;

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.check().catch((error: unknown) => {
        this.schedule.onError?.(error);
        return 0;
      }).finally(() => {
        this.running = undefined;
      });
    }, this.schedule.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
