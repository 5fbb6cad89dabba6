import { basename } from 'node:path';
import Database from 'better-sqlite3';
import {
  arrayFields, checkArrayCondition, checkArrayField, checkCondition, checkDocumentTop, checkField, checkRow, checkVersionedDocument, checkTextQuery, decodeCursor, FormerlyLive, LeaseGrants, liveGenerationOf, missingCollectionError, newCursorKey, CURSOR_KEY_BYTES, pageCursor, pageLimit, searchableText, sparseFields, typedColumns, valueAt, type Columns,
} from '../query-support';
import { openSqliteFile } from '@app/sqlite';
import { DocumentShapes } from './document-shapes';
import { answeredInstant, lowestInstantFrom, storedInstant } from './instants';
import {
  CheckpointConflictError, InvalidQueryError, READ_MODEL_REBUILDS, ReadModelRebuildingError, ReadStore, ReadStoreDamagedError, belongsToGeneration, generationCollection, type CollectionSpec, type CommitOptions, type DocumentChange, type EnsureOptions, type Filter, type FindOptions,
  type ColumnSpec, type ColumnType, type Page, type ReadDocument, type Scalar, type SortField, type VersionedDocument, storedVersion,
} from '../read-store.port';

// Field paths go into SQL as JSON path literals: checkField lets only plain names pass.

/** Indexed fields live in their own column, filled from the document on write: no JSON parsing per index. */
const columnOf = (field: string): string => `"f:${checkField(field)}"`;

/**
 * A list field (CollectionSpec.arrays) lives in a column of its own, the list as JSON, so that a filter on one of
 * its values is `json_each` in C over that column, without decoding the document (docs/adr/0011, thirteenth step).
 */
const listColumnOf = (field: string): string => `"a:${checkField(field)}"`;

function columnValue(document: ReadDocument, field: string): unknown {
  return sqlValue(valueAt(document, field));
}

/** A field's value as SQL holds it (as json_extract gives it): null for none, 1 or 0 for a boolean, JSON for an object or array. */
function sqlValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const table = (collection: string): string => `"doc_${collection.replace(/[^A-Za-z0-9_]/g, '_')}"`;
/**
 * The text index of a collection with text fields: an FTS5 table with the trigram tokenizer (any
 * substring of three characters or more is found through the index, in Chinese as in English;
 * shorter ones by a scan of the index's text), its rowid the document row's.
 */
const textTable = (collection: string): string => `"fts_${collection.replace(/[^A-Za-z0-9_]/g, '_')}"`;
const unquoted = (name: string): string => name.slice(1, -1);
/**
 * The tables of a collection's text index: the FTS5 table and the tables FTS5 keeps it in (`fts5(body)` with its default
 * content and column sizes). A search or a write fails without any of them, so the index is whole only with all six.
 */
const textIndexTables = (collection: string): string[] => {
  const index = unquoted(textTable(collection));
  return [index, ...['data', 'idx', 'content', 'docsize', 'config'].map((shadow) => `${index}_${shadow}`)];
};
/** Which fields each collection's text index holds; made again where a hand dropped it (ensureCollections, dropGeneration). */
const TEXT_FIELDS_TABLE = 'CREATE TABLE IF NOT EXISTS rm_text_fields (collection TEXT PRIMARY KEY, fields TEXT NOT NULL);';
/** SQL function: the text a document's text index would hold for these fields (JSON array), for a search before the index exists. */
/** The file's secrets (the cursor key), made again if the table is dropped while the store is open (readSecret). */
const SECRETS_TABLE = 'CREATE TABLE IF NOT EXISTS rm_secrets (name TEXT PRIMARY KEY, secret BLOB NOT NULL);';
const LEASES_COLUMNS = 'name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL';
const LEASES_TABLE = `CREATE TABLE IF NOT EXISTS rm_leases (${LEASES_COLUMNS});`;
// The lease statements (acquireLease, leaseHolder, releaseLease): a table of rm_leases they cannot be prepared on is damaged (leasesTableFault).
/**
 * The row of rm_leases that says when the table was made again after it went missing (dropped by hand while processes held
 * leases): its name is no lease's, its expires_at the time it was made. See onLeases.
 */
const LEASES_REMADE = '';
// A lease without a row is not taken for one ttl after the table was made again, but by the holder this store granted it to
// (@held): a holder that lost its row with the table may still be projecting, and a second holder would write beside it.
const LEASE_TAKE = `INSERT INTO rm_leases (name, holder, expires_at) SELECT @name, @holder, @expiresAt
      WHERE @held OR EXISTS (SELECT 1 FROM rm_leases WHERE name = @name)
        OR NOT EXISTS (SELECT 1 FROM rm_leases WHERE name = '${LEASES_REMADE}' AND expires_at > @now - @ttl)
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
      WHERE rm_leases.holder = excluded.holder OR rm_leases.expires_at <= @now OR typeof(rm_leases.expires_at) NOT IN ('integer', 'real')
        OR rm_leases.holder = @replacing`;
const LEASE_HOLDER = "SELECT holder FROM rm_leases WHERE name = ? AND expires_at > ? AND typeof(expires_at) IN ('integer', 'real')";
const LEASE_RELEASE = 'DELETE FROM rm_leases WHERE name = ? AND holder = ?';
/**
 * A count of the writes to rm_generations, moved by triggers in the writer's own transaction (any writer, any process, any
 * build from this one on): a reader that finds it unmoved knows the generations it read last are still live (liveGenerations).
 * It starts at the time in milliseconds, so a count made again (after a hand drop) never meets a count a reader kept.
 */
const GENERATION_SWITCHES = `CREATE TABLE IF NOT EXISTS rm_generation_switches (id INTEGER PRIMARY KEY CHECK (id = 1), total INTEGER NOT NULL);
  INSERT OR IGNORE INTO rm_generation_switches (id, total) VALUES (1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
  ${['INSERT', 'UPDATE', 'DELETE'].map((write) => `CREATE TRIGGER IF NOT EXISTS rm_generations_${write.toLowerCase()} AFTER ${write} ON rm_generations
    BEGIN UPDATE rm_generation_switches SET total = total + 1 WHERE id = 1; END;`).join('\n  ')}`;
/** Whether the three triggers of GENERATION_SWITCHES are all there (a read of the schema, no write). */
const GENERATION_TRIGGERS_WHOLE = "SELECT count(*) = 3 FROM sqlite_master WHERE type = 'trigger' AND name IN ('rm_generations_insert', 'rm_generations_update', 'rm_generations_delete')";
const SEARCHABLE_TEXT = 'rm_searchable_text';
/** SQL function: a field of a stored document (id, doc, field) as its indexed column would hold it, for a field without a column. */
const FIELD_VALUE = 'rm_field';
/**
 * SQL function: whether a field of a stored document (id, doc, field) is one of the values (JSON array of scalars,
 * bound as SQL binds them) or a list that holds one of them: equality on a field without a column, as MongoDB
 * compares a list (a list field not declared, or declared after this generation was built).
 */
const FIELD_HOLDS = 'rm_holds';
/** SQL function: a list field of a stored document (id, doc, field) as its list column holds it (JSON), null when it is not a list. */
const LIST_VALUE = 'rm_list';
const bind = (value: Scalar): Scalar => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

/** A typed column's declared SQL type; read back from the table to know the layout in any process. */
// An instant column has no affinity (BLOB): an integer stays one, and a string that is not an instant stays a string, even "123".
const SQL_TYPES: Readonly<Record<ColumnType, string>> = { text: 'TEXT', integer: 'INTEGER', real: 'REAL', boolean: 'BOOLEAN', instant: 'INSTANT BLOB' };
const COLUMN_TYPES = new Map(Object.entries(SQL_TYPES).map(([type, sql]) => [sql, type as ColumnType]));
/**
 * Rows of a typed collection go into one upsert of this many rows (a batch's rows in statements of
 * ROWS_PER_STATEMENT, the rest in statements of powers of two): a few prepared statements per table,
 * each prepared once. 64 rows of 12 columns are 768 bound values, far below SQLite's limit.
 */
const ROWS_PER_STATEMENT = 64;

/**
 * Embedded read store: one table per collection (id, JSON document) in one SQLite file; filters
 * and sorts on json_extract expressions, indexed as the projections declare. A collection of typed
 * rows (CollectionSpec.columns) is a table of typed columns instead, without JSON. Readers never
 * block the writer (WAL).
 */
