/**
 * A read-model document: JSON with a string id. No key, at any depth, starts with `$` or holds a
 * dot (or NUL), and `_id` and `_text` are not top-level keys: MongoDB cannot store the first, the port's dotted
 * filters could not reach the second, and `_id` and `_text` are where the MongoDB adapter keeps the id and the text to search. Every
 * store refuses such a document (InvalidDocumentError), so a read model cannot come to depend on one.
 */
export type ReadDocument = { readonly id: string } & Record<string, unknown>;

export type Scalar = string | number | boolean | null;
export type Range = { readonly gte?: string | number; readonly gt?: string | number; readonly lte?: string | number; readonly lt?: string | number };
/**
 * Equality (a scalar), membership ({in: [...]}) or a range; fields may be dotted paths. Equality or membership
 * of non-null values on a field that holds a list matches a document whose list holds one of them (MongoDB's
 * meaning), on every store; CollectionSpec.arrays makes that cheap.
 */
export type FieldFilter = Scalar | { readonly in: readonly Scalar[] } | Range;
export type Filter = Readonly<Record<string, FieldFilter>>;

export interface SortField {
  readonly field: string;
  readonly direction: 'asc' | 'desc';
}

export interface FindOptions {
  readonly filter?: Filter;
  /** Sort fields must hold a string or a number in every document; the id breaks ties. */
  readonly sort?: readonly SortField[];
  readonly limit?: number;
  /** From a previous page's nextCursor, with the same filter and sort. */
  readonly cursor?: string;
  /**
   * Only documents one of whose text fields (CollectionSpec.text) contains this, ignoring letter
   * case: a substring search in any script (Chinese has no spaces to split words at), of 1 to
   * MAX_TEXT_QUERY characters. A collection without text fields is an InvalidQueryError.
   */
  readonly text?: string;
}

/** The longest text a find may search for. */
export const MAX_TEXT_QUERY = 200;

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface CollectionSpec {
  readonly name: string;
  readonly indexes?: ReadonlyArray<readonly string[]>;
  /**
   * Fields that are null in most documents (docs/adr/0011, eighth step): an index they lead leaves out
   * the documents where they are null, so it holds only the few that have a value. A filter on one of
   * them equal to a value (or `in` values) uses that index; a filter on null, a sort alone or a range
   * answers the same without it. Each must lead one of `indexes`. SQLite makes those indexes partial
   * (`WHERE … IS NOT NULL`); MongoDB keeps full indexes (the same answers).
   */
  readonly sparse?: readonly string[];
  /**
   * Top-level fields that hold a list of strings or numbers (a complaint's tags), declared so that a
   * filter by one of the values a list holds (Filter) finds the documents without reading the others. A filter on null or a range on one, or a sort on one, is an InvalidQueryError. Each store keeps
   * what filters them cheaply: SQLite a column of the list, tested in C (`json_each`) without decoding the
   * document, created and filled where missing like an indexed field's, so declaring one needs no new
   * projection version; MongoDB a multikey index. A document whose field is not such a list (or absent or
   * null: no values) is an InvalidDocumentError. Not on typed rows.
   */
  readonly arrays?: readonly string[];
  /**
   * Fields that FindOptions.text searches (strings, or arrays of strings; dotted paths allowed).
   * Declared by the writer's ensureCollections before it commits, as the projection runner does;
   * each store keeps its own index of them (SQLite FTS5 with the trigram tokenizer; a normalised
   * field on MongoDB).
   */
  readonly text?: readonly string[];
  /**
   * Typed rows (docs/adr/0011, seventh step): every document of the collection is flat, exactly its
   * `id` and these fields, each a value of its column's type (or null where `nullable`). A store keeps
   * them as typed columns (SQLite: a column per field, no JSON; MongoDB: the same flat document) and
   * gives them back with the fields in this order. A document with another field, a missing one or a
   * value of another type is an InvalidDocumentError (nothing of its commit is written); a filter or a
   * sort on a field that is not a column is an InvalidQueryError. No text fields. A collection keeps
   * the columns it was made with: other columns for the same name are an InvalidQueryError (a new
   * layout is a new projection version, built as a new generation).
   */
  readonly columns?: Readonly<Record<string, ColumnSpec>>;
}

