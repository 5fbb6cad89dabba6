import { randomBytes, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqliteFile } from '@app/sqlite';
import { DATA_KEY_BYTES, KeyStore, NoKeyWrapping, type DataKey, type KeyWrapping, type LiveKey } from '../key-store.port';

/**
 * Data keys in an SQLite file of their own (`DATA_DIR/keys.sqlite`), never in the event file: the
 * events may be copied, backed up and verified without the keys. `secure_delete` makes SQLite
 * overwrite a destroyed key's bytes, and each destruction checkpoints the write-ahead log so the
 * key is not left in it either. Backups of this file keep destroyed keys: keep them short-lived.
 */
export class SqliteKeyStore extends KeyStore {
  private readonly db: Database.Database;
  private readonly liveStatement: Database.Statement<[string], { key_id: string; wrapped: Buffer }>;
  private readonly insertStatement: Database.Statement<[string, string, Buffer, string]>;
  private readonly getStatement: Database.Statement<[string], { wrapped: Buffer | null; closed_at: string | null }>;
  private readonly destroyStatement: Database.Statement<[string, string]>;
  private readonly liveKeyStatement: Database.Statement<[string], { key_id: string; created_at: string }>;
  private readonly destroyKeyStatement: Database.Statement<[string, string, string]>;
  private readonly closeKeyStatement: Database.Statement<[string, string]>;

  private readonly wrapping: KeyWrapping;

  constructor(options: { readonly filename: string; readonly wrapping?: KeyWrapping }) {
    super();
    this.wrapping = options.wrapping ?? new NoKeyWrapping();
    this.db = openSqliteFile(options.filename, 'FULL');
    this.db.pragma('secure_delete = ON');
    this.db.transaction(() => {
      this.db.exec(`CREATE TABLE IF NOT EXISTS data_keys (
        key_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, wrapped BLOB, created_at TEXT NOT NULL, destroyed_at TEXT)`);
      // One live key per customer: two processes making a customer's first key cannot both succeed.
      this.db.exec('CREATE UNIQUE INDEX IF NOT EXISTS data_keys_live ON data_keys (customer_id) WHERE destroyed_at IS NULL');
      // Closed for reading by a recorded erasure, not yet destroyed (files made before this column read as open).
      const columns = this.db.prepare<[], { name: string }>('PRAGMA table_info(data_keys)').all();
      if (!columns.some((column) => column.name === 'closed_at')) this.db.exec('ALTER TABLE data_keys ADD COLUMN closed_at TEXT');
    }).immediate();
    this.liveStatement = this.db.prepare('SELECT key_id, wrapped FROM data_keys WHERE customer_id = ? AND destroyed_at IS NULL');
    this.insertStatement = this.db.prepare('INSERT INTO data_keys (key_id, customer_id, wrapped, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    this.getStatement = this.db.prepare('SELECT wrapped, closed_at FROM data_keys WHERE key_id = ?');
    this.destroyStatement = this.db.prepare('UPDATE data_keys SET wrapped = NULL, destroyed_at = ? WHERE customer_id = ? AND destroyed_at IS NULL');
    this.liveKeyStatement = this.db.prepare('SELECT key_id, created_at FROM data_keys WHERE customer_id = ? AND destroyed_at IS NULL');
    this.destroyKeyStatement = this.db.prepare('UPDATE data_keys SET wrapped = NULL, destroyed_at = ? WHERE key_id = ? AND customer_id = ? AND destroyed_at IS NULL');
    this.closeKeyStatement = this.db.prepare('UPDATE data_keys SET closed_at = ? WHERE key_id = ? AND destroyed_at IS NULL AND closed_at IS NULL');
  }

  override async keyFor(customerId: string): Promise<DataKey> {
    const live = this.liveStatement.get(customerId);
    if (live) return { keyId: live.key_id, key: await this.wrapping.unwrap(live.wrapped, live.key_id) };
    const keyId = randomUUID();
    const key = randomBytes(DATA_KEY_BYTES);
    this.insertStatement.run(keyId, customerId, await this.wrapping.wrap(key, keyId), new Date().toISOString());
    // Another process may have made it first: its key wins.
    const stored = this.liveStatement.get(customerId)!;
    return stored.key_id === keyId ? { keyId, key } : { keyId: stored.key_id, key: await this.wrapping.unwrap(stored.wrapped, stored.key_id) };
  }

  override async get(keyId: string): Promise<Buffer | null> {
    const row = this.getStatement.get(keyId);
    return row?.wrapped && row.closed_at === null ? this.wrapping.unwrap(row.wrapped, keyId) : null;
  }

  override async destroy(customerId: string): Promise<number> {
    const { changes } = this.destroyStatement.run(new Date().toISOString(), customerId);
    // The old page images of the key sit in the WAL until a checkpoint copies them back and truncates it.
    if (changes > 0) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return changes;
  }

  override async liveKey(customerId: string): Promise<LiveKey | null> {
    const row = this.liveKeyStatement.get(customerId);
    return row ? { keyId: row.key_id, createdAt: row.created_at } : null;
  }

  override async destroyKeys(customerId: string, keyIds: readonly string[]): Promise<number> {
    const at = new Date().toISOString();
    const changes = this.db.transaction(() => keyIds.reduce((count, keyId) => count + this.destroyKeyStatement.run(at, keyId, customerId).changes, 0))();
    if (changes > 0) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return changes;
  }

  override async closeKeys(keyIds: readonly string[]): Promise<number> {
    const at = new Date().toISOString();
    return this.db.transaction(() => keyIds.reduce((count, keyId) => count + this.closeKeyStatement.run(at, keyId).changes, 0))();
  }

  override async close(): Promise<void> {
    this.db.close();
  }
}
