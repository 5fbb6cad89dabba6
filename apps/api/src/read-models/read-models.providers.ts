import { join } from 'node:path';
import { BlobStore } from '@app/blob-store';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type FactoryProvider, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { WorkOrderCommandExecutor, WorkOrderSlaBreachRecorder } from '@app/after-sales';
import { Clock, ComplaintCommandExecutor, SlaMonitor } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { ProjectionRunner, generationOf, type Projection } from '@app/projections';
import { storeSettingsOf } from '../workers/worker-thread';
import { AsOfJobs } from '../analytics/as-of-jobs';
import { ProjectionWorker, type ProjectionProgress, type ProjectorState } from './projection-worker';
import {
  ALL_PROJECTIONS, projectionGroups, AuditDecisionsQuery, ComplaintListQuery, ComplaintStatsQuery, CustomerFilesQuery, CustomerLoyaltyQuery, ReadModelReader, RepairFeesQuery, RepairHistoryQuery, RepairStatsQuery,
  SlaQuery, SurveyListQuery, WorkOrderListQuery, WorkOrderSlaMonitor, WorkOrderSlaQuery, erasesPersonalData,
} from '@app/read-models';
import { CustomerFileMergeCompletion, CustomerFileMergeMonitor } from '@app/customers';
import { IdempotencyStore, ReadStore, SqliteReadStore, generationCollection } from '@app/read-store';
import { AccessControl } from '../access/access-control.service';
import { TamperEvidence } from '../audit/tamper-evidence';
import type { ApiConfig } from '../config/api-config';
import { ReadModelPosition } from './read-model-position';
import { ReadModelResponder } from './read-model-responder';
import { noteLiveRead } from './read-dependencies';
import { WEBHOOK_DISPATCHER } from '../webhooks/webhook-providers';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';

export const PROJECTION_RUNNER = Symbol('ProjectionRunner');
const SHUTDOWN_DRAIN_MS = 10_000;
const MERGE_MONITOR_INTERVAL_MS = 5_000;
export const SLA_MONITOR = Symbol('SlaMonitor');
export const WORK_ORDER_SLA_MONITOR = Symbol('WorkOrderSlaMonitor');
export const MERGE_MONITOR = Symbol('CustomerFileMergeMonitor');
/** How the projections of this process are doing: `() => ProjectorState`. */
export const PROJECTOR_STATE = Symbol('ProjectorState');

/**
 * The read store, given or the embedded one. Provided with the infrastructure (global): the erasure
 * completion of the customers module asks it to forget what an erasure replaced (docs/adr/0019).
 */
export function readStoreProvider(config: ApiConfig, readStore?: ReadStore): FactoryProvider<ReadStore> {
  return { provide: ReadStore, useFactory: () => readStore ?? new SqliteReadStore({ filename: join(config.dataDir, 'read.sqlite') }) };
}

