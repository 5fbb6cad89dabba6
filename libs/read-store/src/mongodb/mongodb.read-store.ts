import { randomUUID } from 'node:crypto';
import type { AnyBulkWriteOperation, ClientSession, Db, MongoClient } from 'mongodb';
import { arrayFields, checkField, FormerlyLive, LeaseGrants, checkRow, checkVersionedDocument, liveGenerationOf, missingCollectionError, newCursorKey, pageLimit, sparseFields, typedColumns, valueAt, pageCursor, type Columns, type CursorKey } from '../query-support';
import {
  CheckpointConflictError, InvalidQueryError, READ_MODEL_REBUILDS, ReadStore, belongsToGeneration, generationCollection, type CollectionSpec, type CommitOptions, type DocumentChange,
  type EnsureOptions, type Filter, type FindOptions, type Page, type ReadDocument, type VersionedDocument,
} from '../read-store.port';
import {
  afterCursor, batchEntries, checkpointFence, collectionName, databaseOf, fromStored, holdsLease, indexKeys, journalEntries, leaseTakeover, leasesHeldBack, leasesMarkAtConnect, leasesMarkCheck, leasesMarkSettled,
  LEASES_MARK, pendingMatch, runningLease, supportsTransactions, timeOf, type LeasesMark,
  storedWithText, textFilter, toMongoFilter, toMongoSort, toWriteModels, versionFilter, voidEntries, type JournalEntry, type PendingBatch, type WriteModel,
} from './mongodb.translation';
import { newMongoClient } from './mongodb.client';

export interface MongoReadStoreOptions {
  /** `mongodb://…` or `mongodb+srv://…`; the database is the URL's path, else `complaint_desk`. */
  readonly url: string;
  /** auto (default): transactions when the server is a replica set or sharded; journal otherwise. */
  readonly atomicity?: 'auto' | 'transaction' | 'journal';
  readonly serverSelectionTimeoutMs?: number;
}

const CHECKPOINTS = 'rm_checkpoints';
const GENERATIONS = 'rm_generations';
const JOURNAL = 'rm_journal';
const LEASES = 'rm_leases';
/** Kept by MongoIdempotencyStore in the same database; never a read model's. */
const IDEMPOTENCY_KEYS = 'rm_idempotency_keys';
/** Secrets of the deployment: the cursor key (query-support's CursorKey). */
const SECRETS = 'rm_secrets';
const SYSTEM = new Set([CHECKPOINTS, GENERATIONS, JOURNAL, LEASES, IDEMPOTENCY_KEYS, SECRETS]);

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A read-model document as stored: the port's document with `_id` = `id`. */
type Stored = { _id: string } & Record<string, unknown>;

interface CheckpointDocument {
  _id: string;
  position?: number;
  /**
   * Journal mode: the batch whose changes are journaled but maybe not all applied (a bare position
   * when an earlier version wrote the mark).
   */
  pending?: PendingBatch | number;
}

/**
 * Read store on MongoDB through the official driver: one collection per read-model collection of
 * a generation, documents stored as they are (`_id` = `id`), indexes as the projections declare.
 *
 * A commit is atomic with its checkpoint in one of two ways (docs/adr/0008):
 * - transaction (replica set or sharded cluster): changes and checkpoint in one multi-document
 *   transaction;
 * - journal (a standalone server, which has no transactions): the batch's changes are written to
 *   `rm_journal`, then the checkpoint is marked `pending` (the commit point: one single-document
 *   write), then the changes are applied and the checkpoint moved. A crash after the commit point
 *   is rolled forward from the journal by the writer (recover, or its next commit); one before it
 *   leaves nothing. A guard per document (skip writes older than the document) is not enough here: the
 *   projections count, and a batch re-applied after a crash would count twice.
 */