const GET_MANY_CHUNK = 512;
/**
 * The smallest `IN (…)` list of `getMany`: a shorter chunk is padded to a power of two from here to GET_MANY_CHUNK (its last
 * id repeated, which SQLite's IN list holds once), so a collection has seven such statements, not one per length. One per
 * length filled the 512 statements kept within a long replay, and every commit after that prepared its writes again
 * (docs/adr/0011, nineteenth step).
 */
const GET_MANY_SMALLEST = 8;
/** Documents read at a time while a text index is filled. */
const TEXT_FILL_PAGE = 1000;

export class SqliteReadStore extends ReadStore {
  private readonly db: Database.Database;
  /** Indexed fields (with a column) per known collection. */
  private readonly known = new Map<string, string[]>();
  /**
   * Every collection this store has seen as a table, kept when it is forgotten: a missing one of a live generation was dropped
   * outside the projector (missingOnRead), where one never seen may be one a new version adds, read under the old live generation.
   */
  private readonly seen = new Set<string>();
  /** The generations this store read as live: a read of one switched and dropped since raced the switch (missingOnRead). */
  private readonly formerlyLive = new FormerlyLive();
  /** List fields (CollectionSpec.arrays, each with its column) per known collection of documents. */
  private readonly lists = new Map<string, string[]>();
  private readonly statements = new Map<string, Database.Statement>();
  /** Text fields per known collection (declared; its index may wait, see ensureTextIndex). */
  private readonly textFields = new Map<string, readonly string[]>();
  /**
   * Whether each collection's text index exists, yes or no, as this connection last saw it: kept for the
   * store's life and renewed where this store creates or drops an index (ensureCollections, dropGeneration,
   * a commit refused because another process dropped the collection). Asking sqlite_master on every commit
   * was a tenth of the read side's worker (docs/adr/0003).
   */
  private readonly textIndexedCache = new Map<string, boolean>();
  /**
   * The schema version (PRAGMA schema_version, moved by every change of the schema by any connection) at which each
   * collection's text index was last found whole, for a search: a search asks the schema again only after it moved, so an
   * index dropped by hand, or a table of it, is seen at the next search without a read of sqlite_master per search.
   */
  private readonly textIndexWholeAt = new Map<string, number>();
  /** The read of the schema version, prepared once. */
  private readonly schemaVersion: Database.Statement<[], number>;
  /** The columns of each known collection of typed rows (docs/adr/0011, seventh step); absent for a collection of documents. */
  private readonly typed = new Map<string, Columns>();
  /** The documents' stored form, without their field names (docs/adr/0011, "Bytes on disk, again"). */
  private readonly shapes: DocumentShapes;
  /** The read of a secret of the file (rm_secrets), prepared once: the cursor key is read at every use (cursorKey). */
  private readonly secretRead: Database.Statement<[string], { secret: unknown }>;
  /** The read of the count of generation switches (GENERATION_SWITCHES), prepared once. */
  private readonly switchCount: Database.Statement<[], number>;
  /** The live generations as last read, with the count of switches they were read at (liveGenerations). */
  private generationsRead: { readonly switches: number; readonly live: Readonly<Record<string, string>> } | undefined;
  /**
   * The count of switches found without its triggers (dropped by hand): it no longer moves at every switch, so the generations
   * are read at every ask until the triggers are back (made by the next activateGeneration, or the next open of the file).
   */
  private switchesUncounted = false;
  /** The file's name as a message names it (read.sqlite), never its path. */
  private readonly fileName: string;
  /** The leases this store last granted: a holder may take its lease again from a table made again (onLeases). */
  private readonly granted = new LeaseGrants();

