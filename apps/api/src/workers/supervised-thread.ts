import type { ResourceLimits, Worker } from 'node:worker_threads';
import type { FromWorker, ReadSideWorkerData } from './read-side.messages';
import { READ_SIDE_WORKER, startWorkerThread, stopWorkerThread } from './worker-thread';

/** A thread that worked this long after its start has got past its crashes: the next one waits the first delay again. */
const HEALTHY_AFTER_MS = 60_000;

/** A crash of a thread that had started, told before the new thread is started (after `delayMs`). */
export interface ThreadCrash {
  readonly message: string;
  readonly delayMs: number;
  /** Crashes in a row, this one included (the count starts again after HEALTHY_AFTER_MS of work). */
  readonly inARow: number;
}

export interface SupervisedThreadOptions {
  /** What the thread does (cloned into it at each start). */
  readonly data: ReadSideWorkerData;
  /** The thread's entry file (default: the read-side worker; another one for tests of the supervision itself). */
  readonly entry?: string;
  /** The thread's heap (default: readSideHeap(), docs/adr/0011; a small one for tests of the supervision itself). */
  readonly resourceLimits?: ResourceLimits;
  /** Starts the errors of a start that failed: `${name} did not start: …`. */
  readonly name: string;
  /** Names the thread in its exit without an error: `${exited} exited with code 1`. */
  readonly exited: string;
  /** Restart delays after a crash: the first, doubled each time up to the last (default 500 ms to 30 s). */
  readonly restartDelayMs?: { readonly first: number; readonly max: number };
  /** How long stop() waits for the thread to finish its work and close its stores before ending it (default 15 s). */
  readonly stopTimeoutMs?: number;
  /** Every message of the thread but `ready`. */
  readonly onMessage: (message: FromWorker) => void;
  /** The thread (the first or a restarted one) has started. */
  readonly onReady: () => void;
  /** A thread ended, whatever the reason (before the crash, if it is one, is told). */
  readonly onExit?: () => void;
  readonly onCrash: (crash: ThreadCrash) => void;
  /** stop() ends the thread: it did not stop cleanly within stopTimeoutMs. */
  readonly onStopTimeout: () => void;
}

/**
 * One read-side worker thread, supervised: started with a wait for its `ready` (a thread that ends before
 * it rejects the start), started again with backoff after a crash (an exit once ready, an error such as
 * running out of its heap included: `onCrash` says which), and stopped with a bound. The projections'
 * threads (ProjectionWorker) and the notifier's (NotifierThread) are each one of these.
 */
export class SupervisedThread {
  private worker: Worker | undefined;
  private consecutiveCrashes = 0;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private crashedSinceReady = false;

  constructor(private readonly options: SupervisedThreadOptions) {}

  /** Whether a thread runs now (started or starting). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Whether the thread crashed and its successor is not ready yet. */
  get restarting(): boolean {
    return this.crashedSinceReady;
  }

  /**
   * Resolves once the thread is ready; a thread that ends before rejects it (or resolves it, if stop() ended
   * it: nothing runs then, and the start has nothing to wait for).
   */
  start(): Promise<void> {
    const worker = startWorkerThread(this.options.entry ?? READ_SIDE_WORKER, this.options.data, this.options.resourceLimits);
    this.worker = worker;
    this.startedAt = Date.now();
    let lastError: unknown;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          ready = true;
          this.crashedSinceReady = false;
          this.options.onReady();
          resolve();
        } else this.options.onMessage(message);
      });
      worker.on('error', (error) => {
        lastError = error;
      });
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = undefined;
        this.options.onExit?.();
        if (this.stopping) return resolve();
        const message = lastError !== undefined ? String((lastError as Error)?.stack ?? lastError) : `${this.options.exited} exited with code ${code}`;
        if (!ready) reject(new Error(`${this.options.name} did not start: ${message}`));
        else this.crashed(message);
      });
    });
  }

  private crashed(message: string): void {
    if (Date.now() - this.startedAt >= HEALTHY_AFTER_MS) this.consecutiveCrashes = 0;
    const { first, max } = this.options.restartDelayMs ?? { first: 500, max: 30_000 };
    const delayMs = Math.min(max, first * 2 ** this.consecutiveCrashes);
    this.consecutiveCrashes += 1;
    this.crashedSinceReady = true;
    this.options.onCrash({ message, delayMs, inARow: this.consecutiveCrashes });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.start().catch((error: unknown) => this.crashed(String((error as Error)?.message ?? error)));
    }, delayMs);
  }

  /** Asks the thread to stop (its work in hand is finished and recorded first) and waits, up to stopTimeoutMs; no restart after it. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    await stopWorkerThread(worker, this.options.stopTimeoutMs ?? 15_000, this.options.onStopTimeout);
  }

  /** Ends the thread at once, as a crash would (for tests and diagnosis): it is told and started again. */
  async terminate(): Promise<void> {
    await this.worker?.terminate();
  }
}
