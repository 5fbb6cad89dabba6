import { TEXT_KEY, checkArrayCondition, checkArrayField, checkCondition, checkDocument, checkField, checkRow, checkTextQuery, decodeCursor, searchableText, type Columns, type CursorKey } from '../query-support';
import type { DocumentChange, Filter, ReadDocument, SortField } from '../read-store.port';

/**
 * What the MongoDB adapter translates from the port, free of the driver so it is unit-tested
 * without a server. Documents are stored as they are, with `_id` = `id`: analysts can query the
 * read models in MongoDB directly.
 */

type MongoQuery = Record<string, unknown>;

/** The port's `id` is MongoDB's `_id` (the primary key); every other field keeps its name. */
export const mongoField = (field: string): string => (checkField(field) === 'id' ? '_id' : field);

/** Physical collection name of a port collection (the same as the SQLite table names, minus the prefix). */
export const collectionName = (collection: string): string => collection.replace(/[^A-Za-z0-9_]/g, '_');

/**
 * The port's filter as a MongoDB query, built only from the checked shapes: values are never
 * read as operators, so `{ "$where": … }` or `{ "$gt": "" }` cannot get in.
 */
export function toMongoFilter(filter: Filter | undefined, lists: readonly string[] = []): MongoQuery {
  const query: MongoQuery = {};
  for (const [field, raw] of Object.entries(filter ?? {})) {
    const name = mongoField(field);
    if (lists.includes(field)) {
      // A list field (CollectionSpec.arrays): `$eq` and `$in` on a list match its elements, through its multikey index.
      const { values } = checkArrayCondition(field, raw);
      query[name] = values.length === 1 ? { $eq: values[0] } : { $in: [...values] };
      continue;
    }
    const condition = checkCondition(field, raw);
    if (condition.kind === 'eq') query[name] = condition.value === null ? null : { $eq: condition.value };
    else if (condition.kind === 'in') query[name] = { $in: [...condition.values] };
    else query[name] = Object.fromEntries(condition.bounds.map(([key, value]) => [`$${key}`, value]));
  }
  return query;
}

/** Sort specification: the given fields, then the id in the direction of the last one (as on SQLite). */
export function toMongoSort(sort: readonly SortField[]): Array<[string, 1 | -1]> {
  const fields: Array<[string, 1 | -1]> = sort.map((entry) => [mongoField(entry.field), entry.direction === 'asc' ? 1 : -1]);
  const idDirection = sort[sort.length - 1]?.direction === 'desc' ? -1 : 1;
  if (!fields.some(([field]) => field === '_id')) fields.push(['_id', idDirection]);
  return fields;
}

/**
 * Keyset paging after a cursor: (a, b, id) strictly after the cursor's values in the sort order,
 * written as an OR of prefixes — the same predicate as the SQLite adapter's.
 */
export function afterCursor(key: CursorKey, sort: readonly SortField[], cursor: string, columns?: Columns): MongoQuery {
  const order = toMongoSort(sort);
  const values = decodeCursor(key, cursor, sort, columns);
  // The cursor holds the sort values and then the id; an id sort field, if any, repeats it.
  const valueOf = (index: number) => (index < sort.length ? values[index] : values[sort.length]);
  const disjuncts = order.map(([field, direction], index) => {
    const clause: MongoQuery = {};
    order.slice(0, index).forEach(([previous], previousIndex) => {
      clause[previous] = { $eq: valueOf(previousIndex) };
    });
    clause[field] = { [direction === 1 ? '$gt' : '$lt']: valueOf(index) };
    return clause;
  });
  return { $or: disjuncts };
}

/** The stored form of a document: `_id` first, then the document as given. */
export function toStored(document: ReadDocument): Record<string, unknown> {
  return { _id: document.id, ...document };
}

/** A typed row as MongoDB stores it (docs/adr/0011, seventh step): the same flat document, its fields in the columns' order. */
export function storedRow(document: ReadDocument, columns: Columns): Record<string, unknown> {
  const stored: Record<string, unknown> = { _id: document.id, id: document.id };
  for (const [field] of columns) stored[field] = document[field];
  return stored;
}

