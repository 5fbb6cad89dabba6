import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { openSqliteFile } from '@app/sqlite';
import { SqliteAppender, unpackBatch, type AppendOutcome, type PackedBatch } from './sqlite-appender';

/**
 * The writer thread of the embedded event store (docs/adr/0003): it holds a connection of its own
 * to each log it serves and commits the batches the stores send, so that the fsync of a commit at
 * FULL — a millisecond on a quiet disk, tens of milliseconds on a busy one — and the inserts and
 * log hashing before it never stop the thread that answers requests. Batches are committed in the
 * order they arrive: positions stay in commit order. One thread serves every store of a process.
 */

/** This file, for `new Worker`: importing it is what makes the build emit it beside the store. */
export const WRITER_ENTRY = __filename;
/** Marks the worker's data, so that importing this module anywhere else starts nothing. */
export const WRITER_MARK = 'complaint-desk:sqlite-writer';

export type WriterRequest =
  | { readonly kind: 'open'; readonly store: number; readonly filename: string; readonly synchronous: 'FULL' | 'NORMAL' }
  | { readonly kind: 'commit'; readonly store: number; readonly id: number; readonly batch: PackedBatch }
  | { readonly kind: 'close'; readonly store: number };

export type WriterAnswer =
  | { readonly kind: 'committed'; readonly store: number; readonly id: number; readonly outcomes: AppendOutcome[] }
  | { readonly kind: 'failed'; readonly store: number; readonly id: number; readonly failure: string }
  | { readonly kind: 'closed'; readonly store: number };

function serve(): void {
  const port = parentPort!;
  const stores = new Map<number, { db: Database.Database; appender: SqliteAppender } | { failure: string }>();
  port.on('message', (request: WriterRequest) => {
    switch (request.kind) {
      case 'open':
        try {
          const db = openSqliteFile(request.filename, request.synchronous);
          stores.set(request.store, { db, appender: new SqliteAppender(db) });
        } catch (error) {
          stores.set(request.store, { failure: `the writer thread could not open the log: ${(error as Error).message}` });
        }
        return;
      case 'commit': {
        const store = stores.get(request.store);
        let answer: WriterAnswer;
        try {
          if (!store) throw new Error('the log is not open on the writer thread');
          if ('failure' in store) throw new Error(store.failure);
          answer = { kind: 'committed', store: request.store, id: request.id, outcomes: store.appender.commit(unpackBatch(request.batch)) };
        } catch (error) {
          answer = { kind: 'failed', store: request.store, id: request.id, failure: (error as Error).message };
        }
        port.postMessage(answer);
        return;
      }
      case 'close': {
        const store = stores.get(request.store);
        stores.delete(request.store);
        if (store && 'db' in store) store.db.close();
        port.postMessage({ kind: 'closed', store: request.store } satisfies WriterAnswer);
        return;
      }
    }
  });
}

if (!isMainThread && workerData === WRITER_MARK) serve();
