import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidDocumentError, InvalidQueryError, MAX_TEXT_QUERY, ReadModelRebuildingError, belongsToGeneration, generationCollection, type CollectionSpec, type ColumnSpec, type FieldFilter, type ReadDocument, type Scalar, type SortField, type VersionedDocument } from './read-store.port';

/**
 * What every read-store adapter checks and encodes the same way: field names, filter values and
 * the keyset cursor, so a cursor or a refusal means the same on SQLite and MongoDB.
 */
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
export const MAX_LIMIT = 1000;

/** Only plain (dotted) names pass: no operators, quotes or JSON-path syntax. */
export function checkField(field: string): string {
  if (typeof field !== 'string' || !FIELD.test(field)) throw new InvalidQueryError(`invalid field name: ${String(field)}`);
  return field;
}

export function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(1, limit ?? 100), MAX_LIMIT);
}

export function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

export type CheckedCondition =
  | { readonly kind: 'eq'; readonly value: Scalar }
  | { readonly kind: 'in'; readonly values: readonly Scalar[] }
  | { readonly kind: 'range'; readonly bounds: ReadonlyArray<readonly ['gte' | 'gt' | 'lte' | 'lt', string | number]> };

/** A filter condition checked against the port's shapes (anything else is an InvalidQueryError). */
export function checkCondition(field: string, condition: FieldFilter): CheckedCondition {
  if (isScalar(condition)) return { kind: 'eq', value: condition };
  if (typeof condition !== 'object' || Array.isArray(condition)) throw new InvalidQueryError(`invalid condition for ${field}`);
  if ('in' in condition) {
    if (!Array.isArray(condition.in) || !condition.in.every(isScalar)) throw new InvalidQueryError(`${field}.in must be a list of strings, numbers, booleans or null`);
    return { kind: 'in', values: condition.in };
  }
  const bounds: Array<readonly ['gte' | 'gt' | 'lte' | 'lt', string | number]> = [];
  for (const key of ['gte', 'gt', 'lte', 'lt'] as const) {
    const value = (condition as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' && (typeof value !== 'number' || !Number.isFinite(value))) throw new InvalidQueryError(`range bound ${field}.${key} must be a string or number`);
    bounds.push([key, value]);
  }
  if (bounds.length === 0) throw new InvalidQueryError(`empty condition for ${field}`);
  return { kind: 'range', bounds };
}

/**
 * Checks a document against the rules of ReadDocument before any store writes it: a string id, no
 * top-level `_id` or `_text` (where MongoDB keeps the id and the text to search), and no key at any depth that starts with `$` or holds a dot or NUL. Every commit
 * of every projection into MongoDB passes here, so the walk allocates nothing; the path is found only for the message. The SQLite store's
 * commits check the top level here (checkDocumentTop) and the keys in the walk that encodes the document (docs/adr/0011, twenty-fourth step).
 */
export function checkDocument(collection: string, document: ReadDocument): void {
  checkDocumentTop(collection, document);
  if (!hasRefusedKey(document)) return;
  refuseKey(collection, document);
}

/**
 * checkDocument's checks of the top level only (a string id, no `_id`, no `_text`): for a store that finds a refused key
 * at any depth in the walk it makes anyway to write the document (the SQLite store's encoding), and then calls refuseKey.
 */
export function checkDocumentTop(collection: string, document: ReadDocument): void {
  if (typeof document?.id !== 'string') throw new InvalidDocumentError(`a document of ${collection} has no string id`);
  if (Object.prototype.hasOwnProperty.call(document, '_id')) {
    throw new InvalidDocumentError(`document ${document.id} of ${collection} has a top-level _id: the id is its "id" field, and _id is reserved`);
  }
  if (Object.prototype.hasOwnProperty.call(document, TEXT_KEY)) {
    throw new InvalidDocumentError(`document ${document.id} of ${collection} has a top-level ${TEXT_KEY}: it is reserved for the text a store searches`);
  }
}

/** Throws the error of a document that holds a refused key (where it is, for the message). */
export function refuseKey(collection: string, document: ReadDocument): never {
  const found = refusedKeyPath(document, '');
  if (found === undefined) throw new Error(`read store: document ${document.id} of ${collection} was taken for one with a refused key, and holds none`);
  const { key, path } = found;
  throw new InvalidDocumentError(`document ${document.id} of ${collection} has the key ${JSON.stringify(key)}${path ? ` in ${path}` : ''}: keys must not start with $ or contain a dot or NUL`);
}

/** checkDocument, and a `version` that is an integer: what ReadStore.putIfVersion writes. */
export function checkVersionedDocument(collection: string, document: VersionedDocument): void {
  checkDocument(collection, document);
  if (!Number.isSafeInteger(document.version)) throw new InvalidDocumentError(`document ${document.id} of ${collection} has no integer version, which a compare-and-set needs`);
}

export const refused = (key: string): boolean => key.charCodeAt(0) === 36 /* $ */ || key.indexOf('.') !== -1 || key.indexOf('\u0000') !== -1;

export function hasRefusedKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const item of value) if (hasRefusedKey(item)) return true;
    return false;
  }
  for (const key in value) if (refused(key) || hasRefusedKey((value as Record<string, unknown>)[key])) return true;
  return false;
}

