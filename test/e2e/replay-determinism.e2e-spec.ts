import { SqliteEventStore } from '@app/event-store';
import { ProjectionRunner, generationOf } from '@app/projections';
import { ALL_PROJECTIONS } from '@app/read-models';
import { SqliteReadStore } from '@app/read-store';
import { contentHash } from '../support/read-model-hash';
import { generateComplaints, generateRepairs, generateServiceNetwork } from '../../bench/lifecycle-generator';

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
  it('gives byte-identical read models every time, whatever the batch size, complaints and repairs alike', async () => {
    const events = new SqliteEventStore({ filename: ':memory:' });
    const { events: network, network: directory } = generateServiceNetwork();
    const history = [...network, ...generateComplaints(0, 400, 400), ...generateRepairs(0, 60, 60, directory)].sort((a, b) => a.at - b.at);
    expect(history.filter(({ stream }) => stream.startsWith('work-order-')).length).toBeGreaterThan(500);
    for (const { stream, event } of history) await events.append(stream, [event]);
    const first = await replay(events, 1000);
    expect(await replay(events, 1000)).toBe(first);
    expect(await replay(events, 7)).toBe(first);
    await events.close();
    // Not a speed test: three replays of 3,000 events take seconds on a busy two-core machine.
  }, 60_000);
});
