import { SqliteEventStore, type AllSubscription, type SubscribeToAllOptions, type SubscriptionMessage } from '@app/event-store';
import { SqliteReadStore } from '@app/read-store';
import { complaint } from '../testing-fixtures';
import { buildAsOfGeneration } from './as-of-generations';

/** Counts the events its subscriptions hand out: what a build reads of the log. */
class CountingEventStore extends SqliteEventStore {
  delivered = 0;
  override subscribeToAll(options?: SubscribeToAllOptions): AllSubscription {
    const inner = super.subscribeToAll(options);
    const store = this;
    return {
      async *[Symbol.asyncIterator](): AsyncGenerator<SubscriptionMessage> {
        for await (const message of inner) {
          if (message.kind === 'event') store.delivered += 1;
          yield message;
        }
      },
      close: () => inner.close(),
    };
  }
}

const id = (index: number) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;

describe('as-of generations', () => {
  it('cut at a log position, stop reading the log there: the events after the cut are neither applied nor read', async () => {
    const events = new CountingEventStore({ filename: ':memory:' });
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    for (let index = 0; index < 3000; index += 1) {
      const received = complaint(id(index), { minutes: index }).received;
      await events.append(`complaint-${id(index)}`, [{ eventId: id(index), type: received.type, data: received.data, metadata: {} }]);
    }
    const entry = await buildAsOfGeneration(events, readStore, { position: 1200 }, '1200', 'position-1200');
    expect(entry).toMatchObject({ status: 'done', position: 1200, applied: 1200 });
    // The event at the cut is the last one asked for (where positions have gaps, the first after it would be).
    expect(events.delivered).toBe(1200);
    expect(entry.events).toBe(1200);
    await readStore.close();
    await events.close();
  });
});
