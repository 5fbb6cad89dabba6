import { WorkOrderCommandExecutor, WorkOrderSlaBreachRecorder } from '@app/after-sales';
import { Clock, ComplaintCommandExecutor, SlaMonitor } from '@app/complaints';
import { CustomerFileMergeCompletion, CustomerFileMergeMonitor } from '@app/customers';
import { describeLoopFailure } from '@app/event-sourcing';
import type { EventStore } from '@app/event-store';
import { Lease, handEditedLeaseProblem, leaseHolderIsGone, leaseHolderName, shownLeaseHolder, syncBackgroundProblems } from '@app/projections';
import { CustomerFilesQuery, ReadModelReader, SlaQuery, WorkOrderSlaMonitor, WorkOrderSlaQuery } from '@app/read-models';
import type { ReadStore } from '@app/read-store';
import type { ApiConfig } from '../config/api-config';
import { NotifierThread, type NotifierControl } from '../notifications/notifier-thread';
import { createNotifier } from '../notifications/notifications.providers';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { storeSettingsOf } from '../workers/worker-thread';
import { ProjectionWorker, type ProjectionProgress, type ProjectorLeaseState, type ProjectorState } from './projection-worker';

/** The lease every process that projects takes: API instances (in-process, inline) and apps/projector exclude each other. */
export const PROJECTOR_LEASE = 'projector';
const MERGE_MONITOR_INTERVAL_MS = 5_000;
const WAITING_RETRY_MS = 1_000;
/** How often the holder compares what it records as failing beside the projections with what it sees (a read; a write only on a change). */
const PROBLEMS_RECORD_MS = 1_000;
/** How often the holder looks whether the checkpoint fence stopped its runner (a read of its state in memory). */
const FENCE_CHECK_MS = 200;

export type ProjectorLog = (component: string, level: 'info' | 'warn' | 'error', message: string) => void;

/** What the work under the lease is made of; the API takes them from its container, apps/projector builds them. */
export interface LeasedProjectorParts {
  readonly config: ApiConfig;
  readonly events: EventStore;
  readonly readStore: ReadStore;
  readonly clock: Clock;
  readonly reader: ReadModelReader;
  readonly complaints: ComplaintCommandExecutor;
  readonly workOrders: WorkOrderCommandExecutor;
  readonly merges: CustomerFileMergeCompletion;
  /** worker: the runner is a ProjectionWorker; inline: a ProjectionRunner on this thread. */
  readonly mode: 'worker' | 'inline';
  /** A new runner each time the lease is taken (a stopped runner does not start again). */
  readonly runner: () => ProjectionProgress;
  readonly log: ProjectorLog;
}

interface Running {
  readonly runner: ProjectionProgress;
  readonly stops: Array<() => Promise<void>>;
  /** What each piece of work beside the runner says is failing (see problems()). */
  readonly problems: Array<() => string[]>;
}

/**
 * The projections and what runs beside them only once per deployment (the SLA monitors, the
 * completion of customer-file merges, notifications, webhook delivery), run while this process holds
 * the `projector` lease in the read store. The API (PROJECTIONS=in-process or inline) and apps/projector
 * take the same lease, so however many of them share a store, one projects and the others wait,
 * taking over within LEASE_TTL_MS when it stops renewing, at once when it gives the lease up (a
 * graceful stop), and at once too when it ran on this host and its process is gone (kill -9).
 */
export class LeasedProjector {
  readonly holder = leaseHolderName();
  private readonly lease: Lease;
  private running: Running | undefined;
  private startError: { readonly at: string; readonly message: string } | null = null;
  private closing = false;
  private drain: ((runner: ProjectionProgress) => Promise<void>) | undefined;
  /** Whether the lease's state at the start was logged: what changes after it is a handover. */
  private handovers = false;

  constructor(private readonly parts: LeasedProjectorParts) {
    const { config, readStore, log } = parts;
    this.lease = new Lease(readStore, {
      name: PROJECTOR_LEASE,
      holder: this.holder,
      ttlMs: config.leaseTtlMs,
      renewMs: Math.floor(config.leaseTtlMs / 3),
      // A standby tries every second: it takes over about a second after a graceful stop or a kill -9 on this host.
      retryMs: Math.min(WAITING_RETRY_MS, Math.floor(config.leaseTtlMs / 3)),
      holderIsGone: leaseHolderIsGone,
      start: () => this.start(),
      stop: () => this.stop(),
      // The first state is the start's; every change after it is a handover, which an operator wants to see at the default level.
      onChange: (state, detail) => {
        log('lease', this.handovers ? 'warn' : 'info', detail);
        this.handovers = true;
        // A try went through and another holds the lease, or the store holds it back: what failed before (a damaged rm_leases, since mended) is over.
        if (state === 'waiting') this.startError = null;
      },
      onError: (error) => {
        const message = String((error as Error)?.message ?? error);
        // Said once while it lasts (a damaged rm_leases fails every try, each second while waiting), again once it changes or the work started meanwhile.
        if (message !== this.startError?.message) log('lease', 'error', message);
        this.startError = { at: new Date().toISOString(), message };
      },
    });
  }