function refusedKeyPath(value: unknown, path: string): { key: string; path: string } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = refusedKeyPath(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (refused(key)) return { key, path };
    const found = refusedKeyPath(inner, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return undefined;
}

export function valueAt(document: ReadDocument, field: string): unknown {
  // Most fields are top-level: no split (this runs for every indexed column of every row written).
  if (!field.includes('.')) return document[field];
  return field.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), document);
}

/**
 * A cursor is the sort values and the id of the last document of a page, then a check of them and of the
 * sort they page: a cursor garbled or written by hand (`["2026","a"]`) is refused instead of paging from a
 * value no page ended on (SQLite orders every number before every text: such a value answered every row).
 * The check is an HMAC with the read store's cursor key (CursorKey): only a server of this read store can
 * make one, and every server of it can check one, after a restart too (docs/adr/0005).
 */
export function encodeCursor(key: CursorKey, sort: readonly SortField[], values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify([...values, cursorCheck(key, sort, values)])).toString('base64url');
}

/** The cursor after a page's last document. */
export function pageCursor(key: CursorKey, sort: readonly SortField[], last: ReadDocument): string {
  return encodeCursor(key, sort, [...sort.map((entry) => valueAt(last, entry.field)), last.id]);
}

/**
 * The secret a read store signs its cursors with: 32 random bytes kept in the read store itself, made by the
 * first process that opens it, so that every instance on one data dir (or one MongoDB deployment) has the same.
 */
export type CursorKey = Buffer;

/** Bytes of a new cursor key. */
export const CURSOR_KEY_BYTES = 32;

/** A new cursor key, for a read store that has none yet. */
export const newCursorKey = (): CursorKey => randomBytes(CURSOR_KEY_BYTES);

const cursorCheck = (key: CursorKey, sort: readonly SortField[], values: readonly unknown[]): string =>
  createHmac('sha256', key).update(JSON.stringify([sort.map((entry) => [entry.field, entry.direction]), values])).digest('base64url').slice(0, 16);

/** What a cursor must be, in the words of the query DTOs' own check (a client never builds one). */
export const CURSOR_RULE = 'cursor must be the nextCursor of a previous page of this list, unchanged (leave it out for the first page)';

/** A cursor's values (the sort's, then the id), or an InvalidQueryError; a typed column's value must be of its type. */
export function decodeCursor(key: CursorKey, cursor: string, sort: readonly SortField[], columns?: Columns): Array<string | number> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidQueryError(CURSOR_RULE);
  }
  if (!Array.isArray(decoded) || decoded.length !== sort.length + 2) throw new InvalidQueryError(CURSOR_RULE);
  const values = decoded.slice(0, -1);
  if (!values.every((value) => typeof value === 'string' || typeof value === 'number') || typeof values[sort.length] !== 'string') throw new InvalidQueryError(CURSOR_RULE);
  const check = decoded[decoded.length - 1];
  if (typeof check !== 'string' || !sameCheck(check, cursorCheck(key, sort, values))) throw new InvalidQueryError(CURSOR_RULE);
  const mistyped = sort.some((entry, index) => {
    const column = columns?.find(([field]) => field === entry.field)?.[1];
    return column !== undefined && (column.type === 'integer' || column.type === 'real' ? typeof values[index] !== 'number' : typeof values[index] !== 'string');
  });
  if (mistyped) throw new InvalidQueryError(CURSOR_RULE);
  return values as Array<string | number>;
}

