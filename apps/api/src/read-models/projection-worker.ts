import { catchUpWait, waitForCatchUp, type CatchUpWait, type ProjectionFailure } from '@app/projections';
import type { ProjectionPositions, ReadSideWorkerData } from '../workers/read-side.messages';
import { SupervisedThread } from '../workers/supervised-thread';
import type { StoreSettings } from '../workers/worker-thread';

/** What the API uses of a projection runner, whether it runs on this thread or on a worker. */
export interface ProjectionProgress {
  start(): Promise<void>;
  stop(): Promise<void>;
  position(): number;
  positions(): ProjectionPositions;
  /** The projections that threw and wait for their retry (each at its checkpoint; the others go on). */
  failing(): ProjectionFailure[];
  /** Waits until every projection that is not failing has reached `position` (or the timeout); the lowest position of all. */
  waitForPosition(position: number, timeoutMs: number): Promise<number>;
  /** Resolves once every projection has caught up; gives up when they stop moving (ProjectionRunner.caughtUp). */
  caughtUp(wait?: number | CatchUpWait): Promise<void>;
}

/** How the projections of this process are doing, for /health and the read-side status. */
export interface ProjectorState {
  /** worker: a worker thread of this process; inline: this process's main thread; external: apps/projector. */
  readonly mode: 'worker' | 'inline' | 'external';
  /**
   * `elsewhere`: this process runs no projection (PROJECTIONS=external); the read models' lag tells how
   * the projector does. `waiting`: it would, but another instance holds the projector lease and projects.
   */
  readonly state: 'starting' | 'running' | 'restarting' | 'stopped' | 'elsewhere' | 'waiting';
  /** Crashes of the worker since the process started (each is logged and followed by a restart). */
  readonly restarts: number;
  readonly lastCrash: { readonly at: string; readonly message: string } | null;
}

/** The projector lease seen from this process (not with PROJECTIONS=external). */
export interface ProjectorLeaseState {
  readonly name: string;
  /** active: this process holds it and projects; waiting: another process does (or nobody, for a moment). */
  readonly state: 'active' | 'waiting';
  /** This process's holder name (host:pid:random). */
  readonly holder: string;
  /** Who holds it now; null: nobody. */
  readonly heldBy: string | null;
  /** The holder ran on this host and its process is gone (kill -9): the next try, within a second, takes the lease over. */
  readonly heldByGone: boolean;
}

export interface ProjectionWorkerOptions {
  readonly log: (level: 'error' | 'warn' | 'info', message: string) => void;
  /** Restart delays after a crash: the first, doubled each time up to the last; reset after a minute of work. */
  readonly restartDelayMs?: { readonly first: number; readonly max: number };
  /** How long stop() waits for the worker to commit its batch and close its stores before ending it. */
  readonly stopTimeoutMs?: number;
}

/** One worker thread and the projections it runs (undefined: all of them). */
interface Thread {
  readonly names: readonly string[] | undefined;
  readonly supervised: SupervisedThread;
}

/**
 * The ProjectionRunner on worker threads, seen from the main thread: the same surface the API used
 * on the runner (positions, read-your-writes waits, caught-up, stop), fed by the positions the
 * workers post after each commit. With several groups, each thread runs its own projections
 * (PROJECTION_THREADS: both cores work on a catch-up). A worker that crashes is logged, reported in
 * `state()`, and started again with backoff (SupervisedThread); it continues from the committed checkpoints, so
 * nothing is lost or applied twice.
 */
export class ProjectionWorker implements ProjectionProgress {
  private readonly threads: Thread[];
  private known: ProjectionPositions = {};
  private readonly waiters = new Set<{ position: number; wake: () => void }>();
  private status: ProjectorState = { mode: 'worker', state: 'starting', restarts: 0, lastCrash: null };
  private stopping = false;

  /** `groups`: the projection names of each thread (default: one thread runs every projection). */
  constructor(
    private readonly stores: StoreSettings,
    private readonly options: ProjectionWorkerOptions,
    groups?: readonly (readonly string[])[],
  ) {
    this.threads = (groups ?? [undefined]).map((names) => this.thread(names));
  }

  private thread(names: readonly string[] | undefined): Thread {
    const data: ReadSideWorkerData = { stores: this.stores, task: { kind: 'projections', ...(names ? { names } : {}) } };
    const thread: Thread = {
      names,
      supervised: new SupervisedThread({
        data,
        name: 'the projection worker',
        exited: 'the worker thread',
        ...(this.options.restartDelayMs ? { restartDelayMs: this.options.restartDelayMs } : {}),
        ...(this.options.stopTimeoutMs !== undefined ? { stopTimeoutMs: this.options.stopTimeoutMs } : {}),
        onReady: () => {
          if (this.threads.every((each) => each.supervised.running && !each.supervised.restarting)) this.status = { ...this.status, state: 'running' };
        },
        onMessage: (message) => {
          if (message.type === 'positions' || message.type === 'stopped') this.update(message.positions);
          else if (message.type === 'log') this.options.log(message.level, message.message);
        },
        onCrash: ({ message, delayMs }) => this.crashed(thread, message, delayMs),
        onStopTimeout: () => this.options.log('warn', 'projection worker: no clean stop in time; ending the thread'),
      }),
    };
    return thread;
  }

