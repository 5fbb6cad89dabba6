import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { recordedBackgroundProblems, type Projection } from '@app/projections';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AfterSalesModule, AgentDutyCommandExecutor, AssigneeDutyFence, EngineerDutyCommandExecutor, ServiceNetworkActingCheck, ServiceNetworkRepository, SurveyCampaignCompletion, SurveySettings } from '@app/after-sales';
import { ActingCheck, AssigneeFence, Clock, ComplaintsModule, FixedSlaPolicySource, PersonalDataSealer, SlaPolicySource, SystemClock } from '@app/complaints';
import { CustomersModule, ErasedAsOfGenerations, ErasedAttachments, ErasureCompletion } from '@app/customers';
import { makeDirectories } from './files/create-once';
import { BlobErasedAttachments } from './complaints/attachments/erased-attachments';
import { BlobTurns } from './complaints/attachments/blob-turns';
import { TurnLeases } from '@app/event-sourcing';
import { BlobStore, FileBlobStore } from '@app/blob-store';
import { EventStore, SqliteEventStore } from '@app/event-store';
import { KeyStore, MasterKeyWrapping, NoKeyWrapping, PersonalDataEventStore, SqliteKeyStore } from '@app/key-store';
import { IdempotencyStore, ReadStore, SqliteIdempotencyStore } from '@app/read-store';
import { COMPLETION_CHECKPOINTS, completeFromCheckpoint } from './startup/completion-checkpoint';
import { SlaQuery } from '@app/read-models';
import { ReadStoreErasedAsOfGenerations } from './analytics/erased-as-of-generations';
import { AfterSalesTaxonomyController } from './after-sales/after-sales-taxonomy.controller';
import { ProductsController } from './after-sales/products.controller';
import { ServiceNetworkController } from './after-sales/service-network.controller';
import { WorkOrdersController } from './after-sales/work-orders.controller';
import { AfterSalesReadsController } from './after-sales-reads/after-sales-reads.controller';
import { SurveyReadsController } from './surveys/survey-reads.controller';
import { ComplaintLinksController } from './after-sales/complaint-links.controller';
import { AsOfController } from './analytics/as-of.controller';
import { AuditController } from './audit/audit.controller';
import { TamperEvidence } from './audit/tamper-evidence';
import { AuthGuard } from './auth/auth.guard';
import { QueryParametersGuard } from './http/query-parameters.guard';
import { AccessControl } from './access/access-control.service';
import { AccessController } from './access/access.controller';
import { CommandRunner } from './http/command-runner';
import { AttachmentUploads } from './complaints/attachments/attachment-uploads';
import { ATTACHMENT_SETTINGS } from './complaints/attachments/attachment-settings';
import { ComplaintsController } from './complaints/complaints.controller';
import { DirectoryCheck } from './complaints/directory-check';
import { CustomerFileAccess } from './customers/customer-file-access';
import { SurveyCampaignAudience } from './surveys/survey-campaign-audience';
import { CustomersController } from './customers/customers.controller';
import { SessionController } from './auth/session.controller';
import { eventLogFile, type ApiConfig, type ConfiguredToken } from './config/api-config';
import { protectPersonalData, type Engines } from './config/engines';
import type { Logger } from 'pino';
import { RateLimiter } from './auth/rate-limiter';
import { TokenFileFollower } from './auth/token-file';
import { Metrics } from './observability/metrics';
import { ProjectorWatch } from './observability/projector-watch';
import { ReadSideStatus } from './observability/read-side-status';
import { ReadModelPosition } from './read-models/read-model-position';
import { HTTP_SETTINGS } from './health/health.controller';
import { HealthController } from './health/health.controller';
import { ProblemFilter } from './http/problem.filter';
import { AcceptGuard } from './export/accept.guard';
import { CsvExport } from './export/csv-export';
import { ConcurrencyLimiter } from './http/heavy-reads';
import { MetricsListener } from './observability/metrics-listener';
import { ReadModelsController } from './read-models/read-models.controller';
import { IN_PROCESS_PROJECTOR, PROJECTOR_STATE, readModelProviders, readStoreProvider } from './read-models/read-models.providers';
import { PROJECTOR_LEASE, type LeasedProjector } from './read-models/leased-projector';
import type { ProjectorState } from './read-models/projection-worker';
import { TaxonomyController } from './taxonomy/taxonomy.controller';
import { FeedController } from './feed/feed.controller';
import { FeedHub } from './feed/feed-hub';
import { SurveysController } from './surveys/surveys.controller';
import { FeedVisibility } from './feed/feed-visibility';
import { WebhooksController } from './webhooks/webhooks.controller';
import { webhookProviders } from './webhooks/webhook-providers';

