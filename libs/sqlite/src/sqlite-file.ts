import Database from 'better-sqlite3';

const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens an SQLite file the way every store of ours uses one: write-ahead log, the given fsync level,
 * and a 5 s wait for another connection's lock. Several processes may open a new file at the same
 * instant (API instances starting together on one DATA_DIR): turning a new file to WAL needs a lock
 * that SQLite does not wait for with its busy handler, so that step is retried here for as long.
 */
export function openSqliteFile(filename: string, synchronous: 'FULL' | 'NORMAL'): Database.Database {
  const db = new Database(filename, { timeout: BUSY_TIMEOUT_MS });
  const giveUpAt = Date.now() + BUSY_TIMEOUT_MS;
  for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
    try {
      db.pragma('journal_mode = WAL');
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= giveUpAt) {
        db.close();
        throw error;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
    }
  }
  db.pragma(`synchronous = ${synchronous}`);
  return db;
}
