import { join } from 'node:path';
import { verifyChain } from '@app/event-sourcing';
import { SqliteEventStore, type RecordedEvent } from '@app/event-store';
import { ProjectionRunner, generationOf } from '@app/projections';
import { ALL_PROJECTIONS } from '@app/read-models';
import { SqliteReadStore } from '@app/read-store';
import { contentHash } from '../../support/read-model-hash';

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