export interface AppOptions {
  readonly config: ApiConfig;
  readonly tokens: readonly ConfiguredToken[];
  /** Where the tokens came from when it was a file (tokens.json): it is read again when it changes (TokenFileFollower). */
  readonly tokenFile?: { readonly path: string; readonly pollMs?: number };
  readonly clock?: Clock;
  /** Stores opened beforehand (main does, so an unreachable server is reported before Nest starts); else the embedded ones. */
  readonly engines?: Engines;
  /** The JSON logger of the process (silent when not given). */
  readonly log?: Logger;
  /** The process's metrics (createApp makes one; the HTTP hooks record into it). */
  readonly metrics?: Metrics;
  /**
   * Tests only: the projections an inline runner (PROJECTIONS=inline) runs instead of ALL_PROJECTIONS,
   * e.g. one made to fail. No configuration reaches it: only code that builds the app itself.
   */
  readonly projections?: readonly Projection[];
}

/** The report of the erasures finished at start (a provider, so that Nest runs it before it serves). */
const ERASURES_COMPLETED = Symbol('erasures completed at start');
/** The report of the survey campaigns finished at start (as the erasures: before it serves). */
const CAMPAIGNS_COMPLETED = Symbol('survey campaigns completed at start');

/** The composition root: it alone picks the adapters, from the validated configuration. */
@Module({})
export class AppModule {
  static forRoot({ config, tokens, tokenFile, clock, engines, log, metrics = new Metrics(), projections }: AppOptions): DynamicModule {
    // One level at a time: Node's recursive mkdir spins for ever under /proc (files/create-once).
    makeDirectories(config.dataDir);
    // Every reader sees the personal values decrypted (null once erased); the executors encrypt them (docs/adr/0019).
    let opened: PersonalDataEventStore | undefined;
    const protectedStore = (): PersonalDataEventStore => {
      if (opened) return opened;
      const given = engines?.eventStore;
      if (given instanceof PersonalDataEventStore) return (opened = given);
      const wrapping = !config.dataKeyMasterKey ? new NoKeyWrapping() : new MasterKeyWrapping(Buffer.from(config.dataKeyMasterKey, 'base64'));
      const keys = new SqliteKeyStore({ filename: join(config.dataDir, 'keys.sqlite'), wrapping });
      return (opened = protectPersonalData(given ?? new SqliteEventStore({ filename: eventLogFile(config.dataDir), synchronous: config.synchronous }), keys));
    };
    const infrastructure = [
      { provide: EventStore, useFactory: () => metrics.meter(protectedStore()) },
      { provide: PersonalDataSealer, useFactory: () => protectedStore().cipher },
      { provide: KeyStore, useFactory: () => protectedStore().cipher.keys },
      { provide: Clock, useValue: clock ?? new SystemClock() },
      // A deactivated agent's complaint commands are refused (403 agent-deactivated): the complaint executor asks the service network.
      { provide: ActingCheck, useFactory: (events: EventStore) => new ServiceNetworkActingCheck(new ServiceNetworkRepository(events)), inject: [EventStore] },
      // An assignment to an agent or an engineer and that person's deactivation both write their duty stream (the fence, docs/adr/0012): one executor per kind for both modules.
      { provide: AgentDutyCommandExecutor, useFactory: (events: EventStore, time: Clock) => new AgentDutyCommandExecutor(events, time), inject: [EventStore, Clock] },
      { provide: EngineerDutyCommandExecutor, useFactory: (events: EventStore, time: Clock) => new EngineerDutyCommandExecutor(events, time), inject: [EventStore, Clock] },
      { provide: AssigneeFence, useFactory: (agents: AgentDutyCommandExecutor, engineers: EngineerDutyCommandExecutor) => new AssigneeDutyFence(agents, engineers), inject: [AgentDutyCommandExecutor, EngineerDutyCommandExecutor] },
      { provide: SlaPolicySource, useValue: new FixedSlaPolicySource(config.slaPolicy) },
      { provide: SurveySettings, useValue: new SurveySettings(config.surveyAnswerPeriod, config.surveyCampaignLimit, config.surveyComplaintThreshold) },
      { provide: BlobStore, useFactory: () => engines?.blobs ?? new FileBlobStore({ dir: join(config.dataDir, 'blobs') }) },
      // Uploads and the erasure's file deletion take turns per file, across instances: a lease per file in the read store (docs/adr/0019).
      { provide: TurnLeases, useExisting: ReadStore },
      { provide: BlobTurns, useFactory: (leases: TurnLeases) => new BlobTurns(leases), inject: [TurnLeases] },
      // An erasure deletes the customer's attachments (files no other customer's complaint names).
      { provide: ErasedAttachments, useFactory: (events: EventStore, blobs: BlobStore, turns: BlobTurns) => new BlobErasedAttachments(events, blobs, turns), inject: [EventStore, BlobStore, BlobTurns] },
      // An erasure a crash cut short, once finished, has the read store forget what it replaced.
      readStoreProvider(config, engines?.readStore),
      // An erasure cleans the as-of generations as the live read models clean themselves (docs/adr/0019).
      { provide: ErasedAsOfGenerations, useFactory: (store: ReadStore) => new ReadStoreErasedAsOfGenerations(store), inject: [ReadStore] },
      // Answers to Idempotency-Keys; an erasure forgets those about the customer (docs/adr/0019).
      { provide: IdempotencyStore, useFactory: () => engines?.idempotency ?? new SqliteIdempotencyStore({ filename: join(config.dataDir, 'api.sqlite'), ttlMs: config.idempotencyTtlHours * 3_600_000 }) },
    ];
    const infrastructureModule: DynamicModule = { module: InfrastructureModule, global: true, providers: infrastructure, exports: infrastructure.map((provider) => provider.provide) };
    return {
      module: AppModule,
      imports: [infrastructureModule, CqrsModule.forRoot(), CustomersModule.global(), ComplaintsModule, AfterSalesModule, DiscoveryModule],
      controllers: [
        SessionController, ComplaintsController, CustomersController, WorkOrdersController, ServiceNetworkController, ProductsController, AccessController, AuditController, ReadModelsController, AfterSalesReadsController, AsOfController,
        TaxonomyController, AfterSalesTaxonomyController, HealthController, FeedController, WebhooksController, SurveysController, SurveyReadsController, ComplaintLinksController,
      ],
      providers: [
        {
          // Before anything serves: an access-control history that contradicts its seals stops the start (docs/adr/0010).
          provide: TamperEvidence,
          useFactory: async (events: EventStore, time: Clock) => {
            const evidence = new TamperEvidence(events, config.seals, { by: 'api', now: () => time.now(), log: (level, message) => log?.[level](message) });
            await evidence.checkAccessControl();
            return evidence;
          },
          inject: [EventStore, Clock],
        },
        {
          // Before anything serves: an erasure a crash cut short (recorded, its key still alive) is finished (docs/adr/0019).
          provide: ERASURES_COMPLETED,
          useFactory: async (completion: ErasureCompletion, store: ReadStore, events: EventStore) => {
            const report = await completeFromCheckpoint(store, events, COMPLETION_CHECKPOINTS.erasures, (after) => completion.completeAll(after));
            if (report.erasures > 0) log?.warn({ ...report }, 'erasure: finished erasures a stop had cut short (keys destroyed, stored files deleted)');
            return report;
          },
          inject: [ErasureCompletion, ReadStore, EventStore],
        },
        {
          // Before anything serves: a survey campaign a crash cut short (recorded, not all its surveys sent) is finished (docs/adr/0012).
          provide: CAMPAIGNS_COMPLETED,
          useFactory: async (completion: SurveyCampaignCompletion, store: ReadStore, events: EventStore, _erasures: unknown) => {
            const report = await completeFromCheckpoint(store, events, COMPLETION_CHECKPOINTS.surveyCampaigns, (after) => completion.completeAll(after));
            if (report.campaigns > 0) log?.warn({ ...report }, 'survey campaigns: finished campaigns a stop had cut short (their remaining surveys sent)');
            return report;
          },
          inject: [SurveyCampaignCompletion, ReadStore, EventStore, ERASURES_COMPLETED],
        },
        {
          provide: AccessControl,
          useFactory: async (events: EventStore, time: Clock, _checked: TamperEvidence) => {
            const access = new AccessControl(events, () => time.now(), tokens, (error) => log?.error({ err: error }, 'access control: following the access-control stream failed; retrying'));
            await access.start();
            return access;
          },
          inject: [EventStore, Clock, TamperEvidence],
        },
        {
          // Rotation without a restart: the configured tokens follow tokens.json (none to follow with API_TOKENS).
          provide: TokenFileFollower,
          useFactory: (access: AccessControl) => {
            if (!tokenFile) return null;
            const follower = new TokenFileFollower(tokenFile.path, (next) => access.replaceConfigured(next), (level, message) => log?.[level](message), tokenFile.pollMs);
            follower.start();
            return follower;
          },
          inject: [AccessControl],
        },
        { provide: RateLimiter, useValue: new RateLimiter(config.http.rateLimitPerSecond) },
        { provide: ConcurrencyLimiter, useValue: new ConcurrencyLimiter(config.http.heavyReads) },
        { provide: HTTP_SETTINGS, useValue: config.http },
        { provide: Metrics, useValue: metrics },
        MetricsListener,
        DirectoryCheck,
        {
          // A projector in another process that cannot record what is wrong (a full read store, hung, dead), as the stores show it.
          provide: ProjectorWatch,
          useFactory: (events: EventStore, position: ReadModelPosition, leased: LeasedProjector | undefined, store: ReadStore) => new ProjectorWatch(events, {
            stallMs: config.http.projectionStallMs, runsHere: () => leased?.isActive === true, checkpoints: () => position.progress(),
            // With PROJECTIONS=external this process takes no part in the lease: the read store says who holds it.
            ...(config.projections === 'external' ? { leaseHolder: () => store.leaseHolder(PROJECTOR_LEASE) } : {}),
          }),
          inject: [EventStore, ReadModelPosition, IN_PROCESS_PROJECTOR, ReadStore],
        },
        {
          provide: ReadSideStatus,
          useFactory: (events: EventStore, position: ReadModelPosition, sla: SlaQuery, time: Clock, projector: () => ProjectorState, leased: LeasedProjector | undefined, store: ReadStore, access: AccessControl, watch: ProjectorWatch) => {
            // The work beside the projections as this process sees it while it holds the lease, else as the holder (apps/projector, another instance) recorded it.
            const beside = async () => (leased?.isActive ? leased.problems() : recordedBackgroundProblems(store, PROJECTOR_LEASE));
            const status = new ReadSideStatus(events, position, sla, () => time.now(), projector, () => leased?.leaseState() ?? null, async () => [...access.problems(), ...(leased?.leaseProblems() ?? []), ...(await beside()), ...(await store.damage()), ...(await position.rebuilding())], watch);
            metrics.attachReadSide(status);
            return status;
          },
          inject: [EventStore, ReadModelPosition, SlaQuery, Clock, PROJECTOR_STATE, IN_PROCESS_PROJECTOR, ReadStore, AccessControl, ProjectorWatch],
        },
        CommandRunner,
        { provide: ATTACHMENT_SETTINGS, useValue: config.attachments },
        AttachmentUploads,
        CustomerFileAccess,
        SurveyCampaignAudience,
        FeedHub,
        FeedVisibility,
        { provide: CsvExport, useFactory: (time: Clock) => new CsvExport(() => time.now()), inject: [Clock] },
        ...readModelProviders(config, projections),
        ...webhookProviders(config),
        // Also under its own class: create-app.ts hangs its countAtTheEdge on fastify's onRequest.
        AuthGuard,
        { provide: APP_GUARD, useExisting: AuthGuard },
        // After the AuthGuard (guards run in the order given): who may call comes before what was asked.
        { provide: APP_GUARD, useClass: QueryParametersGuard },
        // One reading of the Accept on every route: a malformed q is a 400; a JSON-only GET route refuses an Accept that asks for CSV alone (406).
        { provide: APP_GUARD, useClass: AcceptGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}

@Module({})
class InfrastructureModule {}
