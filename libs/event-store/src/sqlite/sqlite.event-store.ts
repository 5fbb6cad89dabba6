import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { LOG_CHAIN_START, logLink } from '@app/event-sourcing';
import { validateAppend, validateStreamAppends, type EventJson } from '../append-validation';
import { SqliteAppender, packBatch, type AppendOutcome, type AppendRequest, type StreamPart } from './sqlite-appender';
import { WRITER_ENTRY, WRITER_MARK, type WriterAnswer, type WriterRequest } from './sqlite-writer.worker';
import { EventStoreUnavailableError, StreamNotFoundError, UnreadableEventError, WrongExpectedRevisionError } from '../event-store.errors';
import { openSqliteFile } from '@app/sqlite';
import {
  EventStore, type AllSubscription, type AppendResult, type EventFilter, type EventToAppend, type ExpectedRevision,
  type ReadAllOptions, type ReadStreamOptions, type RecordedEvent, type StreamAppend, type SubscribeToAllOptions, type SubscriptionMessage,
} from '../event-store.port';

export interface SqliteEventStoreOptions {
  /** File path, or ':memory:' for tests. */
  readonly filename: string;
  /**
   * FULL (default): an acknowledged append survives power loss. NORMAL: it survives a process
   * crash but the last commits may be lost on power loss. See docs/adr/0003.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** How often a waiting subscription reads the log again, whatever happened (a fallback; default 200 ms). */
  readonly pollIntervalMs?: number;
  /**
   * How often a waiting subscription checks whether another connection (another process: the API
   * and `apps/projector`) has committed, through SQLite's `PRAGMA data_version`, which reads no
   * page and costs microseconds (default 5 ms; 0 turns it off).
   */
  readonly changeCheckMs?: number;
  readonly clock?: () => Date;
  /**
   * Commit on a writer thread with a connection of its own, so the fsync never blocks the caller's
   * event loop; false commits on the store's own connection (always so in memory). Default: on for
   * a file when running compiled; under ts-node or ts-jest the thread has to load the TypeScript
   * compiler first (seconds on a busy machine), so there it is on only when asked for, as the API's
   * composition root (openEventStore) and the tests of the thread do.
   */
  readonly writerThread?: boolean;
  /**
   * SQLite's page cache of this connection, in KiB (default: the driver's 16,000). A process that only
   * reads the log in order (a replay, the projection threads, the CLI) reads each page once, so a large
   * cache holds pages it will not read again: 16 MB of RSS per connection (docs/adr/0011, "Where the
   * replay's memory goes"). Commands' stream reads keep the default.
   */
  readonly pageCacheKb?: number;
  /**
   * How many streams read whole are kept in memory as their recorded events, so that the next whole
   * read fetches only the events appended since, by any connection (default 4096; 0: none). A
   * stream is kept from its second whole read, so that a pass over every stream keeps none; one of
   * more than 256 events is not kept. See docs/adr/0003, "Where a command's CPU goes".
   */
  readonly cachedStreams?: number;
  /**
   * The most the kept streams may hold, counted per event as the length of its stored data and
   * metadata JSON and 512 for the rest of it (default 64 MiB; 0: none kept). The least recently read
   * streams are dropped until they fit, and a stream over a quarter of it is not kept (read from the
   * file each time). See docs/adr/0003 for the heap this comes to.
   */
  readonly cachedStreamBytes?: number;
}

/** A stream read whole and kept, with what it counts towards cachedStreamBytes. */
interface KeptStream {
  readonly events: readonly RecordedEvent[];
  readonly bytes: number;
}

/**
 * The newest events of the log, read once for every subscription of this store: it holds every event
 * in (after, through], and `through` is how far the log had been read when `readAt` was the store's
 * count of changes (docs/adr/0003, "One read of the log per commit").
 */