/** Two checks compared in constant time: how long a refusal takes says nothing of how much of a forged check was right. */
function sameCheck(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Text fields' values as one string to search, lower-cased; fields apart, so a match never spans two. */
export function searchableText(document: ReadDocument, fields: readonly string[]): string {
  const parts: string[] = [];
  for (const field of fields) {
    const value = valueAt(document, field);
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string' && item !== '') parts.push(item.toLowerCase());
    }
  }
  return parts.join(TEXT_SEPARATOR);
}

/** Where a store that keeps the searched text in the document (MongoDB) keeps it; no document may use the key. */
export const TEXT_KEY = '_text';

/** Between two fields' texts: a control character no search term may hold. */
export const TEXT_SEPARATOR = '\u0001';

/** A search term, lower-cased, or an InvalidQueryError saying what is wrong with it. */
export function checkTextQuery(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (typeof text !== 'string' || text.length === 0 || [...text].length > MAX_TEXT_QUERY || /[\u0000-\u001f]/.test(text)) {
    throw new InvalidQueryError(`a text search is 1 to ${MAX_TEXT_QUERY} characters without control characters`);
  }
  return text.toLowerCase();
}

/** The sparse fields a spec declares (CollectionSpec.sparse), checked: each a field that leads one of its indexes. */
export function sparseFields(spec: CollectionSpec): ReadonlySet<string> {
  const sparse = new Set(spec.sparse ?? []);
  for (const field of sparse) {
    if (field === 'id' || !(spec.indexes ?? []).some((fields) => fields[0] === field)) {
      throw new InvalidQueryError(`${spec.name}: sparse field ${field} must lead one of its indexes (an index of its values, nulls left out)`);
    }
  }
  return sparse;
}

/** The list fields a spec declares (CollectionSpec.arrays), checked: plain top-level names other than id, not on typed rows. */
export function arrayFields(spec: CollectionSpec): readonly string[] {
  const fields = spec.arrays ?? [];
  for (const field of fields) {
    if (field === 'id' || checkField(field).includes('.')) throw new InvalidQueryError(`${spec.name}: a list field is a top-level field other than id (got ${field})`);
  }
  if (fields.length > 0 && spec.columns !== undefined) throw new InvalidQueryError(`${spec.name}: a collection of typed rows has no list fields`);
  return fields;
}

/** Checks that a document's list field (CollectionSpec.arrays) holds a list of strings and finite numbers, or nothing. */
export function checkArrayField(collection: string, document: ReadDocument, field: string): void {
  const value = document[field];
  if (value === undefined || value === null) return;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item)))) {
    throw new InvalidDocumentError(`document ${document.id} of ${collection}: ${field} is a list field, so it must be a list of strings or numbers (got ${JSON.stringify(value)})`);
  }
}

/** A filter on a list field (CollectionSpec.arrays): equality or `in`, of strings and numbers; anything else is an InvalidQueryError. */
export function checkArrayCondition(field: string, condition: FieldFilter): { readonly values: readonly (string | number)[] } {
  const checked = checkCondition(field, condition);
  const values = checked.kind === 'eq' ? [checked.value] : checked.kind === 'in' ? checked.values : undefined;
  if (values === undefined || !values.every((value) => typeof value === 'string' || typeof value === 'number')) {
    throw new InvalidQueryError(`${field} is a list: filter it by a value it holds (a string or a number) or by {in: [values]}, not by null or a range`);
  }
  return { values: values as readonly (string | number)[] };
}

/** A typed collection's columns in their order: `[field, spec]`, the id left out. */
export type Columns = ReadonlyArray<readonly [string, ColumnSpec]>;

