import type Database from 'better-sqlite3';
import { LOG_CHAIN_START, logLinkOfText } from '@app/event-sourcing';
import { satisfiesExpected } from '../append-validation';
import { WrongExpectedRevisionError } from '../event-store.errors';
import type { AppendResult, ExpectedRevision } from '../event-store.port';

/** One stream's part of an append, its events already as the JSON text the log stores. */
export interface StreamPart {
  readonly stream: string;
  readonly expected: ExpectedRevision;
  readonly events: ReadonlyArray<{ readonly eventId: string; readonly type: string; readonly data: string; readonly metadata: string }>;
}

/** One append of a group commit: to one stream, or atomically to several (all parts or none). */
export interface AppendRequest {
  /** When the store took the append: the `recorded_at` of its events. */
  readonly recordedAt: string;
  readonly parts: readonly StreamPart[];
}

/**
 * A batch as it crosses to the writer thread: one flat array (the count of appends; per append its
 * recordedAt and count of parts; per part its stream, expected revision and count of events; per event
 * its id, type, data and metadata). postMessage's structured clone then writes strings and numbers one
 * after the other, without an object, its keys and its nesting per append, part and event.
 */
export type PackedBatch = ReadonlyArray<string | number>;

export function packBatch(batch: readonly AppendRequest[]): PackedBatch {
  const packed: Array<string | number> = [batch.length];
  for (const { recordedAt, parts } of batch) {
    packed.push(recordedAt, parts.length);
    for (const { stream, expected, events } of parts) {
      packed.push(stream, expected, events.length);
      for (const { eventId, type, data, metadata } of events) packed.push(eventId, type, data, metadata);
    }
  }
  return packed;
}

export function unpackBatch(packed: PackedBatch): AppendRequest[] {
  let at = 0;
  const next = (): string | number => packed[at++]!;
  const batch: AppendRequest[] = [];
  for (let appends = next() as number; appends > 0; appends -= 1) {
    const recordedAt = next() as string;
    const parts: StreamPart[] = [];
    for (let count = next() as number; count > 0; count -= 1) {
      const stream = next() as string;
      const expected = next() as ExpectedRevision;
      const events: Array<StreamPart['events'][number]> = [];
      for (let eventCount = next() as number; eventCount > 0; eventCount -= 1) {
        events.push({ eventId: next() as string, type: next() as string, data: next() as string, metadata: next() as string });
      }
      parts.push({ stream, expected, events });
    }
    batch.push({ recordedAt, parts });
  }
  return batch;
}

/** What became of one append of the batch: stored (or found stored: a retry), one result per part, or refused for one part's revision. */
export type AppendOutcome =
  | { readonly ok: AppendResult[] }
  | { readonly conflict: { readonly stream: string; readonly expected: ExpectedRevision; readonly actual: number | 'no_stream' } };

/**
 * The write half of the embedded event store: commits a batch of appends in one transaction (one
 * fsync), each in its own savepoint with its own revision and idempotency checks, and links every
 * event into the whole-log chain. Plain synchronous code on one connection, so the same class runs
 * on the store's own connection (in memory) or on the writer thread's (a file; docs/adr/0003).
 */
export class SqliteAppender {
  /** The last event's link in the whole-log chain, read at the start of each write transaction. */
  private chainHead = { position: 0, hash: LOG_CHAIN_START };
  private readonly statements: {
    head: Database.Statement<[string], { revision: number }>;
    inStreamById: Database.Statement<[string, string], { revision: number }>;
    atRevision: Database.Statement<[string, number], { event_id: string; position: number }>;
    insert: Database.Statement<[string, string, number, string, string, string, string, string]>;
    lastLink: Database.Statement<[], { position: number; log_hash: string | null }>;
    nextPosition: Database.Statement<[], number>;
  };