  /** Takes the lease at once if nobody holds it (a fresh store: the projections start before this resolves), else waits in the background. */
  begin(): Promise<void> {
    return this.lease.begin();
  }

  get isActive(): boolean {
    return this.lease.isActive;
  }

  /** The runner while this process holds the lease; undefined while another process projects. */
  runner(): ProjectionProgress | undefined {
    return this.lease.isActive ? this.running?.runner : undefined;
  }

  /** How the projections do, seen from this process: running here, or waiting for the one that runs them. */
  state(): ProjectorState {
    const runner = this.runner();
    if (runner instanceof ProjectionWorker) return runner.state();
    if (runner) return { mode: 'inline', state: 'running', restarts: 0, lastCrash: null };
    if (this.closing) return { mode: this.parts.mode, state: 'stopped', restarts: 0, lastCrash: null };
    // Not holding it: fine while another process does; not when nobody does because the work failed to start here.
    const failed = this.lease.heldBy === null && this.startError !== null;
    return { mode: this.parts.mode, state: failed ? 'stopped' : 'waiting', restarts: 0, lastCrash: failed ? this.startError : null };
  }

  /**
   * The work beside the projections that keeps failing here (the SLA monitors, the merge completion,
   * notifications, webhook delivery): each retries by itself, and says so here meanwhile, for /health.
   */
  problems(): string[] {
    return this.lease.isActive ? (this.running?.problems ?? []).flatMap((problems) => problems()) : [];
  }

  /** The lease row when a hand-edited holder keeps it (no process runs the projections meanwhile), named with its mend, for /health. */
  leaseProblems(): string[] {
    const problem = handEditedLeaseProblem(PROJECTOR_LEASE, this.lease.heldBy);
    return problem === undefined ? [] : [problem];
  }

  leaseState(): ProjectorLeaseState {
    const heldBy = this.lease.heldBy;
    // heldBy is what the last try read (every second while waiting): a holder killed since stays named until the next try takes over.
    const heldByGone = heldBy !== null && heldBy !== this.holder && leaseHolderIsGone(heldBy);
    // The store's text, shown without a token: a name of another shape (edited by hand) is one fixed word (shownLeaseHolder).
    return { name: PROJECTOR_LEASE, state: this.lease.isActive ? 'active' : 'waiting', holder: this.holder, heldBy: heldBy === null ? null : shownLeaseHolder(heldBy), heldByGone };
  }

  /**
   * A graceful stop: stops delivery and the monitors, lets the runner reach `drain.to()` if asked (bounded
   * by `drain.ms`, so a stuck store cannot hold the exit), stops it after its batch, and gives the lease up
   * so another instance takes over at once.
   */
  async close(drain?: { readonly to: () => Promise<number>; readonly ms: number }): Promise<void> {
    this.closing = true;
    if (drain) {
      this.drain = async (runner) => {
        await runner.waitForPosition(await drain.to(), drain.ms);
      };
    }
    await this.lease.close();
  }