/** A stored document back to the port's form (without `_id`, and without the text kept for searches). */
export function fromStored<T extends ReadDocument>(stored: Record<string, unknown>): T {
  const { _id: _ignored, [TEXT_KEY]: _text, ...document } = stored;
  return document as T;
}

/** Escapes a search text for a regular expression that matches it literally. */
export const literalPattern = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * The filter of a text search (checked and lower-cased): the stored text, lower-cased when it was
 * written, holds it. No index serves it (a collection scan within the other conditions); MongoDB's
 * own text indexes split words at spaces, which Chinese does not have (docs/adr/0015-text-search.md).
 */
export function textFilter(text: string): Record<string, unknown> {
  return { [TEXT_KEY]: { $regex: literalPattern(checkTextQuery(text)) } };
}

export type WriteModel =
  | { readonly replaceOne: { readonly filter: { readonly _id: string }; readonly replacement: Record<string, unknown>; readonly upsert: true } }
  | { readonly deleteOne: { readonly filter: { readonly _id: string } } };

/** A document as the server keeps it, with the text to search when its collection has text fields. */
export function storedWithText(document: ReadDocument, text: readonly string[]): Record<string, unknown> {
  return text.length === 0 ? toStored(document) : { ...toStored(document), [TEXT_KEY]: searchableText(document, text) };
}

/**
 * The filter of a compare-and-set (ReadStore.putIfVersion): the document of this id at this version;
 * for null, one without an integer version (or none: the upsert then inserts it, and a second first
 * writer's insert fails on the duplicate _id).
 */
export function versionFilter(id: string, expectedVersion: number | null): Record<string, unknown> {
  return expectedVersion === null ? { _id: id, version: { $not: { $type: 'number' } } } : { _id: id, version: expectedVersion };
}

/**
 * The changes of one commit grouped per physical collection as bulk writes, one write per document: the
 * last change of a document is the one that counts, so the writes of a collection touch distinct
 * documents and the server may apply them unordered (docs/adr/0011). Each write is idempotent (a
 * replace with the final document, a delete), so a journal can apply it again. Every document is
 * checked first (checkDocument): a top-level `$` key would fail in the server's replace after other
 * writes of the commit, and a dotted key could never be found again. A collection of typed rows
 * (`columnsOf` gives its columns) checks each row against them instead (checkRow), as SQLite does.
 */
export function toWriteModels(
  changes: readonly DocumentChange[], textFieldsOf: (name: string) => readonly string[] = () => [], columnsOf: (name: string) => Columns | undefined = () => undefined,
  listsOf: (name: string) => readonly string[] = () => [],
): Map<string, WriteModel[]> {
  for (const change of changes) {
    if (change.kind !== 'put') continue;
    const columns = columnsOf(collectionName(change.collection));
    if (columns) checkRow(change.collection, columns, change.document);
    else {
      checkDocument(change.collection, change.document);
      for (const field of listsOf(collectionName(change.collection))) checkArrayField(change.collection, change.document, field);
    }
  }
  const last = new Map<string, Map<string, DocumentChange>>();
  for (const change of changes) {
    const name = collectionName(change.collection);
    const documents = last.get(name) ?? new Map<string, DocumentChange>();
    const id = change.kind === 'put' ? change.document.id : change.id;
    documents.delete(id); // a later change moves the document to its place among the writes
    documents.set(id, change);
    last.set(name, documents);
  }
  const byCollection = new Map<string, WriteModel[]>();
  for (const [name, documents] of last) {
    const text = textFieldsOf(name);
    const columns = columnsOf(name);
    byCollection.set(name, [...documents.values()].map((change): WriteModel => (change.kind === 'put'
      ? { replaceOne: { filter: { _id: change.document.id }, replacement: columns ? storedRow(change.document, columns) : storedWithText(change.document, text), upsert: true } }
      : { deleteOne: { filter: { _id: change.id } } })));
  }
  return byCollection;
}

/** Index keys of a declared index (fields in order, ascending; `id` is `_id`). */
export function indexKeys(fields: readonly string[]): Record<string, 1> {
  return Object.fromEntries(fields.map((field) => [mongoField(field), 1 as const]));
}