  constructor(private readonly db: Database.Database) {
    this.statements = {
      head: db.prepare('SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1'),
      inStreamById: db.prepare('SELECT revision FROM events WHERE stream = ? AND event_id = ? LIMIT 1'),
      atRevision: db.prepare('SELECT event_id, position FROM events WHERE stream = ? AND revision = ?'),
      insert: db.prepare('INSERT INTO events (event_id, stream, revision, type, data, metadata, recorded_at, log_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      lastLink: db.prepare('SELECT position, log_hash FROM events ORDER BY position DESC LIMIT 1'),
      nextPosition: db.prepare<[], number>(
        "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0), COALESCE((SELECT MAX(position) FROM events), 0)) + 1",
      ).pluck(),
    };
  }

  /**
   * One transaction for the batch; returns only after COMMIT, i.e. after the fsync at FULL. Throws
   * when the commit itself fails (disk full, I/O error): then nothing of the batch is stored.
   */
  commit(batch: readonly AppendRequest[]): AppendOutcome[] {
    // IMMEDIATE takes the write lock before the first read: a transaction that reads and then writes
    // would have to upgrade its read lock, and SQLite answers SQLITE_BUSY at once, without waiting,
    // when another process committed meanwhile (several API instances on one DATA_DIR).
    return this.db.transaction(() => {
      const link = this.statements.lastLink.get();
      this.chainHead = { position: link?.position ?? 0, hash: link?.log_hash ?? LOG_CHAIN_START };
      return batch.map((append) => this.appendAtomically(append));
    }).immediate();
  }

  /**
   * better-sqlite3 makes a nested transaction a savepoint, so a conflict rolls back this append
   * only — all of its parts: an append to several streams is written whole or not at all.
   * Idempotent as a whole, as KurrentDB's multi-stream append is: a retry of an atomic append finds
   * every part stored, so parts found stored beside parts that are not are another append's events
   * under the same ids (one command id used for two requests) — a conflict on the first stored part.
   */
  private appendAtomically(append: AppendRequest): AppendOutcome {
    const headBefore = this.chainHead;
    let part: StreamPart | undefined;
    try {
      return {
        ok: this.db.transaction(() => {
          const appended = append.parts.map((each) => {
            part = each;
            return this.appendInTransaction(each, append.recordedAt);
          });
          const stored = appended.findIndex((each) => each.stored);
          if (stored >= 0 && appended.some((each) => !each.stored)) {
            const { stream, expected, actual } = this.conflict(append.parts[stored]!);
            throw new WrongExpectedRevisionError(stream, expected, actual);
          }
          return appended.map(({ result, stored: found }) => (found ? { ...result, alreadyStored: true as const } : result));
        })(),
      };
    } catch (error) {
      this.chainHead = headBefore;
      if (error instanceof WrongExpectedRevisionError) return { conflict: { stream: error.stream, expected: error.expected, actual: error.actual } };
      if (isUniqueViolation(error) && part) return { conflict: this.conflict(part) };
      throw error;
    }
  }

  /**
   * Idempotency is checked per stream, as KurrentDB does: a retry of a stored append finds its
   * first event right after the expected revision (exact / no_stream), or anywhere in the stream
   * (any / stream_exists: a scan of that stream, which complaint streams keep short).
   */
  private appendInTransaction({ stream, events, expected }: StreamPart, recordedAt: string): { result: AppendResult; stored: boolean } {
    const current = this.statements.head.get(stream)?.revision ?? -1;
    const firstId = events[0]!.eventId.toLowerCase();
    if (!satisfiesExpected(expected, current)) {
      const retryAt = expected === 'no_stream' ? 0 : typeof expected === 'number' ? expected + 1 : undefined;
      if (retryAt !== undefined && this.statements.atRevision.get(stream, retryAt)?.event_id === firstId) {
        return { result: this.storedAppend(stream, events, expected, retryAt), stored: true };
      }
      throw new WrongExpectedRevisionError(stream, expected, current < 0 ? 'no_stream' : current);
    }
    if ((expected === 'any' || expected === 'stream_exists') && current >= 0) {
      const stored = this.statements.inStreamById.get(stream, firstId);
      if (stored) return { result: this.storedAppend(stream, events, expected, stored.revision), stored: true };
    }
    let revision = current;
    let position = 0;
    for (const event of events) {
      revision += 1;
      const eventId = event.eventId.toLowerCase();
      // AUTOINCREMENT hands out the next position after the highest ever used, so it is known before the insert.
      position = this.statements.nextPosition.get()!;
      const link = logLinkOfText(this.chainHead.hash, { position, eventId, stream, revision, type: event.type, recordedAt }, event.data, event.metadata);
      const info = this.statements.insert.run(eventId, stream, revision, event.type, event.data, event.metadata, recordedAt, link);
      if (Number(info.lastInsertRowid) !== position) throw new Error(`the log's next position was ${Number(info.lastInsertRowid)}, not ${position}`);
      this.chainHead = { position, hash: link };
    }
    return { result: { nextRevision: revision, position }, stored: false };
  }

  /** The first event is stored at `firstRevision`: the same append again, or a partial overlap (a conflict). */
  private storedAppend(stream: string, events: StreamPart['events'], expected: ExpectedRevision, firstRevision: number): AppendResult {
    let last: { position: number } | undefined;
    for (const [index, event] of events.entries()) {
      const stored = this.statements.atRevision.get(stream, firstRevision + index);
      if (stored?.event_id !== event.eventId.toLowerCase()) {
        const { actual } = this.conflict({ stream, expected });
        throw new WrongExpectedRevisionError(stream, expected, actual);
      }
      last = stored;
    }
    return { nextRevision: firstRevision + events.length - 1, position: last!.position };
  }

  private conflict({ stream, expected }: Pick<StreamPart, 'stream' | 'expected'>): { stream: string; expected: ExpectedRevision; actual: number | 'no_stream' } {
    const current = this.statements.head.get(stream)?.revision ?? -1;
    return { stream, expected, actual: current < 0 ? 'no_stream' : current };
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}