export class MongoReadStore extends ReadStore {
  private readonly known = new Set<string>();
  /**
   * Every collection this store has seen, kept when it is forgotten (as on SQLite): a missing one of a live generation was dropped
   * outside the projector (missingOnRead), where one never seen may be one a new version adds, read under the old live generation.
   */
  private readonly seen = new Set<string>();
  /** The generations this store read as live: a read of one switched and dropped since raced the switch (missingOnRead). */
  private readonly formerlyLive = new FormerlyLive();
  /**
   * Text fields per collection declared by ensureCollections in this process (a writer declares its
   * collections before it commits). A reader that did not declare a collection searches the text its
   * writer stored.
   */
  private readonly textFields = new Map<string, readonly string[]>();
  /** The columns of each collection of typed rows declared by ensureCollections in this process: its commits check rows against them. */
  private readonly columns = new Map<string, Columns>();
  /** The list fields (CollectionSpec.arrays) of each collection declared by ensureCollections in this process; a reader that did not declare one gets the same answers ($eq on a list matches its elements). */
  private readonly lists = new Map<string, readonly string[]>();
  /** The leases this store last granted: only that holder makes its lease again while the leases are held back. */
  private readonly granted = new LeaseGrants();

  private constructor(private readonly client: MongoClient, private readonly db: Db, readonly atomicity: 'transaction' | 'journal') {
    super();
  }

  /**
   * The key this read store's cursors are signed and checked with (query-support's CursorKey), read at every use (one
   * findOne on the primary, for a page that takes or gives a cursor), as the SQLite store reads it: one kept the key it
   * read at connect, so after the document was deleted or edited by hand, an instance connected since made another key
   * and each refused the other's cursors. A key that is no key this store writes is replaced, as a missing one is made.
   */
  private cursorKey(): Promise<CursorKey> {
    return deploymentSecret(this.db, 'cursor');
  }

  /**
   * Connects, checks the server answers, and picks the commit mode. The driver is loaded here, not
   * at import. Messages never repeat the URL (it may hold a password): the caller names the setting.
   */
  static async connect(options: MongoReadStoreOptions): Promise<MongoReadStore> {
    const client = newMongoClient(options.url, options.serverSelectionTimeoutMs);
    try {
      await client.connect();
      const db = client.db(databaseOf(options.url));
      const hello = await db.admin().command({ hello: 1 });
      const transactions = supportsTransactions(hello);
      if (options.atomicity === 'transaction' && !transactions) throw new Error('atomicity=transaction needs a replica set or a sharded cluster');
      const store = new MongoReadStore(client, db, options.atomicity === 'journal' || !transactions ? 'journal' : 'transaction');
      // Made (or repaired) at connect, as the SQLite store makes it when it opens: the first page then only reads it.
      await store.cursorKey();
      await db.collection(JOURNAL).createIndex({ checkpoint: 1, commit: 1, seq: 1 });
      // The leases' mark: from now on, a collection of leases without it was dropped while this store was open.
      await db.collection<LeasesMark>(LEASES).updateOne(leasesMarkAtConnect.filter, leasesMarkAtConnect.update, { upsert: true }).catch((error: { code?: number }) => {
        if (error.code !== 11000) throw error; // made by another process meanwhile
      });
      return store;
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new Error(`cannot use MongoDB: ${(error as Error).message}`);
    }
  }

  override async ensureCollections(specs: readonly CollectionSpec[], options: EnsureOptions = {}): Promise<void> {
    const existing = new Set((await this.db.listCollections({}, { nameOnly: true }).toArray()).map((info) => info.name));
    for (const spec of specs) {
      const name = collectionName(spec.name);
      // Sparse fields (CollectionSpec.sparse) are checked as on SQLite; their indexes stay full here (the same answers).
      sparseFields(spec);
      if (!existing.has(name)) {
        try {
          await this.db.createCollection(name);
        } catch (error) {
          if ((error as { code?: number }).code !== 48) throw error; // NamespaceExists: created meanwhile
        }
      }
      const lists = arrayFields(spec);
      if (options.indexes !== false) for (const fields of [...(spec.indexes ?? []), ...lists.map((field) => [field])]) await this.db.collection(name).createIndex(indexKeys(fields));
      this.lists.set(name, lists);
      (spec.text ?? []).forEach(checkField);
      const columns = typedColumns(spec);
      if (columns) this.columns.set(name, columns);
      else this.columns.delete(name);
      this.textFields.set(name, spec.text ?? []);
      this.known.add(name);
      this.seen.add(name);
    }
  }

