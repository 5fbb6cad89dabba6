import Database from 'better-sqlite3';
import { LOG_CHAIN_START, logLink, logLinkOfText } from '@app/event-sourcing';
import { satisfiesExpected, validateAppend } from '../append-validation';
import { EventStoreUnavailableError, StreamNotFoundError, UnreadableEventError, WrongExpectedRevisionError } from '../event-store.errors';
import { openSqliteFile } from '@app/sqlite';
import {
  EventStore, type AllSubscription, type AppendResult, type EventFilter, type EventToAppend, type ExpectedRevision,
  type ReadAllOptions, type ReadStreamOptions, type RecordedEvent, type SubscribeToAllOptions, type SubscriptionMessage,
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
}

interface PendingAppend {
  readonly stream: string;
  readonly events: readonly EventToAppend[];
  readonly expected: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
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

/**
 * Embedded event store on one SQLite file (WAL). Appends that arrive in the same turn of the
 * event loop are committed together in one transaction (group commit): each keeps its own
 * revision check inside a savepoint, so one conflict does not fail its neighbours, and all of
 * them share one fsync. A promise resolves only after its transaction is committed.
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
  /** Counts committed batches, so a subscription can tell whether anything arrived while it was busy. */
  private commits = 0;
  private closed = false;
  private readonly waiters = new Set<() => void>();
  private readonly subscriptions = new Set<{ close(): Promise<void> }>();
  private readonly statementCache = new Map<string, Database.Statement<unknown[], EventRow>>();
  /** The last event's link in the whole-log chain, read at the start of each write transaction. */
  private chainHead = { position: 0, hash: LOG_CHAIN_START };

  private readonly statements: {
    head: Database.Statement<[string], { revision: number }>;
    inStreamById: Database.Statement<[string, string], { revision: number }>;
    atRevision: Database.Statement<[string, number], { event_id: string; position: number }>;
    insert: Database.Statement<[string, string, number, string, string, string, string, string]>;
    headPosition: Database.Statement<[], { position: number | null }>;
    lastLink: Database.Statement<[], { position: number; log_hash: string | null }>;
    nextPosition: Database.Statement<[], number>;
    dataVersion: Database.Statement<[], number>;
  };

