import { generationOf } from '@app/projections';
import { generationCollection, type ReadStore } from '@app/read-store';

/**
 * Resolves a read model's logical collection to the live generation (blue/green), or to a named
 * generation built by an analyst (asOf).
 */
export class ReadModelReader {
  constructor(
    readonly store: ReadStore,
    private readonly current: ReadonlyArray<{ name: string; version: number }>,
  ) {}

  async collection(readModel: string, logical: string, generation?: string): Promise<string> {
    if (generation) return generationCollection(generation, logical);
    const live = (await this.store.liveGenerations())[readModel];
    const fallback = this.current.find((projection) => projection.name === readModel);
    if (!live && !fallback) throw new Error(`unknown read model ${readModel}`);
    return generationCollection(live ?? generationOf(fallback!), logical);
  }
}
