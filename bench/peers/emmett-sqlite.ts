/**
 * @event-driven-io/emmett-sqlite through its own append and read functions on one shared
 * connection (its getSQLiteEventStore opens and closes a connection per operation on a file).
 * Expected versions are emmett's: the number of events in the stream, 0 for a new one.
 */
import type { BenchStoreFactory } from '../stores/workloads';

interface Connection {
  command(sql: string, values?: unknown[]): Promise<unknown>;
  close(): void;
}
interface Emmett {
  sqliteConnection(options: { fileName: string }): Connection;
  createEventStoreSchema(connection: Connection): Promise<void>;
  appendToStream(connection: Connection, stream: string, streamType: string, messages: unknown[], options: { expectedStreamVersion: bigint }): Promise<{ success: boolean }>;
  readStream(connection: Connection, stream: string): Promise<{ events: Array<{ data: unknown; metadata: unknown }> }>;
  readMessagesBatch(connection: Connection, options: { after: bigint; batchSize: number }): Promise<{ messages: Array<{ data: unknown; metadata: unknown }>; currentGlobalPosition: bigint; areEventsLeft: boolean }>;
}

export const emmettSqlite: BenchStoreFactory = async (file, durability) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const emmett = require('@event-driven-io/emmett-sqlite') as Emmett;
  const connection = emmett.sqliteConnection({ fileName: file });
  await connection.command(`PRAGMA synchronous = ${durability}`);
  await emmett.createEventStoreSchema(connection);
  const touch = (event: { data: unknown; metadata: unknown }) => (event.data !== undefined && event.metadata !== undefined ? 1 : 0);
  return {
    async append(stream, events, expected) {
      const result = await emmett.appendToStream(connection, stream, 'complaint', events.map((event) => ({ type: event.type, data: event.data, metadata: event.metadata })),
        { expectedStreamVersion: BigInt(expected) });
      if (!result.success) throw new Error(`emmett: ${stream} is not at version ${expected}`);
    },
    async fold(stream) {
      let count = 0;
      for (const event of (await emmett.readStream(connection, stream)).events) count += touch(event);
      return count;
    },
    async readAll() {
      let count = 0;
      for (let after = 0n; ;) {
        const batch = await emmett.readMessagesBatch(connection, { after, batchSize: 1000 });
        for (const event of batch.messages) count += touch(event);
        if (batch.messages.length === 0 || !batch.areEventsLeft) return count;
        after = batch.currentGlobalPosition;
      }
    },
    async close() {
      connection.close();
    },
  };
};