  constructor(options: SqliteEventStoreOptions) {
    super();
    this.db = openSqliteFile(options.filename, options.synchronous ?? 'FULL');
    this.db.exec(SCHEMA);
    linkHistoryWrittenBefore(this.db);
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.changeCheckMs = options.changeCheckMs ?? 5;
    this.statements = {
      head: this.db.prepare('SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1'),
      inStreamById: this.db.prepare('SELECT revision FROM events WHERE stream = ? AND event_id = ? LIMIT 1'),
      atRevision: this.db.prepare('SELECT event_id, position FROM events WHERE stream = ? AND revision = ?'),
      insert: this.db.prepare(
        'INSERT INTO events (event_id, stream, revision, type, data, metadata, recorded_at, log_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      headPosition: this.db.prepare('SELECT MAX(position) AS position FROM events'),
      lastLink: this.db.prepare('SELECT position, log_hash FROM events ORDER BY position DESC LIMIT 1'),
      nextPosition: this.db.prepare<[], number>(
        "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0), COALESCE((SELECT MAX(position) FROM events), 0)) + 1",
      ).pluck(),
      dataVersion: this.db.prepare<[], number>('PRAGMA data_version').pluck(),
    };
    this.dataVersion = this.statements.dataVersion.get()!;
  }

  override append(stream: string, events: readonly EventToAppend[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    const expected = options.expectedRevision ?? 'any';
    try {
      validateAppend(stream, events, expected);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('the event store is closed'));
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ stream, events, expected, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let outcomes: Array<{ ok: AppendResult } | { error: unknown }>;
    try {
      // One transaction for the batch, each append in a savepoint. IMMEDIATE takes the write lock
      // before the first read: a transaction that reads and then writes would have to upgrade its
      // read lock, and SQLite answers SQLITE_BUSY at once, without waiting, when another process
      // committed meanwhile (several API instances on one DATA_DIR).
      outcomes = this.db.transaction(() => {
        const link = this.statements.lastLink.get();
        this.chainHead = { position: link?.position ?? 0, hash: link?.log_hash ?? LOG_CHAIN_START };
        return batch.map((append) => this.appendAtomically(append));
      }).immediate();
    } catch (error) {
      const unavailable = new EventStoreUnavailableError(`the event store could not commit: ${(error as Error).message}`, error);
      for (const append of batch) append.reject(unavailable);
      return;
    }
    outcomes.forEach((outcome, index) => {
      const append = batch[index]!;
      if ('ok' in outcome) append.resolve(outcome.ok);
      else append.reject(outcome.error);
    });
    if (outcomes.some((outcome) => 'ok' in outcome)) {
      this.commits += 1;
      this.wakeSubscribers();
    }
  }

  /** better-sqlite3 makes a nested transaction a savepoint, so a conflict rolls back this append only. */
  private appendAtomically(append: PendingAppend): { ok: AppendResult } | { error: unknown } {
    const headBefore = this.chainHead;
    try {
      return { ok: this.db.transaction(() => this.appendInTransaction(append))() };
    } catch (error) {
      this.chainHead = headBefore;
      if (error instanceof WrongExpectedRevisionError) return { error };
      if (isUniqueViolation(error)) return { error: this.conflict(append) };
      throw error;
    }
  }

  /**
   * Idempotency is checked per stream, as KurrentDB does: a retry of a stored append finds its
   * first event right after the expected revision (exact / no_stream), or anywhere in the stream
   * (any / stream_exists: a scan of that stream, which complaint streams keep short).
   */
  private appendInTransaction({ stream, events, expected }: PendingAppend): AppendResult {
    const current = this.statements.head.get(stream)?.revision ?? -1;
    const firstId = events[0]!.eventId.toLowerCase();
    if (!satisfiesExpected(expected, current)) {
      const retryAt = expected === 'no_stream' ? 0 : typeof expected === 'number' ? expected + 1 : undefined;
      if (retryAt !== undefined && this.statements.atRevision.get(stream, retryAt)?.event_id === firstId) {
        return this.storedAppend(stream, events, expected, retryAt);
      }
      throw new WrongExpectedRevisionError(stream, expected, current < 0 ? 'no_stream' : current);
    }
    if ((expected === 'any' || expected === 'stream_exists') && current >= 0) {
      const stored = this.statements.inStreamById.get(stream, firstId);
      if (stored) return this.storedAppend(stream, events, expected, stored.revision);
    }
    const recordedAt = this.clock().toISOString();
    let revision = current;
    let position = 0;
    for (const event of events) {
      revision += 1;
      const eventId = event.eventId.toLowerCase();
      const data = JSON.stringify(event.data);
      const metadata = JSON.stringify(event.metadata);
      // AUTOINCREMENT hands out the next position after the highest ever used, so it is known before the insert.
      position = this.statements.nextPosition.get()!;
      const link = logLinkOfText(this.chainHead.hash, { position, eventId, stream, revision, type: event.type, recordedAt }, data, metadata);
      const info = this.statements.insert.run(eventId, stream, revision, event.type, data, metadata, recordedAt, link);
      if (Number(info.lastInsertRowid) !== position) throw new Error(`the log's next position was ${Number(info.lastInsertRowid)}, not ${position}`);
      this.chainHead = { position, hash: link };
    }
    return { nextRevision: revision, position };
  }

  /** The first event is stored at `firstRevision`: the same append again, or a partial overlap (a conflict). */
  private storedAppend(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision, firstRevision: number): AppendResult {
    let last: { position: number } | undefined;
    for (const [index, event] of events.entries()) {
      const stored = this.statements.atRevision.get(stream, firstRevision + index);
      if (stored?.event_id !== event.eventId.toLowerCase()) throw this.conflict({ stream, expected });
      last = stored;
    }
    return { nextRevision: firstRevision + events.length - 1, position: last!.position };
  }

  private conflict({ stream, expected }: Pick<PendingAppend, 'stream' | 'expected'>): WrongExpectedRevisionError {
    const current = this.statements.head.get(stream)?.revision ?? -1;
    return new WrongExpectedRevisionError(stream, expected, current < 0 ? 'no_stream' : current);
  }

  override async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
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

  override async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllSync(options);
  }

  private readAllSync(options: ReadAllOptions): RecordedEvent[] {
    const backwards = options.direction === 'backwards';
    const { clause, params } = filterClause(options.filter);
    const sql = backwards
      ? `SELECT * FROM events WHERE position <= ?${clause} ORDER BY position DESC LIMIT ?`
      : `SELECT * FROM events WHERE position >= ?${clause} ORDER BY position LIMIT ?`;
    const from = options.fromPosition ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    return this.cached<unknown[]>(sql).all(from, ...params, options.maxCount ?? -1).map(toRecorded);
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
        const commitsBefore = store.commits;
        // A filtered read skips what does not match; a short page has been through the whole log as
        // it stood before the read, so the next read starts after that head, not after the last match.
        const head = options.filter ? (store.statements.headPosition.get()?.position ?? 0) : 0;
        const page = store.readAllSync({ fromPosition: position + 1, maxCount: PAGE_SIZE, filter: options.filter });
        for (const event of page) {
          if (closed) return;
          position = event.position;
          yield { kind: 'event', event };
        }
        if (page.length < PAGE_SIZE) {
          position = Math.max(position, head);
          if (!caughtUp) {
            caughtUp = true;
            yield { kind: 'caught-up', position };
          }
          if (closed) return;
          // Appends committed while this page was being consumed: read again instead of waiting.
          if (store.commits !== commitsBefore) continue;
          await new Promise<void>((resolve) => {
            wake = resolve;
            store.waiters.add(resolve);
            store.watchForOtherWriters();
            const timer = setTimeout(resolve, store.pollIntervalMs);
            timer.unref();
          });
          if (wake) store.waiters.delete(wake);
        }
      }
    }
    const iterable = messages();
    return Object.assign(subscription, {
      [Symbol.asyncIterator]: () => iterable,
    });
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
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const resolve of waiting) resolve();
  }

  override async headPosition(): Promise<number> {
    return this.statements.headPosition.get()?.position ?? 0;
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    if (this.pending.length > 0) this.flush();
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
  return {
    eventId: row.event_id,
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    type: row.type,
    data,
    metadata,
    recordedAt: row.recorded_at,
    ...(row.log_hash === null ? {} : { logHash: row.log_hash }),
  };
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

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}