interface LogTail {
  /** The rows as read; each is parsed the first time a subscription's filter takes it, once for all of them. */
  entries: TailEntry[];
  bytes: number;
  /** Whether the last read was short, i.e. went to the end of the log as it stood. */
  complete: boolean;
  after: number;
  through: number;
  readAt: number;
}

interface TailEntry {
  readonly row: EventRow;
  /** What it counts towards TAIL_BYTES: its stored data and metadata JSON, and KEPT_EVENT_OVERHEAD. */
  readonly bytes: number;
  event?: RecordedEvent;
}

interface PendingAppend {
  readonly parts: readonly StreamPart[];
  readonly resolve: (results: AppendResult[]) => void;
  readonly reject: (error: unknown) => void;
}

interface EventRow {
  position: number;
  event_id: string;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
  log_hash: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id    TEXT    NOT NULL,
  stream      TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  log_hash    TEXT,
  UNIQUE (stream, revision)
);`;

const PAGE_SIZE = 1000;
/** The newest events kept for the subscriptions at most (count, and stored JSON bytes counted as for kept streams). */
const TAIL_EVENTS = 1000;
const TAIL_BYTES = 8 * 1024 * 1024;
/** A longer stream (the access log, the directory) is read from the file each time rather than kept whole. */
const MAX_CACHED_STREAM_LENGTH = 256;
const DEFAULT_CACHED_STREAM_BYTES = 64 * 1024 * 1024;
/** What a kept event takes on the heap besides its data and metadata (ids, type, times, hash, the objects): about 500 bytes, measured. */
const KEPT_EVENT_OVERHEAD = 512;

/**
 * Embedded event store on one SQLite file (WAL). Appends that arrive together are committed in
 * one transaction (group commit): each keeps its own revision check inside a savepoint, so one
 * conflict does not fail its neighbours, and all of them share one fsync. A file's commits run on
 * a writer thread with a connection of its own, and the appends that arrive during one commit form
 * the next; reads stay on this thread's connection. A promise resolves only after its transaction
 * is committed (docs/adr/0003).
 */
export class SqliteEventStore extends EventStore {
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly pollIntervalMs: number;
  private readonly changeCheckMs: number;
  private changeTimer: NodeJS.Timeout | undefined;
  /** `PRAGMA data_version` as last seen: it changes when another connection commits. */
  private dataVersion: number;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  /** Commits the batches: on the writer thread (a file), or here on the store's own connection (in memory). */
  private writer: WriterConnection | undefined;
  private readonly appender: SqliteAppender | undefined;
  /** The batch the writer thread is committing; the next one waits for its answer. */
  private inFlight: { readonly id: number; readonly batch: readonly PendingAppend[] } | undefined;
  private batches = 0;
  private writerFailure: EventStoreUnavailableError | undefined;
  private closing: Promise<void> | undefined;
  /** Told when nothing is queued or in flight any more (close waits for it). */
  private readonly idleWaiters: Array<() => void> = [];
  /**
   * Counts what may have added to the log: this store's commits, another connection's (the change
   * check) and the polls; a subscription reads again when it moved, and the tail is stale.
   */
  private changes = 0;
  private tail: LogTail | undefined;
  private closed = false;
  private readonly waiters = new Set<() => void>();
  private readonly subscriptions = new Set<{ close(): Promise<void> }>();
  private readonly statementCache = new Map<string, Database.Statement<unknown[], EventRow>>();
  /** Streams read whole, least recently read first (cachedStreams, cachedStreamBytes). */
  private readonly streams = new Map<string, KeptStream>();
  private readonly cachedStreams: number;
  private readonly cachedStreamBytes: number;
  /** The sum of the kept streams' bytes, never over cachedStreamBytes after a read. */
  private keptBytes = 0;
  /** Streams read whole once and not kept, oldest first (as many names as cachedStreams): the next whole read keeps them. */
  private readonly readOnce = new Set<string>();

  private readonly statements: {
    head: Database.Statement<[string], { revision: number }>;
    headPosition: Database.Statement<[], { position: number | null }>;
    dataVersion: Database.Statement<[], number>;
  };

  /** An append found stored says so (AppendResult.alreadyStored): the appender sees which rows it wrote. */
  override get tellsStoredAppends(): boolean {
    return true;
  }

  constructor(options: SqliteEventStoreOptions) {
    super();
    // Checked before the file is opened: a wrong size leaves no connection behind.
    if (options.pageCacheKb !== undefined && (!Number.isSafeInteger(options.pageCacheKb) || options.pageCacheKb < 0)) {
      throw new RangeError(`pageCacheKb must be a whole number of KiB, 0 or more; got ${options.pageCacheKb}`);
    }
    this.db = openSqliteFile(options.filename, options.synchronous ?? 'FULL');
    if (options.pageCacheKb !== undefined) this.db.pragma(`cache_size = -${options.pageCacheKb}`);
    this.db.exec(SCHEMA);
    linkHistoryWrittenBefore(this.db);
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.changeCheckMs = options.changeCheckMs ?? 5;
    this.cachedStreams = options.cachedStreams ?? 4096;
    this.cachedStreamBytes = options.cachedStreamBytes ?? DEFAULT_CACHED_STREAM_BYTES;
    if (!Number.isSafeInteger(this.cachedStreamBytes) || this.cachedStreamBytes < 0) {
      throw new RangeError(`cachedStreamBytes must be a whole number of bytes, 0 or more (0 keeps no stream); got ${options.cachedStreamBytes}`);
    }
    this.statements = {
      head: this.db.prepare('SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1'),
      headPosition: this.db.prepare('SELECT MAX(position) AS position FROM events'),
      dataVersion: this.db.prepare<[], number>('PRAGMA data_version').pluck(),
    };
    this.dataVersion = this.statements.dataVersion.get()!;
    if (options.writerThread ?? (options.filename !== ':memory:' && extname(WRITER_ENTRY) !== '.ts')) {
      this.writer = WriterThread.shared().open(options.filename, options.synchronous ?? 'FULL', {
        answer: (answer) => this.onWriterAnswer(answer),
        stopped: (error) => this.onWriterExit(error),
      });
    } else {
      this.appender = new SqliteAppender(this.db);
    }
  }

  override async append(stream: string, events: readonly EventToAppend[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    const expected = options.expectedRevision ?? 'any';
    const json = validateAppend(stream, events, expected);
    const [result] = await this.enqueue([{ stream, events, expectedRevision: expected }], [json]);
    return result!;
  }

  /** One append of the group commit like any other: its parts share one savepoint, so a conflict in one undoes them all. */
  override async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    return this.enqueue(appends, validateStreamAppends(appends));
  }

  /** `json`: each part's events as the validation made their JSON, once: the text the log stores and its chain links hash. */
  private enqueue(appends: readonly StreamAppend[], json: readonly (readonly EventJson[])[]): Promise<AppendResult[]> {
    if (this.closed || this.closing) return Promise.reject(new EventStoreUnavailableError('the event store is closed'));
    if (this.writerFailure) return Promise.reject(this.writerFailure);
    const parts = appends.map(({ stream, events, expectedRevision }, part): StreamPart => ({
      stream,
      expected: expectedRevision ?? 'any',
      events: events.map((event, index) => ({ eventId: event.eventId, type: event.type, data: json[part]![index]!.data, metadata: json[part]![index]!.metadata })),
    }));
    return new Promise<AppendResult[]>((resolve, reject) => {
      this.pending.push({ parts, resolve, reject });
      if (!this.flushScheduled && !this.inFlight) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Sends what has queued up as one batch: to the writer thread, or (in memory) commits it here.
   * While the writer thread commits one batch, the next one queues: the longer an fsync takes, the
   * more appends share the next one.
   */
  private flush(): void {
    this.flushScheduled = false;
    if (this.inFlight || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const requests = batch.map(({ parts }): AppendRequest => ({ parts, recordedAt: this.clock().toISOString() }));
    if (!this.writer) {
      let outcomes: AppendOutcome[] | undefined;
      let failure: string | undefined;
      try {
        outcomes = this.appender!.commit(requests);
      } catch (error) {
        failure = (error as Error).message;
      }
      this.settle(batch, outcomes, failure);
      return;
    }
    this.inFlight = { id: (this.batches += 1), batch };
    this.writer.commit(this.inFlight.id, requests);
  }

  private onWriterAnswer(answer: WriterAnswer & { kind: 'committed' | 'failed' }): void {
    const inFlight = this.inFlight;
    if (!inFlight || inFlight.id !== answer.id) return;
    this.inFlight = undefined;
    this.settle(inFlight.batch, answer.kind === 'committed' ? answer.outcomes : undefined, answer.kind === 'failed' ? answer.failure : undefined);
    if (this.pending.length > 0) this.flush();
    if (!this.inFlight && this.pending.length === 0) for (const idle of this.idleWaiters.splice(0)) idle();
  }

  /** The writer thread is gone (it crashed or could not open the file): nothing more can be written. */
  private onWriterExit(error: Error | undefined): void {
    this.writer = undefined;
    if (this.closed || this.writerFailure) return;
    this.writerFailure = new EventStoreUnavailableError(`the event store's writer thread stopped${error ? `: ${error.message}` : ''}`, error);
    const lost = [...(this.inFlight?.batch ?? []), ...this.pending];
    this.inFlight = undefined;
    this.pending = [];
    // A batch in flight may or may not have been committed: its writers are told the store failed, never that it succeeded.
    for (const append of lost) append.reject(this.writerFailure);
    for (const idle of this.idleWaiters.splice(0)) idle();
  }

  private settle(batch: readonly PendingAppend[], outcomes: readonly AppendOutcome[] | undefined, failure: string | undefined): void {
    if (!outcomes) {
      const unavailable = new EventStoreUnavailableError(`the event store could not commit: ${failure}`);
      for (const append of batch) append.reject(unavailable);
      return;
    }
    outcomes.forEach((outcome, index) => {
      const append = batch[index]!;
      if ('ok' in outcome) append.resolve(outcome.ok);
      else append.reject(new WrongExpectedRevisionError(outcome.conflict.stream, outcome.conflict.expected, outcome.conflict.actual));
    });
    if (outcomes.some((outcome) => 'ok' in outcome)) this.wakeSubscribers();
  }

  override async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (this.cachedStreams > 0 && this.cachedStreamBytes > 0 && !options.fromStorage && options.direction !== 'backwards' && (options.fromRevision ?? 0) <= 0 && options.maxCount === undefined) return this.readWholeStream(stream);
    const backwards = options.direction === 'backwards';
    const limit = options.maxCount ?? -1;
    const rows = backwards
      ? this.cached<[string, number, number]>('SELECT * FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?')
          .all(stream, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
      : this.cached<[string, number, number]>('SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?')
          .all(stream, options.fromRevision ?? 0, limit);
    if (rows.length === 0 && this.statements.head.get(stream) === undefined) throw new StreamNotFoundError(stream);
    return rows.map(toRecorded);
  }

  /**
   * A whole stream, as a command reads it before every decision: the events kept from the last read
   * and those appended since. The log is append-only (this store deletes and rewrites nothing) and a
   * read sees only committed rows, so the kept events are still the stream's first ones; the read of
   * what follows them is one indexed query that also sees what another connection (another process)
   * appended. Only the JSON of new rows is parsed; their stored JSON's length is added to what the
   * stream counts towards cachedStreamBytes.
   */
  private readWholeStream(stream: string): RecordedEvent[] {
    const kept = this.streams.get(stream);
    const rows = this.cached<[string, number]>('SELECT * FROM events WHERE stream = ? AND revision > ? ORDER BY revision')
      .all(stream, kept ? kept.events[kept.events.length - 1]!.revision : -1);
    if (!kept && rows.length === 0) throw new StreamNotFoundError(stream);
    // Kept from its second read on: a pass that reads every stream once (a fold of each, an export) keeps
    // nothing, so it neither fills the heap with events nobody reads again (whose garbage collection made
    // every later read dearer) nor pushes out the streams that commands read again and again.
    if (!kept && !this.readOnce.delete(stream)) {
      this.readOnce.add(stream);
      if (this.readOnce.size > this.cachedStreams) this.readOnce.delete(this.readOnce.values().next().value!);
      return rows.map(toRecorded);
    }
    const events = kept ? (rows.length === 0 ? kept.events : kept.events.concat(rows.map(toRecorded))) : rows.map(toRecorded);
    const bytes = rows.reduce((sum, row) => sum + row.data.length + row.metadata.length + KEPT_EVENT_OVERHEAD, kept?.bytes ?? 0);
    // Least recently read first: a read moves the stream to the end, and the first ones go when there are too many or too big.
    if (kept) {
      this.streams.delete(stream);
      this.keptBytes -= kept.bytes;
    }
    if (events.length <= MAX_CACHED_STREAM_LENGTH && bytes <= this.cachedStreamBytes / 4) {
      this.streams.set(stream, { events, bytes });
      this.keptBytes += bytes;
      while (this.streams.size > this.cachedStreams || this.keptBytes > this.cachedStreamBytes) {
        const [oldest, dropped] = this.streams.entries().next().value!;
        this.streams.delete(oldest);
        this.keptBytes -= dropped.bytes;
      }
    }
    // The caller's own array; the events themselves are shared, and no reader changes a recorded event.
    return events.slice();
  }

  override async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllSync(options);
  }

  private readAllSync(options: ReadAllOptions): RecordedEvent[] {
    return this.readRows(options).map(toRecorded);
  }

  private readRows(options: ReadAllOptions): EventRow[] {
    const backwards = options.direction === 'backwards';
    const { clause, params } = filterClause(options.filter);
    const sql = backwards
      ? `SELECT * FROM events WHERE position <= ?${clause} ORDER BY position DESC LIMIT ?`
      : `SELECT * FROM events WHERE position >= ?${clause} ORDER BY position LIMIT ?`;
    const from = options.fromPosition ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    return this.cached<unknown[]>(sql).all(from, ...params, options.maxCount ?? -1);
  }

  /** Prepared statements by SQL text; the filter shapes in use are few, so the cache stays small. */
  private cached<P extends unknown[]>(sql: string): Database.Statement<P, EventRow> {
    let statement = this.statementCache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.statementCache.size < 256) this.statementCache.set(sql, statement);
    }
    return statement as Database.Statement<P, EventRow>;
  }

  override subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    let closed = false;
    let wake: (() => void) | undefined;
    const subscription = {
      close: async () => {
        closed = true;
        wake?.();
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    const store = this;
    async function* messages(): AsyncGenerator<SubscriptionMessage> {
      let position = options.fromPosition ?? 0;
      let caughtUp = false;
      while (!closed && !store.closed) {
        const changesBefore = store.changes;
        const page = store.pageAfter(position, options.filter);
        for (const event of page.events) {
          if (closed) return;
          position = event.position;
          yield { kind: 'event', event };
        }
        // A filtered page skips what does not match: the next read starts after what the page went through, not after the last match.
        position = Math.max(position, page.through);
        if (!page.more) {
          if (!caughtUp) {
            caughtUp = true;
            yield { kind: 'caught-up', position };
          }
          if (closed) return;
          // Appends committed while this page was being consumed: read again instead of waiting.
          if (store.changes !== changesBefore) continue;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              // The fallback for commits nobody told of: the tail is read again too.
              store.changes += 1;
              woken();
            }, store.pollIntervalMs);
            timer.unref();
            const woken = () => {
              clearTimeout(timer);
              store.waiters.delete(woken);
              resolve();
            };
            wake = woken;
            store.waiters.add(woken);
            store.watchForOtherWriters();
          });
        }
      }
    }
    const iterable = messages();
    return Object.assign(subscription, {
      [Symbol.asyncIterator]: () => iterable,
    });
  }

  /**
   * The events after `position` that pass the filter, `through` the log position the answer went
   * through, and whether more may follow at once. A subscription within the tail (every live one)
   * takes them from it, and the tail reads the log at most once per change for all of them: one
   * unfiltered query from where it stopped, whose last row is the head, so no head is asked. One
   * behind the tail (catching up from its checkpoint, or slower than the tail's bound) reads the log
   * itself, as before, and joins the tail when it reaches it: it never blocks a writer, and loses nothing.
   */
  private pageAfter(position: number, filter: EventFilter | undefined): { events: RecordedEvent[]; through: number; more: boolean } {
    let tail = this.tail;
    if (!tail) {
      this.dataVersion = this.statements.dataVersion.get()!;
      const head = this.statements.headPosition.get()?.position ?? 0;
      tail = this.tail = { entries: [], bytes: 0, after: head, through: head, readAt: this.changes, complete: true };
    }
    if (position >= tail.after && (tail.readAt !== this.changes || !tail.complete)) this.readTail(tail);
    if (position >= tail.after) {
      const events: RecordedEvent[] = [];
      // Filtered on the row's columns, as the query would: the JSON of an event no subscription takes is never parsed.
      for (const entry of tail.entries) if (entry.row.position > position && (!filter || matches(entry.row, filter))) events.push(entry.event ??= toRecorded(entry.row));
      return { events, through: Math.max(position, tail.through), more: !tail.complete };
    }
    // Behind the tail: the head first, so that a short filtered page lets the next read start after it.
    const head = filter ? (this.statements.headPosition.get()?.position ?? 0) : 0;
    const page = this.readAllSync({ fromPosition: position + 1, maxCount: PAGE_SIZE, filter });
    if (page.length === PAGE_SIZE) return { events: page, through: page[page.length - 1]!.position, more: true };
    return { events: page, through: Math.max(head, page[page.length - 1]?.position ?? position), more: false };
  }

  /** One page of the log after the tail, kept within TAIL_EVENTS and TAIL_BYTES (the oldest dropped first). */
  private readTail(tail: LogTail): void {
    // What another connection committed before this version is in the read below: the change check wakes for later commits only.
    this.dataVersion = this.statements.dataVersion.get()!;
    tail.readAt = this.changes;
    const rows = this.readRows({ fromPosition: tail.through + 1, maxCount: PAGE_SIZE });
    if (rows.length > 0) {
      const entries = rows.map((row): TailEntry => ({ row, bytes: row.data.length + row.metadata.length + KEPT_EVENT_OVERHEAD }));
      for (const entry of entries) tail.bytes += entry.bytes;
      tail.entries = tail.entries.concat(entries);
      tail.through = rows[rows.length - 1]!.position;
    }
    // A full page: more may follow, and every subscription in the tail reads on rather than wait.
    tail.complete = rows.length < PAGE_SIZE;
    let dropped = 0;
    while (tail.entries.length - dropped > TAIL_EVENTS || (tail.bytes > TAIL_BYTES && dropped < tail.entries.length)) {
      tail.bytes -= tail.entries[dropped]!.bytes;
      tail.after = tail.entries[dropped]!.row.position;
      dropped += 1;
    }
    if (dropped > 0) tail.entries = tail.entries.slice(dropped);
  }

  /**
   * While a subscription waits, checks every changeCheckMs whether another connection has committed
   * (this connection's own commits wake subscribers directly): `data_version` changes exactly then.
   */
  private watchForOtherWriters(): void {
    // The version last seen stays: a commit from elsewhere since then wakes the first check.
    if (this.changeTimer || this.changeCheckMs <= 0 || this.closed) return;
    this.changeTimer = setInterval(() => {
      if (this.waiters.size === 0) {
        clearInterval(this.changeTimer);
        this.changeTimer = undefined;
        return;
      }
      const version = this.statements.dataVersion.get()!;
      if (version !== this.dataVersion) {
        this.dataVersion = version;
        this.wakeSubscribers();
      }
    }, this.changeCheckMs);
    this.changeTimer.unref();
  }

  private wakeSubscribers(): void {
    this.changes += 1;
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const resolve of waiting) resolve();
  }

  override async headPosition(): Promise<number> {
    return this.statements.headPosition.get()?.position ?? 0;
  }

  override close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  /** What was accepted before close is committed first (and answered); then the writer thread and the connection end. */
  private async shutDown(): Promise<void> {
    if (this.pending.length > 0) this.flush();
    while (this.inFlight || this.pending.length > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    const writer = this.writer;
    this.writer = undefined;
    if (writer) await writer.close();
    this.closed = true;
    if (this.changeTimer) clearInterval(this.changeTimer);
    this.changeTimer = undefined;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.wakeSubscribers();
    this.db.close();
  }
}

