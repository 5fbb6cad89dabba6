import { createHash } from 'node:crypto';
import { ALL_PROJECTIONS } from '@app/read-models';
import { generationCollection, type ReadStore } from '@app/read-store';

/** sha256 over every document of every read model (the given generation of each), in id order. */
export async function contentHash(store: ReadStore, generationFor: (projection: (typeof ALL_PROJECTIONS)[number]) => string): Promise<string> {
  const hash = createHash('sha256');
  for (const projection of ALL_PROJECTIONS) {
    for (const spec of projection.collections) {
      const collection = generationCollection(generationFor(projection), spec.name);
      let cursor: string | undefined;
      do {
        const page = await store.find(collection, { sort: [{ field: 'id', direction: 'asc' }], limit: 1000, cursor });
        for (const document of page.items) hash.update(`${spec.name}\n${JSON.stringify(document)}\n`);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
  }
  return hash.digest('hex');
}