/** The columns a spec declares, checked (plain top-level names, known types, not `id`, no text fields, indexes on columns only), or undefined for a collection of documents. */
export function typedColumns(spec: CollectionSpec): Columns | undefined {
  if (spec.columns === undefined) return undefined;
  const columns = Object.entries(spec.columns);
  for (const [field, column] of columns) {
    if (field === 'id' || field.includes('.') || checkField(field) !== field) throw new InvalidQueryError(`${spec.name}: a column is a top-level field other than id (got ${field})`);
    if (!['text', 'integer', 'real', 'boolean', 'instant'].includes(column?.type)) throw new InvalidQueryError(`${spec.name}: column ${field} has no type text, integer, real, boolean or instant`);
  }
  if (columns.length === 0) throw new InvalidQueryError(`${spec.name}: typed rows need at least one column`);
  if ((spec.text ?? []).length > 0) throw new InvalidQueryError(`${spec.name}: a collection of typed rows has no text fields`);
  const unindexable = (spec.indexes ?? []).flat().find((field) => field !== 'id' && !columns.some(([column]) => column === field));
  if (unindexable !== undefined) throw new InvalidQueryError(`${spec.name}: index field ${unindexable} is not one of its columns`);
  return columns;
}

const holdsType = (value: unknown, column: ColumnSpec): boolean => {
  if (value === null) return column.nullable === true;
  switch (column.type) {
    case 'text': case 'instant': return typeof value === 'string';
    case 'integer': return Number.isSafeInteger(value);
    case 'real': return typeof value === 'number' && Number.isFinite(value);
    case 'boolean': return typeof value === 'boolean';
  }
};

/**
 * Checks a document of a typed collection: a string id and exactly the declared fields, each of its
 * column's type. Runs for every row written, so it counts keys instead of listing them.
 */
export function checkRow(collection: string, columns: Columns, document: ReadDocument): void {
  if (typeof document?.id !== 'string') throw new InvalidDocumentError(`a row of ${collection} has no string id`);
  let keys = 0;
  for (const key in document) if (Object.prototype.hasOwnProperty.call(document, key)) keys += 1;
  for (const [field, column] of columns) {
    const value = document[field];
    if (!holdsType(value, column)) {
      throw new InvalidDocumentError(`row ${document.id} of ${collection}: ${field} must be ${column.nullable ? `${column.type} or null` : column.type} (got ${value === undefined ? 'nothing' : JSON.stringify(value)})`);
    }
  }
  if (keys !== columns.length + 1) {
    const extra = Object.keys(document).filter((key) => key !== 'id' && !columns.some(([field]) => field === key));
    throw new InvalidDocumentError(`row ${document.id} of ${collection} has fields that are not its columns: ${extra.join(', ')}`);
  }
}

/**
 * A read of a collection the live generation of a read model lacks and never had, by what this store knows (docs/adr/0005): maybe
 * one a new version adds, read under the old live generation while the projector builds the new one. The query is not at fault,
 * yet no rebuild of a few seconds is coming either: a 400 that says so, the same words on every store.
 */
const neverLiveCollection = (collection: string, generation: string, readModel: string): InvalidQueryError =>
  new InvalidQueryError(`unknown collection: ${collection} (the live generation ${generation} of read model ${readModel} has no such table, and none was lost: `
    + `if a new version of ${readModel} adds it, that version's read model is being built beside the live one and is read once it is live; /health shows the projector's progress)`);

/** Where a collection sits among the live generations: the read model, its live generation, and the collection's part after the generation's prefix. */
export interface LivePlace {
  readonly readModel: string;
  readonly generation: string;
  readonly suffix: string;
}

/** The live generation (rm_generations, by read model) this collection is of, if any: what a store looks up about a missing one hangs on it. */
export function liveGenerationOf(collection: string, live: Readonly<Record<string, string>>): LivePlace | undefined {
  for (const [readModel, generation] of Object.entries(live)) {
    const prefix = generationCollection(generation, '');
    if (collection.startsWith(prefix) && belongsToGeneration(collection.slice(prefix.length))) return { readModel, generation, suffix: collection.slice(prefix.length) };
  }
  return undefined;
}

/**
 * What a store looked up about a collection a read found missing. The store looks `wasThere` and `building` up only for a
 * collection of a live generation (liveGenerationOf), and `building` only where it was not there: they cost queries, and only
 * the error's path pays them.
 */
