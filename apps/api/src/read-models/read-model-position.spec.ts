import { generationOf } from '@app/projections';
import { ALL_PROJECTIONS } from '@app/read-models';
import { SqliteReadStore, type ReadStore } from '@app/read-store';
import type { ProjectionProgress } from './projection-worker';
import { ReadModelPosition } from './read-model-position';

/** A read store whose checkpoints an external projector moves: they reach `target` on the `reachOnRound`-th read of them. */
function externalProjector(target: number, reachOnRound: number) {
  const counts = { rounds: 0 };
  const store = {
    liveGenerations: async () => {
      counts.rounds += 1;
      return Object.fromEntries(ALL_PROJECTIONS.map((projection) => [projection.name, generationOf(projection)]));
    },
    checkpoint: async () => (counts.rounds >= reachOnRound ? target : target - 1),
  } as unknown as ReadStore;
  return { store, counts };
}

describe('read-your-writes with the projector in another process', () => {
  it('serves every waiting request from one poll of the checkpoints', async () => {
    const { store, counts } = externalProjector(42, 3);
    const position = new ReadModelPosition(store, undefined);
    const reached = await Promise.all(Array.from({ length: 50 }, () => position.waitFor(42, 5_000)));
    expect(reached).toEqual(Array.from({ length: 50 }, () => 42));
    // Three rounds reach 42; a poll per request would have read the checkpoints at least 50 times.
    expect(counts.rounds).toBeLessThanOrEqual(4);
  });

  it('answers at once when the read models are already there, and tells a request that times out how far they got', async () => {
    const { store } = externalProjector(10, 1);
    const position = new ReadModelPosition(store, undefined);
    await expect(position.waitFor(10, 5_000)).resolves.toBe(10);
    await expect(position.waitFor(11, 30)).resolves.toBe(10);
  });

  it('keeps a request waiting while the read store is briefly away, then answers', async () => {
    let failures = 2;
    const { store } = externalProjector(7, 1);
    const flaky = { ...store, liveGenerations: async () => {
      if (failures-- > 0) throw new Error('database is locked');
      return store.liveGenerations();
    }, checkpoint: store.checkpoint } as unknown as ReadStore;
    await expect(new ReadModelPosition(flaky, undefined).waitFor(7, 5_000)).resolves.toBe(7);
  });
});

describe('read-your-writes with the projections under the projector lease', () => {
  it('asks the runner while this process holds the lease, and the checkpoints while another process does', async () => {
    const { store } = externalProjector(30, 1);
    const runner = { position: () => 12, positions: () => ({}), failing: () => [], waitForPosition: async () => 12 } as unknown as ProjectionProgress;
    let holding = true;
    const position = new ReadModelPosition(store, () => (holding ? runner : undefined));
    await expect(position.current()).resolves.toBe(12);
    await expect(position.waitFor(30, 50)).resolves.toBe(12);
    // The lease went to another instance: this runner is stopped and its positions no longer move.
    holding = false;
    await expect(position.current()).resolves.toBe(30);
    await expect(position.waitFor(30, 5_000)).resolves.toBe(30);
  });
});

describe('the checkpoints the projector watch compares', () => {
  it('gives the checkpoint of the generation this version builds beside an older live one, which stands still meanwhile (an upgrade)', async () => {
    const store = new SqliteReadStore({ filename: ':memory:' });
    try {
      const [list, ...others] = ALL_PROJECTIONS;
      // The live generation is an older version's; this build's version is being built from the log's start.
      const older = `${list!.name.replace(/[^A-Za-z0-9]/g, '_')}_v${list!.version - 1}`;
      await store.activateGeneration(list!.name, older);
      await store.commit(older, [], 40);
      await store.commit(generationOf(list!), [], 7);
      for (const projection of others) {
        await store.activateGeneration(projection.name, generationOf(projection));
        await store.commit(generationOf(projection), [], 40);
      }
      const progress = await new ReadModelPosition(store, undefined).progress();
      expect(progress.find((row) => row.projection === list!.name)).toEqual({ projection: list!.name, position: 40, building: 7 });
      expect(progress.filter((row) => row.projection !== list!.name)).toEqual(others.map((projection) => ({ projection: projection.name, position: 40 })));
      // What /health/ready's lag and read-your-writes wait for stays the live one's.
      expect((await new ReadModelPosition(store, undefined).committed()).find((row) => row.projection === list!.name)).toEqual({ projection: list!.name, position: 40 });
    } finally {
      await store.close();
    }
  });
});
