import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { verifyChain } from '@app/event-sourcing';
import { SqliteEventStore, type RecordedEvent } from '@app/event-store';
import { ProjectionRunner, generationOf } from '@app/projections';
import { ALL_PROJECTIONS } from '@app/read-models';
import { SqliteReadStore, generationCollection, type ReadStore } from '@app/read-store';

/** sha256 over every document of every read model (the given generation of each), in id order. */
async function contentHash(store: ReadStore, generationFor: (projection: (typeof ALL_PROJECTIONS)[number]) => string): Promise<string> {
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

export interface DataDirState {
  readonly events: RecordedEvent[];
  readonly head: number;
  readonly brokenChains: string[];
  /** Checkpoint of each live read model. */
  readonly checkpoints: Record<string, number>;
  readonly liveHash: string;
  readonly freshHash: string;
}

/** Everything a crash test checks, read from a stopped server's data dir. */
export async function inspectDataDir(dataDir: string): Promise<DataDirState> {
  const eventStore = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite'), synchronous: 'FULL' });
  const live = new SqliteReadStore({ filename: join(dataDir, 'read.sqlite') });
  const fresh = new SqliteReadStore({ filename: ':memory:' });
  try {
    const events = await eventStore.readAll();
    const byStream = new Map<string, RecordedEvent[]>();
    for (const event of events) byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), event]);
    const brokenChains = [...byStream].filter(([stream, list]) => !verifyChain(stream, list).ok).map(([stream]) => stream);
    const generations = await live.liveGenerations();
    const liveGeneration = (projection: (typeof ALL_PROJECTIONS)[number]) => generations[projection.name] ?? generationOf(projection);
    const checkpoints: Record<string, number> = {};
    for (const projection of ALL_PROJECTIONS) checkpoints[projection.name] = await live.checkpoint(liveGeneration(projection));
    const runner = new ProjectionRunner(eventStore, fresh, ALL_PROJECTIONS);
    await runner.start();
    await runner.caughtUp();
    await runner.stop();
    return {
      events, head: await eventStore.headPosition(), brokenChains, checkpoints,
      liveHash: await contentHash(live, liveGeneration), freshHash: await contentHash(fresh, generationOf),
    };
  } finally {
    await fresh.close();
    await live.close();
    await eventStore.close();
  }
}
