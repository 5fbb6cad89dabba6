import type { EventStore, SubscriptionMessage } from '@app/event-store';
import { generationCollection, type ReadStore } from '@app/read-store';
import { generationOf, type Projection } from './projection';
import { CommittedDocuments, UnitOfWork } from './unit-of-work';

export interface ProjectionRunnerOptions {
  /** Events applied before a commit, at most. */
  readonly batchSize?: number;
  readonly onError?: (projection: string, error: unknown) => void;
  /** Called after every commit with the position reached. */
  readonly onCommit?: (projection: string, position: number, events: number) => void;
  /** Committed documents kept in memory per projection between batches. */
  readonly cachedDocuments?: number;
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
    const live = await this.readStore.liveGenerations();
    for (const projection of this.projections) {
      const generation = generationOf(projection);
      await this.readStore.ensureCollections(projection.collections.map((spec) => ({ ...spec, name: generationCollection(generation, spec.name) })));
      const position = await this.readStore.checkpoint(generation);
      this.states.set(projection.name, { position, caughtUp: false });
      const subscription = this.eventStore.subscribeToAll({ fromPosition: position });
      this.subscriptions.push(subscription);
      this.loops.push(this.run(projection, generation, live[projection.name], subscription).catch((error: unknown) => this.options.onError?.(projection.name, error)));
    }
  }

  /** Stops after the batch in progress is committed. */
  async stop(): Promise<void> {
    this.stopped = true;
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

  /** Resolves once every projection has caught up with the log at least once. */
  async caughtUp(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (![...this.states.values()].every((state) => state.caughtUp)) {
      if (Date.now() > deadline) throw new Error('projections did not catch up in time');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private notify(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  private async run(projection: Projection, generation: string, liveGeneration: string | undefined, subscription: AsyncIterable<SubscriptionMessage>): Promise<void> {
    const state = this.states.get(projection.name)!;
    const batchSize = this.options.batchSize ?? 1000;
    const iterator = subscription[Symbol.asyncIterator]();
    const committed = new CommittedDocuments(this.options.cachedDocuments ?? 20_000);
    let unit = new UnitOfWork(this.readStore, generation, committed);
    let pending = 0;
    let position = state.position;

    const flush = async () => {
      if (pending > 0) {
        try {
          await this.readStore.commit(generation, unit.changes(), position);
        } catch (error) {
          committed.clear();
          throw error;
        }
        unit.committedTo();
        this.options.onCommit?.(projection.name, position, pending);
        unit = new UnitOfWork(this.readStore, generation, committed);
        pending = 0;
      }
      state.position = position;
      this.notify();
    };

    let next = iterator.next();
    for (;;) {
      // Commit when the stream goes quiet (nothing more ready in this turn) or the batch is full.
      let result = pending > 0 ? await Promise.race([next, new Promise<typeof IDLE>((resolve) => setImmediate(() => resolve(IDLE)))]) : await next;
      if (result === IDLE) {
        await flush();
        result = await next;
      }
      if (result.done) break;
      next = iterator.next();
      const message = result.value;
      if (message.kind === 'event') {
        if (!message.event.type.startsWith('$')) await projection.apply(message.event, unit);
        position = message.event.position;
        pending += 1;
        if (pending >= batchSize) await flush();
      } else {
        await flush();
        if (!state.caughtUp) {
          state.caughtUp = true;
          if (liveGeneration !== generation) {
            await this.readStore.activateGeneration(projection.name, generation);
            if (liveGeneration !== undefined) await this.readStore.dropGeneration(liveGeneration);
          }
        }
      }
      if (this.stopped) break;
    }
    await flush();
  }
}
