import Database from 'better-sqlite3';
import { IdempotencyStore, checkTtl, type StoredResponse } from '../idempotency-store.port';
import { openSqliteFile } from '@app/sqlite';

/** How often a write also deletes expired keys (measured on the callers' clock). */
const PURGE_EVERY_MS = 60_000;

/**
 * Idempotency keys in an SQLite file of their own (`DATA_DIR/api.sqlite`): every API process on the
 * machine opens the same file. Not in `read.sqlite`: the projector writes that file in batches, and a
 * command would then wait for the batch in progress to store its key; and read models may be deleted
 * and rebuilt from the events, keys cannot. Expired keys are absent at once and deleted on a write
 * at most once a minute.
 */
export class SqliteIdempotencyStore extends IdempotencyStore {
  readonly ttlMs: number;
  private readonly db: Database.Database;
  private readonly getStatement: Database.Statement<[string, string, number], { fingerprint: string; status: number; headers: string; body: string }>;
  private readonly putStatement: Database.Statement<[string, string, string, number, string, string, string, number, number]>;
  private readonly purgeStatement: Database.Statement<[number]>;
  private readonly forgetStatement: Database.Statement<[string]>;
  private lastPurge = Number.NEGATIVE_INFINITY;

  constructor(options: { filename: string; ttlMs: number }) {
    super();
    this.ttlMs = checkTtl(options.ttlMs);
    this.db = openSqliteFile(options.filename, 'NORMAL');
    // An erasure forgets answers that may hold personal values: a delete overwrites their bytes.
    this.db.pragma('secure_delete = ON');
    // Several API processes open this file at once: the schema is made or migrated under the write
    // lock (IMMEDIATE), and what is there is read again inside it, so only the first one changes it.
    this.db.transaction(() => {
      this.db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
        principal TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, status INTEGER NOT NULL,
        headers TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL, expires_at INTEGER, PRIMARY KEY (principal, key))`);
      const columns = (this.db.prepare("SELECT name FROM pragma_table_info('idempotency_keys')").all() as Array<{ name: string }>).map((column) => column.name);
      if (!columns.includes('expires_at')) {
        // A file from before keys expired: its keys live for the TTL from when they were stored.
        this.db.exec('ALTER TABLE idempotency_keys ADD COLUMN expires_at INTEGER');
        this.db.prepare("UPDATE idempotency_keys SET expires_at = CAST(round((julianday(created_at) - 2440587.5) * 86400000) AS INTEGER) + ?").run(this.ttlMs);
      }
      this.db.exec('CREATE INDEX IF NOT EXISTS idempotency_keys_expiry ON idempotency_keys (expires_at)');
    }).immediate();
    this.getStatement = this.db.prepare('SELECT fingerprint, status, headers, body FROM idempotency_keys WHERE principal = ? AND key = ? AND expires_at > ?');
    // The first response wins while it lives; an expired one (expires_at <= now) is overwritten.
    this.putStatement = this.db.prepare(`INSERT INTO idempotency_keys (principal, key, fingerprint, status, headers, body, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (principal, key) DO UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status, headers = excluded.headers, body = excluded.body,
        created_at = excluded.created_at, expires_at = excluded.expires_at
      WHERE idempotency_keys.expires_at <= ?`);
    this.purgeStatement = this.db.prepare('DELETE FROM idempotency_keys WHERE expires_at <= ?');
    // Every body is a JSON object (a command's answer); an erasure is rare, so a scan of the live keys does.
    this.forgetStatement = this.db.prepare("DELETE FROM idempotency_keys WHERE json_extract(body, '$.id') IN (SELECT value FROM json_each(?))");
  }

  override async get(principal: string, key: string, now: Date): Promise<StoredResponse | undefined> {
    const row = this.getStatement.get(principal, key, now.getTime());
    return row && { fingerprint: row.fingerprint, status: row.status, headers: JSON.parse(row.headers) as Record<string, string>, body: JSON.parse(row.body) };
  }

  override async put(principal: string, key: string, response: StoredResponse, now: Date): Promise<void> {
    const at = now.getTime();
    if (at - this.lastPurge >= PURGE_EVERY_MS || at < this.lastPurge) await this.purgeExpired(now);
    this.putStatement.run(principal, key, response.fingerprint, response.status, JSON.stringify(response.headers), JSON.stringify(response.body), now.toISOString(), at + this.ttlMs, at);
  }

  override async purgeExpired(now: Date): Promise<number> {
    this.lastPurge = now.getTime();
    return this.purgeStatement.run(now.getTime()).changes;
  }

  override async forget(subjects: readonly string[]): Promise<number> {
    if (subjects.length === 0) return 0;
    const forgotten = this.forgetStatement.run(JSON.stringify(subjects)).changes;
    // The deleted rows' bytes are overwritten (secure_delete), and the WAL holding their old pages is checkpointed away.
    if (forgotten > 0) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return forgotten;
  }

  override async close(): Promise<void> {
    this.db.close();
  }
}