/** The read side: queries, and (in-process) the projections and the SLA monitors, over the read store (readStoreProvider). */
export function readModelProviders(config: ApiConfig, projections: readonly Projection[] = ALL_PROJECTIONS): Provider[] {
  const logger = new Logger('Projections');
  const analytics = new Logger('Analytics');
  return [
    { provide: ReadModelReader, useFactory: (store: ReadStore) => new ReadModelReader(store, ALL_PROJECTIONS, noteLiveRead), inject: [ReadStore] },
    { provide: ComplaintListQuery, useFactory: (reader: ReadModelReader) => new ComplaintListQuery(reader), inject: [ReadModelReader] },
    { provide: SlaQuery, useFactory: (reader: ReadModelReader) => new SlaQuery(reader), inject: [ReadModelReader] },
    { provide: ComplaintStatsQuery, useFactory: (reader: ReadModelReader) => new ComplaintStatsQuery(reader), inject: [ReadModelReader] },
    { provide: CustomerLoyaltyQuery, useFactory: (reader: ReadModelReader) => new CustomerLoyaltyQuery(reader), inject: [ReadModelReader] },
    { provide: CustomerFilesQuery, useFactory: (reader: ReadModelReader) => new CustomerFilesQuery(reader), inject: [ReadModelReader] },
    { provide: AuditDecisionsQuery, useFactory: (reader: ReadModelReader, events: EventStore) => new AuditDecisionsQuery(reader, events), inject: [ReadModelReader, EventStore] },
    // The after-sales read side (the work-order SLA clocks are read by the work-order SLA monitor; the repair history has no route yet).
    { provide: WorkOrderListQuery, useFactory: (reader: ReadModelReader) => new WorkOrderListQuery(reader), inject: [ReadModelReader] },
    { provide: WorkOrderSlaQuery, useFactory: (reader: ReadModelReader) => new WorkOrderSlaQuery(reader), inject: [ReadModelReader] },
    { provide: RepairStatsQuery, useFactory: (reader: ReadModelReader) => new RepairStatsQuery(reader), inject: [ReadModelReader] },
    { provide: RepairFeesQuery, useFactory: (reader: ReadModelReader) => new RepairFeesQuery(reader), inject: [ReadModelReader] },
    { provide: RepairHistoryQuery, useFactory: (reader: ReadModelReader) => new RepairHistoryQuery(reader), inject: [ReadModelReader] },
    { provide: SurveyListQuery, useFactory: (reader: ReadModelReader) => new SurveyListQuery(reader), inject: [ReadModelReader] },
    {
      // in-process: the runner on a worker thread, which opens its own connections from the same settings;
      // inline: the runner on this thread, on the app's own stores.
      provide: PROJECTION_RUNNER,
      useFactory: (events: EventStore, store: ReadStore): ProjectionProgress | undefined => {
        if (config.projections === 'in-process') {
          const groups = config.projectionThreads > 1 ? projectionGroups(config.projectionThreads) : undefined;
          return new ProjectionWorker(storeSettingsOf(config), { log: (level, message) => logger[level === 'info' ? 'log' : level](message) }, groups);
        }
        if (config.projections === 'inline') {
          return new ProjectionRunner(events, store, projections, { forgetDeletedAfter: erasesPersonalData, onError: (name, error) => logger.error(`projection ${name} stopped: ${String((error as Error)?.stack ?? error)}`) });
        }
        return undefined;
      },
      inject: [EventStore, ReadStore],
    },
    {
      provide: PROJECTOR_STATE,
      useFactory: (runner: ProjectionProgress | undefined) => (): ProjectorState => {
        if (runner instanceof ProjectionWorker) return runner.state();
        return { mode: runner ? 'inline' : 'external', state: runner ? 'running' : 'elsewhere', restarts: 0, lastCrash: null };
      },
      inject: [PROJECTION_RUNNER],
    },
    {
      // Beside the projections (on this thread: it reads a read model and appends a few events a second).
      provide: SLA_MONITOR,
      useFactory: (sla: SlaQuery, executor: ComplaintCommandExecutor, clock: Clock) => (config.projections !== 'external'
        ? new SlaMonitor(sla, executor, clock, { intervalMs: config.slaMonitorIntervalMs, warnBefore: config.slaWarnBefore, onError: (error) => logger.error(`SLA monitor: ${String(error)}`) })
        : undefined),
      inject: [SlaQuery, ComplaintCommandExecutor, Clock],
    },
    {
      // The same for work orders: breaches recorded through the work-order decider as the system actor.
      provide: WORK_ORDER_SLA_MONITOR,
      useFactory: (sla: WorkOrderSlaQuery, executor: WorkOrderCommandExecutor, clock: Clock) => (config.projections !== 'external'
        ? new WorkOrderSlaMonitor(sla, new WorkOrderSlaBreachRecorder(executor), () => clock.now(), {
          intervalMs: config.slaMonitorIntervalMs, onError: (error) => logger.error(`work-order SLA monitor: ${String(error)}`),
        })
        : undefined),
      inject: [WorkOrderSlaQuery, WorkOrderCommandExecutor, Clock],
    },
    {
      // Beside the projections too: completes a merge whose survivor's half was not recorded (docs/adr/0013).
      provide: MERGE_MONITOR,
      useFactory: (files: CustomerFilesQuery, completion: CustomerFileMergeCompletion, clock: Clock) => (config.projections !== 'external'
        ? new CustomerFileMergeMonitor(files, completion, clock, { intervalMs: MERGE_MONITOR_INTERVAL_MS, onError: (error) => logger.error(`customer file merges: ${String(error)}`) })
        : undefined),
      inject: [CustomerFilesQuery, CustomerFileMergeCompletion, Clock],
    },
    { provide: ReadModelPosition, useFactory: (store: ReadStore, runner: ProjectionProgress | undefined) => new ReadModelPosition(store, runner), inject: [ReadStore, PROJECTION_RUNNER] },
    { provide: ReadModelResponder, useFactory: (position: ReadModelPosition, events: EventStore) => new ReadModelResponder(position, events), inject: [ReadModelPosition, EventStore] },
    {
      // Analyst jobs (as-of generations): on a worker thread each, except with PROJECTIONS=inline.
      provide: AsOfJobs,
      useFactory: (events: EventStore, store: ReadStore) => new AsOfJobs(events, store, storeSettingsOf(config), config.projections === 'inline' ? 'inline' : 'worker', (level, message) => analytics[level === 'info' ? 'log' : level](message)),
      inject: [EventStore, ReadStore],
    },
    ProcessLifecycle,
  ];
}