/**
 * A log written before the whole-log chain existed gets its links once, in order, as it stands
 * (docs/adr/0010): what was changed before then cannot be told, what is changed after can.
 */
function linkHistoryWrittenBefore(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('events')").all().map((column) => column.name);
  if (!columns.includes('log_hash')) {
    try {
      db.exec('ALTER TABLE events ADD COLUMN log_hash TEXT');
    } catch (error) {
      // Another process opening the same file added it first.
      if (!/duplicate column/i.test((error as Error).message)) throw error;
    }
  }
  const unlinked = db.prepare<[], { position: number }>('SELECT position FROM events WHERE log_hash IS NULL LIMIT 1').get();
  if (!unlinked) return;
  db.transaction(() => {
    const before = db.prepare<[number], { log_hash: string | null }>('SELECT log_hash FROM events WHERE position < ? ORDER BY position DESC LIMIT 1').get(unlinked.position);
    let previous = before?.log_hash ?? LOG_CHAIN_START;
    const update = db.prepare<[string, number]>('UPDATE events SET log_hash = ? WHERE position = ?');
    const page = db.prepare<[number], EventRow>('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT 5000');
    for (let after = unlinked.position - 1; ; ) {
      const rows = page.all(after);
      if (rows.length === 0) break;
      for (const row of rows) {
        previous = row.log_hash ?? logLink(previous, toRecorded(row));
        if (row.log_hash === null) update.run(previous, row.position);
      }
      after = rows[rows.length - 1]!.position;
    }
  }).immediate();
}

