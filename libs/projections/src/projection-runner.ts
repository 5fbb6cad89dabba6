import type { EventStore, RecordedEvent, SubscriptionMessage } from '@app/event-store';
import { CheckpointConflictError, InvalidDocumentError, InvalidQueryError, READ_MODEL_REBUILDS, generationCollection, type ReadDocument, type ReadStore } from '@app/read-store';
import { backOffDelayMs } from '@app/event-sourcing';
import { DocumentNotLoaded, ProjectionFault, generationOf, type DocumentKey, type Projection } from './projection';
import { ProjectionDocuments, UnitOfWork } from './unit-of-work';
import { catchUpWait, waitForCatchUp, type CatchUpWait } from './catch-up-wait';

/**
 * Committed documents a projection keeps in memory between batches unless told otherwise. They are the
 * largest live data of a replay: 5,000 per projection (twelve projections) held a third of the old
 * generation, and 2,000 cut the replay's peak RSS by about a sixth for the same CPU (docs/adr/0011,
 * "Where the replay's memory goes"). A batch still loads every document it names, whatever this is.
 */
export const DEFAULT_CACHED_DOCUMENTS = 2_000;

export interface ProjectionRunnerOptions {
  /** Events applied before a commit, at most. */
  readonly batchSize?: number;
  readonly onError?: (projection: string, error: unknown) => void;
  /** Called after every commit with the position reached. */
  readonly onCommit?: (projection: string, position: number, events: number) => void;
  /** Committed documents kept in memory per projection between batches (default DEFAULT_CACHED_DOCUMENTS). */
  readonly cachedDocuments?: number;
  /** Builds named generations (`<prefix>_<name>_v<version>`) instead of the live ones. */
  readonly generationPrefix?: string;
  /** Only these events are applied (the others still advance the position): e.g. history up to a date. */
  readonly include?: (event: RecordedEvent) => boolean;
  /**
   * The last position to read (inclusive): the runner stops at the first event after it, and each projection
   * counts as caught up there (an as-of build cut at a position, which would otherwise read the rest of the log to skip it).
   */
  readonly untilPosition?: number;
  /** Whether a caught-up generation becomes the live one (default true; false for named generations). */
  readonly activate?: boolean;
  /**
   * Stop as soon as every projection has caught up (after activating): a rebuild run beside a live
   * runner, which then adopts the new generation. The old generation is left to that runner.
   */
  readonly stopWhenCaughtUp?: boolean;
  /** How often a live runner looks for a generation activated by someone else (a rebuild). */
  readonly adoptionCheckMs?: number;
  /**
   * After a store error, how long to wait before continuing from the checkpoints (default 1 s). A
   * failing projection is retried after this too, the delay doubling at each failure up to `maxRetryDelayMs`.
   */
  readonly retryDelayMs?: number;
  /** The longest wait between two retries of a failing projection (default 60 s). */
  readonly maxRetryDelayMs?: number;
  /** Called when a projection fails on a batch (it stays at its checkpoint; the others go on) and when it recovers (null). */
  readonly onFailure?: (projection: string, failure: ProjectionFailure | null) => void;
  /** The clock of the failure records (not of the read models: they take every time from the events). */
  readonly now?: () => Date;
  /**
   * Events after which what the read models replaced must leave the store's files (an erasure of
   * personal data, docs/adr/0019): once the batch holding one is committed, `ReadStore.forgetDeleted` runs.
   */
  readonly forgetDeletedAfter?: (event: RecordedEvent) => boolean;
}

/** Whether `generation` holds this projection version: its own generation, or a rebuild of it. */
export function isGenerationOf(projection: Pick<Projection, 'name' | 'version'>, generation: string): boolean {
  const own = generationOf(projection);
  return (generation === own || generation.endsWith(`_${own}`)) && !generation.startsWith('asof_');
}

/** Name of the generation a runner with these options builds for a projection. */
export function generationFor(projection: Pick<Projection, 'name' | 'version'>, prefix?: string): string {
  return prefix ? `${prefix}_${generationOf(projection)}` : generationOf(projection);
}

/**
 * A projection that threw on a batch: it stays at its last checkpoint (nothing of that batch is
 * committed) while the other projections go on, and it is retried with back-off.
 */
