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