function toRecorded(row: EventRow): RecordedEvent {
  let data: Record<string, unknown>;
  let metadata: Record<string, unknown>;
  try {
    data = JSON.parse(row.data) as Record<string, unknown>;
    metadata = JSON.parse(row.metadata) as Record<string, unknown>;
  } catch {
    throw new UnreadableEventError(row.position, row.stream, row.revision);
  }
  // One object literal per shape (with or without its link), its keys in the order they always had: no object spread into it per event.
  const logHash = row.log_hash;
  return logHash === null
    ? { eventId: row.event_id, stream: row.stream, revision: row.revision, position: row.position, type: row.type, data, metadata, recordedAt: row.recorded_at }
    : { eventId: row.event_id, stream: row.stream, revision: row.revision, position: row.position, type: row.type, data, metadata, recordedAt: row.recorded_at, logHash };
}

/** The filter of filterClause, on a row already read. */
function matches(row: EventRow, filter: EventFilter): boolean {
  if (filter.eventTypes?.length && !filter.eventTypes.includes(row.type)) return false;
  if (filter.eventTypePrefixes?.length && !filter.eventTypePrefixes.some((prefix) => row.type.startsWith(prefix))) return false;
  if (filter.streamPrefixes?.length && !filter.streamPrefixes.some((prefix) => row.stream.startsWith(prefix))) return false;
  return true;
}