export interface ProjectionFailure {
  readonly projection: string;
  /** The generation it builds. */
  readonly generation: string;
  /** Its committed checkpoint: where it stays until the retry gets past the failure. */
  readonly position: number;
  /** The event it failed on; for a failure of the batch's commit, the last event of the batch. */
  readonly failedPosition: number;
  /** That event's type; null when the commit failed (the batch, not one event). */
  readonly eventType: string | null;
  readonly error: string;
  /** When it first failed there (ISO 8601). */
  readonly since: string;
  /** Failures in a row (a restart of the process continues the count from the store's record). */
  readonly attempts: number;
  /** When it is tried again (ISO 8601); null once the runner has stopped. */
  readonly nextRetryAt: string | null;
  /**
   * The store failed, not the projection (a full disk, a server away): the whole runner stopped and is
   * relaunched from the checkpoints every `retryDelayMs`, so a wait for a position still waits for it.
   * Reported from the second failure in a row: one that the first relaunch mends is a restart, not a failure.
   */
  readonly transient?: boolean;
  /**
   * The checkpoint fence refused its commit: another runner wrote the generation meanwhile, so this runner stopped for good
   * (nextRetryAt null). Its process gives the projector lease up (LeasedProjector), and a new runner starts from the checkpoints.
   */
  readonly fenced?: true;
}

/** The collection where a live runner records its failing projections (one document per projection), for /health in any process. */
export const PROJECTION_FAILURES = generationCollection('projections', 'failures');
const FAILURES_CHECKPOINT = 'projections';

/** The failing projections a live runner recorded in the store (none if it never recorded one). */
export const recordedFailures = (store: ReadStore): Promise<ProjectionFailure[]> => recordsIn<ProjectionFailure>(store, PROJECTION_FAILURES);

/** What a live runner recorded in one of its collections, without the documents' ids; none if the collection was never made. */
async function recordsIn<T>(store: ReadStore, collection: string): Promise<T[]> {
  try {
    const page = await store.find<ReadDocument & T>(collection, { limit: 1000 });
    return page.items.map(({ id: _id, ...record }) => record as T);
  } catch (error) {
    if (error instanceof InvalidQueryError) return [];
    throw error;
  }
}

/**
 * A live read model being built again from the log because a collection of it was lost (dropped outside the projector):
 * recorded by the live runner (the lease holder) before it drops the generation, removed once the rebuild has caught up, so
 * that /health in any process says the read model is partial until then (docs/adr/0005).
 */
export interface ProjectionRebuild {
  readonly projection: string;
  readonly generation: string;
  /** The collections found missing. */
  readonly collections: readonly string[];
  /** The checkpoint the generation had when they were found missing. */
  readonly position: number;
  /** When the rebuild started (ISO 8601). */
  readonly since: string;
}

/** The collection where the live runner records the read models it builds again after a lost collection (ProjectionRebuild); the read store reads it too. */
export const PROJECTION_REBUILDS = READ_MODEL_REBUILDS;
const REBUILDS_CHECKPOINT = 'projection-rebuilds';

/** The rebuilds of lost read models the live runner recorded and has not finished (none if it never recorded one). */
export const recordedRebuilds = (store: ReadStore): Promise<ProjectionRebuild[]> => recordsIn<ProjectionRebuild>(store, PROJECTION_REBUILDS);

interface ProjectionState {
  position: number;
  caughtUp: boolean;
  failure?: ProjectionFailure;
}

const IDLE = Symbol('idle');
/** What a slot of a lane's key scratch holds once its batch is loaded. */
const NO_KEY: DocumentKey = ['', ''];

/**
 * Runs projections: each subscribes to all events from its checkpoint, applies them in batches
 * and commits documents and checkpoint together, so after any crash it resumes with no event lost
 * or applied twice. A projection whose version has no live generation yet builds a new one while
 * the old keeps serving, and is swapped in once it has caught up.
 */