  override async missingCollections(collections: readonly string[]): Promise<string[]> {
    const existing = new Set((await this.db.listCollections({}, { nameOnly: true }).toArray()).map((info) => info.name));
    return collections.filter((collection) => !existing.has(collectionName(collection)));
  }

  /** None: the searchable text is kept in each document, so there is no separate index to lose. */
  override async damagedTextIndexes(_collections: readonly string[]): Promise<string[]> {
    return [];
  }

  /**
   * The physical collection of a port collection, for a read: unknown ones are an InvalidQueryError, and a missing one of a live
   * generation the read model being rebuilt (missingOnRead), as on SQLite.
   */
  private async require(collection: string): Promise<string> {
    const name = collectionName(collection);
    if (this.known.has(name)) return name;
    if (SYSTEM.has(name)) throw new InvalidQueryError(`unknown collection: ${collection}`);
    if (!(await this.exists(name))) throw await this.missingOnRead(collection, name);
    this.known.add(name);
    this.seen.add(name);
    return name;
  }

  private async exists(name: string): Promise<boolean> {
    return (await this.db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0;
  }

  /**
   * A read that found nothing, of a collection this store knew. MongoDB reads a collection that is not there (dropped by hand since)
   * as an empty one: without this check a dropped live collection answered a silent empty list until the projector rebuilt it,
   * where SQLite's read fails. So an empty answer asks the server whether the collection is there (one listCollections of one
   * name); an answer with documents proves it is, and pays nothing (docs/adr/0005).
   */
  private async checkEmptyAnswer(collection: string, name: string): Promise<void> {
    if (await this.exists(name)) return;
    this.known.delete(name);
    throw await this.missingOnRead(collection, name);
  }

  /**
   * What a read of a missing collection is told: query-support's missingCollectionError decides, by the same rule as on SQLite
   * (docs/adr/0005), from what this looks up. It was there if this store saw it or the projector's rebuild record names it. Only
   * on that error's path: reads the generations, and for a collection of a live generation at most the rebuild record and one
   * listCollections.
   */
  private async missingOnRead(collection: string, name: string): Promise<Error> {
    const live = await this.liveGenerations();
    const place = liveGenerationOf(collection, live);
    const wasThere = place !== undefined && (this.seen.has(name) || (await this.rebuildRecorded(collection)));
    const building = place !== undefined && !wasThere ? await this.otherVersionWith(place.generation, place.suffix) : undefined;
    return missingCollectionError({ collection, live, wasThere, building, formerlyLive: this.formerlyLive });
  }

  /** Whether the projector's record of the read models it builds again (READ_MODEL_REBUILDS) names this collection; none, or one unreadable, is no. */
  private async rebuildRecorded(collection: string): Promise<boolean> {
    if (collection === READ_MODEL_REBUILDS) return false;
    try {
      // Equality on a list matches a document whose list holds the value.
      return (await this.db.collection<Stored>(collectionName(READ_MODEL_REBUILDS)).findOne({ collections: collection }, { projection: { _id: 1 } })) !== null;
    } catch {
      return false;
    }
  }

  /** Another version's generation of the live one's read model (`<name>_v<version>`) that has this collection: an upgrade being built. */
  private async otherVersionWith(live: string, suffix: string): Promise<string | undefined> {
    const base = /^(.*_v)\d+$/.exec(live)?.[1];
    if (base === undefined) return undefined;
    const [baseName, suffixName] = [collectionName(base), collectionName(suffix)];
    const pattern = `^${escapeRegExp(baseName)}\\d+__${escapeRegExp(suffixName)}$`;
    const own = collectionName(generationCollection(live, suffix));
    const names = (await this.db.listCollections({ name: { $regex: pattern } }, { nameOnly: true }).toArray()).map((info) => info.name);
    const found = names.filter((name) => name !== own).sort()[0];
    return found === undefined ? undefined : found.slice(0, -(`__${suffixName}`.length));
  }

  override async get<T extends ReadDocument>(collection: string, id: string): Promise<T | undefined> {
    const name = await this.require(collection);
    const stored = await this.db.collection<Stored>(name).findOne({ _id: id });
    if (stored) return fromStored<T>(stored);
    await this.checkEmptyAnswer(collection, name);
    return undefined;
  }

  override async getMany<T extends ReadDocument>(collection: string, ids: readonly string[]): Promise<Map<string, T>> {
    const name = await this.require(collection);
    const found = new Map<string, T>();
    if (ids.length === 0) return found;
    for await (const stored of this.db.collection<Stored>(name).find({ _id: { $in: [...ids] } })) {
      const document = fromStored<T>(stored);
      found.set(document.id, document);
    }
    if (found.size === 0) await this.checkEmptyAnswer(collection, name);
    return found;
  }

  override async find<T extends ReadDocument>(collection: string, options: FindOptions = {}): Promise<Page<T>> {
    const name = await this.require(collection);
    this.checkColumns(collection, name, [...Object.keys(options.filter ?? {}), ...(options.sort ?? []).map((entry) => entry.field)]);
    const limit = pageLimit(options.limit);
    const sort = [...(options.sort ?? [])];
    const lists = this.lists.get(name) ?? [];
    const sorted = (options.sort ?? []).find((entry) => lists.includes(entry.field));
    if (sorted) throw new InvalidQueryError(`${collection}: ${sorted.field} is a list; a list field is filtered by the values it holds, never sorted by`);
    const conditions: Array<Record<string, unknown>> = [toMongoFilter(options.filter, lists)];
    if (options.text !== undefined) {
      if (this.textFields.get(name)?.length === 0) throw new InvalidQueryError(`${collection} has no text fields to search`);
      conditions.push(textFilter(options.text));
    }
    if (options.cursor) conditions.push(afterCursor(await this.cursorKey(), sort, options.cursor, this.columns.get(name)));
    const query = conditions.length === 1 ? conditions[0]! : { $and: conditions };
    const rows = await this.db.collection<Stored>(name).find(query).sort(toMongoSort(sort)).limit(limit + 1).toArray();
    if (rows.length === 0) await this.checkEmptyAnswer(collection, name);
    const items = rows.slice(0, limit).map((row) => fromStored<T>(row));
    const last = items[items.length - 1];
    const nextCursor = rows.length > limit && last ? pageCursor(await this.cursorKey(), sort, last) : null;
    return { items, nextCursor };
  }

  override async count(collection: string, filter?: Filter): Promise<number> {
    const name = await this.require(collection);
    this.checkColumns(collection, name, Object.keys(filter ?? {}));
    const counted = await this.db.collection(name).countDocuments(toMongoFilter(filter, this.lists.get(name)));
    if (counted === 0) await this.checkEmptyAnswer(collection, name);
    return counted;
  }

  /** A query of typed rows names only their columns (and the id), as on SQLite. */
  private checkColumns(collection: string, name: string, fields: readonly string[]): void {
    const columns = this.columns.get(name);
    const unknown = columns && fields.find((field) => field !== 'id' && !columns.some(([column]) => column === field));
    if (unknown !== undefined) throw new InvalidQueryError(`${collection} has no column ${unknown}`);
  }

  /**
   * The collections a commit writes, asked of the server each time: another process may have dropped
   * one (dropGeneration), and a write into it would silently create it again. The cache of known
   * collections only serves reads.
   */
  private async requireForWrite(collections: readonly string[]): Promise<void> {
    const byName = new Map(collections.map((collection) => [collectionName(collection), collection]));
    if (byName.size === 0) return;
    const found = new Set((await this.db.listCollections({ name: { $in: [...byName.keys()] } }, { nameOnly: true }).toArray()).map((info) => info.name));
    for (const [name, collection] of byName) {
      if (SYSTEM.has(name) || !found.has(name)) {
        this.known.delete(name);
        throw new InvalidQueryError(`unknown collection: ${collection}`);
      }
      this.known.add(name);
    }
  }

  override async commit(checkpointName: string, changes: readonly DocumentChange[], position: number, options: CommitOptions = {}): Promise<void> {
    await this.requireForWrite(changes.map((change) => change.collection));
    const writes = toWriteModels(changes, (name) => this.textFields.get(name) ?? [], (name) => this.columns.get(name), (name) => this.lists.get(name) ?? []);
    if (this.atomicity === 'transaction') await this.commitInTransaction(checkpointName, writes, position, options);
    else await this.commitThroughJournal(checkpointName, writes, position, options);
  }

  override async putIfVersion(collection: string, document: VersionedDocument, expectedVersion: number | null): Promise<boolean> {
    checkVersionedDocument(collection, document);
    await this.requireForWrite([collection]);
    const name = collectionName(collection);
    const columns = this.columns.get(name);
    if (columns) checkRow(collection, columns, document);
    const replacement = storedWithText(document, this.textFields.get(name) ?? []) as Stored;
    try {
      // The expected version in the filter: the server matches and replaces in one step, whoever else writes.
      const result = await this.db.collection<Stored>(name).replaceOne(versionFilter(document.id, expectedVersion) as never, replacement, { upsert: expectedVersion === null });
      return result.matchedCount + result.upsertedCount === 1;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false; // another first writer inserted it
      throw error;
    }
  }

  private async commitInTransaction(checkpointName: string, writes: Map<string, WriteModel[]>, position: number, options: CommitOptions): Promise<void> {
    const session = this.client.startSession();
    try {
      await session.withTransaction(async () => {
        await this.fenced(checkpointName, { $set: { position } }, options.expectedPosition, false, session);
        for (const [name, models] of writes) await this.db.collection<Stored>(name).bulkWrite(models as unknown as Array<AnyBulkWriteOperation<Stored>>, { session, ordered: false });
      });
    } finally {
      await session.endSession();
    }
  }

  /**
   * Applies `update` to the checkpoint only if it is where the writer expects (see checkpointFence):
   * otherwise nothing changes and the commit is a CheckpointConflictError.
   */
  private async fenced(checkpointName: string, update: Record<string, unknown>, expected: number | undefined, journal: boolean, session?: ClientSession): Promise<void> {
    const { filter, upsert } = checkpointFence(checkpointName, expected, { journal });
    try {
      const result = await this.db.collection<CheckpointDocument>(CHECKPOINTS).updateOne(filter, update, { upsert, session });
      if (result.matchedCount === 0 && result.upsertedCount === 0) throw new CheckpointConflictError(checkpointName, expected ?? 0);
    } catch (error) {
      // An upsert that collides with an existing checkpoint: it exists, just not where expected.
      if ((error as { code?: number }).code === 11000) throw new CheckpointConflictError(checkpointName, expected ?? 0);
      throw error;
    }
  }

  private async commitThroughJournal(checkpointName: string, writes: Map<string, WriteModel[]>, position: number, options: CommitOptions): Promise<void> {
    // A batch this writer left past its commit point (an error while applying it) is finished first.
    const current = await this.rollForward(checkpointName);
    const journal = this.db.collection<JournalEntry>(JOURNAL);
    // Entries of batches that can no longer reach their commit point (a writer that died before it) are void.
    await journal.deleteMany(voidEntries(checkpointName, current));
    const batch: PendingBatch = { position, commit: randomUUID() };
    const entries = journalEntries(checkpointName, batch, options.expectedPosition, writes);
    if (entries.length > 0) await journal.insertMany(entries, { ordered: true });
    try {
      // The commit point: one single-document write.
      await this.fenced(checkpointName, { $set: { pending: batch } }, options.expectedPosition, true);
    } catch (error) {
      // Only this batch's entries: another writer's batch of the same positions may be past its commit point.
      await journal.deleteMany(batchEntries(checkpointName, batch));
      throw error;
    }
    await this.finish(checkpointName, batch, writes);
  }

  /**
   * Finishes a journaled batch past its commit point: applies its changes (idempotent), moves the
   * checkpoint and forgets the batch's journal entries. Only the checkpoint's writer calls this
   * (through commit or recover): a reader re-applying an old batch could overwrite newer documents.
   */
  private async finish(checkpointName: string, pending: PendingBatch | number, writes: Map<string, WriteModel[]>): Promise<void> {
    // One write per document (toWriteModels): unordered, the server may apply them in any order and in parallel.
    for (const [name, models] of writes) await this.db.collection<Stored>(name).bulkWrite(models as unknown as Array<AnyBulkWriteOperation<Stored>>, { ordered: false });
    const position = typeof pending === 'number' ? pending : pending.position;
    await this.db.collection<CheckpointDocument>(CHECKPOINTS).updateOne(pendingMatch(checkpointName, pending), { $set: { position }, $unset: { pending: '' } });
    await this.db.collection(JOURNAL).deleteMany(batchEntries(checkpointName, pending));
  }

  /** Finishes the batch a crash left past its commit point, if any, from the journal; answers the checkpoint's position. */
  private async rollForward(checkpointName: string): Promise<number> {
    const checkpoint = await this.db.collection<CheckpointDocument>(CHECKPOINTS).findOne({ _id: checkpointName });
    if (checkpoint?.pending === undefined) return checkpoint?.position ?? 0;
    const entries = await this.db.collection<JournalEntry>(JOURNAL).find(batchEntries(checkpointName, checkpoint.pending)).sort({ seq: 1 }).toArray();
    const writes = new Map<string, WriteModel[]>();
    for (const entry of entries) writes.set(entry.collection, [...(writes.get(entry.collection) ?? []), entry.model]);
    await this.finish(checkpointName, checkpoint.pending, writes);
    return typeof checkpoint.pending === 'number' ? checkpoint.pending : checkpoint.pending.position;
  }

  override async recover(checkpointName: string): Promise<void> {
    if (this.atomicity === 'journal') await this.rollForward(checkpointName);
  }

  /** The committed position; a journaled batch not yet rolled forward counts from when its writer finishes it. */
  override async checkpoint(checkpointName: string): Promise<number> {
    const checkpoint = await this.db.collection<CheckpointDocument>(CHECKPOINTS).findOne({ _id: checkpointName });
    return checkpoint?.position ?? 0;
  }

  override async liveGenerations(): Promise<Record<string, string>> {
    const rows = await this.db.collection<{ _id: string; generation: string }>(GENERATIONS).find({}).toArray();
    const live = Object.fromEntries(rows.map((row) => [row._id, row.generation]));
    this.formerlyLive.saw(live);
    return live;
  }

  override async activateGeneration(readModel: string, generation: string): Promise<void> {
    await this.db.collection<{ _id: string; generation: string }>(GENERATIONS).updateOne({ _id: readModel }, { $set: { generation } }, { upsert: true });
    this.formerlyLive.saw({ [readModel]: generation });
  }

  override async dropGeneration(generation: string): Promise<void> {
    // The checkpoint goes first: from then on the fence of every writer of this generation that has
    // committed fails, so none of them writes into a collection while it is being dropped.
    await this.db.collection<CheckpointDocument>(CHECKPOINTS).deleteOne({ _id: generation });
    const prefix = collectionName(generationCollection(generation, ''));
    const names = (await this.db.listCollections({}, { nameOnly: true }).toArray()).map((info) => info.name).filter((name) => name.startsWith(prefix) && belongsToGeneration(name.slice(prefix.length)));
    for (const name of names) {
      await this.db.collection(name).drop().catch((error: { code?: number }) => {
        if (error.code !== 26) throw error; // NamespaceNotFound: dropped meanwhile
      });
      this.known.delete(name);
    }
    await this.db.collection(JOURNAL).deleteMany({ checkpoint: generation });
  }

  /**
   * Takes or renews a lease. One with its document follows the usual rules in one step (a renewal pays nothing more). Without one
   * (never taken, given up, or lost with the collection dropped by hand), the leases' mark is checked first (leasesMarkCheck): for
   * one ttl after the collection was made again, only the holder this store last granted the lease to, while that grant runs, makes
   * it again; the others are refused as if the lost document still held it, as on SQLite (docs/adr/0005). The check and the insert
   * are two steps: a drop between them (one round trip) is not held back, as a drop just after the insert would not be. They
   * cannot be one: a write is atomic on one document and these are two (the lease's, the mark), an update pipeline reads only its
   * own document, and a bulkWrite is atomic per operation (docs/adr/0005 says why the other ways fail too).
   */
  override async acquireLease(name: string, holder: string, ttlMs: number, { replacing }: { readonly replacing?: string } = {}): Promise<boolean> {
    // The server's clock ($$NOW) decides expiry, so projector hosts need not agree on the time.
    const leases = this.db.collection<{ _id: string; holder: string; expiresAt: Date }>(LEASES);
    const { filter, update, options } = leaseTakeover(name, holder, ttlMs, replacing);
    const now = Date.now();
    const held = this.granted.holds(name, holder, now);
    let taken: boolean;
    try {
      let lease = await leases.findOneAndUpdate(filter, update, { returnDocument: 'after' });
      if (lease === null && (held || !leasesHeldBack(await this.leasesMark(), ttlMs))) lease = await leases.findOneAndUpdate(filter, update, options);
      taken = holdsLease(lease, holder);
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      taken = false; // two first takers raced: the other one inserted it
    }
    this.granted.took(name, holder, taken, now, ttlMs);
    return taken;
  }

  /** The leases' mark as checked now (leasesMarkCheck): made again, with the time, when the collection was dropped by hand. */
  private async leasesMark(): Promise<LeasesMark | null> {
    const { filter, update, options } = leasesMarkCheck();
    const marks = this.db.collection<LeasesMark>(LEASES);
    // Read first: a mark that is there and records no remaking holds nothing back, and needs no write to the one document every
    // instance shares (leasesMarkSettled); only a missing or remade one is checked on the server's clock, which writes.
    const found = await marks.findOne(filter);
    if (leasesMarkSettled(found)) return found;
    try {
      return await marks.findOneAndUpdate(filter, update, options);
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      return marks.findOneAndUpdate(filter, update, options); // two made it again at once: the other's stands, read it
    }
  }

  override async leasesRemadeAt(): Promise<Date | null> {
    // Missing, the mark this store made when it connected went with the collection: the check makes it again, with the time.
    const mark = (await this.db.collection<LeasesMark>(LEASES).findOne({ _id: LEASES_MARK })) ?? (await this.leasesMark());
    const remadeAt = timeOf(mark?.remadeAt);
    return remadeAt === undefined ? null : new Date(remadeAt);
  }

  override async leaseHolder(name: string): Promise<string | null> {
    // Running on the server's clock, as acquireLease decides it ($expr is fine in a plain query).
    const lease = await this.db.collection<{ _id: string; holder: string; expiresAt: Date }>(LEASES).findOne(runningLease(name), { projection: { holder: 1 } });
    return lease?.holder ?? null;
  }

  override async releaseLease(name: string, holder: string): Promise<void> {
    this.granted.released(name, holder);
    await this.db.collection<{ _id: string; holder: string }>(LEASES).deleteOne({ _id: name, holder });
  }

  override async close(): Promise<void> {
    await this.client.close();
  }
}

/** A secret as this store writes it: CURSOR_KEY_BYTES (32) bytes in base64, 44 characters ending in one `=`. */
const STORED_SECRET = /^[A-Za-z0-9+/]{43}=$/;

/**
 * A secret of the deployment, read on the primary (a secondary may not have it yet), made by the first process that asks
 * (another one racing keeps the first one's) and kept as base64, or replaced when it is no secret this store writes (edited
 * by hand: another type, another length), only while it still is not, so a process that repaired it first keeps its key.
 * The writes are acknowledged by a majority so that a failover cannot roll one back and leave two instances with two keys.
 */
async function deploymentSecret(db: Db, name: string): Promise<Buffer> {
  const secrets = db.collection<{ _id: string; secret?: unknown }>(SECRETS);
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await secrets.findOne({ _id: name }, { readPreference: 'primary' });
    if (typeof found?.secret === 'string' && STORED_SECRET.test(found.secret)) return Buffer.from(found.secret, 'base64');
    const secret = newCursorKey().toString('base64');
    try {
      if (found === null) await secrets.updateOne({ _id: name }, { $setOnInsert: { secret } }, { upsert: true, writeConcern: { w: 'majority' } });
      else await secrets.updateOne({ _id: name, secret: { $not: STORED_SECRET } }, { $set: { secret } }, { writeConcern: { w: 'majority' } });
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error; // DuplicateKey: another process made it meanwhile; the next read finds theirs
    }
  }
  throw new Error(`${SECRETS}'s ${name} secret could not be made: it is changed again as soon as it is made`);
}