function filterClause(filter: EventFilter | undefined): { clause: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter?.eventTypes?.length) {
    parts.push(`type IN (${filter.eventTypes.map(() => '?').join(', ')})`);
    params.push(...filter.eventTypes);
  }
  for (const [column, prefixes] of [['type', filter?.eventTypePrefixes], ['stream', filter?.streamPrefixes]] as const) {
    if (prefixes?.length) {
      parts.push(`(${prefixes.map(() => `substr(${column}, 1, ?) = ?`).join(' OR ')})`);
      for (const prefix of prefixes) params.push(prefix.length, prefix);
    }
  }
  return { clause: parts.map((part) => ` AND ${part}`).join(''), params };
}

interface WriterClient {
  answer(answer: WriterAnswer & { kind: 'committed' | 'failed' }): void;
  stopped(error: Error | undefined): void;
}

interface WriterConnection {
  commit(id: number, batch: readonly AppendRequest[]): void;
  close(): Promise<void>;
}

/**
 * The one writer thread of this process, shared by its stores (sqlite-writer.worker.ts). It holds
 * the process open only while a store waits for it: an idle store, like an idle connection, does
 * not keep a finished program alive.
 */
class WriterThread {
  private static current: WriterThread | undefined;
  private readonly worker: Worker;
  private readonly clients = new Map<number, WriterClient>();
  private readonly closing = new Map<number, () => void>();
  private nextStore = 0;
  /** Batches and closes not yet answered: the thread is referenced while there are any. */
  private waiting = 0;