/**
 * The filter under which a commit may move a checkpoint: it is at the expected position (0 also
 * when it does not exist yet), and in journal mode no batch is pending. Without an expected
 * position, only the journal's pending check applies. Upsert where the checkpoint may not exist.
 */
export function checkpointFence(checkpointName: string, expected: number | undefined, { journal }: { journal: boolean }): { filter: Record<string, unknown>; upsert: boolean } {
  const filter: Record<string, unknown> = { _id: checkpointName };
  if (journal) filter['pending'] = { $exists: false };
  if (expected === 0) filter['$or'] = [{ position: 0 }, { position: { $exists: false } }];
  else if (expected !== undefined) filter['position'] = expected;
  return { filter, upsert: expected === undefined || expected === 0 };
}

/**
 * Journal mode (a standalone server): a batch's changes are journaled under a commit id of its own,
 * and the checkpoint's `pending` mark names that id. Two writers may journal batches of the same
 * positions (a stale one and the lease holder): every clean-up and every roll-forward selects one
 * commit id, so no writer can erase or replay a batch that another one brought past its commit point.
 */
export interface PendingBatch {
  readonly position: number;
  readonly commit: string;
}

export interface JournalEntry {
  readonly checkpoint: string;
  readonly commit: string;
  /** The checkpoint position the batch's fence expects; none when the commit named none. */
  readonly expected?: number;
  readonly position: number;
  readonly seq: number;
  readonly collection: string;
  readonly model: WriteModel;
}

/** The journal entries of one batch, in the order they apply. */
export function journalEntries(checkpoint: string, batch: PendingBatch, expected: number | undefined, writes: Map<string, WriteModel[]>): JournalEntry[] {
  return [...writes].flatMap(([collection, models]) => models.map((model) => ({ collection, model }))).map((entry, seq) => ({
    checkpoint, commit: batch.commit, ...(expected === undefined ? {} : { expected }), position: batch.position, seq, collection: entry.collection, model: entry.model,
  }));
}

/**
 * The journal entries of the batch a pending mark names. A bare position is a mark written by an
 * earlier version, whose entries carry no commit id.
 */
export function batchEntries(checkpoint: string, pending: PendingBatch | number): Record<string, unknown> {
  return typeof pending === 'number' ? { checkpoint, position: pending, commit: { $exists: false } } : { checkpoint, commit: pending.commit };
}

/** The checkpoint while it is marked pending with this batch (and not another writer's). */
export function pendingMatch(checkpoint: string, pending: PendingBatch | number): Record<string, unknown> {
  return typeof pending === 'number' ? { _id: checkpoint, pending } : { _id: checkpoint, 'pending.commit': pending.commit };
}

/**
 * Journal entries of batches that can never reach their commit point, once the checkpoint is at
 * `position` with nothing pending: their fence expected an earlier position (positions only grow),
 * or they come from an earlier version. A batch committed without an expected position could still
 * pass its fence at any time: its entries are only ever removed by their writer (or dropGeneration).
 */
export function voidEntries(checkpoint: string, position: number): Record<string, unknown> {
  return { checkpoint, $or: [{ expected: { $lt: position } }, { commit: { $exists: false } }] };
}

/**
 * Takes or renews a lease in one single-document write, decided on the server's clock: an upsert
 * filtered on the lease's id alone, whose update pipeline keeps the stored holder unless it is this
 * holder or its lease has run out (`expiresAt` ≤ `$$NOW`). MongoDB refuses `$expr` in the query of
 * an upsert (error 224, SERVER-59704), so the condition cannot go in the filter. The holder is a
 * `$literal`: in a pipeline a string starting with `$` would be read as a field path.
 */
