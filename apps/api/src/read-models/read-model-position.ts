import { generationOf, type ProjectionRunner } from '@app/projections';
import type { ReadStore } from '@app/read-store';
import { ALL_PROJECTIONS } from '@app/read-models';

/**
 * How far the read models have got in the event log, for read-your-writes: a query with
 * `minPosition` waits (up to a limit) until every read model has applied that position. With the
 * projector in this process the runner says so directly; with an external projector the
 * checkpoints in the read store do.
 */
export class ReadModelPosition {
  constructor(
    private readonly store: ReadStore,
    private readonly runner: ProjectionRunner | undefined,
  ) {}

  async current(): Promise<number> {
    if (this.runner) return this.runner.position();
    return Math.min(...(await this.committed()).map((row) => row.position));
  }

  /** Each live read model's committed checkpoint, as the read store has it (whoever runs the projector). */
  async committed(): Promise<Array<{ projection: string; position: number }>> {
    const live = await this.store.liveGenerations();
    return Promise.all(ALL_PROJECTIONS.map(async (projection) => ({
      projection: projection.name, position: await this.store.checkpoint(live[projection.name] ?? generationOf(projection)),
    })));
  }

  async waitFor(position: number, timeoutMs: number): Promise<number> {
    if (this.runner) return this.runner.waitForPosition(position, timeoutMs);
    const deadline = Date.now() + timeoutMs;
    let current = await this.current();
    while (current < position && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      current = await this.current();
    }
    return current;
  }
}