export class ProjectionRunner {
  private readonly states = new Map<string, ProjectionState>();
  private readonly waiters = new Set<() => void>();
  private readonly subscriptions: Array<{ close(): Promise<void> }> = [];
  private readonly loops: Array<Promise<void>> = [];
  private stopped = false;
  /**
   * The fence refused a commit: another runner writes these generations, so this one never launches again. Its timers run on
   * until its process gives the lease up (LeasedProjector watches every 200 ms): a lost collection its poll found, or a resume
   * due, relaunched it beside the lease holder.
   */
  private stale = false;
  private lanes: Lane[] = [];
  private adopting = false;
  private adoptionTimer: NodeJS.Timeout | undefined;
  /** Projections failing now, by name: kept across relaunches until one gets past its failure. */
  private readonly failures = new Map<string, ProjectionFailure>();
  private recordsLoaded = false;
  /** Projections that failed in this run (not only in a run before, recorded in the store): caughtUp gives up on them. */
  private readonly failedInRun = new Set<string>();
  /** Store failures in a row (each stopped the run; ended by a commit that goes through), and since when. */
  private storeFailures = 0;
  private storeFailingSince: string | undefined;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    const names = projections.map((projection) => projection.name);
    if (new Set(names).size !== names.length) throw new Error(`projection names must be unique: ${names.join(', ')}`);
  }

  /** Only the live runner records failures in the store (not a rebuild, not an as-of build). */
  private get records(): boolean {
    return this.options.generationPrefix === undefined && this.options.activate !== false && !this.options.stopWhenCaughtUp;
  }

  async start(): Promise<void> {
    await this.launch();
    if (this.options.activate !== false && !this.options.stopWhenCaughtUp && this.options.generationPrefix === undefined) {
      this.adoptionTimer = setInterval(() => void this.adoptRebuilds().catch((error: unknown) => this.options.onError?.('adoption', error)), this.options.adoptionCheckMs ?? 1000);
      this.adoptionTimer.unref();
    }
  }

  /**
   * A collection of the generation missing under a checkpoint past zero (a table dropped by hand, or by a tool, while the
   * projection ran): making it again empty and going on from the checkpoint served the read model without those rows, and
   * nothing said so. The generation is dropped instead, so this launch builds it again from the log (the rows come back as
   * it catches up), and the error handler is told why.
   */
  private async rebuildIfCollectionsLost(name: string, generation: string, collections: readonly string[]): Promise<boolean> {
    const position = await this.readStore.checkpoint(generation);
    if (position === 0) return false;
    const missing = await this.readStore.missingCollections(collections);
    if (missing.length === 0) return false;
    this.options.onError?.(name, new Error(`${missing.join(', ')} missing though ${generation} was at position ${position}: built again from the log`));
    // Recorded before the drop: from the moment the rows are gone until the rebuild has caught up, /health says so.
    if (this.records) {
      const since = (this.options.now ?? (() => new Date()))().toISOString();
      await this.recordRebuild(name, { projection: name, generation, collections: missing, position, since });
    }
    await this.readStore.recover(generation);
    await this.readStore.dropGeneration(generation);
    return true;
  }

  /** Writes (or, with null, removes) the store's record of a lost read model being built again. */
  private async recordRebuild(name: string, rebuild: ProjectionRebuild | null): Promise<void> {
    await this.readStore.ensureCollections([{ name: PROJECTION_REBUILDS }]);
    await this.readStore.commit(REBUILDS_CHECKPOINT, [rebuild
      ? { kind: 'put', collection: PROJECTION_REBUILDS, document: { id: name, ...rebuild } }
      : { kind: 'delete', collection: PROJECTION_REBUILDS, id: name }], 0);
  }

  /**
   * The lanes a collection of which is gone (dropped outside the projector while it runs): asked at every poll of the live
   * runner, so a lost read model is built again within one poll, not at its next event. One question for every lane (on
   * SQLite one read of the schema table; on MongoDB one listCollections), once per poll whatever the batches. A lane whose
   * text index alone is damaged (its documents whole) is one too: its relaunch keeps the generation (nothing is missing) and
   * ensures its collections with their indexes, which makes the index again from the documents (docs/adr/0005).
   */
  private async lostLanes(): Promise<Lane[]> {
    const collections = this.lanes.flatMap((lane) => collectionsOf(lane.projection, lane.generation).map((spec) => spec.name));
    if (collections.length === 0) return [];
    const lost = new Set(await this.readStore.missingCollections(collections));
    const searchable = this.lanes.filter((lane) => lane.indexed).flatMap((lane) => collectionsOf(lane.projection, lane.generation).filter((spec) => (spec.text ?? []).length > 0).map((spec) => spec.name));
    if (searchable.length > 0) for (const collection of await this.readStore.damagedTextIndexes(searchable)) lost.add(collection);
    return lost.size === 0 ? [] : this.lanes.filter((lane) => collectionsOf(lane.projection, lane.generation).some((spec) => lost.has(spec.name)));
  }

  private async launch(): Promise<void> {
    // A restart continues the count of failures a previous run recorded (and retries them at once).
    if (this.records && !this.recordsLoaded) {
      for (const failure of await recordedFailures(this.readStore)) {
        if (this.projections.some((projection) => projection.name === failure.projection)) this.failures.set(failure.projection, failure);
      }
      this.recordsLoaded = true;
    }
    const live = await this.readStore.liveGenerations();
    // A rebuild recorded before a restart is still one until its lane catches up.
    const rebuilding = new Set(this.records ? (await recordedRebuilds(this.readStore)).map((rebuild) => rebuild.projection) : []);
    const lanes: Lane[] = [];
    for (const projection of this.projections) {
      // A live rebuild of this very version is adopted as it is; anything else is built beside it.
      const current = live[projection.name];
      const generation = this.options.generationPrefix === undefined && current !== undefined && isGenerationOf(projection, current)
        ? current
        : generationFor(projection, this.options.generationPrefix);
      // A generation that serves queries has its indexes; one being built from the log loads without them (each
      // write then updates one B-tree, not every index) and gets them once it has caught up.
      const serving = generation === current;
      if (await this.rebuildIfCollectionsLost(projection.name, generation, collectionsOf(projection, generation).map((spec) => spec.name))) rebuilding.add(projection.name);
      await this.readStore.ensureCollections(collectionsOf(projection, generation), { indexes: serving });
      // This runner is the generation's writer: finish a commit a crash may have interrupted first.
      await this.readStore.recover(generation);
      const position = await this.readStore.checkpoint(generation);
      const failure = this.failures.get(projection.name);
      const state: ProjectionState = { position, caughtUp: false, ...(failure ? { failure: { ...failure, position } } : {}) };
      this.states.set(projection.name, state);
      lanes.push({
        projection, generation, liveGeneration: current, state, position, checkpoint: position, pending: 0,
        documents: new ProjectionDocuments(this.options.cachedDocuments ?? DEFAULT_CACHED_DOCUMENTS), unit: undefined, indexed: serving, failed: false, applies: [], keys: [],
        rebuilding: rebuilding.has(projection.name),
      });
    }
    this.lanes = lanes;
    if (lanes.length === 0) return;
    // One read of the log feeds every projection; each skips what its own checkpoint already has.
    const subscription = this.eventStore.subscribeToAll({ fromPosition: Math.min(...lanes.map((lane) => lane.position)) });
    this.subscriptions.push(subscription);
    this.loops.push(this.run(lanes, subscription).catch(async (error: unknown) => {
      // Another runner took the generation over: this one is stale and stops for good, and says so in failing().
      // One line names every projection of the loop (the same refusal stops them all).
      if (error instanceof CheckpointConflictError) {
        this.options.onError?.(lanes.map((lane) => lane.projection.name).join(', '), error);
        if (!this.stopped) this.fenced(lanes, error);
        return;
      }
      for (const lane of lanes) this.options.onError?.(lane.projection.name, error);
      if (this.stopped) return;
      // A store that failed (disk full, a server away): start again from the checkpoints once it may be back.
      await this.storeFailed(lanes, error);
      this.scheduleResume();
    }));
  }

  /**
   * A rebuild (another runner with stopWhenCaughtUp) has made a new generation live: stop after the
   * batch in progress, continue from that generation's checkpoint, and drop the replaced one.
   */
  private async adoptRebuilds(): Promise<void> {
    if (this.adopting || this.stopped || this.stale) return;
    const live = await this.readStore.liveGenerations();
    const replaced = this.lanes.filter((lane) => lane.state.caughtUp && live[lane.projection.name] !== undefined && live[lane.projection.name] !== lane.generation
      && isGenerationOf(lane.projection, live[lane.projection.name]!));
    if (replaced.length === 0) {
      // A collection lost while the runner ran: the launch finds it missing under its checkpoint and builds the read model again.
      // Through resume: a launch that fails (the store away) is tried again from the checkpoints, as after any store error.
      const lost = await this.lostLanes();
      if (lost.length > 0 && !this.adopting && !this.stopped && !this.stale) await this.resume();
      return;
    }
    await this.relaunch(async () => {
      for (const lane of replaced) await this.readStore.dropGeneration(lane.generation);
    });
  }

  private resumeTimer: NodeJS.Timeout | undefined;
  private resumeAt = Number.POSITIVE_INFINITY;

  /** Continues from the checkpoints after `delayMs`, or sooner if a resume is already due sooner. */
  private scheduleResume(delayMs = this.options.retryDelayMs ?? 1000): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    if (this.resumeTimer !== undefined && this.resumeAt <= at) return;
    if (this.resumeTimer !== undefined) clearTimeout(this.resumeTimer);
    this.resumeAt = at;
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = undefined;
      this.resumeAt = Number.POSITIVE_INFINITY;
      void this.resume();
    }, delayMs);
    this.resumeTimer.unref?.();
  }

  /**
   * A projection threw on a batch (its `reads` or `apply`, or its commit): it drops what it did of
   * that batch and stays at its checkpoint, the others go on, and the runner continues it from the
   * checkpoint after a delay that doubles at each failure in a row. A deterministic failure thus costs
   * one attempt per delay, never a busy loop; a transient one heals at the next attempt.
   */
  private async failLane(lane: Lane, fault: ProjectionFault): Promise<void> {
    const { event, fault: error } = fault;
    const failedPosition = event?.position ?? lane.position;
    this.failedInRun.add(lane.projection.name);
    lane.failed = true;
    lane.unit = undefined;
    lane.documents.clear();
    lane.position = lane.checkpoint;
    lane.pending = 0;
    const name = lane.projection.name;
    const previous = this.failures.get(name);
    // A failure of the store before counts as none: this one is the projection's own.
    const attempts = (previous?.transient ? 0 : previous?.attempts ?? 0) + 1;
    const delay = backOffDelayMs(attempts, this.options.retryDelayMs ?? 1000, this.options.maxRetryDelayMs ?? 60_000);
    const now = (this.options.now ?? (() => new Date()))();
    const failure: ProjectionFailure = {
      projection: name, generation: lane.generation, position: lane.checkpoint, failedPosition, eventType: event?.type ?? null,
      error: describeError(error), since: (previous?.transient ? undefined : previous?.since) ?? now.toISOString(), attempts, nextRetryAt: new Date(now.getTime() + delay).toISOString(),
    };
    this.failures.set(name, failure);
    lane.state.failure = failure;
    this.options.onError?.(name, error);
    this.options.onFailure?.(name, failure);
    if (this.records) await this.record(failure);
    this.scheduleResume(delay);
  }

  /**
   * The store failed (not a projection): every projection of the run stopped and is relaunched from its
   * checkpoint after `retryDelayMs`. From the second failure in a row each is named in failing() (and
   * recorded, if the store takes it), so that /health says the read models are stopped and why; the
   * first commit that goes through ends it. A projection failing on its own fault keeps that failure.
   */
  private async storeFailed(lanes: readonly Lane[], error: unknown): Promise<void> {
    const now = (this.options.now ?? (() => new Date()))();
    this.storeFailures += 1;
    this.storeFailingSince ??= now.toISOString();
    if (this.storeFailures < 2) return;
    const nextRetryAt = new Date(now.getTime() + (this.options.retryDelayMs ?? 1000)).toISOString();
    for (const lane of lanes) {
      const name = lane.projection.name;
      const previous = this.failures.get(name);
      if (lane.failed || (previous !== undefined && !previous.transient)) continue;
      const failure: ProjectionFailure = {
        projection: name, generation: lane.generation, position: lane.checkpoint, failedPosition: Math.max(lane.position, previous?.failedPosition ?? 0), eventType: null,
        error: `the store failed: ${describeError(error)}`, since: this.storeFailingSince, attempts: this.storeFailures, nextRetryAt, transient: true,
      };
      this.failures.set(name, failure);
      lane.state.failure = failure;
      this.options.onFailure?.(name, failure);
      if (this.records) await this.record(failure);
    }
  }

  /**
   * The fence refused a commit: another runner writes these generations now, so this one never tries
   * again (nextRetryAt null). Kept in this process's failing() so that /health says these lanes are
   * stopped and why; not recorded in the store, where the runner that took over keeps its own record.
   */
  private fenced(lanes: readonly Lane[], error: CheckpointConflictError): void {
    this.stale = true;
    const now = (this.options.now ?? (() => new Date()))().toISOString();
    for (const lane of lanes) {
      const name = lane.projection.name;
      const failure: ProjectionFailure = {
        projection: name, generation: lane.generation, position: lane.checkpoint, failedPosition: lane.position, eventType: null,
        error: `stopped for good: another runner has written its checkpoint, so this one is stale (${describeError(error)})`, since: now, attempts: 1, nextRetryAt: null, fenced: true,
      };
      this.failedInRun.add(name);
      this.failures.set(name, failure);
      lane.state.failure = failure;
      this.options.onFailure?.(name, failure);
    }
  }

  /** A failing projection got past its failure: forget it. */
  private async recovered(lane: Lane): Promise<void> {
    const name = lane.projection.name;
    this.failures.delete(name);
    delete lane.state.failure;
    this.options.onFailure?.(name, null);
    if (this.records) await this.record(null, name);
  }

  /** Writes (or removes) the store's record of a failing projection; the store may be what fails: then it is left as it is. */
  private async record(failure: ProjectionFailure | null, name = failure?.projection): Promise<void> {
    try {
      await this.readStore.ensureCollections([{ name: PROJECTION_FAILURES }]);
      await this.readStore.commit(FAILURES_CHECKPOINT, [failure
        ? { kind: 'put', collection: PROJECTION_FAILURES, document: { id: name!, ...failure } }
        : { kind: 'delete', collection: PROJECTION_FAILURES, id: name! }], 0);
    } catch (error) {
      this.options.onError?.('failure-record', error);
    }
  }

  /** After a store error: drop what was in memory and continue every projection from its committed checkpoint. */
  private async resume(): Promise<void> {
    if (this.stopped || this.stale) return;
    if (this.adopting) {
      this.scheduleResume();
      return;
    }
    try {
      await this.relaunch();
    } catch (error) {
      this.options.onError?.('resume', error);
      await this.storeFailed(this.lanes, error);
      this.scheduleResume();
    }
  }

  /** Ends the running subscription and loop, then launches again from the checkpoints (unless stopped meanwhile). */
  private async relaunch(beforeLaunch?: () => Promise<void>): Promise<void> {
    this.adopting = true;
    try {
      await Promise.all(this.subscriptions.splice(0).map((subscription) => subscription.close().catch(() => undefined)));
      await Promise.all(this.loops.splice(0));
      if (this.stopped) return;
      await beforeLaunch?.();
      await this.launch();
    } finally {
      this.adopting = false;
    }
  }

  /** Stops after the batch in progress is committed. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.adoptionTimer) clearInterval(this.adoptionTimer);
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
    await Promise.all(this.subscriptions.map((subscription) => subscription.close()));
    await Promise.all(this.loops);
    this.notify();
  }

  /** Position every projection has reached (the lowest of them). */
  position(): number {
    const positions = [...this.states.values()].map((state) => state.position);
    return positions.length === 0 ? 0 : Math.min(...positions);
  }

  /** Each projection's position, whether it has caught up, and why it is stuck if it is failing. */
  positions(): Record<string, { position: number; caughtUp: boolean; failure?: ProjectionFailure }> {
    return Object.fromEntries([...this.states.entries()].map(([name, state]) => [name, { ...state }]));
  }

  /** The failing projections (empty when every one runs). */
  failing(): ProjectionFailure[] {
    return [...this.states.values()].flatMap((state) => (state.failure ? [state.failure] : []));
  }

  /** The lowest position of the projections that are not failing on their own fault (one does not move until its retry; one the store stopped is waited for). */
  private runningPosition(): number {
    const positions = [...this.states.values()].filter((state) => !state.failure || state.failure.transient).map((state) => state.position);
    return positions.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...positions);
  }

  /**
   * Waits until every projection that is not failing has reached `position`, or the timeout (a
   * failing one is not waited for: see `failing()`); returns the lowest position of all.
   */
  async waitForPosition(position: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.runningPosition() < position && !this.stopped) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, remaining);
        this.waiters.add(done);
        function done() {
          clearTimeout(timer);
          resolve();
        }
      });
    }
    return this.position();
  }

  /**
   * Resolves once every projection has caught up with the log at least once. Rejects (CatchUpTimeoutError) when
   * no projection behind has moved for the stall limit (a number: that limit; default 30 s), not when the
   * catch-up is merely slow, or at `deadlineMs` if given; the error names the projections behind, their positions
   * and the log's head. Rejects at once when a projection fails in this run, or when the runner is stopped
   * first (a waiter must not poll for ever, keeping a thread alive).
   */
  async caughtUp(wait?: number | CatchUpWait): Promise<void> {
    await waitForCatchUp(() => {
      const states = [...this.states.entries()];
      if (states.every(([, state]) => state.caughtUp)) return { caughtUp: true, positions: {} };
      if (this.stopped) throw new Error('the projection runner stopped before it caught up');
      const failure = this.failing().find((each) => this.failedInRun.has(each.projection));
      if (failure) throw new Error(`projection ${failure.projection} failed at position ${failure.failedPosition}${failure.eventType ? ` (${failure.eventType})` : ''}: ${failure.error}`);
      return { caughtUp: false, positions: Object.fromEntries(states.map(([name, { position, caughtUp }]) => [name, { position, caughtUp }])) };
    }, catchUpWait(wait), async () => {
      const head = await this.eventStore.headPosition();
      return this.options.untilPosition === undefined ? head : Math.min(head, this.options.untilPosition);
    });
  }

  private notify(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  /**
   * Applies a batch of events to one projection, synchronously per event: first the documents the
   * batch will read are loaded (one read per collection), then every event is applied in memory.
   * An event that reads a document nobody named is undone, the document loaded, the event applied again.
   */
  private async applyBatch(lane: Lane, events: readonly RecordedEvent[]): Promise<void> {
    // Which events this projection applies: asked once per event (`include` may count what it is asked).
    // Into the lane's own arrays, kept across batches: new ones grown per batch were a kilobyte of garbage per event (eighteenth step).
    const applies = lane.applies;
    const include = this.options.include;
    for (let index = 0; index < events.length; index += 1) {
      const event = events[index]!;
      applies[index] = event.position > lane.position && !event.type.startsWith('$') && (include?.(event) ?? true);
    }
    const unit = (lane.unit ??= new UnitOfWork(this.readStore, lane.generation, lane.documents));
    const { projection } = lane;
    if (projection.reads) {
      const keys = lane.keys;
      let count = 0;
      for (let index = 0; index < events.length; index += 1) {
        if (!applies[index]) continue;
        const event = events[index]!;
        try {
          for (const key of projection.reads(event)) keys[count++] = key;
        } catch (error) {
          throw new ProjectionFault(error, event);
        }
      }
      try {
        await unit.load(keys, count);
      } finally {
        // Not kept alive until the next batch (they would outlive a young collection and burden the old generation).
        keys.fill(NO_KEY, 0, count);
      }
    }
    // An index, not events.entries(): that makes an [index, event] pair per event and projection (eleventh step).
    for (let index = 0; index < events.length; index += 1) {
      const event = events[index]!;
      if (event.position <= lane.position) continue;
      if (applies[index]) {
        for (;;) {
          unit.begin();
          try {
            const result: unknown = projection.apply(event, unit);
            if (result !== undefined) throw new Error(`projection ${projection.name} returned ${String(result)} from apply: apply must be synchronous and return nothing`);
            unit.end();
            break;
          } catch (error) {
            const changed = unit.changedInPlace;
            unit.rollback();
            if (!(error instanceof DocumentNotLoaded)) throw new ProjectionFault(error, event);
            // What it changed in place cannot be undone, so the event cannot be applied again: the projection's fault.
            if (changed !== undefined) {
              throw new ProjectionFault(new Error(`projection ${projection.name} changed ${changed} in place, then read ${error.collection} ${error.id}, which was not loaded: `
                + 'an event that changes a document in place cannot be applied again; name the documents it reads in reads(), or read them before changing one'), event);
            }
            await unit.load([[error.collection, error.id]]);
          }
        }
      }
      lane.position = event.position;
      lane.pending += 1;
    }
  }

  private async commit(lane: Lane): Promise<void> {
    if (lane.pending > 0 && lane.unit) {
      try {
        await lane.unit.settle();
        // Fenced: if another runner has moved this checkpoint, nothing is written and this runner stops.
        await this.readStore.commit(lane.generation, lane.unit.changes(), lane.position, { expectedPosition: lane.checkpoint });
      } catch (error) {
        // The batch is dropped, not the state: its writes are undone, the documents are again the store's.
        lane.unit.abandon();
        lane.unit = undefined;
        // A document the store refuses (a key it cannot hold) comes from the projection: the batch fails, not the store.
        throw error instanceof InvalidDocumentError ? new ProjectionFault(error) : error;
      }
      lane.checkpoint = lane.position;
      this.storeFailures = 0;
      this.storeFailingSince = undefined;
      lane.unit.committedTo();
      this.options.onCommit?.(lane.projection.name, lane.position, lane.pending);
      lane.unit = undefined;
      lane.pending = 0;
    }
    lane.state.position = Math.max(lane.state.position, lane.position);
    const failure = this.failures.get(lane.projection.name);
    if (failure && lane.checkpoint >= failure.failedPosition) await this.recovered(lane);
    else if (lane.state.failure) lane.state.failure = { ...lane.state.failure, position: lane.checkpoint };
  }

  private async run(lanes: Lane[], subscription: AsyncIterable<SubscriptionMessage>): Promise<void> {
    const batchSize = this.options.batchSize ?? 1000;
    const until = this.options.untilPosition;
    const iterator = subscription[Symbol.asyncIterator]();
    // A projection that throws is set aside (failLane); a checkpoint conflict still stops the runner for good.
    const isolated = async (lane: Lane, work: () => Promise<void>) => {
      if (lane.failed) return;
      try {
        await work();
      } catch (error) {
        // The stores' errors (and a checkpoint conflict) stop the whole run, which resumes from the checkpoints.
        if (!(error instanceof ProjectionFault)) throw error;
        await this.failLane(lane, error);
      }
    };
    const flush = async () => {
      for (const lane of lanes) await isolated(lane, () => this.commit(lane));
      this.notify();
      // A catch-up is one long chain of microtasks: give the event loop (HTTP, timers) a turn.
      await new Promise<void>((resolve) => setImmediate(resolve));
    };
    let batch: RecordedEvent[] = [];
    // Every projection applies the batch, then each commits it with its checkpoint.
    const drain = async () => {
      let forget = false;
      if (batch.length > 0) {
        const events = batch;
        batch = [];
        for (const lane of lanes) await isolated(lane, () => this.applyBatch(lane, events));
        forget = this.options.forgetDeletedAfter !== undefined && events.some(this.options.forgetDeletedAfter);
      }
      await flush();
      if (forget) await this.readStore.forgetDeleted();
    };
    let next = iterator.next();
    // Fires only once everything ready has been processed (a check phase of the event loop is
    // reached only when no microtask is left): the log has gone quiet. One per quiet period.
    let idle: Promise<typeof IDLE> | undefined;
    const idleSignal = () => (idle ??= new Promise<typeof IDLE>((resolve) => setImmediate(() => {
      idle = undefined;
      resolve(IDLE);
    })));
    for (;;) {
      // Commit when the log goes quiet or the batch is full.
      let result = batch.length > 0 ? await Promise.race([next, idleSignal()]) : await next;
      if (result === IDLE) {
        await drain();
        result = await next;
      }
      if (result.done) break;
      const message = result.value;
      // The event at the cut, or the first after it (positions may have gaps), ends the reading: nothing more is asked for.
      const cut = message.kind === 'event' && until !== undefined && message.event.position >= until;
      if (!cut) next = iterator.next();
      if (message.kind === 'event' && !(cut && message.event.position > until!)) batch.push(message.event);
      if (message.kind === 'event' && !cut) {
        if (batch.length >= batchSize) await drain();
      } else {
        await drain();
        for (const lane of lanes) {
          if (lane.state.caughtUp || lane.failed) continue;
          if (!lane.indexed) {
            await this.readStore.ensureCollections(collectionsOf(lane.projection, lane.generation));
            lane.indexed = true;
          }
          lane.state.caughtUp = true;
          if (lane.rebuilding) {
            await this.recordRebuild(lane.projection.name, null);
            lane.rebuilding = false;
          }
          if (this.options.activate !== false && lane.liveGeneration !== lane.generation) {
            await this.readStore.activateGeneration(lane.projection.name, lane.generation);
            // In a hand-over the live runner still writes the old generation: it drops it when it adopts the new one.
            if (lane.liveGeneration !== undefined && !this.options.stopWhenCaughtUp) await this.readStore.dropGeneration(lane.liveGeneration);
          }
        }
        if (this.options.stopWhenCaughtUp || cut) break;
      }
      if (this.stopped) break;
    }
    await drain();
  }
}