/**
 * A typed column: `integer` holds safe integers, `real` finite numbers, `text` strings, `boolean` true or false.
 * `instant` holds strings too, answered, filtered and sorted as text, for instants as `Date.toISOString` writes them
 * (`2026-01-05T08:00:00.000Z`): a store may keep those as a number (SQLite: milliseconds, 6 bytes instead of 24 in the
 * row and in every index, docs/adr/0011 fourteenth step) and give back the same text. Any other string is kept as it is:
 * it is answered as it is, but where it sorts and which ranges hold it is the store's: SQLite puts it after every instant, in
 * sorts and ranges alike; MongoDB compares it as text. Projections write only instants there.
 */
export type ColumnType = 'text' | 'integer' | 'real' | 'boolean' | 'instant';
export interface ColumnSpec {
  readonly type: ColumnType;
  readonly nullable?: boolean;
}

export type DocumentChange =
  | { readonly kind: 'put'; readonly collection: string; readonly document: ReadDocument }
  | { readonly kind: 'delete'; readonly collection: string; readonly id: string };

export class InvalidQueryError extends Error {}

/**
 * A read of a collection of a live generation (rm_generations names it) whose table is gone: dropped outside the projector
 * (by hand, a tool gone wrong). Not the query's fault: the projector that holds the lease finds the table missing at its next
 * poll and builds the read model again from the event log. The API answers 503 `read-model-rebuilding` with Retry-After.
 */
export class ReadModelRebuildingError extends Error {
  /**
   * `building`: the collection was never the live generation's, but another version's generation of the read model has it
   * (an upgrade: the new version reads it while the projector builds it beside the live one, which may take minutes).
   * `lost`: what went, the collection's table (the read model is rebuilt from the log), only its text index (textIndexLost), or
   * the whole generation the read resolved, replaced by `live` and dropped while the read ran (generationReplaced).
   */
  constructor(
    readonly readModel: string, readonly collection: string, readonly building?: string, readonly lost: 'collection' | 'text-index' | 'generation' = 'collection',
    readonly live?: string,
  ) {
    super(lost === 'generation'
      ? `read model ${readModel} switched to its new generation ${live ?? '(none)'} while this read ran, and the generation it had read, with its collection `
        + `${collection}, was dropped: nothing is wrong with the query; try again, and it reads the new generation`
      : lost === 'text-index'
      ? `the text index of ${collection} (read model ${readModel}) is being made again from its stored rows: it was dropped outside the projector, which makes it `
        + 'again within a few seconds; the rows are all kept, so a list without a search (no q) answers whole meanwhile; try the search again in a few seconds'
      : building === undefined
        ? `read model ${readModel} is being rebuilt from the event log: its collection ${collection} is missing from the read store (dropped outside the projector), `
          + 'and the projector builds it again within a few seconds; try again then'
        : `read model ${readModel} has no collection ${collection} in its live generation: a new version of it (generation ${building}) is being built from the event `
          + 'log beside the live one and is read once it is live, which may take minutes on a long log; GET /health shows the projector\'s progress; try again then');
  }

  /**
   * A search of a live collection whose text index alone was dropped (its rows are there): only searches wait, for the index
   * the projector makes again from the rows, not for a rebuild of the read model from the log (docs/adr/0015).
   */
  static textIndexLost(readModel: string, collection: string): ReadModelRebuildingError {
    return new ReadModelRebuildingError(readModel, collection, undefined, 'text-index');
  }

  /**
   * A read of a collection of a generation that was live when this store last read the live generations, and that the projector
   * has since replaced with `live` and dropped (it drops the old generation right after the switch, docs/adr/0005): the read
   * resolved its collection just before the switch. Not the query's fault, and no rebuild to wait for: a second try resolves
   * the new generation. A 503 rather than a read of the new generation in its place: a read is one of several of an answer
   * (a page, its count, the documents it joins), with a cursor its client took from the old generation, and a store that
   * swapped one of them would mix two generations in one answer.
   */
  static generationReplaced(readModel: string, collection: string, live: string): ReadModelRebuildingError {
    return new ReadModelRebuildingError(readModel, collection, undefined, 'generation', live);
  }
}

/**
 * One of the store's own tables (the cursor key's, the leases') was remade outside it in a shape it cannot use (other
 * columns, no primary key, a view): the message names it and says how to mend it. Nothing was written; the API answers
 * 503 `store-damaged`.
 */
