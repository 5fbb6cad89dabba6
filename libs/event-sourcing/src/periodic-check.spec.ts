import { PeriodicCheck } from './periodic-check';

/** A check whose passes the test lets finish one by one. */
class Gated extends PeriodicCheck {
  passes = 0;
  errors: unknown[] = [];
  private release: Array<() => void> = [];

  constructor(intervalMs = 60_000) {
    super({ intervalMs, onError: (error) => this.errors.push(error) });
  }

  async check(): Promise<number> {
    this.passes += 1;
    await new Promise<void>((resolve) => this.release.push(resolve));
    return 1;
  }

  /** Lets the pass under way finish, and waits for what follows it to begin. */
  async finish(): Promise<void> {
    this.release.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('PeriodicCheck', () => {
  it('runs a pass at once when woken, not at the next tick', async () => {
    const check = new Gated();
    check.start();
    check.wake();
    expect(check.passes).toBe(1);
    await check.finish();
    await check.stop();
  });

  it('follows a pass under way with one more when woken meanwhile, however many times', async () => {
    const check = new Gated();
    check.start();
    check.wake();
    check.wake();
    check.wake();
    expect(check.passes).toBe(1);
    await check.finish();
    expect(check.passes).toBe(2);
    await check.finish();
    expect(check.passes).toBe(2);
    await check.stop();
  });

  it('does nothing when woken before start or after stop, and stop waits for the pass that follows a wake', async () => {
    const check = new Gated();
    check.wake();
    expect(check.passes).toBe(0);
    check.start();
    check.wake();
    check.wake();
    const stopped = check.stop();
    await check.finish();
    await stopped;
    expect(check.passes).toBe(1);
    check.wake();
    expect(check.passes).toBe(1);
  });

  it('still runs at every tick', async () => {
    jest.useFakeTimers();
    try {
      const check = new Gated(100);
      check.start();
      jest.advanceTimersByTime(100);
      expect(check.passes).toBe(1);
      jest.advanceTimersByTime(100);
      expect(check.passes).toBe(1); // the pass under way is not doubled
      jest.useRealTimers();
      await check.finish();
      await check.stop();
    } finally {
      jest.useRealTimers();
    }
  });
  it('says when its passes keep failing (from the second in a row), and forgets it after a pass that goes through', async () => {
    let failing = true;
    const errors: unknown[] = [];
    const check = new (class extends PeriodicCheck {
      constructor() {
        super({ intervalMs: 60_000, onError: (error) => errors.push(error) });
      }
      async check(): Promise<number> {
        if (failing) throw new Error('database or disk is full');
        return 1;
      }
    })();
    check.start();
    const pass = async () => {
      check.wake();
      await check.stop().then(() => check.start());
    };
    await pass();
    expect(check.failure()).toBeNull();
    await pass();
    expect(check.failure()).toMatchObject({ attempts: 2, error: 'database or disk is full', since: expect.any(String), nextRetryAt: expect.any(String) });
    failing = false;
    await pass();
    expect(check.failure()).toBeNull();
    expect(errors).toHaveLength(2);
    await check.stop();
  });
});
