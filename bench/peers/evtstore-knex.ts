/**
 * evtstore with its knex provider on SQLite (knex's sqlite3 client, one pooled connection). Its
 * "stream" is an aggregate type and the aggregate id names one stream; versions start at 1 and a
 * UNIQUE (stream, aggregate_id, version) makes a stale version fail.
 */
import type { BenchStoreFactory } from '../stores/workloads';

interface Knex {
  table(name: string): unknown;
  destroy(): Promise<void>;
}
interface StoreEvent {
  event: unknown;
  position: number;
}
interface Provider {
  createEvents(stream: string, aggregateId: string, version: number, events: unknown[]): StoreEvent[];
  append(stream: string, aggregateId: string, version: number, events: StoreEvent[]): Promise<StoreEvent[]>;
  getEventsFor(stream: string, aggregateId: string): Promise<StoreEvent[]>;
  getEventsFrom(stream: string, position: number, limit: number): Promise<StoreEvent[]>;
}

const TYPE = 'complaint';

export const evtstoreKnex: BenchStoreFactory = async (file, durability) => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const knex = require('knex') as (config: object) => Knex;
  const { createProvider, migrate } = require('evtstore/provider/knex') as {
    createProvider(options: { limit: number; events: () => unknown; bookmarks: () => unknown }): Provider;
    migrate(options: { client: Knex; events: string; bookmarks: string }): Promise<void>;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  type Raw = { run(sql: string, callback: (error: Error | null) => void): void };
  const client = knex({
    client: 'sqlite3', connection: { filename: file }, useNullAsDefault: true,
    pool: { min: 1, max: 1, afterCreate: (raw: Raw, done: (error: Error | null, raw: Raw) => void) => raw.run('PRAGMA journal_mode = WAL', (error) => (error ? done(error, raw) : raw.run(`PRAGMA synchronous = ${durability}`, (second) => done(second, raw)))) },
  });
  await migrate({ client, events: 'events', bookmarks: 'bookmarks' });
  const provider = createProvider({ limit: 1000, events: () => client.table('events'), bookmarks: () => client.table('bookmarks') });
  const touch = (stored: StoreEvent) => (stored.event !== undefined ? 1 : 0);
  return {
    async append(stream, events, expected) {
      const version = expected + 1;
      await provider.append(TYPE, stream, version, provider.createEvents(TYPE, stream, version, events.map((event) => ({ type: event.type, data: event.data, metadata: event.metadata }))));
    },
    async fold(stream) {
      let count = 0;
      for (const stored of await provider.getEventsFor(TYPE, stream)) count += touch(stored);
      return count;
    },
    async readAll() {
      let count = 0;
      for (let position = 0; ;) {
        const page = await provider.getEventsFrom(TYPE, position, 1000);
        if (page.length === 0) return count;
        for (const stored of page) count += touch(stored);
        position = page[page.length - 1]!.position;
      }
    },
    close: () => client.destroy(),
  };
};
