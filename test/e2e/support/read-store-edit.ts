import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Runs `sql` on a data dir's read.sqlite through a connection of its own, as an operator's hand edit would (waits for a writer). */
export function editReadStore(dataDir: string, sql: string): void {
  const db = new Database(join(dataDir, 'read.sqlite'));
  try {
    db.pragma('busy_timeout = 5000');
    db.exec(sql);
  } finally {
    db.close();
  }
}

/** The table name of a read model's live collection, as `rm_generations` records its generation (`doc_<generation>__<collection>`). */
export function liveTable(dataDir: string, readModel: string, collection: string): string {
  const db = new Database(join(dataDir, 'read.sqlite'), { readonly: true });
  try {
    db.pragma('busy_timeout = 5000');
    const { generation } = db.prepare('SELECT generation FROM rm_generations WHERE read_model = ?').get(readModel) as { generation: string };
    return `doc_${generation}__${collection}`;
  } finally {
    db.close();
  }
}

/** The name of a read model's live collection's text index (its FTS5 table), as sqlite_master holds it; throws when it has none. */
export function liveTextIndex(dataDir: string, readModel: string, collection: string): string {
  const name = `fts_${liveTable(dataDir, readModel, collection).slice('doc_'.length)}`;
  const db = new Database(join(dataDir, 'read.sqlite'), { readonly: true });
  try {
    db.pragma('busy_timeout = 5000');
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) === undefined) throw new Error(`${readModel} has no text index ${name}`);
    return name;
  } finally {
    db.close();
  }
}
