import { createHash } from 'node:crypto';
import { SqliteEventStore } from '@app/event-store';
import { ProjectionRunner, generationOf } from '@app/projections';
import { ALL_PROJECTIONS } from '@app/read-models';
import { SqliteReadStore, generationCollection, type ReadStore } from '@app/read-store';
import { generateComplaints } from '../../bench/lifecycle-generator';

/** sha256 over every document of every read model, in id order. */
async function contentHash(store: ReadStore): Promise<string> {
  const hash = createHash('sha256');
  for (const projection of ALL_PROJECTIONS) {
    for (const spec of projection.collections) {
      const collection = generationCollection(generationOf(projection), spec.name);
      let cursor: string | undefined;
      do {
        const page = await store.find(collection, { sort: [{ field: 'id', direction: 'asc' }], limit: 1000, cursor });
        for (const document of page.items) hash.update(`${collection}\n${JSON.stringify(document)}\n`);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
  }
  return hash.digest('hex');
}

async function replay(events: SqliteEventStore, batchSize: number): Promise<string> {
  const store = new SqliteReadStore({ filename: ':memory:' });
  const runner = new ProjectionRunner(events, store, ALL_PROJECTIONS, { batchSize });
  await runner.start();
  await runner.caughtUp();
  await runner.stop();
  const digest = await contentHash(store);
  await store.close();
  return digest;
}

describe('replay', () => {
  it('gives byte-identical read models every time, whatever the batch size', async () => {
    const events = new SqliteEventStore({ filename: ':memory:' });
    for (const { stream, event } of generateComplaints(0, 400, 400).sort((a, b) => a.at - b.at)) await events.append(stream, [event]);
    const first = await replay(events, 1000);
    expect(await replay(events, 1000)).toBe(first);
    expect(await replay(events, 7)).toBe(first);
    await events.close();
  });
});
