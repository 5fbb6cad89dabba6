import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent, SubscriptionMessage } from '../event-store.port';
import { SqliteEventStore } from './sqlite.event-store';

/** The connection's page cache as SQLite reports it (negative: KiB). */
const pageCacheOf = (store: SqliteEventStore): number => (store as unknown as { db: { pragma(text: string, options: { simple: true }): number } }).db.pragma('cache_size', { simple: true });

// docs/adr/0011, "Where the replay's memory goes": a connection that reads the log in order needs no large page cache.
describe('the SQLite event store\'s page cache', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'event-page-cache-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the one asked for, in KiB, and the driver\'s 16 MB otherwise', async () => {
    const reader = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), writerThread: false, pageCacheKb: 2_000 });
    const other = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), writerThread: false });
    expect(pageCacheOf(reader)).toBe(-2_000);
    expect(pageCacheOf(other)).toBe(-16_000);
    await reader.close();
    await other.close();
  });

  it('refuses a size that is not a whole number of KiB, 0 or more, naming the option', () => {
    expect(() => new SqliteEventStore({ filename: join(dir, 'refused.sqlite'), writerThread: false, pageCacheKb: -1 })).toThrow(/pageCacheKb must be a whole number of KiB/);
    expect(() => new SqliteEventStore({ filename: join(dir, 'refused.sqlite'), writerThread: false, pageCacheKb: 1.5 })).toThrow(/pageCacheKb/);
  });
});

// docs/adr/0003, "twenty-fourth session": the size check's JSON is the text the log stores, made once per append.
describe('the SQLite event store\'s JSON of an event', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'event-json-once-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A value whose JSON is made by its toJSON, counted. */
  const counted = (value: Record<string, unknown>): { value: Record<string, unknown>; calls: () => number } => {
    let calls = 0;
    return { value: { ...value, toJSON: () => ((calls += 1), value) }, calls: () => calls };
  };

  it.each([false, true])('is made once for the size check and the log (writer thread: %s), and the log stores that text', async (writerThread) => {
    const store = new SqliteEventStore({ filename: join(dir, `once-${writerThread}.sqlite`), writerThread });
    const data = counted({ note: 'café "quoted"\n☕', n: 1 });
    const metadata = counted({ actor: 'agent-1' });
    const parts = counted({ note: 'second' });
    await store.append('once-1', [{ eventId: 'aaaaaaaa-0000-4000-8000-000000000001', type: 'Noted', data: data.value, metadata: metadata.value }]);
    await store.appendToStreams([
      { stream: 'once-2', events: [{ eventId: 'aaaaaaaa-0000-4000-8000-000000000002', type: 'Noted', data: parts.value, metadata: {} }], expectedRevision: 'no_stream' },
    ]);
    expect([data.calls(), metadata.calls(), parts.calls()]).toEqual([1, 1, 1]);
    const [first] = await store.readStream('once-1');
    expect(first!.data).toEqual({ note: 'café "quoted"\n☕', n: 1 });
    expect(first!.metadata).toEqual({ actor: 'agent-1' });
    await store.close();
  });
});

// docs/adr/0011, "twenty-sixth step": the tail of the log reads the stored JSON only of the events a subscription takes.
describe('the SQLite event store\'s tail of the log', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'event-tail-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const eventOf = (index: number, type = 'Noted') => ({ eventId: `bbbbbbbb-0000-4000-8000-${String(index).padStart(12, '0')}`, type, data: { note: `note ${index}`, text: '投诉'.repeat(50) }, metadata: { actor: 'agent-1' } });

  /** The streams of the rows with stored JSON (a `data` column) that the log's queries of this store gave back, while `during` runs. */
  async function streamsReadWithJson(store: SqliteEventStore, during: () => Promise<void>): Promise<string[]> {
    const db = (store as unknown as { db: { prepare(sql: string): object } }).db;
    const statementPrototype = Object.getPrototypeOf(db.prepare('SELECT 1')) as { all: (...args: unknown[]) => unknown };
    const original = statementPrototype.all;
    const streams: string[] = [];
    statementPrototype.all = function (this: { source: string }, ...args: unknown[]) {
      const rows = original.apply(this, args);
      if (/FROM events/.test(this.source) && Array.isArray(rows)) for (const row of rows as Array<Record<string, unknown>>) if ('data' in row) streams.push(String(row['stream']));
      return rows;
    };
    try {
      await during();
    } finally {
      statementPrototype.all = original;
    }
    return streams;
  }

  async function take(subscription: AsyncIterable<SubscriptionMessage>, count: number): Promise<RecordedEvent[]> {
    const received: RecordedEvent[] = [];
    for await (const message of subscription) {
      if (message.kind === 'event') received.push(message.event);
      if (received.length === count) break;
    }
    return received;
  }

  it.each([false, true])('reads no stored JSON of the events no live subscription takes, and gives those it takes whole (writer thread: %s)', async (writerThread) => {
    const store = new SqliteEventStore({ filename: join(dir, `filtered-${writerThread}.sqlite`), writerThread });
    await store.append('access-control', [eventOf(1, 'AccessGranted')]);
    const subscription = store.subscribeToAll({ fromPosition: await store.headPosition(), filter: { streamPrefixes: ['access-'] } });
    let received: RecordedEvent[] = [];
    const read = await streamsReadWithJson(store, async () => {
      const taking = take(subscription, 2);
      for (let index = 2; index < 12; index += 1) await store.append(`complaint-${index}`, [eventOf(index)]);
      await store.append('access-control', [eventOf(12, 'AccessGranted')], { expectedRevision: 0 });
      await store.append('access-control', [eventOf(13, 'AccessRevoked')], { expectedRevision: 1 });
      received = await taking;
    });
    await subscription.close();
    expect(read.filter((stream) => stream.startsWith('complaint-'))).toEqual([]);
    // The events taken are the stored ones, every field of them, as a read of their stream gives them.
    expect(received).toEqual((await store.readStream('access-control', { fromStorage: true })).slice(1));
    await store.close();
  });

  it('gives every event whole to a subscription without a filter that joins once the tail was read for a filtered one', async () => {
    const store = new SqliteEventStore({ filename: join(dir, 'joined.sqlite'), writerThread: false });
    const start = await store.headPosition();
    const filtered = store.subscribeToAll({ fromPosition: start, filter: { eventTypes: ['Wanted'] } });
    const taking = take(filtered, 1);
    for (let index = 1; index <= 5; index += 1) await store.append(`complaint-${index}`, [eventOf(index)]);
    await store.append('complaint-6', [eventOf(6, 'Wanted')]);
    expect((await taking).map((event) => event.type)).toEqual(['Wanted']);
    const everything = store.subscribeToAll({ fromPosition: start });
    const all = await take(everything, 6);
    await filtered.close();
    await everything.close();
    expect(all).toEqual(await store.readAll({ fromPosition: start + 1 }));
    expect(all.map((event) => event.data['note'])).toEqual(['note 1', 'note 2', 'note 3', 'note 4', 'note 5', 'note 6']);
    await store.close();
  });
});
