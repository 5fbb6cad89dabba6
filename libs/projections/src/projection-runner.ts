import type { EventStore, RecordedEvent, SubscriptionMessage } from '@app/event-store';
import { CheckpointConflictError, generationCollection, type ReadStore } from '@app/read-store';
import { DocumentNotLoaded, generationOf, type DocumentKey, type Projection } from './projection';
import { CommittedDocuments, UnitOfWork } from './unit-of-work';

export interface ProjectionRunnerOptions {
  /** Events applied before a commit, at most. */
  readonly batchSize?: number;
  readonly onError?: (projection: string, error: unknown) => void;
  /** Called after every commit with the position reached. */
  readonly onCommit?: (projection: string, position: number, events: number) => void;
  /** Committed documents kept in memory per projection between batches. */
  readonly cachedDocuments?: number;
  /** Builds named generations (`<prefix>_<name>_v<version>`) instead of the live ones. */
  readonly generationPrefix?: string;
  /** Only these events are applied (the others still advance the position): e.g. history up to a date. */
  readonly include?: (event: RecordedEvent) => boolean;
  /** Whether a caught-up generation becomes the live one (default true; false for named generations). */
  readonly activate?: boolean;
  /**
   * Stop as soon as every projection has caught up (after activating): a rebuild run beside a live
   * runner, which then adopts the new generation. The old generation is left to that runner.
   */
  readonly stopWhenCaughtUp?: boolean;
  /** How often a live runner looks for a generation activated by someone else (a rebuild). */
  readonly adoptionCheckMs?: number;
  /** After a store error, how long to wait before continuing from the checkpoints (default 1 s). */
  readonly retryDelayMs?: number;
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

interface ProjectionState {
  position: number;
  caughtUp: boolean;
}

const IDLE = Symbol('idle');

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
  private lanes: Lane[] = [];
  private adopting = false;
  private adoptionTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    const names = projections.map((projection) => projection.name);
    if (new Set(names).size !== names.length) throw new Error(`projection names must be unique: ${names.join(', ')}`);
  }

  async start(): Promise<void> {
    await this.launch();
    if (this.options.activate !== false && !this.options.stopWhenCaughtUp && this.options.generationPrefix === undefined) {
      this.adoptionTimer = setInterval(() => void this.adoptRebuilds().catch((error: unknown) => this.options.onError?.('adoption', error)), this.options.adoptionCheckMs ?? 1000);
      this.adoptionTimer.unref();
    }
  }

  private async launch(): Promise<void> {
    const live = await this.readStore.liveGenerations();
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
      await this.readStore.ensureCollections(collectionsOf(projection, generation), { indexes: serving });
      // This runner is the generation's writer: finish a commit a crash may have interrupted first.
      await this.readStore.recover(generation);
      const position = await this.readStore.checkpoint(generation);
      const state = { position, caughtUp: false };
      this.states.set(projection.name, state);
      lanes.push({
        projection, generation, liveGeneration: current, state, position, checkpoint: position, pending: 0,
        committed: new CommittedDocuments(this.options.cachedDocuments ?? 5_000), unit: undefined, indexed: serving,
      });
    }
    this.lanes = lanes;
    if (lanes.length === 0) return;
    // One read of the log feeds every projection; each skips what its own checkpoint already has.
    const subscription = this.eventStore.subscribeToAll({ fromPosition: Math.min(...lanes.map((lane) => lane.position)) });
    this.subscriptions.push(subscription);
    this.loops.push(this.run(lanes, subscription).catch((error: unknown) => {
      for (const lane of lanes) this.options.onError?.(lane.projection.name, error);
      // Another runner took the generation over: this one is stale and stops for good.
      if (error instanceof CheckpointConflictError || this.stopped) return;
      // A store that failed (disk full, a server away): start again from the checkpoints once it may be back.
      this.scheduleResume();
    }));
  }

  /**
   * A rebuild (another runner with stopWhenCaughtUp) has made a new generation live: stop after the
   * batch in progress, continue from that generation's checkpoint, and drop the replaced one.
   */
  private async adoptRebuilds(): Promise<void> {
    if (this.adopting || this.stopped) return;
    const live = await this.readStore.liveGenerations();
    const replaced = this.lanes.filter((lane) => lane.state.caughtUp && live[lane.projection.name] !== undefined && live[lane.projection.name] !== lane.generation
      && isGenerationOf(lane.projection, live[lane.projection.name]!));
    if (replaced.length === 0) return;
    await this.relaunch(async () => {
      for (const lane of replaced) await this.readStore.dropGeneration(lane.generation);
    });
  }

  private resumeTimer: NodeJS.Timeout | undefined;

  private scheduleResume(): void {
    if (!this.stopped) this.resumeTimer = setTimeout(() => void this.resume(), this.options.retryDelayMs ?? 1000);
  }

  /** After a store error: drop what was in memory and continue every projection from its committed checkpoint. */
  private async resume(): Promise<void> {
    if (this.stopped) return;
    if (this.adopting) {
      this.scheduleResume();
      return;
    }
    try {
      await this.relaunch();
    } catch (error) {
      this.options.onError?.('resume', error);
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
    await Promise.all(this.subscriptions.map((subscription) => subscription.close()));
    await Promise.all(this.loops);
    this.notify();
  }

  /** Position every projection has reached (the lowest of them). */
  position(): number {
    const positions = [...this.states.values()].map((state) => state.position);
    return positions.length === 0 ? 0 : Math.min(...positions);
  }

  positions(): Record<string, { position: number; caughtUp: boolean }> {
    return Object.fromEntries([...this.states.entries()].map(([name, state]) => [name, { ...state }]));
  }

  /** Waits until every projection has reached `position`, or the timeout; returns the position reached. */
  async waitForPosition(position: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.position() < position && !this.stopped) {
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
   * Resolves once every projection has caught up with the log at least once; rejects when the time is
   * up, or when the runner is stopped first (a waiter must not poll for ever, keeping a thread alive).
   */
  async caughtUp(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (![...this.states.values()].every((state) => state.caughtUp)) {
      if (this.stopped) throw new Error('the projection runner stopped before it caught up');
      if (Date.now() > deadline) throw new Error('projections did not catch up in time');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
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
    const applies = events.map((event) => event.position > lane.position && !event.type.startsWith('$') && (this.options.include?.(event) ?? true));
    const unit = (lane.unit ??= new UnitOfWork(this.readStore, lane.generation, lane.committed));
    const { projection } = lane;
    if (projection.reads) {
      const keys: DocumentKey[] = [];
      events.forEach((event, index) => {
        if (applies[index]) keys.push(...projection.reads!(event));
      });
      await unit.load(keys);
    }
    for (const [index, event] of events.entries()) {
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
            unit.rollback();
            if (!(error instanceof DocumentNotLoaded)) throw error;
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
        lane.committed.clear();
        throw error;
      }
      lane.checkpoint = lane.position;
      lane.unit.committedTo();
      this.options.onCommit?.(lane.projection.name, lane.position, lane.pending);
      lane.unit = undefined;
      lane.pending = 0;
    }
    lane.state.position = Math.max(lane.state.position, lane.position);
  }

  private async run(lanes: Lane[], subscription: AsyncIterable<SubscriptionMessage>): Promise<void> {
    const batchSize = this.options.batchSize ?? 1000;
    const iterator = subscription[Symbol.asyncIterator]();
    const flush = async () => {
      for (const lane of lanes) await this.commit(lane);
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
        for (const lane of lanes) await this.applyBatch(lane, events);
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
      next = iterator.next();
      const message = result.value;
      if (message.kind === 'event') {
        batch.push(message.event);
        if (batch.length >= batchSize) await drain();
      } else {
        await drain();
        for (const lane of lanes) {
          if (lane.state.caughtUp) continue;
          if (!lane.indexed) {
            await this.readStore.ensureCollections(collectionsOf(lane.projection, lane.generation));
            lane.indexed = true;
          }
          lane.state.caughtUp = true;
          if (this.options.activate !== false && lane.liveGeneration !== lane.generation) {
            await this.readStore.activateGeneration(lane.projection.name, lane.generation);
            // In a hand-over the live runner still writes the old generation: it drops it when it adopts the new one.
            if (lane.liveGeneration !== undefined && !this.options.stopWhenCaughtUp) await this.readStore.dropGeneration(lane.liveGeneration);
          }
        }
        if (this.options.stopWhenCaughtUp) break;
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
  readonly committed: CommittedDocuments;
  /** Position of the last event this projection has applied (committed or not). */
  position: number;
  /** The checkpoint as this runner last read or committed it. */
  checkpoint: number;
  pending: number;
  unit: UnitOfWork | undefined;
  /** Whether the generation's secondary indexes exist (deferred while it is built). */
  indexed: boolean;
}

const collectionsOf = (projection: Projection, generation: string) => projection.collections.map((spec) => ({ ...spec, name: generationCollection(generation, spec.name) }));
