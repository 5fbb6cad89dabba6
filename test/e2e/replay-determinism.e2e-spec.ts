import { SqliteEventStore } from '@app/event-store';
import { ProjectionRunner, generationOf } from '@app/projections';
import { ALL_PROJECTIONS } from '@app/read-models';
import { SqliteReadStore } from '@app/read-store';
import { contentHash } from '../support/read-model-hash';
import { generateComplaints } from '../../bench/lifecycle-generator';

async function replay(events: SqliteEventStore, batchSize: number): Promise<string> {
  const store = new SqliteReadStore({ filename: ':memory:' });
  const runner = new ProjectionRunner(events, store, ALL_PROJECTIONS, { batchSize });
  await runner.start();
  await runner.caughtUp();
  await runner.stop();
  const digest = await contentHash(store, generationOf);
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
    // Not a speed test: three replays of 2,000 events take seconds on a busy two-core machine.
  }, 60_000);
});