export function leaseTakeover(name: string, holder: string, ttlMs: number, replacing?: string): {
  filter: { _id: string };
  update: Array<Record<string, unknown>>;
  options: { upsert: true; returnDocument: 'after' };
} {
  const mine = { $eq: ['$holder', { $literal: holder }] };
  // An expiry that is no date (edited by hand, a restore: a string, bytes, null, none, a timestamp, a regex, MaxKey) has no
  // time to run out at: run out. Compared as it is, BSON's type order put a timestamp, a regex or MaxKey after every date,
  // so such a lease was held for ever; the others sort before dates and were run out already.
  const expired = { $or: [{ $ne: [{ $type: '$expiresAt' }, 'date'] }, { $lte: ['$expiresAt', '$$NOW'] }] };
  // A dead holder named by the caller is replaced while its lease still runs; no other holder is.
  const dead = replacing === undefined ? [] : [{ $eq: ['$holder', { $literal: replacing }] }];
  const takes = { $or: [mine, expired, ...dead] };
  return {
    filter: { _id: name },
    // Both expressions read the document as it was before this stage, so they agree on `takes`.
    update: [{ $set: { holder: { $cond: [takes, { $literal: holder }, '$holder'] }, expiresAt: { $cond: [takes, { $add: ['$$NOW', ttlMs] }, '$expiresAt'] } } }],
    options: { upsert: true, returnDocument: 'after' },
  };
}

/** The query for lease `name` while it runs on the server's clock (leaseHolder): only a date runs (see leaseTakeover). */
export const runningLease = (name: string): Record<string, unknown> => ({ _id: name, $expr: { $and: [{ $eq: [{ $type: '$expiresAt' }, 'date'] }, { $gt: ['$expiresAt', '$$NOW'] }] } });

/**
 * The id of the leases' own document in their collection (no lease's name; SQLite keeps its row of the same name): it says the
 * collection is the one the store saw, and when it was made again after it went missing (docs/adr/0005). Every store makes it when
 * it connects, with no such time (a fresh database, or one whose leases went before the store opened, holds nothing back).
 */
export const LEASES_MARK = '';

export interface LeasesMark {
  readonly _id: string;
  readonly holder?: unknown;
  /** When the collection was made again while a store was open, or null (never). */
  readonly remadeAt?: unknown;
  /** The server's time of the last check (leasesMarkCheck), to compare remadeAt with on the same clock. */
  readonly checkedAt?: unknown;
}

/** The mark as a store makes it when it connects: left as it is where it exists. */
export const leasesMarkAtConnect = { filter: { _id: LEASES_MARK }, update: { $setOnInsert: { holder: '', remadeAt: null } } } as const;

/**
 * The check of a store that found no document of a lease it takes, in one atomic step: the mark read, or made again when it is
 * missing (the collection was dropped by hand after this store connected, which made it), then with the server's time as the
 * time made again (a document inserted by an upsert starts as its `_id` alone: no `holder`). `checkedAt` is the server's time
 * of this check, so leasesHeldBack compares two times of one clock.
 */
export function leasesMarkCheck(): { filter: { _id: string }; update: Array<Record<string, unknown>>; options: { upsert: true; returnDocument: 'after' } } {
  const madeNow = { $eq: [{ $type: '$holder' }, 'missing'] };
  return {
    filter: { _id: LEASES_MARK },
    // Every expression of the stage reads the document as it was before the stage.
    update: [{ $set: { holder: '', remadeAt: { $cond: [madeNow, '$$NOW', { $ifNull: ['$remadeAt', null] }] }, checkedAt: '$$NOW' } }],
    options: { upsert: true, returnDocument: 'after' },
  };
}

/** A BSON date as the driver gives it, else undefined (told without instanceof: the driver may come from another context). */
export const timeOf = (value: unknown): number | undefined =>
  Object.prototype.toString.call(value) === '[object Date]' && Number.isFinite((value as Date).getTime()) ? (value as Date).getTime() : undefined;

/**
 * Whether a lease without a document is held back: the collection was made again less than one ttl before the check (the longest
 * a lost document could have held the lease), as the SQLite store holds back a lease without a row.
 */
export function leasesHeldBack(mark: Pick<LeasesMark, 'remadeAt' | 'checkedAt'> | null | undefined, ttlMs: number): boolean {
  const [remadeAt, checkedAt] = [timeOf(mark?.remadeAt), timeOf(mark?.checkedAt)];
  return remadeAt !== undefined && checkedAt !== undefined && remadeAt > checkedAt - ttlMs;
}