  /** Resolves once every worker has opened its stores and started its runner; a worker that cannot start rejects it. */
  async start(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.supervised.start()));
  }

  private crashed(thread: Thread, message: string, delay: number): void {
    this.status = { ...this.status, state: 'restarting', restarts: this.status.restarts + 1, lastCrash: { at: new Date().toISOString(), message } };
    // Not caught up any more: a query waits for the restarted worker, which continues from the checkpoints.
    const mine = (name: string) => thread.names === undefined || thread.names.includes(name);
    this.known = Object.fromEntries(Object.entries(this.known).map(([name, state]) => [name, mine(name) ? { ...state, caughtUp: false } : state]));
    this.options.log('error', `projection worker crashed (restart ${this.status.restarts} in ${delay} ms): ${message}`);
  }

  private update(positions: ProjectionPositions): void {
    // Positions only rise (a restarted worker reports its checkpoints, which are the committed positions).
    const merged: ProjectionPositions = { ...this.known };
    for (const [name, state] of Object.entries(positions)) {
      merged[name] = { position: Math.max(state.position, merged[name]?.position ?? 0), caughtUp: state.caughtUp, ...(state.failure ? { failure: state.failure } : {}) };
    }
    this.known = merged;
    const reached = this.runningPosition();
    for (const waiter of [...this.waiters]) if (reached >= waiter.position) waiter.wake();
  }

  /** Stops after the batch in progress is committed (each worker's runner.stop), then ends the threads. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.threads.map((thread) => thread.supervised.stop()));
    this.status = { ...this.status, state: 'stopped' };
    for (const waiter of [...this.waiters]) waiter.wake();
  }

  /** Ends the first worker thread at once, as a crash would (for tests and diagnosis): it is logged and restarted. */
  async terminateThread(): Promise<void> {
    await this.threads[0]?.supervised.terminate();
  }

  state(): ProjectorState {
    return this.status;
  }

  /** The lowest position of all projections; 0 until every thread has told where its projections are. */
  position(): number {
    if (!this.allReported()) return 0;
    const positions = Object.values(this.known).map((state) => state.position);
    return positions.length === 0 ? 0 : Math.min(...positions);
  }

  positions(): ProjectionPositions {
    return Object.fromEntries(Object.entries(this.known).map(([name, state]) => [name, { ...state }]));
  }

  failing(): ProjectionFailure[] {
    return Object.values(this.known).flatMap((state) => (state.failure ? [state.failure] : []));
  }

  /** The lowest position of the projections that are not failing; 0 until every thread has told where its projections are. */
  private runningPosition(): number {
    if (!this.allReported()) return 0;
    // One the store stopped is waited for (its relaunch may well mend it); one failing on its own fault is not.
    const positions = Object.values(this.known).filter((state) => !state.failure || state.failure.transient).map((state) => state.position);
    return positions.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...positions);
  }

  async waitForPosition(position: number, timeoutMs: number): Promise<number> {
    if (this.runningPosition() >= position || this.stopping) return this.position();
    await new Promise<void>((resolve) => {
      const waiter = {
        position,
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, Math.max(0, timeoutMs));
      this.waiters.add(waiter);
    });
    return this.position();
  }

  /** Whether every thread has told its positions at least once (one that has not would be missing from `known`). */
  private allReported(): boolean {
    const names = Object.keys(this.known);
    if (names.length === 0) return false;
    return this.threads.every((thread) => thread.names === undefined || thread.names.every((name) => names.includes(name)));
  }

  /** As the runner's own caughtUp: gives up once no projection has moved for the stall limit (or at the deadline), not when the catch-up is slow. */
  async caughtUp(wait?: number | CatchUpWait): Promise<void> {
    await waitForCatchUp(() => {
      if (this.allReported() && Object.values(this.known).every((state) => state.caughtUp)) return { caughtUp: true, positions: {} };
      // As the runner's own caughtUp: a waiter stops polling once the worker is being stopped.
      if (this.stopping) throw new Error('the projection worker stopped before it caught up');
      // As the runner's: a projection failing on its own fault will not catch up by waiting (one the store stopped may: its relaunch can mend it).
      const failure = this.failing().find((each) => !each.transient);
      if (failure) throw new Error(`projection ${failure.projection} failed at position ${failure.failedPosition}${failure.eventType ? ` (${failure.eventType})` : ''}: ${failure.error}`);
      return { caughtUp: false, positions: this.known };
    }, catchUpWait(wait));
  }
}
