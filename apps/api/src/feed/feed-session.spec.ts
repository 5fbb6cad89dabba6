import { randomUUID } from 'node:crypto';
import { SqliteEventStore, type RecordedEvent } from '@app/event-store';
import { FeedHub } from './feed-hub';
import { FeedSelection } from './feed-selection';
import { FeedSession, type FeedSink } from './feed-session';

const noFacts = { facts: async () => undefined, customerFileVisible: async () => false };
const everything = () => new FeedSelection({}, { actor: { id: 'admin-1', role: 'admin' }, scope: 'all' }, noFacts);
const append = (store: SqliteEventStore, count: number) => store.append(`product-P${randomUUID().slice(0, 8)}`, Array.from({ length: count }, (_, index) => ({
  eventId: randomUUID(), type: 'ProductRegistered', data: { index }, metadata: {},
})));

/** A sink that takes each event after a turn of the event loop (so appends interleave), and records what happened. */
class RecordingSink implements FeedSink {
  readonly positions: number[] = [];
  caughtUpAt: number | undefined;
  overflowedAt: number | undefined;
  blocked = false;
  private release: (() => void) | undefined;

  async ready(): Promise<boolean> {
    if (this.blocked) await new Promise<void>((resolve) => { this.release = resolve; });
    await new Promise((resolve) => setImmediate(resolve));
    return true;
  }

  deliver(event: RecordedEvent): void {
    this.positions.push(event.position);
  }

  caughtUp(position: number): boolean {
    this.caughtUpAt ??= position;
    return true;
  }

  overflowed(position: number): void {
    this.overflowedAt = position;
    this.release?.();
  }

  interrupted(): void {}
}

const until = async (condition: () => boolean) => {
  for (let attempt = 0; attempt < 500 && !condition(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
};

describe('a feed session', () => {
  let store: SqliteEventStore;
  let hub: FeedHub;

  beforeEach(() => {
    store = new SqliteEventStore({ filename: ':memory:' });
    hub = new FeedHub(store);
  });
  afterEach(async () => {
    hub.onModuleDestroy();
    await store.close();
  });

  it('sends every event after its position once, in log order, while appends go on during its catch-up and after it', async () => {
    for (let batch = 0; batch < 5; batch += 1) await append(store, 100);
    const skipped = (await store.readAll({ maxCount: 10 }))[9]!.position;
    const sink = new RecordingSink();
    const session = new FeedSession(store, hub, everything(), sink, { bufferEvents: 1000 }, skipped);
    const running = session.run();
    for (let batch = 0; batch < 30; batch += 1) {
      await append(store, 10);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const all = (await store.readAll()).map((event) => event.position).filter((position) => position > skipped);
    await until(() => sink.positions.length >= all.length);
    expect(sink.positions).toEqual(all);
    expect(sink.caughtUpAt).toBeDefined();
    expect(session.position).toBe(all[all.length - 1]);
    session.close();
    await running;
    expect(hub.size).toBe(0);
  });

  it('drops a reader that holds more live events than its buffer, telling it the position it got to', async () => {
    await append(store, 3);
    const sink = new RecordingSink();
    const session = new FeedSession(store, hub, everything(), sink, { bufferEvents: 3 }, 0);
    const running = session.run();
    await until(() => sink.caughtUpAt !== undefined && hub.size === 1);
    await append(store, 1);
    await until(() => sink.positions.length === 4);
    const got = sink.positions[3]!;
    sink.blocked = true;
    // The fifth is taken out of the queue and waits for the blocked sink; three more fill the queue, the next overflows it.
    for (let index = 0; index < 5; index += 1) await append(store, 1);
    await until(() => sink.overflowedAt !== undefined);
    await running;
    expect(sink.overflowedAt).toBe(got);
    expect(sink.positions).toHaveLength(4);
    expect(hub.size).toBe(0);
  });
});
