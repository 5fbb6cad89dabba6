import { generationOf, isGenerationOf, recordedFailures, recordedRebuilds, type ProjectionFailure } from '@app/projections';
import { generationCollection, type ReadStore } from '@app/read-store';
import { ALL_PROJECTIONS } from '@app/read-models';
import type { ProjectionProgress } from './projection-worker';

/**
 * How far the read models have got in the event log, for read-your-writes: a query with
 * `minPosition` waits (up to a limit) until every read model has applied that position. With the
 * projector in this process the runner says so directly (on this thread, or through the positions
 * its worker thread posts after each commit); with an external projector, or while another instance
 * holds the projector lease, the checkpoints in the read store do.
 */
export class ReadModelPosition {
  /** Requests waiting for an external projector; one poll serves them all. */
  private readonly waiters = new Set<Waiter>();
  private polling = false;
  /** The position the last poll read (what a request that times out is told). */
  private lastSeen = 0;

  constructor(
    private readonly store: ReadStore,
    /** The runner of this process while it holds the projector lease; undefined while another process projects. */
    private readonly runnerNow: () => ProjectionProgress | undefined = () => undefined,
  ) {}

  async current(): Promise<number> {
    const runner = this.runnerNow();
    if (runner) return runner.position();
    return Math.min(...(await this.committed()).map((row) => row.position));
  }

  /**
   * The failing projections: as the runner of this process knows them, or as the projector recorded
   * them in the read store (PROJECTIONS=external).
   */
  async failing(): Promise<ProjectionFailure[]> {
    const runner = this.runnerNow();
    if (runner) return runner.failing();
    return recordedFailures(this.store);
  }

  /** Each read model's position: as the runner of this process has it, or its committed checkpoint. */
  async positions(): Promise<Record<string, number>> {
    const runner = this.runnerNow();
    if (runner) return Object.fromEntries(Object.entries(runner.positions()).map(([name, state]) => [name, state.position]));
    return Object.fromEntries((await this.committed()).map((row) => [row.projection, row.position]));
  }

  /** Each live read model's committed checkpoint, as the read store has it (whoever runs the projector). */
  async committed(): Promise<Array<{ projection: string; position: number }>> {
    return (await this.progress()).map(({ projection, position }) => ({ projection, position }));
  }

  /**
   * committed(), and `building`: the checkpoint of the generation of this build's version of a read model where
   * the live one is another version's (after an upgrade the projector builds the new one from the log's start
   * while nobody writes the live one): whether the projector moves, for the projector watch.
   */
  async progress(): Promise<Array<{ projection: string; position: number; building?: number }>> {
    const live = await this.store.liveGenerations();
    return Promise.all(ALL_PROJECTIONS.map(async (projection) => {
      const own = generationOf(projection);
      const current = live[projection.name] ?? own;
      const position = await this.store.checkpoint(current);
      return current === own ? { projection: projection.name, position } : { projection: projection.name, position, building: await this.store.checkpoint(own) };
    }));
  }

  /**
   * The live read models that lost a collection (dropped outside the projector) or are being built again from the log after
   * one, in words for /health: from the read store, so in any process, whoever runs the projector (docs/adr/0005).
   */
  async rebuilding(): Promise<string[]> {
    const live = await this.store.liveGenerations();
    const names = ALL_PROJECTIONS.flatMap((projection) => {
      const generation = live[projection.name];
      // Another version's live generation (an upgrade being built beside it) may have other collections: not asked.
      return generation === undefined || !isGenerationOf(projection, generation) ? [] : projection.collections.map((spec) => ({ projection: projection.name, collection: generationCollection(generation, spec.name) }));
    });
    const collections = names.map((name) => name.collection);
    const missing = new Set(await this.store.missingCollections(collections));
    const damaged = new Set(await this.store.damagedTextIndexes(collections.filter((collection) => !missing.has(collection))));
    const lost = new Map<string, string[]>();
    const unindexed = new Map<string, string[]>();
    for (const { projection, collection } of names) {
      if (missing.has(collection)) lost.set(projection, [...(lost.get(projection) ?? []), collection]);
      else if (damaged.has(collection)) unindexed.set(projection, [...(unindexed.get(projection) ?? []), collection]);
    }
    const rebuilds = await recordedRebuilds(this.store);
    return [
      ...[...lost].map(([projection, collections]) => `read model ${projection} lost ${collections.join(', ')} (dropped outside the projector): its reads answer 503 read-model-rebuilding `
        + 'until the projector that holds the lease, which looks every second, builds it again from the event log'),
      ...[...unindexed].filter(([projection]) => !lost.has(projection)).map(([projection, collections]) => `read model ${projection} lost the text index of ${collections.join(', ')} `
        + '(dropped outside the projector): its searches answer 503 read-model-rebuilding until the projector that holds the lease, which looks every second, '
        + 'makes the index again from its documents; its lists without a search answer whole'),
      ...rebuilds.filter((rebuild) => !lost.has(rebuild.projection)).map((rebuild) => `read model ${rebuild.projection} is being rebuilt from the event log since ${rebuild.since} `
        + `(${rebuild.collections.join(', ')} dropped outside the projector at position ${rebuild.position}): it answers what is rebuilt so far until it has caught up`),
    ];
  }

  async waitFor(position: number, timeoutMs: number): Promise<number> {
    const runner = this.runnerNow();
    if (runner) return runner.waitForPosition(position, timeoutMs);
    // One poll of the checkpoints serves every waiting request, however many there are.
    return new Promise<number>((resolve) => {
      const waiter: Waiter = {
        position,
        done: (reached) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.done(this.lastSeen), Math.max(0, timeoutMs));
      this.waiters.add(waiter);
      this.poll();
    });
  }

  private poll(): void {
    if (this.polling) return;
    this.polling = true;
    void (async () => {
      try {
        while (this.waiters.size > 0) {
          try {
            // A failing projection is not waited for (the request finds out whether it reads it).
            // The failures unreadable for a moment: wait for every read model, as without any.
            const [committed, failing] = await Promise.all([this.committed(), this.failing().catch(() => [])]);
            const stuck = new Set(failing.filter((failure) => !failure.transient).map((failure) => failure.projection));
            this.lastSeen = Math.min(...committed.map((row) => row.position));
            const running = committed.filter((row) => !stuck.has(row.projection)).map((row) => row.position);
            const reached = running.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...running);
            for (const waiter of [...this.waiters]) if (reached >= waiter.position) waiter.done(this.lastSeen);
          } catch {
            // The store is away for a moment: the waiters keep waiting until their timeout.
          }
          for (const waiter of [...this.waiters]) if (this.lastSeen >= waiter.position) waiter.done(this.lastSeen);
          if (this.waiters.size > 0) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
      } finally {
        this.polling = false;
      }
    })();
  }
}

interface Waiter {
  readonly position: number;
  readonly done: (reached: number) => void;
}

/** How often the checkpoints are read while requests wait for an external projector. */
const POLL_MS = 5;