export interface MissingCollectionFacts {
  readonly collection: string;
  /** The live generations by read model, as read for this answer (rm_generations). */
  readonly live: Readonly<Record<string, string>>;
  /** The collection was there: this store saw it, or a record (its text fields', the projector's rebuild record) names it. */
  readonly wasThere: boolean;
  /** Another version's generation of the read model that has the collection (an upgrade being built beside the live one). */
  readonly building: string | undefined;
  /** The generations this store read as live. */
  readonly formerlyLive: FormerlyLive;
}

/**
 * What a read of a missing collection is told, the same on every store (docs/adr/0005). One of a live generation that was there
 * lost its table outside the projector (a hand drop), which the projector builds again from the log: the read model is being
 * rebuilt (503), not the query at fault. One of a live generation that another version's generation has is that version being
 * built (503, naming it). One of a live generation that neither was there nor is being built may be one a new version adds, read
 * under the old live generation (a 400 that says so: neverLiveCollection). One of a generation this store read as live that was
 * replaced since raced the switch (503, generationReplaced). Any other is an unknown collection (400).
 */
export function missingCollectionError({ collection, live, wasThere, building, formerlyLive }: MissingCollectionFacts): Error {
  const place = liveGenerationOf(collection, live);
  if (place !== undefined) {
    if (wasThere) return new ReadModelRebuildingError(place.readModel, collection);
    if (building !== undefined) return new ReadModelRebuildingError(place.readModel, collection, building);
    return neverLiveCollection(collection, place.generation, place.readModel);
  }
  return formerlyLive.replaced(collection, live) ?? new InvalidQueryError(`unknown collection: ${collection}`);
}

/**
 * The generations a store has read as live (rm_generations), by read model, kept for the store's life: a read of a collection
 * of one of them that another generation replaced since, and that is gone, raced the switch and its drop (docs/adr/0005). A
 * few per read model over a process's life (one per version it goes through); as-of generations are never live.
 */
export class FormerlyLive {
  private readonly readModels = new Map<string, string>();

  /** Records the live generations as just read (or just switched to by this store). */
  saw(live: Readonly<Record<string, string>>): void {
    for (const [readModel, generation] of Object.entries(live)) this.readModels.set(generation, readModel);
  }

  /**
   * The answer to a read of a missing collection of no live generation: a ReadModelRebuildingError (generationReplaced) where it
   * is of a generation this store read as live and its read model has another live generation now; undefined otherwise.
   */
  replaced(collection: string, live: Readonly<Record<string, string>>): ReadModelRebuildingError | undefined {
    for (const [generation, readModel] of this.readModels) {
      const prefix = generationCollection(generation, '');
      if (!collection.startsWith(prefix) || !belongsToGeneration(collection.slice(prefix.length))) continue;
      const now = live[readModel];
      if (now !== undefined && now !== generation) return ReadModelRebuildingError.generationReplaced(readModel, collection, now);
    }
    return undefined;
  }
}

/**
 * The leases a store last granted, by name, and until when (this host's clock). While its leases' table (collection) was made
 * again less than one ttl ago, a lease without a row is taken only by the holder this store last granted it to, while that grant
 * runs: the row that went with the table could have held it no longer (docs/adr/0005). The same on every store.
 */
export class LeaseGrants {
  private readonly grants = new Map<string, { readonly holder: string; readonly until: number }>();

  /** Whether this store's last grant of the lease is this holder's and still runs at `now`. */
  holds(name: string, holder: string, now: number): boolean {
    const granted = this.grants.get(name);
    return granted !== undefined && granted.holder === holder && granted.until > now;
  }

  /** A take's outcome: taken, a grant for one ttl from `now`; refused, the holder's own grant (if it had the last) is gone. */
  took(name: string, holder: string, taken: boolean, now: number, ttlMs: number): void {
    if (taken) this.grants.set(name, { holder, until: now + ttlMs });
    else if (this.grants.get(name)?.holder === holder) this.grants.delete(name);
  }

  /** The holder gave the lease up: its grant is gone (another holder's stays). */
  released(name: string, holder: string): void {
    if (this.grants.get(name)?.holder === holder) this.grants.delete(name);
  }
}