  constructor(options: { filename: string; synchronous?: 'FULL' | 'NORMAL' }) {
    super();
    this.fileName = basename(options.filename);
    this.db = openSqliteFile(options.filename, options.synchronous ?? 'NORMAL');
    // Freed pages are overwritten with zeros: a replaced document's personal values do not linger in the file (docs/adr/0019).
    this.db.pragma('secure_delete = ON');
    this.db.exec(`CREATE TABLE IF NOT EXISTS rm_checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS rm_generations (read_model TEXT PRIMARY KEY, generation TEXT NOT NULL);
      ${LEASES_TABLE}
      ${TEXT_FIELDS_TABLE}
      ${SECRETS_TABLE}
      ${GENERATION_SWITCHES}`);
    try {
      this.secretRead = this.db.prepare('SELECT secret FROM rm_secrets WHERE name = ?');
    } catch (error) {
      // A table of that name with other columns fails the prepare itself: the start says how to mend it, as a read does.
      const fault = this.secretsTableFault();
      if (fault !== undefined) throw new ReadStoreDamagedError(fault);
      throw error;
    }
    this.switchCount = this.db.prepare<[], number>('SELECT total FROM rm_generation_switches WHERE id = 1').pluck();
    this.schemaVersion = this.db.prepare<[], number>('PRAGMA schema_version').pluck();
    this.cursorKey();
    this.shapes = new DocumentShapes(this.db);
    // Both decode with the shapes known: a statement that calls them is preceded by shapes.refresh() (expressionOfDocument).
    this.db.function(SEARCHABLE_TEXT, { deterministic: true }, (id, doc, fields) => searchableText(this.shapes.decode(id as string, doc as string), JSON.parse(fields as string) as string[]));
    this.db.function(FIELD_VALUE, { deterministic: true }, (id, doc, field) => sqlValue(this.shapes.field(id as string, doc as string, field as string)));
    // The values are the same for every row of a statement: parsed once.
    let wantedText = '';
    let wanted: Scalar[] = [];
    this.db.function(FIELD_HOLDS, { deterministic: true }, (id, doc, field, values) => {
      const value = this.shapes.field(id as string, doc as string, field as string);
      if (values !== wantedText) wanted = JSON.parse(wantedText = values as string) as Scalar[];
      if (Array.isArray(value) && value.some((item) => wanted.includes(item as Scalar))) return 1;
      // Otherwise as json_extract compared it (a list as its JSON text), as before lists were compared by their values.
      const stored = sqlValue(value);
      return wanted.some((candidate) => bind(candidate) === stored) ? 1 : 0;
    });
    this.db.function(LIST_VALUE, { deterministic: true }, (id, doc, field) => {
      const value = this.shapes.field(id as string, doc as string, field as string);
      return Array.isArray(value) && value.every((item) => typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item))) ? JSON.stringify(value) : null;
    });
  }

  /**
   * The key this read store's cursors are signed and checked with (query-support's CursorKey), read from the file at
   * every use, so that every process on it has the same one even when the row was deleted or edited by hand while they
   * ran (one kept the key it read at its start: another instance, started after, made a new one and refused its
   * cursors). A key that is no key this store makes (a value of another type, another length) is replaced, as a
   * missing one is made: its cursors are refused once, instead of every page that has a next one answering 500.
   */
  private cursorKey(): Buffer {
    return this.secret('cursor');
  }

  /**
   * A secret of this file, made by the first process that asks, or that finds it garbled (another one racing keeps the first one's).
   * A table remade by hand in another shape (other columns, no primary key, a view) fails the read or the repair: that is a
   * ReadStoreDamagedError saying how to mend it (a 503, where it was a 500 on every list with a next page), not mended here
   * by dropping what someone made.
   */
  private secret(name: string): Buffer {
    try {
      return this.madeSecret(name);
    } catch (error) {
      const fault = this.secretsTableFault();
      if (fault !== undefined) throw new ReadStoreDamagedError(fault);
      throw error;
    }
  }

  private madeSecret(name: string): Buffer {
    for (let attempt = 0; attempt < 3; attempt++) {
      const found = this.readSecret(name);
      if (Buffer.isBuffer(found) && found.length === CURSOR_KEY_BYTES) return found;
      if (found === undefined) this.db.prepare('INSERT INTO rm_secrets (name, secret) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, newCursorKey());
      // Replaced only while it is still garbled, so a process that repaired it first keeps its key; matched by its type
      // and length, not by the value read (a value JavaScript cannot give back as stored, a large integer or text that is
      // not UTF-8, would match nothing and leave the store unable to open).
      else this.db.prepare("UPDATE rm_secrets SET secret = ? WHERE name = ? AND (typeof(secret) <> 'blob' OR length(secret) <> ?)").run(newCursorKey(), name, CURSOR_KEY_BYTES);
    }
    throw new Error(`rm_secrets's ${name} secret could not be made: it is changed again as soon as it is made`);
  }

  /**
   * The stored value of a secret; a table dropped by hand while the store is open is made again (empty, so the secret is made
   * anew, as when its row is deleted): otherwise every read of it failed, a 500 on every list with a next page until a restart.
   */
  private readSecret(name: string): unknown {
    try {
      return this.secretRead.get(name)?.secret;
    } catch (error) {
      // Told by its message, not by instanceof Error: better-sqlite3 makes its errors with the SqliteError class of the first
      // context that loaded it, which is not this context's Error where modules are loaded again (jest's test files in one worker).
      const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
      if (typeof message !== 'string' || !/no such table: (main\.)?rm_secrets\b/.test(message)) throw error;
      this.db.exec(SECRETS_TABLE);
      return this.secretRead.get(name)?.secret;
    }
  }

  /**
   * What is wrong with rm_secrets, in words that say how to mend it, and true of the lists for its shape; undefined when it
   * is the table this store makes, or absent (made again at the next read). Another table or a view that the key can still
   * be read from (no primary key, a view) serves the key it holds; only a key missing there (or, in a view, garbled) cannot
   * be made, and then no list can page. One whose key cannot be read (other columns) serves no cursor at all.
   */
  private secretsTableFault(): string | undefined {
    const found = this.db.prepare("SELECT type FROM sqlite_master WHERE name = 'rm_secrets' COLLATE NOCASE").get() as { type: string } | undefined;
    if (found === undefined) return undefined;
    const mend = `drop it (DROP ${found.type.toUpperCase()} rm_secrets in ${this.fileName}) and it is made again at the next read (cursors given before are then refused once)`;
    const lead = `${this.fileName}'s rm_secrets, the table of the cursor key that signs the lists' cursors,`;
    const shape = this.columnsDeclared('rm_secrets').join(', ');
    if (found.type === 'table' && shape === 'name TEXT PRIMARY KEY, secret BLOB NOT NULL') return undefined;
    const what = found.type !== 'table' ? `is a ${found.type}, not the table the read store makes (name TEXT PRIMARY KEY, secret BLOB NOT NULL)`
      : `was made with other columns (${shape}) than the read store's (name TEXT PRIMARY KEY, secret BLOB NOT NULL)`;
    const writes = (sql: string) => {
      try {
        this.db.prepare(sql);
        return true;
      } catch {
        return false;
      }
    };
    let stored: unknown;
    try {
      stored = this.secretRead.get('cursor')?.secret;
    } catch {
      return `${lead} ${what}, so no list can give or take a cursor (the key cannot be read from it): ${mend}.`;
    }
    const inserts = writes('INSERT INTO rm_secrets (name, secret) VALUES (?, ?) ON CONFLICT (name) DO NOTHING');
    const updates = writes("UPDATE rm_secrets SET secret = ? WHERE name = ? AND (typeof(secret) <> 'blob' OR length(secret) <> ?)");
    if (inserts && updates) return undefined;
    const good = Buffer.isBuffer(stored) && stored.length === CURSOR_KEY_BYTES;
    // A key there that is garbled is repaired in place where the table takes an UPDATE (a table without its primary key).
    const pages = good || (stored !== undefined && updates);
    const cannot = inserts ? 'repaired' : updates ? 'made again if its row is deleted' : 'made again or repaired';
    if (pages) return `${lead} ${what}: the lists page with the key it holds, but that key cannot be ${cannot} there, and then no list could give or take a cursor: ${mend}.`;
    return `${lead} ${what}, and holds no key that can be used or ${updates ? 'made' : 'made or repaired'} there, so no list can give or take a cursor: ${mend}.`;
  }

  /** One of the store's own tables' columns as a CREATE TABLE would declare them (`name TEXT PRIMARY KEY`), for a message that says how it differs. */
  private columnsDeclared(name: 'rm_secrets' | 'rm_leases'): string[] {
    const columns = this.db.prepare('SELECT name, type, "notnull" AS required, pk FROM pragma_table_info(?)').all(name) as Array<{ name: string; type: string; required: number; pk: number }>;
    return columns.map((column) => `${column.name} ${column.type}${column.pk > 0 ? ' PRIMARY KEY' : ''}${column.required ? ' NOT NULL' : ''}`.replace(/ +/g, ' '));
  }

  override async damage(): Promise<string[]> {
    return [this.secretsTableFault(), this.leasesTableFault()].filter((fault): fault is string => fault !== undefined);
  }

  override async ensureCollections(specs: readonly CollectionSpec[], options: EnsureOptions = {}): Promise<void> {
    this.db.transaction(() => {
      if (specs.some((spec) => spec.text !== undefined && spec.text.length > 0)) this.db.exec(TEXT_FIELDS_TABLE);
      for (const spec of specs) {
        const name = table(spec.name);
        const columns = typedColumns(spec);
        const lists = arrayFields(spec);
        const layout = this.exists(spec.name) ? this.layoutOf(spec.name) : undefined;
        if (layout !== undefined && !sameLayout(layout, columns)) {
          throw new InvalidQueryError(`${spec.name} exists with other columns than these: a new layout needs a new collection (a new projection version)`);
        }
        if (columns) {
          const definitions = columns.map(([field, column]) => `${columnOf(field)} ${SQL_TYPES[column.type]}${column.nullable ? '' : ' NOT NULL'}`);
          this.db.exec(`CREATE TABLE IF NOT EXISTS ${name} (id TEXT PRIMARY KEY, ${definitions.join(', ')})`);
        } else this.db.exec(`CREATE TABLE IF NOT EXISTS ${name} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
        const existing = new Set(this.layoutOf(spec.name).fields);
        const wanted = [...new Set((spec.indexes ?? []).flat().filter((field) => field !== 'id'))];
        for (const field of wanted.filter((candidate) => !existing.has(candidate))) {
          this.db.exec(`ALTER TABLE ${name} ADD COLUMN ${columnOf(field)}`);
          this.shapes.refresh();
          this.db.exec(`UPDATE ${name} SET ${columnOf(field)} = ${FIELD_VALUE}(id, doc, '${field}')`);
        }
        // A list field's column is created where missing and filled from the documents, as an indexed field's is: no new version.
        const listed = new Set(this.layoutOf(spec.name).lists);
        for (const field of lists.filter((candidate) => !listed.has(candidate))) {
          this.db.exec(`ALTER TABLE ${name} ADD COLUMN ${listColumnOf(field)}`);
          this.shapes.refresh();
          this.db.exec(`UPDATE ${name} SET ${listColumnOf(field)} = ${LIST_VALUE}(id, doc, '${field}')`);
        }
        // The indexed fields' columns exist either way (commits fill them); only the B-trees wait.
        // An index led by a sparse field is partial: the rows where it is null are left out (docs/adr/0011, eighth step).
        const sparse = sparseFields(spec);
        if (options.indexes !== false) (spec.indexes ?? []).forEach((fields, index) => {
          const indexName = `"idx_${spec.name.replace(/[^A-Za-z0-9_]/g, '_')}_${index}"`;
          const partial = sparse.has(fields[0]!) ? ` WHERE ${columnOf(fields[0]!)} IS NOT NULL` : '';
          this.db.exec(`CREATE INDEX IF NOT EXISTS ${indexName} ON ${name} (${fields.map((field) => (field === 'id' ? 'id' : columnOf(field))).join(', ')})${partial}`);
        });
        this.remember(spec.name);
        // The text index is one more index: a generation being built gets it once it has caught up (ADR 0011).
        if (spec.text && spec.text.length > 0) this.ensureTextIndex(spec.name, spec.text, options.indexes !== false);
      }
    }).immediate(); // under the write lock: another process may be making the same tables
    this.statements.clear();
  }

  /**
   * Records the text fields of a collection and, with `build`, creates its text index, filled from the
   * documents it holds already. Without `build` (a generation being built) there is no index: commits
   * skip it, and a search scans the documents (the same answer, slower) until the index is built.
   * An index of other fields than the ones declared is dropped.
   */
  private ensureTextIndex(collection: string, fields: readonly string[], build: boolean): void {
    fields.forEach(checkField);
    const index = textTable(collection);
    const recorded = this.db.prepare('SELECT fields FROM rm_text_fields WHERE collection = ?').get(collection) as { fields: string } | undefined;
    const sameFields = recorded !== undefined && recorded.fields === JSON.stringify(fields);
    if (!sameFields) {
      this.dropTextIndex(unquoted(index));
      this.db.prepare('INSERT INTO rm_text_fields (collection, fields) VALUES (?, ?) ON CONFLICT (collection) DO UPDATE SET fields = excluded.fields').run(collection, JSON.stringify(fields));
    }
    if (build && !this.textIndexExists(collection)) {
      // What is left of one that lost a table of its own (dropped by hand) goes first; FTS5 drops the rest of its tables with it.
      this.dropTextIndex(unquoted(index));
      this.db.exec(`CREATE VIRTUAL TABLE ${index} USING fts5(body, tokenize = 'trigram case_sensitive 1')`);
      const insert = this.db.prepare(`INSERT INTO ${index} (rowid, body) VALUES (?, ?)`);
      const page = this.db.prepare(`SELECT rowid AS rowid, id, doc FROM ${table(collection)} WHERE rowid > ? ORDER BY rowid LIMIT ${TEXT_FILL_PAGE}`);
      // In pages: the connection cannot insert while a statement of it is still iterating.
      for (let after = 0; ;) {
        const rows = page.all(after) as Array<{ rowid: number; id: string; doc: string }>;
        for (const row of rows) insert.run(row.rowid, searchableText(this.shapes.decode(row.id, row.doc), fields));
        if (rows.length < TEXT_FILL_PAGE) break;
        after = rows[rows.length - 1]!.rowid;
      }
    }
    this.textFields.set(collection, fields);
    this.textIndexedCache.set(collection, this.textIndexExists(collection));
  }

  /**
   * Drops a text index (its FTS5 table, which drops the tables FTS5 keeps it in). Without its `_config` table (dropped by hand)
   * FTS5 cannot open it, not even to drop it ("vtable constructor failed"), and the rebuild of its read model failed for ever:
   * that table is made again first as FTS5 makes it, with its format version (4), so that the index can go. Its name is one
   * SQLite keeps for FTS5 (a shadow table's), so it is made with the connection's defensive mode off for that statement only.
   */
  private dropTextIndex(name: string): void {
    const exists = (table: string) => this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
    const config = `"${name}_config"`;
    if (exists(name) && !exists(`${name}_config`)) {
      this.db.unsafeMode(true);
      try {
        this.db.exec(`CREATE TABLE ${config} (k PRIMARY KEY, v) WITHOUT ROWID; INSERT INTO ${config} (k, v) VALUES ('version', 4)`);
      } finally {
        this.db.unsafeMode(false);
      }
    }
    this.db.exec(`DROP TABLE IF EXISTS "${name}"`);
  }

  /** Whether the text index of a collection is whole: its FTS5 table and each table FTS5 keeps it in (textIndexTables). */
  private textIndexExists(collection: string): boolean {
    const names = textIndexTables(collection);
    return this.statement(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (${names.map(() => '?').join(', ')})`).pluck().get(...names) === names.length;
  }

  /** The text fields of a collection (recorded by whoever declared them), or none. */
  private textFieldsOf(collection: string): readonly string[] {
    const known = this.textFields.get(collection);
    if (known) return known;
    const recorded = this.statement('SELECT fields FROM rm_text_fields WHERE collection = ?').get(collection) as { fields: string } | undefined;
    const fields = recorded !== undefined ? JSON.parse(recorded.fields) as string[] : [];
    this.textFields.set(collection, fields);
    return fields;
  }

  /**
   * Whether the text index of a collection exists (it waits while a generation is built), for a search: a
   * no is asked again, since the index may have been built by another connection (the projector's, while
   * this is the API's). A search without it scans every document, so the question costs nothing beside it.
   * A yes is asked again once the schema has changed: the index, or a table of it, may have been dropped by hand.
   */
  private textIndexed(collection: string): boolean {
    const version = this.schemaVersion.get();
    if (this.textIndexedCache.get(collection) === true && this.textIndexWholeAt.get(collection) === version) return true;
    const indexed = this.textIndexExists(collection);
    this.textIndexedCache.set(collection, indexed);
    if (indexed) this.textIndexWholeAt.set(collection, version as number);
    else this.textIndexWholeAt.delete(collection);
    return indexed;
  }

  /**
   * The text fields a write to a collection indexes: none without text fields, none while its index waits.
   * The answer kept is trusted, a no as well: the index of a collection is built by the runner that writes it,
   * through this store's ensureCollections, which renews the answer (a runner that takes the lease over
   * calls it again when it starts).
   */
  private textToIndex(collection: string): readonly string[] {
    const fields = this.textFieldsOf(collection);
    if (fields.length === 0) return fields;
    let indexed = this.textIndexedCache.get(collection);
    if (indexed === undefined) this.textIndexedCache.set(collection, indexed = this.textIndexExists(collection));
    return indexed ? fields : [];
  }

  /**
   * The table's layout: its `f:` columns (indexed fields of documents, or every field of typed rows) and,
   * for typed rows (a table without `doc`), each column's type as declared.
   */
  private layoutOf(collection: string): { fields: string[]; columns: Columns | undefined; lists: string[] } {
    const rows = this.db.prepare(`SELECT name, type, "notnull" AS required FROM pragma_table_info(?)`).all(unquoted(table(collection))) as Array<{ name: string; type: string; required: number }>;
    const fields = rows.filter((row) => row.name.startsWith('f:'));
    const columns = rows.some((row) => row.name === 'doc') ? undefined
      : fields.map((row): readonly [string, ColumnSpec] => [row.name.slice(2), { type: COLUMN_TYPES.get(row.type) ?? 'text', ...(row.required ? {} : { nullable: true }) }]);
    return { fields: fields.map((row) => row.name.slice(2)), columns, lists: rows.filter((row) => row.name.startsWith('a:')).map((row) => row.name.slice(2)) };
  }

  /** Learns a collection's layout from its table (whoever made it, in any process). */
  private remember(collection: string): void {
    this.seen.add(collection);
    const { fields, columns, lists } = this.layoutOf(collection);
    this.known.set(collection, fields);
    this.lists.set(collection, lists);
    if (columns) this.typed.set(collection, columns);
    else this.typed.delete(collection);
  }

  /** SQL for a field of a collection: its column when it has one, else a JSON path (documents) or an InvalidQueryError (typed rows). */
  private expression(collection: string, field: string): string {
    checkField(field);
    if (field === 'id') return 'id';
    if (this.known.get(collection)?.includes(field)) return columnOf(field);
    if (this.lists.get(collection)?.includes(field)) throw new InvalidQueryError(`${collection}: ${field} is a list; a list field is filtered by the values it holds, never sorted by`);
    if (this.typed.has(collection)) throw new InvalidQueryError(`${collection} has no column ${field}`);
    this.shapes.refresh();
    return `${FIELD_VALUE}(id, doc, '${field}')`;
  }

  /** Whether a field is a column of instants (kept as milliseconds, compared as its text). */
  private isInstant(collection: string, field: string): boolean {
    return this.typed.get(collection)?.some(([name, column]) => name === field && column.type === 'instant') === true;
  }

  /** What a read selects, and how a row read becomes a document: `doc` parsed, or typed columns gathered in their order. */
  private selection(collection: string): string {
    const columns = this.typed.get(collection);
    return columns ? `id, ${columns.map(([field]) => columnOf(field)).join(', ')}` : 'id, doc';
  }

  /**
   * The column of a list field of a collection, or undefined when the field is none. A field this connection knows
   * no column of is looked up again first: another connection (the projector's) may have declared it since, and a
   * list compared as a whole would answer otherwise.
   */
  private listColumn(collection: string, field: string): string | undefined {
    if (this.lists.get(collection)?.includes(field)) return listColumnOf(field);
    if (field === 'id' || this.known.get(collection)?.includes(field) || this.typed.has(collection) || field.includes('.')) return undefined;
    this.remember(collection);
    return this.lists.get(collection)?.includes(field) ? listColumnOf(field) : undefined;
  }

  /** Equality (or `in`) of non-null values on a field of documents without a column: FIELD_HOLDS, which also finds them in a list. */
  private holds(collection: string, field: string, values: readonly Scalar[]): { sql: string; param: string } | undefined {
    if (field === 'id' || this.known.get(collection)?.includes(field) || this.typed.has(collection) || values.some((value) => value === null)) return undefined;
    this.shapes.refresh();
    return { sql: `${FIELD_HOLDS}(id, doc, '${checkField(field)}', ?)`, param: JSON.stringify(values) };
  }

  private documentOf<T extends ReadDocument>(collection: string, row: Record<string, unknown>): T {
    const columns = this.typed.get(collection);
    if (!columns) return this.shapes.decode<T>(row['id'] as string, row['doc'] as string);
    const document: Record<string, unknown> = { id: row['id'] };
    for (const [field, column] of columns) {
      const value = row[`f:${field}`];
      document[field] = column.type === 'boolean' && value !== null ? value === 1 : column.type === 'instant' ? answeredInstant(value) : value;
    }
    return document as T;
  }

  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      if (this.statements.size < 512) this.statements.set(sql, prepared);
    }
    return prepared;
  }

  private exists(collection: string): boolean {
    return this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table(collection).slice(1, -1)) !== undefined;
  }

  /** The table of a collection; `read`: a missing one of a live generation is the read model being rebuilt (missingOnRead). */
  private require(collection: string, read = false): string {
    if (!this.known.has(collection)) {
      if (!this.exists(collection)) throw read ? this.missingOnRead(collection) : new InvalidQueryError(`unknown collection: ${collection}`);
      this.remember(collection);
    }
    return table(collection);
  }

  /**
   * What a read of a missing collection is told: query-support's missingCollectionError decides, from what this looks up. It was
   * there if this store saw its table, rm_text_fields still records its text fields, or the projector's rebuild record names it
   * (docs/adr/0005). Looked up only for a collection of a live generation, and another version's only where it was not there.
   */
  private missingOnRead(collection: string): Error {
    const live = this.liveGenerationsNow();
    const place = liveGenerationOf(collection, live);
    const wasThere = place !== undefined && (this.seen.has(collection) || this.textFieldsRecorded(collection) || this.rebuildRecorded(collection));
    const building = place !== undefined && !wasThere ? this.otherVersionWith(place.generation, place.suffix) : undefined;
    return missingCollectionError({ collection, live, wasThere, building, formerlyLive: this.formerlyLive });
  }

  /**
   * Another version's generation of the live one's read model (`<name>_v<version>`, generationOf) that has this collection:
   * the new version being built beside the live one during an upgrade. Undefined for none (or a generation of no version).
   */
  private otherVersionWith(live: string, suffix: string): string | undefined {
    const base = /^(.*_v)\d+$/.exec(live)?.[1];
    if (base === undefined) return undefined;
    const named = suffix.replace(/[^A-Za-z0-9_]/g, '_');
    const wanted = new RegExp(`^doc_${escapeRegExp(base)}\\d+__${escapeRegExp(named)}$`);
    const rows = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '\\'")
      .all(`doc_${base.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) as Array<{ name: string }>;
    const found = rows.map((row) => row.name).find((name) => wanted.test(name) && name !== table(generationCollection(live, suffix)).slice(1, -1));
    return found === undefined ? undefined : found.slice('doc_'.length, -(`__${named}`.length));
  }

  /**
   * Whether rm_text_fields records this collection's text fields: written with its table (ensureCollections) and removed with
   * its generation (dropGeneration), so a row without the table is a table dropped outside the store, seen or not (a new
   * version's collection is recorded under the new generation's name). A record unreadable (dropped meanwhile) is no.
   */
  private textFieldsRecorded(collection: string): boolean {
    try {
      return this.statement('SELECT 1 FROM rm_text_fields WHERE collection = ?').get(collection) !== undefined;
    } catch {
      return false;
    }
  }

  /** Whether the projector's record of the read models it builds again (READ_MODEL_REBUILDS) names this collection; no record is no. */
  private rebuildRecorded(collection: string): boolean {
    if (collection === READ_MODEL_REBUILDS || !this.exists(READ_MODEL_REBUILDS)) return false;
    try {
      return this.findNow<ReadDocument & { collections?: unknown }>(READ_MODEL_REBUILDS, { limit: 1000 }).items
        .some((record) => Array.isArray(record.collections) && record.collections.includes(collection));
    } catch {
      // The record unreadable (dropped meanwhile, edited by hand): as if there were none.
      return false;
    }
  }

  override async get<T extends ReadDocument>(collection: string, id: string): Promise<T | undefined> {
    return this.reading(collection, () => this.getNow<T>(collection, id));
  }

  private getNow<T extends ReadDocument>(collection: string, id: string): T | undefined {
    const name = this.require(collection, true);
    const row = this.statement(`SELECT ${this.selection(collection)} FROM ${name} WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
    return row ? this.documentOf<T>(collection, row) : undefined;
  }

  override async getMany<T extends ReadDocument>(collection: string, ids: readonly string[]): Promise<Map<string, T>> {
    return this.reading(collection, () => this.getManyNow<T>(collection, ids));
  }

  private getManyNow<T extends ReadDocument>(collection: string, ids: readonly string[]): Map<string, T> {
    const name = this.require(collection, true);
    const found = new Map<string, T>();
    // Chunks of a fixed size: one prepared statement serves every chunk but the last, padded to a power of two.
    for (let start = 0; start < ids.length; start += GET_MANY_CHUNK) {
      const chunk = ids.slice(start, start + GET_MANY_CHUNK);
      let size = GET_MANY_SMALLEST;
      while (size < chunk.length) size *= 2;
      for (let index = chunk.length; index < size; index += 1) chunk.push(chunk[chunk.length - 1]!);
      const rows = this.statement(`SELECT ${this.selection(collection)} FROM ${name} WHERE id IN (${'?, '.repeat(size - 1)}?)`).all(...chunk) as Array<Record<string, unknown>>;
      for (const row of rows) found.set(row['id'] as string, this.documentOf<T>(collection, row));
    }
    return found;
  }

  override async find<T extends ReadDocument>(collection: string, options: FindOptions = {}): Promise<Page<T>> {
    return this.reading(collection, () => this.findNow<T>(collection, options));
  }

  private findNow<T extends ReadDocument>(collection: string, options: FindOptions): Page<T> {
    const name = this.require(collection, true);
    const limit = pageLimit(options.limit);
    const sort: SortField[] = [...(options.sort ?? [])];
    const expression = (field: string) => this.expression(collection, field);
    const instant = (field: string) => this.isInstant(collection, field);
    const { where, params } = whereClause(options.filter, expression, (field) => this.listColumn(collection, field), (field, values) => this.holds(collection, field, values), instant);
    // The sort and the cursor are checked before the search: a query at fault is told so (a 400) whatever the state of the
    // text index, never a lost index's 503 that a retry cannot mend.
    const orderFields = [
      ...sort.map((entry) => ({ expression: expression(entry.field), direction: entry.direction, instant: instant(entry.field) })),
      { expression: 'id', direction: sort[sort.length - 1]?.direction ?? 'asc', instant: false },
    ];
    // A cursor holds the answered values: an instant's text is compared as the column stores it.
    const cursorValues = options.cursor ? decodeCursor(this.cursorKey(), options.cursor, sort, this.typed.get(collection))
      .map((value, index) => (orderFields[index]!.instant && typeof value === 'string' ? storedInstant(value) : value)) : undefined;
    if (options.text !== undefined) {
      const text = checkTextQuery(options.text);
      const fields = this.textFieldsOf(collection);
      if (fields.length === 0) throw new InvalidQueryError(`${collection} has no text fields to search`);
      const index = textTable(collection);
      if (!this.textIndexed(collection)) {
        // A live generation has its text index: this one was dropped outside the store, and the projector makes it again from the documents.
        const readModel = this.liveReadModelOf(collection);
        if (readModel !== undefined) throw ReadModelRebuildingError.textIndexLost(readModel, collection);
        // The index waits for the generation to catch up: the text of every document, worked out as the index would hold it.
        this.shapes.refresh();
        where.push(`instr(${SEARCHABLE_TEXT}(id, doc, ?), ?) > 0`);
        params.push(JSON.stringify(fields), text);
      } else if ([...text].length >= 3) {
        // Three characters or more: the trigram index, as a phrase (quotes doubled; nothing in it is an operator). Fewer: a scan of the index's text.
        where.push(`rowid IN (SELECT rowid FROM ${index} WHERE ${index} MATCH ?)`);
        params.push(`"${text.replaceAll('"', '""')}"`);
      } else {
        where.push(`rowid IN (SELECT rowid FROM ${index} WHERE instr(body, ?) > 0)`);
        params.push(text);
      }
    }
    if (cursorValues) {
      // Keyset paging: (a, b, id) after the cursor in the sort order, written out as OR of prefixes.
      const disjuncts: string[] = [];
      orderFields.forEach((field, index) => {
        const equal = orderFields.slice(0, index).map((previous) => `${previous.expression} = ?`);
        disjuncts.push(`(${[...equal, `${field.expression} ${field.direction === 'asc' ? '>' : '<'} ?`].join(' AND ')})`);
        params.push(...cursorValues.slice(0, index), cursorValues[index]);
      });
      where.push(`(${disjuncts.join(' OR ')})`);
    }
    const sql = `SELECT ${this.selection(collection)} FROM ${name}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${orderFields.map((field) => `${field.expression} ${field.direction.toUpperCase()}`).join(', ')} LIMIT ?`;
    const rows = this.statement(sql).all(...params, limit + 1) as Array<Record<string, unknown>>;
    const items = rows.slice(0, limit).map((row) => this.documentOf<T>(collection, row));
    const last = items[items.length - 1];
    const nextCursor = rows.length > limit && last ? pageCursor(this.cursorKey(), sort, last) : null;
    return { items, nextCursor };
  }

  override async count(collection: string, filter?: Filter): Promise<number> {
    return this.reading(collection, () => this.countNow(collection, filter));
  }

  private countNow(collection: string, filter?: Filter): number {
    const name = this.require(collection, true);
    const { where, params } = whereClause(
      filter, (field) => this.expression(collection, field), (field) => this.listColumn(collection, field), (field, values) => this.holds(collection, field, values),
      (field) => this.isInstant(collection, field),
    );
    const row = this.statement(`SELECT COUNT(*) AS n FROM ${name}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`).get(...params) as { n: number };
    return row.n;
  }

  override async commit(checkpointName: string, changes: readonly DocumentChange[], position: number, options: CommitOptions = {}): Promise<void> {
    const tables = new Map<string, WriteTarget>();
    for (const change of changes) {
      let target = tables.get(change.collection);
      if (!target) tables.set(change.collection, target = this.writeTarget(change.collection));
      if (change.kind === 'put') this.check(change.collection, target, change.document);
    }
    const apply = this.db.transaction(() => {
      if (options.expectedPosition !== undefined) {
        const current = (this.statement('SELECT position FROM rm_checkpoints WHERE name = ?').get(checkpointName) as { position: number } | undefined)?.position ?? 0;
        if (current !== options.expectedPosition) throw new CheckpointConflictError(checkpointName, options.expectedPosition);
      }
      for (const change of changes) {
        const target = tables.get(change.collection)!;
        if (change.kind === 'put') {
          if (target.rows) this.queueRow(target, change.document);
          else this.put(change.collection, target, change.document);
        } else {
          // A row queued before this delete is written first: the changes keep their order.
          if (target.rows) this.flushRows(target);
          if (target.text.length > 0) this.unindexText(change.collection, target.name, change.id);
          this.statement(`DELETE FROM ${target.name} WHERE id = ?`).run(change.id);
        }
      }
      for (const target of tables.values()) if (target.rows) this.flushRows(target);
      this.statement('INSERT INTO rm_checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position').run(checkpointName, position);
    });
    try {
      // IMMEDIATE: the write lock first, then the checkpoint is read. A deferred transaction that read first could not
      // take the lock once another process (the API's as-of jobs, a rebuild) had committed: SQLITE_BUSY at once, no waiting.
      apply.immediate();
    } catch (error) {
      for (const target of tables.values()) if (target.rows) target.rows.values.length = 0;
      // The shapes this commit wrote were rolled back with it.
      this.shapes.forget();
      // Another process dropped a collection this one knew (dropGeneration): the commit is refused, as into any
      // unknown collection, and nothing was written. The table is not created again.
      const dropped = [...tables.keys()].find((collection) => !this.exists(collection));
      if (dropped === undefined) throw error;
      this.forget(dropped);
      throw new InvalidQueryError(`unknown collection: ${dropped}`);
    }
  }

  /**
   * A read of a collection another process dropped after this one knew it (an as-of generation deleted through another
   * instance, an old generation dropped by a rebuild): an unknown collection, as for a commit, not SQLite's "no such table".
   */
  private reading<R>(collection: string, read: () => R): R {
    try {
      return read();
    } catch (error) {
      if (!this.known.has(collection) || error instanceof ReadModelRebuildingError) throw error;
      // A query at fault (a bad cursor, an unknown sort field) stays one, whatever else is lost; but "no text fields" is what a
      // search of a collection whose record of its text fields was dropped by hand is told, and that is the index lost.
      if (error instanceof InvalidQueryError && !error.message.endsWith('has no text fields to search')) throw error;
      if (this.exists(collection)) {
        // The table is there: what went may be its text index, or the record of its fields, dropped by hand while a search ran.
        if (!this.textIndexLost(collection, this.schemaTables())) throw error;
        this.textIndexedCache.delete(collection);
        this.textIndexWholeAt.delete(collection);
        this.textFields.delete(collection);
        throw ReadModelRebuildingError.textIndexLost(this.liveReadModelOf(collection)!, collection);
      }
      this.forget(collection);
      throw this.missingOnRead(collection);
    }
  }

  /**
   * Forgets what this store knew of a collection dropped by another process, and the live generations it read: the count of
   * switches only moves while its triggers exist, and a generation switched by hand without them (then dropped) was read
   * as live by every reader until it restarted. Nothing is written here: a read that made the triggers again took the write
   * lock, waiting behind another process's commit, and DDL has no place on a read; activateGeneration makes them.
   */
  private forget(collection: string): void {
    this.generationsRead = undefined;
    this.switchesUncounted = !this.generationTriggersWhole();
    this.known.delete(collection);
    this.lists.delete(collection);
    this.typed.delete(collection);
    this.textFields.delete(collection);
    this.textIndexedCache.delete(collection);
    this.textIndexWholeAt.delete(collection);
    this.statements.clear();
  }

  /** How a collection's documents are written: its table, indexed columns, upsert and text fields. */
  private writeTarget(collection: string): WriteTarget {
    const name = this.require(collection);
    const fields = this.known.get(collection) ?? [];
    const typed = this.typed.get(collection);
    const lists = typed ? [] : this.lists.get(collection) ?? [];
    const columns = ['id', ...(typed ? [] : ['doc']), ...fields.map(columnOf), ...lists.map(listColumnOf)];
    // An upsert rewrites the row in place; INSERT OR REPLACE would delete it and insert it again under a new rowid.
    const upsert = (rows: number) => `INSERT INTO ${name} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => `(${columns.map(() => '?').join(', ')})`).join(', ')}`
      + ` ON CONFLICT (id) DO UPDATE SET ${columns.slice(1).map((column) => `${column} = excluded.${column}`).join(', ')}`;
    return {
      name, fields, lists, text: this.textToIndex(collection), values: new Array<unknown>(columns.length),
      put: upsert(1), ...(typed ? { rows: { columns: typed, values: [], upsert, prepared: {} } } : {}),
    };
  }

  private check(collection: string, target: WriteTarget, document: ReadDocument): void {
    if (target.rows) checkRow(collection, target.rows.columns, document);
    else {
      // The keys at every depth are checked by the encoding's walk, inside the commit's transaction (rolled back on a refusal).
      checkDocumentTop(collection, document);
      for (const field of target.lists) checkArrayField(collection, document, field);
    }
  }

  private put(collection: string, target: WriteTarget, document: ReadDocument): void {
    if (target.rows) {
      this.queueRow(target, document);
      this.flushRows(target);
      return;
    }
    const values = target.values;
    values[0] = document.id;
    values[1] = this.shapes.encode(document, collection);
    for (let index = 0; index < target.fields.length; index += 1) values[index + 2] = columnValue(document, target.fields[index]!);
    for (let index = 0; index < target.lists.length; index += 1) {
      const list = document[target.lists[index]!];
      values[index + 2 + target.fields.length] = Array.isArray(list) ? JSON.stringify(list) : null;
    }
    (target.prepared ??= this.statement(target.put)).run(values);
    if (target.text.length > 0) this.indexText(collection, target.name, document, target.text);
  }

  /** Adds a typed row's values to its table's pending upsert (checked already); a full statement's worth is written at once. */
  private queueRow(target: WriteTarget, document: ReadDocument): void {
    const rows = target.rows!;
    rows.values.push(document.id);
    for (const [field, column] of rows.columns) {
      const value = document[field];
      rows.values.push(typeof value === 'boolean' ? (value ? 1 : 0) : column.type === 'instant' && typeof value === 'string' ? storedInstant(value) : value);
    }
    if (rows.values.length === ROWS_PER_STATEMENT * (rows.columns.length + 1)) this.flushRows(target);
  }

  /** Writes the queued typed rows: statements of ROWS_PER_STATEMENT rows, then of powers of two, each prepared once per table. */
  private flushRows(target: WriteTarget): void {
    const rows = target.rows!;
    const width = rows.columns.length + 1;
    let start = 0;
    for (let size = ROWS_PER_STATEMENT; size >= 1; size /= 2) {
      while ((rows.values.length - start) / width >= size) {
        const statement = (rows.prepared[size] ??= this.statement(rows.upsert(size)));
        statement.run(start === 0 && rows.values.length === size * width ? rows.values : rows.values.slice(start, start + size * width));
        start += size * width;
      }
    }
    rows.values.length = 0;
  }

  override async putIfVersion(collection: string, document: VersionedDocument, expectedVersion: number | null): Promise<boolean> {
    checkVersionedDocument(collection, document);
    const target = this.writeTarget(collection);
    // IMMEDIATE: the write lock before the version is read, so no other process writes between the read and the write.
    if (target.rows) checkRow(collection, target.rows.columns, document);
    try {
      return this.db.transaction(() => {
        const row = this.statement(`SELECT ${this.selection(collection)} FROM ${target.name} WHERE id = ?`).get(document.id) as Record<string, unknown> | undefined;
        if (storedVersion(row ? this.documentOf(collection, row) : undefined) !== expectedVersion) return false;
        this.put(collection, target, document);
        return true;
      }).immediate();
    } catch (error) {
      this.shapes.forget();
      throw error;
    }
  }

  private rowidOf(name: string, id: string): number | undefined {
    return (this.statement(`SELECT rowid AS rowid FROM ${name} WHERE id = ?`).get(id) as { rowid: number } | undefined)?.rowid;
  }

  private indexText(collection: string, name: string, document: ReadDocument, fields: readonly string[]): void {
    const rowid = this.rowidOf(name, document.id)!;
    const index = textTable(collection);
    this.statement(`DELETE FROM ${index} WHERE rowid = ?`).run(rowid);
    this.statement(`INSERT INTO ${index} (rowid, body) VALUES (?, ?)`).run(rowid, searchableText(document, fields));
  }

  private unindexText(collection: string, name: string, id: string): void {
    const rowid = this.rowidOf(name, id);
    if (rowid !== undefined) this.statement(`DELETE FROM ${textTable(collection)} WHERE rowid = ?`).run(rowid);
  }

  /** One SQLite transaction per commit: nothing is ever left half-done. */
  override async recover(_checkpointName: string): Promise<void> {}

  override async checkpoint(checkpointName: string): Promise<number> {
    const row = this.statement('SELECT position FROM rm_checkpoints WHERE name = ?').get(checkpointName) as { position: number } | undefined;
    return row?.position ?? 0;
  }

  /**
   * Read once, then again only when the count of switches (GENERATION_SWITCHES, kept by triggers on rm_generations
   * whoever writes it: this store, a `cli replay` in another process, a hand edit) has moved. Every list read asked
   * the table before, and `PRAGMA data_version` does not tell it apart from the projector's commits, which move it
   * between nearly every two reads (docs/adr/0003, "The live generations, read once"). A copy: the caller may change its answer.
   */
  override async liveGenerations(): Promise<Record<string, string>> {
    return this.liveGenerationsNow();
  }

  private liveGenerationsNow(): Record<string, string> {
    let switches: number | undefined;
    if (this.switchesUncounted) this.switchesUncounted = !this.generationTriggersWhole();
    try {
      // Without its triggers the count says nothing: read the generations every time, as before it existed.
      if (!this.switchesUncounted) switches = this.switchCount.get();
    } catch {
      // The count's table dropped by hand: read the generations every time, as before it existed.
    }
    // Counted first, then read: a switch committed in between is read now and counted as new next time.
    if (switches === undefined || this.generationsRead?.switches !== switches) {
      const rows = this.statement('SELECT read_model, generation FROM rm_generations').all() as Array<{ read_model: string; generation: string }>;
      const live = Object.fromEntries(rows.map((row) => [row.read_model, row.generation]));
      this.formerlyLive.saw(live);
      this.generationsRead = switches === undefined ? undefined : { switches, live };
      return { ...live };
    }
    return { ...this.generationsRead.live };
  }

  private generationTriggersWhole(): boolean {
    return this.statement(GENERATION_TRIGGERS_WHOLE).pluck().get() === 1;
  }

  override async activateGeneration(readModel: string, generation: string): Promise<void> {
    // The count and its triggers made again first, in the switch's own transaction (a writer's, under the write lock): dropped by
    // hand, the table refused every switch, and without the triggers a switch was not counted and readers kept the old generation.
    this.db.transaction(() => {
      this.db.exec(GENERATION_SWITCHES);
      this.statement('INSERT INTO rm_generations (read_model, generation) VALUES (?, ?) ON CONFLICT (read_model) DO UPDATE SET generation = excluded.generation').run(readModel, generation);
    }).immediate();
    this.formerlyLive.saw({ [readModel]: generation });
  }

  /**
   * One read of the schema for the whole list: the projector asks it at every poll (docs/adr/0005). A collection whose text
   * index alone is lost still has its documents: it is not missing, its index is damaged (damagedTextIndexes).
   */
  override async missingCollections(collections: readonly string[]): Promise<string[]> {
    const tables = this.schemaTables();
    return collections.filter((collection) => !tables.has(unquoted(table(collection))));
  }

  /**
   * The collections of a live generation, with their table, whose text index is not whole (textIndexLost): their searches
   * answer that the read model is being rebuilt until the projector makes the index again from the documents (docs/adr/0005).
   */
  override async damagedTextIndexes(collections: readonly string[]): Promise<string[]> {
    const tables = this.schemaTables();
    const live = this.liveGenerationsNow();
    return collections.filter((collection) => tables.has(unquoted(table(collection))) && this.textIndexLost(collection, tables, live));
  }

  private schemaTables(): Set<string> {
    return new Set(this.statement("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  }

  /**
   * Whether a collection of a live generation lost its text index outside the store (dropped by hand): the FTS5 table, a table
   * FTS5 keeps it in, or the record of the fields it holds (rm_text_fields; then the index tables left are the evidence). A
   * live generation always has its text indexes, built before it is made live; one being built waits for them
   * (ensureTextIndex), and is not missing for that (docs/adr/0005).
   */
  private textIndexLost(collection: string, tables: ReadonlySet<string>, live = this.liveGenerationsNow()): boolean {
    if (this.liveReadModelOf(collection, live) === undefined) return false;
    const index = textIndexTables(collection);
    if (!tables.has('rm_text_fields')) return index.some((name) => tables.has(name));
    return this.textFieldsOf(collection).length > 0 && index.some((name) => !tables.has(name));
  }

  /** The read model of whose live generation this is a collection, or undefined. */
  private liveReadModelOf(collection: string, live: Readonly<Record<string, string>> = this.liveGenerationsNow()): string | undefined {
    return liveGenerationOf(collection, live)?.readModel;
  }

  override async dropGeneration(generation: string): Promise<void> {
    const prefix = unquoted(table(generationCollection(generation, '')));
    const textPrefix = unquoted(textTable(generationCollection(generation, '')));
    const ofGeneration = (start: string) =>
      // Table names are the same in any letter case for SQLite: so is the prefix.
      (this.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND lower(substr(name, 1, ?)) = lower(?)").all(start.length, start) as Array<{ name: string; sql: string | null }>)
        .filter(({ name }) => belongsToGeneration(name.slice(start.length)));
    this.db.transaction(() => {
      this.db.exec(TEXT_FIELDS_TABLE);
      // The text indexes first: dropping one drops its own FTS5 tables with it.
      for (const { name } of ofGeneration(textPrefix).filter(({ sql }) => sql?.startsWith('CREATE VIRTUAL TABLE'))) this.dropTextIndex(name);
      for (const { name } of [...ofGeneration(prefix), ...ofGeneration(textPrefix)]) this.db.exec(`DROP TABLE IF EXISTS "${name}"`);
      const collections = generationCollection(generation, '');
      for (const { collection } of this.db.prepare('SELECT collection FROM rm_text_fields').all() as Array<{ collection: string }>) {
        if (collection.toLowerCase().startsWith(collections.toLowerCase()) && belongsToGeneration(collection.slice(collections.length))) {
          this.statement('DELETE FROM rm_text_fields WHERE collection = ?').run(collection);
        }
      }
      this.statement('DELETE FROM rm_checkpoints WHERE name = ?').run(generation);
    }).immediate();
    this.known.clear();
    this.lists.clear();
    this.typed.clear();
    this.textFields.clear();
    this.textIndexedCache.clear();
    this.textIndexWholeAt.clear();
    this.statements.clear();
  }

  override async acquireLease(name: string, holder: string, ttlMs: number, options: { readonly replacing?: string } = {}): Promise<boolean> {
    const now = Date.now();
    const held = this.granted.holds(name, holder, now);
    // `holder = NULL` is never true: without `replacing` the last condition takes nothing. An expiry that is no number (text or
    // a blob edited in by hand, which SQLite sorts after every number) has no time to run out at: it is taken as run out, or no
    // process ever took the lease again and the read models stood still.
    const taken = this.onLeases(() => this.statement(LEASE_TAKE).run({
      name, holder, expiresAt: now + ttlMs, now, ttl: ttlMs, held: held ? 1 : 0, replacing: options.replacing ?? null,
    }).changes === 1);
    this.granted.took(name, holder, taken, now, ttlMs);
    return taken;
  }

  override async leaseHolder(name: string): Promise<string | null> {
    const row = this.onLeases(() => this.statement(LEASE_HOLDER).get(name, Date.now()) as { holder: string } | undefined);
    return row?.holder ?? null;
  }

  override async leasesRemadeAt(): Promise<Date | null> {
    const made = this.onLeases(() => this.statement(`SELECT expires_at FROM rm_leases WHERE name = '${LEASES_REMADE}'`).pluck().get());
    return typeof made === 'number' && Number.isFinite(made) ? new Date(made) : null;
  }

  override async releaseLease(name: string, holder: string): Promise<void> {
    this.granted.released(name, holder);
    this.onLeases(() => this.statement(LEASE_RELEASE).run(name, holder));
  }

  /**
   * A statement on rm_leases. The table dropped by hand while the store is open is made again, with the time it was made
   * (LEASES_REMADE): for one ttl after it, a lease is taken only by the holder this store last granted it to, while that grant
   * runs; the others wait as if the lost rows still held them, then take the leases as run out (docs/adr/0005). Remade in a
   * shape the statements cannot use (other columns, no primary key, a view), it is a ReadStoreDamagedError naming it and its
   * mend, where SQLite's own text reached /health, every as-of job and the log.
   */
  private onLeases<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      // Told by its message, not by instanceof Error (better-sqlite3's errors come from the context that loaded it first).
      const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
      if (typeof message === 'string' && /no such table: (main\.)?rm_leases\b/.test(message)) {
        // Another process may have made it again first: its time stands (ON CONFLICT DO NOTHING).
        this.db.transaction(() => {
          this.db.exec(LEASES_TABLE);
          this.db.prepare(`INSERT INTO rm_leases (name, holder, expires_at) VALUES ('${LEASES_REMADE}', '', ?) ON CONFLICT (name) DO NOTHING`).run(Date.now());
        }).immediate();
        return work();
      }
      const fault = this.leasesTableFault();
      if (fault !== undefined) throw new ReadStoreDamagedError(fault);
      throw error;
    }
  }

  /**
   * What is wrong with rm_leases, in words that say how to mend it; undefined when the lease statements can be prepared on it
   * (the table this store makes, or one close enough), or when it is absent (made again at the next use).
   */
  private leasesTableFault(): string | undefined {
    const found = this.db.prepare("SELECT type FROM sqlite_master WHERE name = 'rm_leases' COLLATE NOCASE").get() as { type: string } | undefined;
    if (found === undefined) return undefined;
    try {
      for (const sql of [LEASE_TAKE, LEASE_HOLDER, LEASE_RELEASE]) this.db.prepare(sql);
      return undefined;
    } catch {
      // Described below by its shape, not by SQLite's text.
    }
    const lead = `${this.fileName}'s rm_leases, the table of the leases that let one process at a time run the projections, build an as-of name or store an attachment,`;
    // The holder goes on (Lease: the store cannot say, so its work goes on): the projections move, only no other process can take them over.
    const effect = 'so no lease can be taken, renewed or given up: a process that held the projector lease goes on projecting, but no other can take over if it stops; '
      + 'as-of builds fail and uploads are refused';
    const mend = `drop it (DROP ${found.type.toUpperCase()} rm_leases in ${this.fileName}) and it is made again at the next use`;
    if (found.type !== 'table') return `${lead} is a ${found.type}, not the table the read store makes (${LEASES_COLUMNS}), ${effect}: ${mend}.`;
    const shape = this.columnsDeclared('rm_leases');
    return `${lead} was made with other columns (${shape.join(', ')}) than the read store's (${LEASES_COLUMNS}), ${effect}: ${mend}.`;
  }

  override async forgetDeleted(): Promise<void> {
    const indexes = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'fts\\_%' ESCAPE '\\' AND sql LIKE 'CREATE VIRTUAL TABLE%'").all() as Array<{ name: string }>;
    for (const { name } of indexes) {
      const quoted = `"${name.replace(/"/g, '""')}"`;
      this.db.prepare(`INSERT INTO ${quoted} (${quoted}) VALUES ('optimize')`).run();
    }
    // The WAL still holds the old page images until a checkpoint copies the new ones back and truncates it.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  override async close(): Promise<void> {
    this.db.close();
  }
}

function whereClause(
  filter: Filter | undefined, expressionOf: (field: string) => string, listOf: (field: string) => string | undefined,
  holdsOf: (field: string, values: readonly Scalar[]) => { sql: string; param: string } | undefined, isInstant: (field: string) => boolean,
): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const operators = { gte: '>=', gt: '>', lte: '<=', lt: '<' } as const;
  for (const [field, raw] of Object.entries(filter ?? {})) {
    const list = listOf(checkField(field));
    if (list !== undefined) {
      // A list field: the documents whose list holds the value (or one of the values), its elements read in C.
      const { values } = checkArrayCondition(field, raw);
      if (values.length === 0) where.push('0');
      else {
        where.push(`EXISTS (SELECT 1 FROM json_each(${list}) WHERE value ${values.length === 1 ? '= ?' : `IN (${values.map(() => '?').join(', ')})`})`);
        params.push(...values);
      }
      continue;
    }
    const condition = checkCondition(field, raw);
    const holds = condition.kind === 'eq' ? holdsOf(field, [condition.value]) : condition.kind === 'in' && condition.values.length > 0 ? holdsOf(field, condition.values) : undefined;
    if (holds !== undefined) {
      where.push(`${holds.sql} = 1`);
      params.push(holds.param);
      continue;
    }
    const expression = expressionOf(field);
    const instant = isInstant(field);
    const stored = (value: Scalar): unknown => (instant && typeof value === 'string' ? storedInstant(value) : bind(value));
    if (condition.kind === 'eq') {
      if (condition.value === null) where.push(`${expression} IS NULL`);
      else {
        where.push(`${expression} = ?`);
        params.push(stored(condition.value));
      }
    } else if (condition.kind === 'in') {
      if (condition.values.length === 0) where.push('0');
      else {
        where.push(`${expression} IN (${condition.values.map(() => '?').join(', ')})`);
        params.push(...condition.values.map(stored));
      }
    } else {
      for (const [key, value] of condition.bounds) {
        if (!instant || typeof value !== 'string') {
          where.push(`${expression} ${operators[key]} ?`);
          params.push(value);
        } else {
          // One range of the column's order (an index range): the instants from the first whose text is past the bound.
          where.push(`${expression} ${key === 'gte' || key === 'gt' ? '>=' : '<'} ?`);
          params.push(lowestInstantFrom(value, key === 'gt' || key === 'lte'));
        }
      }
    }
  }
  return { where, params };
}

/** A collection as a commit or a compare-and-set writes it. */
interface WriteTarget {
  readonly name: string;
  readonly fields: readonly string[];
  /** The list fields (CollectionSpec.arrays), each written to its column after the indexed fields'. */
  readonly lists: readonly string[];
  readonly put: string;
  readonly text: readonly string[];
  /** One array of values per table, filled in place for each row: no arrays made per row. */
  readonly values: unknown[];
  /** Prepared on the first put, inside the transaction's error handling: a table dropped by another process is reported as unknown. */
  prepared?: Database.Statement;
  /** A collection of typed rows: its columns, the values of the rows queued for one multi-row upsert, and that upsert by number of rows. */
  readonly rows?: { readonly columns: Columns; readonly values: unknown[]; readonly upsert: (rows: number) => string; readonly prepared: Record<number, Database.Statement> };
}

/** Whether a table's layout is the one a spec asks for: documents for documents, the same columns (names, order, types, nullability) for typed rows. */
function sameLayout(layout: { columns: Columns | undefined }, wanted: Columns | undefined): boolean {
  if (layout.columns === undefined || wanted === undefined) return layout.columns === wanted;
  return layout.columns.length === wanted.length && layout.columns.every(([field, column], index) => {
    const [wantedField, wantedColumn] = wanted[index]!;
    return field === wantedField && column.type === wantedColumn.type && (column.nullable === true) === (wantedColumn.nullable === true);
  });
}
