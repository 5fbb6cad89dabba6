import Database from 'better-sqlite3';

export interface StoredResponse {
  readonly fingerprint: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/**
 * Responses of commands sent with an Idempotency-Key, per principal. Only successes are kept: a
 * refused command wrote nothing, so running it again is harmless and answers from today's state.
 */
export class SqliteIdempotencyStore {
  private readonly db: Database.Database;
  private readonly getStatement: Database.Statement<[string, string], { fingerprint: string; status: number; headers: string; body: string }>;
  private readonly putStatement: Database.Statement<[string, string, string, number, string, string, string]>;

  constructor(filename: string) {
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      principal TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, status INTEGER NOT NULL,
      headers TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (principal, key))`);
    this.getStatement = this.db.prepare('SELECT fingerprint, status, headers, body FROM idempotency_keys WHERE principal = ? AND key = ?');
    this.putStatement = this.db.prepare('INSERT OR IGNORE INTO idempotency_keys VALUES (?, ?, ?, ?, ?, ?, ?)');
  }

  get(principal: string, key: string): StoredResponse | undefined {
    const row = this.getStatement.get(principal, key);
    return row && { fingerprint: row.fingerprint, status: row.status, headers: JSON.parse(row.headers) as Record<string, string>, body: JSON.parse(row.body) };
  }

  put(principal: string, key: string, response: StoredResponse, at: Date): void {
    this.putStatement.run(principal, key, response.fingerprint, response.status, JSON.stringify(response.headers), JSON.stringify(response.body), at.toISOString());
  }

  close(): void {
    this.db.close();
  }
}