interface Lane {
  readonly projection: Projection;
  readonly generation: string;
  readonly liveGeneration: string | undefined;
  readonly state: ProjectionState;
  /** Its documents across batches (the store's, plus the writes of the batch in progress). */
  readonly documents: ProjectionDocuments;
  /** Position of the last event this projection has applied (committed or not). */
  position: number;
  /** The checkpoint as this runner last read or committed it. */
  checkpoint: number;
  pending: number;
  unit: UnitOfWork | undefined;
  /** Whether the generation's secondary indexes exist (deferred while it is built). */
  indexed: boolean;
  /** Threw on a batch: set aside until the runner continues from the checkpoints (failLane). */
  failed: boolean;
  /** Built again from the log after a collection of it was lost, recorded in PROJECTION_REBUILDS until it catches up (live runner only). */
  rebuilding: boolean;
  /** Scratch of applyBatch, reused by every batch: whether the projection applies each event of the batch… */
  readonly applies: boolean[];
  /** …and the documents the batch reads (the first ones; what is past them is left from a larger batch). */
  readonly keys: DocumentKey[];
}

const describeError = (error: unknown): string => (error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error)).slice(0, 2000);

const collectionsOf = (projection: Projection, generation: string) => projection.collections.map((spec) => ({ ...spec, name: generationCollection(generation, spec.name) }));
