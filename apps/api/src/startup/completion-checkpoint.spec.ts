import { SqliteEventStore } from '@app/event-store';
import { SqliteReadStore } from '@app/read-store';
import { completeFromCheckpoint } from './completion-checkpoint';

describe('start-up completions from a checkpoint', () => {
  let events: SqliteEventStore;
  let store: SqliteReadStore;
  beforeEach(() => {
    events = new SqliteEventStore({ filename: ':memory:' });
    store = new SqliteReadStore({ filename: ':memory:' });
  });
  afterEach(async () => {
    await events.close();
    await store.close();
  });
  const record = (n: number) => events.append(`survey-campaign-${n}`, [{ eventId: `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`, type: 'SurveyCampaignRun', data: {}, metadata: {} }]);

  it('given a first start, reads the whole log and keeps the position it read up to (at least the head when it began); the next start reads only what came after', async () => {
    await record(1);
    await record(2);
    const head = await events.headPosition();
    const asked: number[] = [];
    const complete = async (after: number) => {
      asked.push(after);
      return { position: head };
    };
    await completeFromCheckpoint(store, events, 'completion-test', complete);
    await completeFromCheckpoint(store, events, 'completion-test', complete);
    expect(asked).toEqual([0, head]);
    expect(await store.checkpoint('completion-test')).toBe(head);
  });

  it('given a completion that fails, keeps the checkpoint where it was, so the next start reads it again', async () => {
    await record(1);
    await completeFromCheckpoint(store, events, 'completion-test', async () => ({ position: 0 }));
    expect(await store.checkpoint('completion-test')).toBe(1);
    await record(2);
    await expect(completeFromCheckpoint(store, events, 'completion-test', async () => {
      throw new Error('the key store is down');
    })).rejects.toThrow('the key store is down');
    expect(await store.checkpoint('completion-test')).toBe(1);
  });

  it('given a checkpoint beyond the head of the log (a read store kept beside a new event store), reads the whole log', async () => {
    await store.commit('completion-test', [], 500);
    await record(1);
    const asked: number[] = [];
    await completeFromCheckpoint(store, events, 'completion-test', async (after) => {
      asked.push(after);
      return { position: 1 };
    });
    expect(asked).toEqual([0]);
    expect(await store.checkpoint('completion-test')).toBe(1);
  });
});