/** Starts the projector with the app; on shutdown stops it after its batch, then closes the stores. */
@Injectable()
export class ProcessLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly idempotency: IdempotencyStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionProgress | undefined,
    @Inject(SLA_MONITOR) private readonly monitor: SlaMonitor | undefined,
    @Inject(WORK_ORDER_SLA_MONITOR) private readonly workOrderMonitor: WorkOrderSlaMonitor | undefined,
    @Inject(MERGE_MONITOR) private readonly merges: CustomerFileMergeMonitor | undefined,
    private readonly access: AccessControl,
    private readonly evidence: TamperEvidence,
    private readonly asOfJobs: AsOfJobs,
    private readonly blobs: BlobStore,
    @Inject(WEBHOOK_DISPATCHER) private readonly webhooks: WebhookDispatcher | undefined,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.runner) await this.runner.start();
    else {
      // External projector: the collections exist (empty) before it first runs, so queries answer empty lists.
      await this.readStore.ensureCollections(ALL_PROJECTIONS.flatMap((projection) => projection.collections.map((spec) => ({ ...spec, name: generationCollection(generationOf(projection), spec.name) }))));
    }
    this.monitor?.start();
    this.workOrderMonitor?.start();
    this.merges?.start();
    await this.webhooks?.start();
    this.evidence.start();
    // Half-built as-of generations of a process that died (this one, before a restart) are dropped.
    await this.asOfJobs.sweep().catch((error: unknown) => new Logger('Analytics').error(`as-of sweep: ${String(error)}`));
  }

  /** HTTP is closed by now (Nest closes it before these hooks): no command can arrive any more. */
  async onApplicationShutdown(): Promise<void> {
    // A running analyst job is cancelled and its half-built generation dropped: jobs do not outlive the process.
    await this.asOfJobs.close();
    await this.monitor?.stop();
    await this.workOrderMonitor?.stop();
    await this.merges?.stop();
    // The attempts in flight end and are recorded before the stores close.
    await this.webhooks?.stop();
    // A graceful stop leaves the read models caught up with every accepted command (bounded, so a stuck store cannot hold the exit).
    if (this.runner) await this.runner.waitForPosition(await this.eventStore.headPosition(), SHUTDOWN_DRAIN_MS);
    await this.runner?.stop();
    // The last seal covers every event this process and its SLA monitors wrote.
    await this.evidence.stop();
    await this.access.close();
    await this.eventStore.close();
    await this.readStore.close();
    await this.idempotency.close();
    await this.blobs.close();
  }
}