/**
 * Whether a mark read as it is (a plain findOne) settles a take without a lease document with no write: it is there (made at
 * connect or checked before: it has its holder) and records no remaking, so nothing is held back whatever the time. Any other
 * mark goes through leasesMarkCheck, which writes. Most takes without a document (every SharedTurns turn) read the mark only.
 */
export const leasesMarkSettled = (mark: LeasesMark | null | undefined): boolean =>
  mark !== null && mark !== undefined && mark.holder !== undefined && timeOf(mark.remadeAt) === undefined;

/** Whether the lease document that leaseTakeover returned (`returnDocument: 'after'`) is this holder's. */
export const holdsLease = (lease: { holder?: unknown } | null | undefined, holder: string): boolean => lease?.holder === holder;

/** Whether a server reply to `hello` describes a deployment with multi-document transactions. */
export function supportsTransactions(hello: { setName?: unknown; msg?: unknown; logicalSessionTimeoutMinutes?: unknown }): boolean {
  return (typeof hello.setName === 'string' || hello.msg === 'isdbgrid') && hello.logicalSessionTimeoutMinutes !== undefined && hello.logicalSessionTimeoutMinutes !== null;
}

/** The database named in the URL's path (`mongodb://h1,h2/name?…`), else `complaint_desk`. */
export function databaseOf(url: string): string {
  const name = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]*)/.exec(url)?.[1];
  return name ? decodeURIComponent(name) : 'complaint_desk';
}

/** The id of an idempotency key: principal and key as one document, so neither can be confused with the other. */
export const idempotencyKeyId = (principal: string, key: string): { principal: string; key: string } => ({ principal, key });

export interface IdempotencyRecord {
  readonly _id: { principal: string; key: string };
  readonly fingerprint: string;
  readonly status: number;
  /** Headers and body as JSON text: stored exactly, whatever keys they hold. */
  readonly headers: string;
  readonly body: string;
  /** The body's `id` (the aggregate the command was on), for an erasure to forget its answers; absent in records from before. */
  readonly subject?: string;
  readonly createdAt: Date;
  /** A Date, as MongoDB's TTL index needs: the server deletes the record some time after it. */
  readonly expiresAt: Date;
}

/** The TTL index of the idempotency keys: each record goes at its own `expiresAt` (so a TTL change needs no index change). */
export const IDEMPOTENCY_TTL_INDEX = { key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', expireAfterSeconds: 0 } } as const;

/** A record that is still live at `now` (the TTL monitor runs once a minute: an expired one may still be there). */
export function liveIdempotencyKey(principal: string, key: string, now: Date): Record<string, unknown> {
  return { _id: idempotencyKeyId(principal, key), expiresAt: { $gt: now } };
}

/**
 * Stores a response unless a live one is there: an upsert that matches the record only once it has
 * expired (and replaces it); a live record does not match, so the upsert's insert collides with it
 * (duplicate key, which the adapter ignores: the first response wins).
 */
export function idempotencyPut(principal: string, key: string, response: { fingerprint: string; status: number; headers: Record<string, string>; body: unknown }, now: Date, ttlMs: number): {
  filter: Record<string, unknown>;
  replacement: IdempotencyRecord;
  options: { upsert: true };
} {
  const _id = idempotencyKeyId(principal, key);
  return {
    filter: { _id, expiresAt: { $lte: now } },
    replacement: {
      _id, fingerprint: response.fingerprint, status: response.status, headers: JSON.stringify(response.headers), body: JSON.stringify(response.body),
      ...subjectOf(response.body), createdAt: now, expiresAt: new Date(now.getTime() + ttlMs),
    },
    options: { upsert: true },
  };
}

function subjectOf(body: unknown): { subject?: string } {
  const id = body !== null && typeof body === 'object' ? (body as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? { subject: id } : {};
}

export function fromIdempotencyRecord(record: IdempotencyRecord): { fingerprint: string; status: number; headers: Record<string, string>; body: unknown } {
  return { fingerprint: record.fingerprint, status: record.status, headers: JSON.parse(record.headers) as Record<string, string>, body: JSON.parse(record.body) };
}
