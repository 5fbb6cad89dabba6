/** The stores of this project's own dependencies: the embedded event store, and raw better-sqlite3 (the floor). */
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@app/event-store';
import type { BenchStore, BenchStoreFactory } from './workloads';

/** This project's embedded store (group commit, hash-free append path, expected revision). */
export const complaintDesk: BenchStoreFactory = async (file, durability) => {
  const store = new SqliteEventStore({ filename: file, synchronous: durability });
  const touch = (event: { data: unknown; metadata: unknown }) => (event.data !== undefined && event.metadata !== undefined ? 1 : 0);
  return {
    async append(stream, events, expected) {
      await store.append(stream, events, { expectedRevision: expected === 0 ? 'no_stream' : expected - 1 });
    },
    async fold(stream) {
      let count = 0;
      for (const event of await store.readStream(stream)) count += touch(event);
      return count;
    },
    async readAll() {
      let count = 0;
      // Positions are opaque (the port's contract): each page starts at the last one read and skips it.
      for (let last = 0; ;) {
        const page = await store.readAll(last === 0 ? { maxCount: 1000 } : { fromPosition: last, maxCount: 1001 });
        const fresh = page.filter((event) => event.position > last);
        if (fresh.length === 0) return count;
        for (const event of fresh) count += touch(event);
        last = fresh[fresh.length - 1]!.position;
      }
    },
    close: () => store.close(),
  };
};

/**
 * The floor for this hardware: plain inserts into the same table shape at the same durability, one
 * implicit transaction each, no revision check beyond a UNIQUE constraint, no idempotency, no
 * concurrency (calls run one after the other).
 */
export const rawSqlite: BenchStoreFactory = async (file, durability) => {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability}`);
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL, revision INTEGER NOT NULL,
    type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, UNIQUE (stream, revision))`);
  const insert = db.prepare('INSERT INTO events (event_id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
  const insertMany = db.transaction((stream: string, events: Parameters<BenchStore['append']>[1], expected: number) => {
    events.forEach((event, offset) => insert.run(event.eventId, stream, expected + offset, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata)));
  });
  const byStream = db.prepare('SELECT * FROM events WHERE stream = ? ORDER BY revision');
  const page = db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT 1000');
  type Row = { position: number; data: string; metadata: string };
  const parse = (row: Row) => (JSON.parse(row.data) !== undefined && JSON.parse(row.metadata) !== undefined ? 1 : 0);
  return {
    async append(stream, events, expected) {
      if (events.length === 1) insert.run(events[0]!.eventId, stream, expected, events[0]!.type, JSON.stringify(events[0]!.data), JSON.stringify(events[0]!.metadata));
      else insertMany(stream, events, expected);
    },
    async fold(stream) {
      let count = 0;
      for (const row of byStream.all(stream) as Row[]) count += parse(row);
      return count;
    },
    async readAll() {
      let count = 0;
      for (let after = 0; ;) {
        const rows = page.all(after) as Row[];
        if (rows.length === 0) return count;
        for (const row of rows) count += parse(row);
        after = rows[rows.length - 1]!.position;
      }
    },
    async close() {
      db.close();
    },
  };
};
