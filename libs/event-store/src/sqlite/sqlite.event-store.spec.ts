import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
