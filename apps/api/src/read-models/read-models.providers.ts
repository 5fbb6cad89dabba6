import { join } from 'node:path';
import { BlobStore } from '@app/blob-store';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type FactoryProvider, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { WorkOrderCommandExecutor } from '@app/after-sales';
import { Clock, ComplaintCommandExecutor } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { ProjectionRunner, generationOf, type Projection } from '@app/projections';
import { storeSettingsOf } from '../workers/worker-thread';
import { AsOfJobs } from '../analytics/as-of-jobs';
import { ProjectionWorker, type ProjectorState } from './projection-worker';
import { LeasedProjector } from './leased-projector';
import {
  ALL_PROJECTIONS, projectionGroups, AuditDecisionsQuery, ComplaintListQuery, ComplaintStatsQuery, CustomerFilesQuery, CustomerLoyaltyQuery, ReadModelReader, RepairFeesQuery, RepairHistoryQuery, RepairStatsQuery,
  SlaQuery, SurveyListQuery, WorkOrderListQuery, WorkOrderSlaQuery, erasesPersonalData,
} from '@app/read-models';
import { CustomerFileMergeCompletion } from '@app/customers';
import { IdempotencyStore, ReadStore, SqliteReadStore, generationCollection } from '@app/read-store';
import { AccessControl } from '../access/access-control.service';
import { TamperEvidence } from '../audit/tamper-evidence';
import type { ApiConfig } from '../config/api-config';
import { ReadModelPosition } from './read-model-position';
import { ReadModelResponder } from './read-model-responder';
import { noteAsOfRead, noteLiveRead } from './read-dependencies';

/** The projections of this process under the projector lease: `LeasedProjector | undefined` (none with PROJECTIONS=external). */
export const IN_PROCESS_PROJECTOR = Symbol('LeasedProjector');
const SHUTDOWN_DRAIN_MS = 10_000;
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
    { provide: ReadModelReader, useFactory: (store: ReadStore) => new ReadModelReader(store, ALL_PROJECTIONS, noteLiveRead, noteAsOfRead), inject: [ReadStore] },
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
      // inline: the runner on this thread, on the app's own stores. Either runs, with the SLA monitors, the
      // merge completion, notifications and webhook delivery, only while this process holds the projector lease.
      provide: IN_PROCESS_PROJECTOR,
      useFactory: (events: EventStore, store: ReadStore, clock: Clock, reader: ReadModelReader, complaints: ComplaintCommandExecutor, workOrders: WorkOrderCommandExecutor, merges: CustomerFileMergeCompletion): LeasedProjector | undefined => {
        if (config.projections === 'external') return undefined;
        const log = (component: string, level: 'info' | 'warn' | 'error', message: string) => logger[level === 'info' ? 'log' : level](component === 'projections' ? message : `${component}: ${message}`);
        const groups = config.projectionThreads > 1 ? projectionGroups(config.projectionThreads) : undefined;
        return new LeasedProjector({
          config, events, readStore: store, clock, reader, complaints, workOrders, merges, log, mode: config.projections === 'in-process' ? 'worker' : 'inline',
          runner: () => (config.projections === 'in-process'
            ? new ProjectionWorker(storeSettingsOf(config), { log: (level, message) => log('projections', level, message) }, groups)
            : new ProjectionRunner(events, store, projections, { forgetDeletedAfter: erasesPersonalData, onError: (name, error) => logger.error(`projection ${name} stopped: ${String((error as Error)?.stack ?? error)}`) })),
        });
      },
      inject: [EventStore, ReadStore, Clock, ReadModelReader, ComplaintCommandExecutor, WorkOrderCommandExecutor, CustomerFileMergeCompletion],
    },
    {
      provide: PROJECTOR_STATE,
      useFactory: (projector: LeasedProjector | undefined) => (): ProjectorState => projector?.state() ?? { mode: 'external', state: 'elsewhere', restarts: 0, lastCrash: null },
      inject: [IN_PROCESS_PROJECTOR],
    },
    // The runner's own positions while this process projects; the store's checkpoints while another does.
    { provide: ReadModelPosition, useFactory: (store: ReadStore, projector: LeasedProjector | undefined) => new ReadModelPosition(store, () => projector?.runner()), inject: [ReadStore, IN_PROCESS_PROJECTOR] },
    { provide: ReadModelResponder, useFactory: (position: ReadModelPosition, events: EventStore) => new ReadModelResponder(position, events), inject: [ReadModelPosition, EventStore] },
    {
      // Analyst jobs (as-of generations): on a worker thread each, except with PROJECTIONS=inline.
      provide: AsOfJobs,
      // The reader is told of the jobs, so that a read of a generation still queued or starting says so (not "build it", which a 409 would refuse).
      useFactory: (events: EventStore, store: ReadStore, reader: ReadModelReader) => {
        const jobs = new AsOfJobs(events, store, storeSettingsOf(config), config.projections === 'inline' ? 'inline' : 'worker', (level, message) => analytics[level === 'info' ? 'log' : level](message), config.asOfSweepIntervalMs);
        reader.followJobs((name) => jobs.pending(name));
        return jobs;
      },
      inject: [EventStore, ReadStore, ReadModelReader],
    },
    ProcessLifecycle,
  ];
}

/** Starts the projector with the app (or waits for the lease); on shutdown stops it after its batch and gives the lease up, then closes the stores. */
@Injectable()
export class ProcessLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly idempotency: IdempotencyStore,
    @Inject(IN_PROCESS_PROJECTOR) private readonly projector: LeasedProjector | undefined,
    private readonly access: AccessControl,
    private readonly evidence: TamperEvidence,
    private readonly asOfJobs: AsOfJobs,
    private readonly blobs: BlobStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // On a store nobody projects the lease is taken at once and the projections are started before this resolves.
    await this.projector?.begin();
    if (!this.projector?.isActive) {
      // Another process projects (apps/projector, or another instance): the collections exist (empty) before it first runs, so queries answer empty lists.
      await this.readStore.ensureCollections(ALL_PROJECTIONS.flatMap((projection) => projection.collections.map((spec) => ({ ...spec, name: generationCollection(generationOf(projection), spec.name) }))));
    }
    this.evidence.start();
    // Half-built as-of generations of a process that died (this one, before a restart) are dropped.
    await this.asOfJobs.sweep().catch((error: unknown) => new Logger('Analytics').error(`as-of sweep: ${String(error)}`));
    // And on a timer after: what a builder killed later (another instance, a `cli replay --into`) left is dropped here too.
    this.asOfJobs.startSweeping();
  }

  /** HTTP is closed by now (Nest closes it before these hooks): no command can arrive any more. */
  async onApplicationShutdown(): Promise<void> {
    // A running analyst job is cancelled and its half-built generation dropped: jobs do not outlive the process.
    await this.asOfJobs.close();
    // A graceful stop leaves the read models caught up with every accepted command (bounded, so a stuck store
    // cannot hold the exit), then stops delivery, the monitors and the runner, and gives the lease up so that
    // another instance takes over at once.
    await this.projector?.close({ to: () => this.eventStore.headPosition(), ms: SHUTDOWN_DRAIN_MS });
    // The last seal covers every event this process and its SLA monitors wrote.
    await this.evidence.stop();
    await this.access.close();
    await this.eventStore.close();
    await this.readStore.close();
    await this.idempotency.close();
    await this.blobs.close();
  }
}