export class ReadStoreDamagedError extends Error {}

/** A document written by compare-and-set (ReadStore.putIfVersion): its `version` decides which write wins. */
export type VersionedDocument = ReadDocument & { readonly version: number };

/** The version a compare-and-set compares: the stored document's integer `version`, or null (none, or no document). */
export const storedVersion = (document: Record<string, unknown> | null | undefined): number | null =>
  typeof document?.['version'] === 'number' ? document['version'] : null;

/** A document breaks the rules of ReadDocument: nothing of its commit was written. */
export class InvalidDocumentError extends Error {}

/**
 * A commit named the checkpoint it continues from, and the checkpoint is elsewhere: another runner
 * has written this projection. Nothing was written.
 */
export class CheckpointConflictError extends Error {
  constructor(readonly checkpointName: string, readonly expected: number) {
    super(`checkpoint ${checkpointName} is no longer at ${expected}: another runner has written it`);
  }
}

export interface EnsureOptions {
  /** Create the declared secondary indexes too (default true). */
  readonly indexes?: boolean;
}

export interface CommitOptions {
  /** Commit only if the checkpoint is still here (the position this runner last committed or read). */
  readonly expectedPosition?: number;
}

/** Physical name of a read model's collection in one generation: `<generation>__<collection>`. */
export const generationCollection = (generation: string, collection: string): string => `${generation}__${collection}`;

/**
 * Whether a physical name that starts with `generationCollection(generation, '')` is a collection of
 * that generation: its logical part holds no `__`. Another generation whose name merely starts with
 * this one's (an as-of name `k_sla_v3_` beside `k`) has a `__` of its own after the prefix.
 */
export const belongsToGeneration = (afterPrefix: string): boolean => afterPrefix.length > 0 && !afterPrefix.includes('__');

/**
 * The collection where the live projection runner records the read models it builds again after a collection of theirs was
 * lost (one document per read model; `collections`: the collections found missing). The read store reads it too: a read of
 * a missing live collection it names is the read model being rebuilt (ReadModelRebuildingError), not an unknown collection.
 */
export const READ_MODEL_REBUILDS = generationCollection('projections', 'rebuilds');

/**
 * The read-store port: collections of JSON documents by id. Every adapter passes
 * `describeReadStoreContract`. Documents are only written by `commit`, the unit of work of a
 * projection, together with its checkpoint: after a crash, the documents and the checkpoint
 * agree, so no event is lost or applied twice.
 */