  static shared(): WriterThread {
    WriterThread.current ??= new WriterThread();
    return WriterThread.current;
  }

  private constructor() {
    this.worker = startWorker();
    this.worker.unref();
    this.worker.on('message', (answer: WriterAnswer) => this.onAnswer(answer));
    let failure: Error | undefined;
    this.worker.on('error', (error) => { failure = error; });
    this.worker.on('exit', () => {
      if (WriterThread.current === this) WriterThread.current = undefined;
      for (const client of this.clients.values()) client.stopped(failure);
      this.clients.clear();
      for (const closed of this.closing.values()) closed();
      this.closing.clear();
    });
  }

  open(filename: string, synchronous: 'FULL' | 'NORMAL', client: WriterClient): WriterConnection {
    const store = (this.nextStore += 1);
    this.clients.set(store, client);
    this.post({ kind: 'open', store, filename, synchronous }, false);
    return {
      // Packed flat: the structured clone of postMessage then copies strings, not an object per append, part and event.
      commit: (id, batch) => this.post({ kind: 'commit', store, id, batch: packBatch(batch) }, true),
      close: () => new Promise<void>((resolve) => {
        this.clients.delete(store);
        this.closing.set(store, resolve);
        this.post({ kind: 'close', store }, true);
      }),
    };
  }

  private post(request: WriterRequest, answered: boolean): void {
    if (answered && (this.waiting += 1) === 1) this.worker.ref();
    this.worker.postMessage(request);
  }

  private onAnswer(answer: WriterAnswer): void {
    if ((this.waiting -= 1) === 0) this.worker.unref();
    if (answer.kind === 'closed') {
      this.closing.get(answer.store)?.();
      this.closing.delete(answer.store);
    } else {
      this.clients.get(answer.store)?.answer(answer);
    }
  }
}

/**
 * The writer thread runs the compiled module beside this one; under ts-jest or ts-node (the tests,
 * the bench) that module is TypeScript, so the thread registers the same compiler first.
 */
function startWorker(): Worker {
  if (extname(WRITER_ENTRY) !== '.ts') return new Worker(WRITER_ENTRY, { workerData: WRITER_MARK });
  const bootstrap = `require('ts-node').register({ transpileOnly: true }); require('tsconfig-paths/register'); require(${JSON.stringify(WRITER_ENTRY)});`;
  return new Worker(bootstrap, { eval: true, workerData: WRITER_MARK });
}
