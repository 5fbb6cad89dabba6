import { randomUUID } from 'node:crypto';
import { SqliteEventStore, type RecordedEvent } from '@app/event-store';
import { FeedHub } from './feed-hub';
import { FeedSelection } from './feed-selection';
import { FeedSession, type FeedSink } from './feed-session';
import { PageSink } from './feed-sinks';

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

  describe('a long poll cut at its pages, for a reader limited to a department that sees none of them', () => {
    /** Complaints of the sales department, received by someone else: hidden from a billing token. */
    const salesOnly = { facts: async () => ({ revision: 0, openedBy: { id: 'agent-9', role: 'agent' as const }, department: 'sales', customerId: 'c-1' }), customerFileVisible: async () => false };
    const billing = (filter: ConstructorParameters<typeof FeedSelection>[0]) => new FeedSelection(filter, { actor: { id: 'agent-1', role: 'agent' as const }, scope: ['billing'] }, salesOnly);
    const complaint = (store: SqliteEventStore, id: string, type: string) => store.append(`complaint-${id}`, [{ eventId: randomUUID(), type, data: {}, metadata: {} }]);
    /** One long poll of one page at most (25 in the app), answered at once: the position it tells. */
    const poll = async (filter: ConstructorParameters<typeof FeedSelection>[0], after: number) => {
      const sink = new PageSink(100, false);
      const session = new FeedSession(store, hub, billing(filter), sink, { bufferEvents: 1000, maxPages: 1 }, after);
      await session.run();
      expect(sink.events).toEqual([]);
      return session.position;
    };
    /** Polls from 0, each from the last answer, until the head (at most `count` polls): the positions told. */
    const follow = async (filter: ConstructorParameters<typeof FeedSelection>[0], count: number) => {
      const head = await store.headPosition();
      const told: number[] = [];
      for (let after = 0; after < head && told.length < count; after = told[told.length - 1]!) told.push(await poll(filter, after));
      return told;
    };

    it('moves its position forward over 600 unseen events, poll after poll, to the head (no filter)', async () => {
      for (let index = 0; index < 600; index += 1) await complaint(store, 'a'.repeat(8), 'ComplaintApologised');
      const told = await follow({}, 10);
      told.forEach((position, index) => expect(position).toBeGreaterThan(index === 0 ? 0 : told[index - 1]!));
      expect(told[told.length - 1]).toBe(await store.headPosition());
    });

    it('with a type filter, moves forward to the head and tells the same positions whichever type is hidden there', async () => {
      const assigned: number[] = [];
      const apologised: number[] = [];
      for (let index = 0; index < 600; index += 1) {
        assigned.push((await complaint(store, `x${index}`, 'ComplaintAssigned')).position);
        apologised.push((await complaint(store, `y${index}`, 'ComplaintApologised')).position);
      }
      const byAssigned = await follow({ eventTypes: ['ComplaintAssigned'] }, 20);
      const byApologised = await follow({ eventTypes: ['ComplaintApologised'] }, 20);
      byAssigned.forEach((position, index) => expect(position).toBeGreaterThan(index === 0 ? 0 : byAssigned[index - 1]!));
      expect(byAssigned[byAssigned.length - 1]).toBe(await store.headPosition());
      // Where the hidden matches are does not move the answer: it is a place in the log, not the last match read.
      expect(byApologised).toEqual(byAssigned);
    });

    it('with complaintId naming a hidden complaint of 600 events, answers what it answers for one that does not exist', async () => {
      const hidden = randomUUID();
      const positions: number[] = [];
      for (let index = 0; index < 600; index += 1) {
        positions.push((await complaint(store, hidden, 'ComplaintApologised')).position);
        await complaint(store, randomUUID(), 'ComplaintReceived');
      }
      const told = await poll({ complaintId: hidden }, 0);
      expect(told).toBe(await poll({ complaintId: randomUUID() }, 0));
      expect(told).toBe(await store.headPosition());
      expect(positions).not.toContain(told);
    });
  });
});