export abstract class ReadStore {
  /**
   * Creates collections and their indexes if missing (idempotent). With `indexes: false` the
   * secondary indexes are left out (queries answer the same, only slower): a generation being
   * built from the log loads faster without them and gets them once it has caught up.
   */
  abstract ensureCollections(specs: readonly CollectionSpec[], options?: EnsureOptions): Promise<void>;
  /**
   * The reads (get, getMany, find, count): a collection that does not exist is an InvalidQueryError; one of a live generation
   * whose table is gone (dropped outside the projector: the store saw it, or READ_MODEL_REBUILDS names it) a
   * ReadModelRebuildingError, which says the read model is being rebuilt; one of a generation this store read as live, switched
   * and dropped since, a ReadModelRebuildingError too (generationReplaced): the read raced the switch, and a second try reads on.
   */
  abstract get<T extends ReadDocument>(collection: string, id: string): Promise<T | undefined>;
  /** The documents of these ids that exist, by id, in one read (or a few, for many ids). */
  abstract getMany<T extends ReadDocument>(collection: string, ids: readonly string[]): Promise<Map<string, T>>;
  abstract find<T extends ReadDocument>(collection: string, options?: FindOptions): Promise<Page<T>>;
  abstract count(collection: string, filter?: Filter): Promise<number>;
  /**
   * Atomically applies the changes and sets the checkpoint of `checkpointName` to `position`; with
   * `expectedPosition`, throws CheckpointConflictError (nothing written) if the checkpoint moved.
   * A document that breaks the rules of ReadDocument is an InvalidDocumentError, a collection that
   * does not exist (or that another process dropped) an InvalidQueryError; nothing is written then.
   */
  abstract commit(checkpointName: string, changes: readonly DocumentChange[], position: number, options?: CommitOptions): Promise<void>;
  /**
   * Compare-and-set of one document, outside any checkpoint (for state that is no projection, such
   * as webhook secrets): writes `document` only if the stored document of its id has the `version`
   * `expectedVersion` (null: there is none, or it has no version), atomically against every other
   * writer of any process. True when written; false when the version was another (nothing written).
   * `version` is an integer the caller keeps; an invalid document is an InvalidDocumentError, an
   * unknown collection an InvalidQueryError.
   */
  abstract putIfVersion(collection: string, document: VersionedDocument, expectedVersion: number | null): Promise<boolean>;
  /**
   * Completes a commit of `checkpointName` that a crash interrupted (a no-op where commits are one
   * transaction). Only the writer of that checkpoint calls it, before it reads anything.
   */
  abstract recover(checkpointName: string): Promise<void>;
  /** Last committed position of a checkpoint, 0 if none. Reads only: never writes. */
  abstract checkpoint(checkpointName: string): Promise<number>;
  /** Live generation of every read model (blue/green). */
  abstract liveGenerations(): Promise<Record<string, string>>;
  /** Makes `generation` the live one of `readModel` atomically. */
  abstract activateGeneration(readModel: string, generation: string): Promise<void>;
  /** Drops every collection of a generation (named with `generationCollection`) and its checkpoint. */
  abstract dropGeneration(generation: string): Promise<void>;
  /**
   * Those of `collections` the store does not have (dropped by hand or by another process; not yet made). Reads only. A
   * projection's writer asks it before it makes its collections: one missing under a checkpoint past zero lost its rows.
   */
  abstract missingCollections(collections: readonly string[]): Promise<string[]>;
  /**
   * Those of `collections` (live, with their documents) whose text index is not whole (dropped by hand): their searches fail
   * until the projector makes the index again from the documents, which ensureCollections with indexes does. Reads only. A
   * store that keeps the searchable text in each document has no such index to lose, and answers none.
   */
  abstract damagedTextIndexes(collections: readonly string[]): Promise<string[]>;
  /**
   * Takes or renews the lease `name` for `holder` for `ttlMs`: true when `holder` now holds it,
   * false while another holder's lease runs. Leases keep a second projector from writing the same
   * projections; times are the store's own (the server's clock where there is one).
   * `replacing`: also take it while that holder's lease still runs (the caller knows it is dead, its
   * process gone), in one atomic step that never takes it from any other holder. The three lease methods throw
   * ReadStoreDamagedError while the store's table of leases has a shape they cannot use (damage() lists it).
   */
  abstract acquireLease(name: string, holder: string, ttlMs: number, options?: { readonly replacing?: string }): Promise<boolean>;
  /** Who holds the lease `name` now; null when nobody does (never taken, released, or run out). Writes no lease (a table of leases dropped by hand is made again). */
  abstract leaseHolder(name: string): Promise<string | null>;
  /** Gives the lease up if `holder` holds it. */
  abstract releaseLease(name: string, holder: string): Promise<void>;
  /**
   * When the store's table of leases was last made again after it went missing (dropped by hand while the store was open), or
   * null (never, or a store that keeps no such time). For one ttl after it a lease without a row is refused to all but the holder
   * the store last granted it to (docs/adr/0005), so a refusal with nobody holding the lease can say until when.
   */
  async leasesRemadeAt(): Promise<Date | null> {
    return null;
  }
  /**
   * Makes what commits replaced or deleted unrecoverable from the store's own files, after an
   * erasure of personal data (docs/adr/0019). SQLite: freed pages are zeroed as they are freed
   * (`secure_delete`), the text indexes are merged (FTS5 `optimize`, which rewrites the segments
   * that still hold deleted text) and the write-ahead log is checkpointed and truncated. A server
   * (MongoDB) keeps old versions in its journal, oplog and backups for their retention: nothing to
   * do here, the operator sizes those.
   */
  async forgetDeleted(): Promise<void> {}
  /**
   * What is wrong with the store's own tables that it cannot mend by itself (one remade by hand in another shape), in
   * words that say how to mend it; empty when nothing is. /health lists them.
   */
  async damage(): Promise<string[]> {
    return [];
  }
  abstract close(): Promise<void>;
}