  private async start(): Promise<void> {
    const { config, events, readStore, clock, reader, log } = this.parts;
    const stops: Array<() => Promise<void>> = [];
    const problems: Array<() => string[]> = [];
    const runner = this.parts.runner();
    this.running = { runner, stops, problems };
    this.startError = null;
    // Stopped too if its start fails half-way (a worker thread of two started).
    stops.push(() => runner.stop());
    await runner.start();
    stops.push(this.watchFence(runner));
    stops.push(this.recordProblems(problems));
    const monitor = new SlaMonitor(new SlaQuery(reader), this.parts.complaints, clock, {
      intervalMs: config.slaMonitorIntervalMs, warnBefore: config.slaWarnBefore, onError: (error) => log('sla-monitor', 'error', String(error)),
    });
    const workOrderMonitor = new WorkOrderSlaMonitor(new WorkOrderSlaQuery(reader), new WorkOrderSlaBreachRecorder(this.parts.workOrders), () => clock.now(), {
      intervalMs: config.slaMonitorIntervalMs, onError: (error) => log('work-order-sla-monitor', 'error', String(error)),
    });
    const merges = new CustomerFileMergeMonitor(new CustomerFilesQuery(reader), this.parts.merges, clock, {
      intervalMs: MERGE_MONITOR_INTERVAL_MS, onError: (error) => log('customer-file-merges', 'error', String(error)),
    });
    monitor.start();
    workOrderMonitor.start();
    merges.start();
    stops.push(() => monitor.stop(), () => workOrderMonitor.stop(), () => merges.stop());
    for (const [name, check] of [['SLA monitor', monitor], ['work-order SLA monitor', workOrderMonitor], ['customer-file merge completion', merges]] as const) {
      problems.push(() => {
        const failure = check.failure();
        return failure ? [describeLoopFailure(name, failure)] : [];
      });
    }
    if (config.notifications?.enabled) {
      const notify = (level: 'info' | 'warn' | 'error', message: string) => log('notifications', level, message);
      // With the projections on a worker thread, the notifier gets one too: its reads, sends and commits leave the requests' thread alone.
      const notifier: NotifierControl = this.parts.mode === 'worker'
        ? new NotifierThread(storeSettingsOf(config), config.notifications, { log: notify })
        : createNotifier(events, readStore, clock, config.notifications, notify);
      await notifier.begin();
      stops.push(() => notifier.end());
      problems.push(() => notifier.problems());
    }
    const webhooks = new WebhookDispatcher(events, readStore, { settings: config.webhooks, now: () => clock.now(), log: (level, message) => log('webhooks', level, message) });
    stops.push(() => webhooks.stop());
    problems.push(() => webhooks.problems());
    await webhooks.start();
  }

  /**
   * Gives the lease up once the checkpoint fence stops the runner for good (another process wrote its generations: two held
   * the lease at once), so that this process does not hold the lease with nothing running; the next holder, this process or
   * another, starts a new runner from the checkpoints. Returns the stop.
   */
  private watchFence(runner: ProjectionProgress): () => Promise<void> {
    const timer = setInterval(() => {
      const fenced = runner.failing().filter((failure) => failure.fenced);
      if (fenced.length === 0) return;
      clearInterval(timer);
      void this.lease.giveUp(`its projections were stopped for good by the checkpoint fence (${fenced.map((failure) => failure.projection).join(', ')}: another process wrote them); the next holder starts them again from their checkpoints`);
    }, FENCE_CHECK_MS);
    timer.unref();
    return async () => clearInterval(timer);
  }

  /**
   * Keeps the record in the read store of what fails beside the projections equal to what this process
   * sees, for an API that runs none of it (its /health reads it). Compared with the store's record, not
   * with the last write: a holder that lost the lease may have written over it since. Returns the stop.
   */
  private recordProblems(problems: ReadonlyArray<() => string[]>): () => Promise<void> {
    const { readStore, clock, log } = this.parts;
    let failing = false;
    const sync = () => syncBackgroundProblems(readStore, this.holder, problems.flatMap((problem) => problem()), clock.now());
    let syncing: Promise<void> | undefined;
    const tick = () => {
      // A slow store: the next comparison waits for this one instead of racing it.
      if (syncing) return;
      syncing = sync().then(() => {
        failing = false;
      }, (error: unknown) => {
        // Once per streak: a read store that fails is named by the projections' own failures too.
        if (!failing) log('health', 'warn', `recording what fails beside the projections failed: ${String((error as Error)?.message ?? error)}`);
        failing = true;
      }).finally(() => {
        syncing = undefined;
      });
    };
    tick();
    const timer = setInterval(() => tick(), PROBLEMS_RECORD_MS);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await syncing;
    };
  }

  /** Stops in the reverse order: delivery and monitors first (their attempts in flight are recorded), the runner last, after its batch. */
  private async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    const [stopRunner, ...others] = running.stops;
    const fail = (error: unknown) => this.parts.log('lease', 'error', `stopping: ${String((error as Error)?.message ?? error)}`);
    for (const stop of others.reverse()) await stop().catch(fail);
    // On a graceful stop the read models catch up with every accepted command first (not when the lease was lost: another writes now).
    if (this.drain) await this.drain(running.runner).catch(fail);
    await stopRunner?.().catch(fail);
  }
}
