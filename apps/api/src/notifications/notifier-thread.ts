import { FailureStreak, describeLoopFailure } from '@app/event-sourcing';
import { SupervisedThread } from '../workers/supervised-thread';
import type { StoreSettings } from '../workers/worker-thread';
import type { NotificationConfig } from './notification-config';

/** What the lease's holder uses of a notifier, on this thread (Notifier) or on a worker thread (NotifierThread). */
export interface NotifierControl {
  begin(): Promise<void>;
  end(): Promise<void>;
  problems(): string[];
}

export interface NotifierThreadOptions {
  readonly log: (level: 'error' | 'warn' | 'info', message: string) => void;
  /** Restart delays after a crash: the first, doubled each time up to the last (default 500 ms to 30 s). */
  readonly restartDelayMs?: { readonly first: number; readonly max: number };
  /** How long end() waits for the thread to record its pass and close its stores before ending it. */
  readonly stopTimeoutMs?: number;
}

/**
 * The notifier on a worker thread of its own (docs/adr/0003, "The notifier off the main thread"): the
 * planner's reads of the log, the sender's reads of streams, its sends and its commits take no time of
 * the thread that answers requests. The guarantees are the notifier's own, unchanged: the outbox and its
 * checkpoints are in the read store, so a thread that crashes is started again (with backoff, SupervisedThread) and goes on
 * from them, planning nothing twice; /health names the crash until the new thread runs, and whatever the notifier
 * itself says is failing; end() lets the pass in progress record what it sent before the thread ends.
 */
export class NotifierThread implements NotifierControl {
  private readonly thread: SupervisedThread;
  private reported: readonly string[] = [];
  /** The last crash while the thread is being started again (null while it runs). */
  private readonly crash = new FailureStreak({ reportAfter: 1 });

  constructor(stores: StoreSettings, notifications: NotificationConfig, options: NotifierThreadOptions) {
    this.thread = new SupervisedThread({
      data: { stores, task: { kind: 'notifier', notifications } },
      name: "the notifier's thread",
      exited: 'the thread',
      ...(options.restartDelayMs ? { restartDelayMs: options.restartDelayMs } : {}),
      ...(options.stopTimeoutMs !== undefined ? { stopTimeoutMs: options.stopTimeoutMs } : {}),
      onReady: () => this.crash.succeeded(),
      onMessage: (message) => {
        if (message.type === 'problems') this.reported = message.problems;
        else if (message.type === 'log') options.log(message.level, message.message);
      },
      // What a thread that is gone said it failed at is not failing any more: the next one says again.
      onExit: () => {
        this.reported = [];
      },
      onCrash: ({ message, delayMs, inARow }) => {
        this.crash.failed(new Error(message), delayMs);
        options.log('error', `the notifier's thread crashed (crash ${inARow} in a row; started again in ${delayMs} ms): ${message}`);
      },
      onStopTimeout: () => options.log('warn', 'no clean stop of the notifier\'s thread in time; ending it'),
    });
  }

  /**
   * Resolves once the thread has opened its stores and started the planner and the sender; a thread that cannot start rejects it
   * (end() during begin() settles it: nothing runs, and begin() has nothing to wait for).
   */
  begin(): Promise<void> {
    return this.thread.start();
  }

  /** The notifier's problems, and the thread's crash while it is being started again. */
  problems(): string[] {
    const crash = this.crash.failure();
    return [...(crash ? [describeLoopFailure("notifications: the notifier's thread", crash)] : []), ...this.reported];
  }

  async end(): Promise<void> {
    await this.thread.stop();
  }

  /** Ends the thread at once, as a crash would (for tests and diagnosis): it is logged and started again. */
  async terminateThread(): Promise<void> {
    await this.thread.terminate();
  }
}
