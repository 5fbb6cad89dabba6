import type { Worker } from 'node:worker_threads';
import { FailureStreak, describeLoopFailure } from '@app/event-sourcing';
import type { FromWorker, ReadSideWorkerData } from '../workers/read-side.messages';
import { READ_SIDE_WORKER, startWorkerThread, stopWorkerThread, type StoreSettings } from '../workers/worker-thread';
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

/** A thread that worked this long after its start has got past its crashes: the next one waits the first delay again. */
const HEALTHY_AFTER_MS = 60_000;

/**
 * The notifier on a worker thread of its own (docs/adr/0003, "The notifier off the main thread"): the
 * planner's reads of the log, the sender's reads of streams, its sends and its commits take no time of
 * the thread that answers requests. The guarantees are the notifier's own, unchanged: the outbox and its
 * checkpoints are in the read store, so a thread that crashes is started again (with backoff) and goes on
 * from them, planning nothing twice; /health names the crash until the new thread runs, and whatever the notifier
 * itself says is failing; end() lets the pass in progress record what it sent before the thread ends.
 */
export class NotifierThread implements NotifierControl {
  private worker: Worker | undefined;
  private reported: readonly string[] = [];
  /** The last crash while the thread is being started again (null while it runs). */
  private readonly crash = new FailureStreak({ reportAfter: 1 });
  /** Crashes in a row, for the backoff: a thread that worked HEALTHY_AFTER_MS starts the count again. */
  private consecutiveCrashes = 0;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    private readonly stores: StoreSettings,
    private readonly notifications: NotificationConfig,
    private readonly options: NotifierThreadOptions,
  ) {}

  /** Resolves once the thread has opened its stores and started the planner and the sender; a thread that cannot start rejects it. */
  begin(): Promise<void> {
    return this.launch();
  }

  /** The notifier's problems, and the thread's crash while it is being started again. */
  problems(): string[] {
    const crash = this.crash.failure();
    return [...(crash ? [describeLoopFailure("notifications: the notifier's thread", crash)] : []), ...this.reported];
  }

  async end(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    await stopWorkerThread(worker, this.options.stopTimeoutMs ?? 15_000, () => this.options.log('warn', 'no clean stop of the notifier\'s thread in time; ending it'));
  }

  /** Ends the thread at once, as a crash would (for tests and diagnosis): it is logged and started again. */
  async terminateThread(): Promise<void> {
    await this.worker?.terminate();
  }

  private launch(): Promise<void> {
    const data: ReadSideWorkerData = { stores: this.stores, task: { kind: 'notifier', notifications: this.notifications } };
    const worker = startWorkerThread(READ_SIDE_WORKER, data);
    this.worker = worker;
    this.startedAt = Date.now();
    let lastError: unknown;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          ready = true;
          this.crash.succeeded();
          resolve();
        } else if (message.type === 'problems') this.reported = message.problems;
        else if (message.type === 'log') this.options.log(message.level, message.message);
      });
      worker.on('error', (error) => {
        lastError = error;
      });
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = undefined;
        // What a thread that is gone said it failed at is not failing any more: the next one says again.
        this.reported = [];
        // Stopped before it was ready (end() during begin()): nothing runs, and begin() has nothing to wait for.
        if (this.stopping) return resolve();
        const message = lastError !== undefined ? String((lastError as Error)?.stack ?? lastError) : `the thread exited with code ${code}`;
        if (!ready) reject(new Error(`the notifier's thread did not start: ${message}`));
        else this.crashed(message);
      });
    });
  }

  private crashed(message: string): void {
    if (Date.now() - this.startedAt >= HEALTHY_AFTER_MS) this.consecutiveCrashes = 0;
    const { first, max } = this.options.restartDelayMs ?? { first: 500, max: 30_000 };
    const delay = Math.min(max, first * 2 ** this.consecutiveCrashes);
    this.consecutiveCrashes += 1;
    this.crash.failed(new Error(message), delay);
    this.options.log('error', `the notifier's thread crashed (crash ${this.consecutiveCrashes} in a row; started again in ${delay} ms): ${message}`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.launch().catch((error: unknown) => this.crashed(String((error as Error)?.message ?? error)));
    }, delay);
  }
}
