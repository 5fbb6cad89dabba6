import { generationCollection, type DocumentChange, type ReadDocument, type ReadStore } from '@app/read-store';
import { addInPlace, ownedCopy } from './amounts';
import { DocumentNotLoaded, ProjectionFault, initialOf, type DocumentKey, type InitialDocument, type ProjectionContext } from './projection';

interface PendingAdd {
  readonly collection: string;
  readonly id: string;
  readonly initial: ReadDocument;
  readonly amounts: Map<string, number>;
}

/** In `before`: the batch changed the committed document in place; undone by forgetting it (the store still holds it). */
const IN_PLACE = Symbol('changed in place');
/** Keys an event's journal is searched along before a Set of them is made. */
const JOURNAL_SCAN = 32;
type Before = ReadDocument | null | undefined | typeof IN_PLACE;

/**
 * A document's key: one object per document while the projection's map knows it (`ProjectionDocuments.keyOf`),
 * so the maps look it up by identity. A key built as text per call (`collection + NUL + id`) was a new string to
 * flatten and hash on every read and write of every event (docs/adr/0011, eighteenth step).
 */
interface Key {
  readonly collection: string;
  readonly id: string;
}

/**
 * The changes of one batch of one projection, in memory. Documents live in one map per projection
 * (`ProjectionDocuments`), kept across batches: what the store holds and what this batch wrote are the
 * same entries, so nothing is copied from a committed cache into a batch's view. Documents are loaded
 * once (one read per collection), writes committed with the checkpoint in one call; nothing reaches the
 * store before commit. Each event's writes can be undone (`begin`/`rollback`), which is how a read of a
 * document that was not loaded is retried after loading it; each batch's writes can be undone
 * (`abandon`) when its commit fails, so the documents stay what the store holds.
 *
 * Ownership (docs/adr/0011, ninth step): a document in the map is never mutated in place, by the
 * projection or by the runtime, once it is there. A write replaces the entry with a new object; the
 * batch keeps the replaced reference once per document (`before`), which is both its dirty mark and
 * its undo. Two exceptions change a document in place (tenth step): a projection's `change`, and the
 * amounts of a batch added to a document the runtime owns wholly (parsed from the store, or its own
 * copy). The store holds the committed document, so such a change is undone by forgetting the
 * document (`IN_PLACE` in `before`): the next batch that needs it loads it again.
 */
export class UnitOfWork implements ProjectionContext {
  private readonly documents: Map<Key, ReadDocument | null>;
  private readonly owned: Map<Key, boolean>;
  /**
   * Per key this batch wrote, in the order first written: what the map held before the batch
   * (undefined = not there). Its keys are the batch's dirty keys.
   */
  private readonly before = new Map<Key, Before>();
  /** Amounts added to documents that were not loaded: summed, applied once when the batch commits. */
  private readonly adds = new Map<Key, PendingAdd>();
  /**
   * The undo journal of the event in progress (undefined outside one): per key first written in it,
   * three slots (key, what the map held, whether the batch had written it before the event); and per
   * amount added to a pending document, the document and the amounts, subtracted again on rollback.
   */
  private journal: unknown[] | undefined;
  private readonly journalBuffer: unknown[] = [];
  /**
   * The slots of journalBuffer and addJournal the event in progress uses. The arrays are kept, never cut to
   * length 0: V8 gives an array cut to 0 a new backing store at its next push, one per event (eighteenth step).
   */
  private journalLength = 0;
  private addJournalLength = 0;
  /** The keys of a long journal (an event that wrote more than JOURNAL_SCAN documents), made only then. */
  private journalKeys: Set<Key> | undefined;
  private readonly addJournal: Array<PendingAdd | Readonly<Record<string, number>>> = [];
  private readonly createdAdds: Key[] = [];
  private readonly removedAdds: Array<Key | PendingAdd> = [];
  /** The first document the event in progress took with `change`: its changes cannot be undone by `rollback`. */
  private changedInEvent: Key | undefined;
  /** The generation's name of each collection written (`generationCollection`), made once per unit. */
  private readonly storedNames = new Map<string, string>();

  /**
   * `state` holds the projection's documents as the store has them plus this unit's writes (shared
   * across batches by one runner, the only writer of its generation; one unit at a time).
   */
  constructor(
    private readonly store: ReadStore,
    private readonly generation: string,
    private readonly state: ProjectionDocuments = new ProjectionDocuments(0),
  ) {
    this.documents = state.documents;
    this.owned = state.owned;
  }

  /** Loads what is not in memory (the first `count` keys): one read per collection. */
  async load(keys: readonly DocumentKey[], count = keys.length): Promise<void> {
    const wanted = new Map<string, Set<string>>();
    for (let index = 0; index < count; index += 1) {
      const [collection, id] = keys[index]!;
      if (this.documents.has(this.state.keyOf(collection, id))) continue;
      let ids = wanted.get(collection);
      if (!ids) wanted.set(collection, (ids = new Set()));
      ids.add(id);
    }
    for (const [collection, ids] of wanted) {
      const found = await this.store.getMany(generationCollection(this.generation, collection), [...ids]);
      for (const id of ids) {
        const key = this.state.keyOf(collection, id);
        if (this.documents.has(key)) continue;
        const document = found.get(id) ?? null;
        // Parsed by the store for this map alone: the runtime's own, to add amounts to in place (its keys' order not yet looked at).
        if (document !== null) this.owned.set(key, false);
        this.documents.set(key, document);
      }
    }
  }

  /** Starts an event: its writes can be undone until `end`. */
  begin(): void {
    this.journalLength = 0;
    if (this.journalKeys?.size) this.journalKeys.clear();
    this.journal = this.journalBuffer;
    this.addJournalLength = 0;
    this.createdAdds.length = 0;
    this.removedAdds.length = 0;
    this.changedInEvent = undefined;
  }

  end(): void {
    this.journal = undefined;
  }

  /**
   * The document the event in progress changed in place (`change`), as `collection id`; undefined if none.
   * Such an event cannot be undone: the runner sets the projection aside instead of applying it again.
   */
  get changedInPlace(): string | undefined {
    return this.changedInEvent === undefined ? undefined : `${this.changedInEvent.collection} ${this.changedInEvent.id}`;
  }

  /** Undoes the writes of the event in progress (not what it changed in place: see changedInPlace). */
  rollback(): void {
    const journal = this.journal ?? [];
    for (let index = this.addJournalLength - 2; index >= 0; index -= 2) {
      const pending = this.addJournal[index] as PendingAdd;
      for (const [path, amount] of Object.entries(this.addJournal[index + 1] as Record<string, number>)) pending.amounts.set(path, pending.amounts.get(path)! - amount);
    }
    for (let index = 0; index < this.removedAdds.length; index += 2) this.adds.set(this.removedAdds[index] as Key, this.removedAdds[index + 1] as PendingAdd);
    for (const key of this.createdAdds) this.adds.delete(key);
    for (let index = (this.journal ? this.journalLength : 0) - 3; index >= 0; index -= 3) {
      const key = journal[index] as Key;
      const previous = journal[index + 1] as ReadDocument | null | undefined;
      if (!journal[index + 2]) this.before.delete(key);
      if (previous === undefined) this.documents.delete(key);
      else this.documents.set(key, previous);
      // Whether the runtime owned what is put back is not known here: it is copied before it is added to.
      this.owned.delete(key);
    }
    this.journal = undefined;
  }

  get<T extends ReadDocument>(collection: string, id: string): T | undefined {
    const key = this.state.keyOf(collection, id);
    const document = this.documents.get(key);
    if (document === undefined) throw new DocumentNotLoaded(collection, id);
    if (this.adds.has(key)) return (this.materialise(key) ?? undefined) as T | undefined;
    return (document ?? undefined) as T | undefined;
  }

  change<T extends ReadDocument>(collection: string, id: string): T | undefined {
    const key = this.state.keyOf(collection, id);
    let document = this.documents.get(key);
    if (document === undefined) throw new DocumentNotLoaded(collection, id);
    if (this.adds.has(key)) document = this.materialise(key);
    if (document === null) return undefined;
    // The projection may now put anything into it (constants too): no longer the runtime's alone.
    this.owned.delete(key);
    if (!this.before.has(key)) this.before.set(key, IN_PLACE);
    if (this.journal) this.changedInEvent ??= key;
    return document as T;
  }

  put(collection: string, document: ReadDocument): void {
    const key = this.state.keyOf(collection, document.id);
    if (this.adds.has(key)) this.takeAdds(key);
    this.write(key, document);
  }

  delete(collection: string, id: string): void {
    const key = this.state.keyOf(collection, id);
    if (this.adds.has(key)) this.takeAdds(key);
    this.write(key, null);
  }

  add(collection: string, id: string, initial: InitialDocument, amounts: Readonly<Record<string, number>>): void {
    const key = this.state.keyOf(collection, id);
    // Only summed here, whether the document is in memory or not: it is built once, when read or committed.
    let pending = this.adds.get(key);
    if (!pending) {
      this.adds.set(key, (pending = { collection, id, initial: initialOf(initial), amounts: new Map() }));
      if (this.journal) this.createdAdds.push(key);
    }
    for (const path in amounts) pending.amounts.set(path, (pending.amounts.get(path) ?? 0) + amounts[path]!);
    if (this.journal) {
      this.addJournal[this.addJournalLength++] = pending;
      this.addJournal[this.addJournalLength++] = amounts;
    }
  }

  /** Takes a document's pending amounts out (a put, a delete or a read replaces them); a rollback puts them back. */
  private takeAdds(key: Key): PendingAdd {
    const pending = this.adds.get(key)!;
    this.adds.delete(key);
    if (this.journal) this.removedAdds.push(key, pending);
    return pending;
  }

  /** Loads the documents that amounts were added to without being read, and applies the sums. */
  async settle(): Promise<void> {
    if (this.adds.size === 0) return;
    await this.load([...this.adds.values()].map((pending) => [pending.collection, pending.id] as const));
    try {
      for (const key of [...this.adds.keys()]) this.materialise(key);
    } catch (error) {
      // What the projection added cannot be applied: its fault, not the store's.
      throw new ProjectionFault(error);
    }
  }

  /** What this batch writes; `settle` first. */
  changes(): DocumentChange[] {
    if (this.adds.size > 0) throw new Error('changes() before settle(): amounts are still pending');
    const changes: DocumentChange[] = [];
    for (const key of this.before.keys()) {
      const document = this.documents.get(key) ?? null;
      let collection = this.storedNames.get(key.collection);
      if (collection === undefined) this.storedNames.set(key.collection, (collection = generationCollection(this.generation, key.collection)));
      changes.push(document === null ? { kind: 'delete', collection, id: key.id } : { kind: 'put', collection, document });
    }
    return changes;
  }

  /** After a successful commit: what this unit wrote is now what the store holds. */
  committedTo(): void {
    this.state.committed(this.before.keys());
    this.before.clear();
  }

  /**
   * After a failed commit (or instead of one): the batch's writes are undone, so the documents are
   * again what the store holds. The unit is not used after this.
   */
  abandon(): void {
    for (const [key, previous] of this.before) {
      if (previous === undefined || previous === IN_PLACE) this.documents.delete(key);
      else this.documents.set(key, previous);
      this.owned.delete(key);
    }
    this.before.clear();
    this.adds.clear();
    this.journal = undefined;
    this.changedInEvent = undefined;
  }

  /** Replaces a document: the first write of a key in the batch keeps what it replaced, the first in an event what undoes it. */
  private write(key: Key, document: ReadDocument | null): void {
    const journal = this.journal;
    // A write of a key already in the event's journal keeps the first undo. An event writes a few keys: a look
    // along its journal, not a Set cleared per event (each clear made the Set a new table; eighteenth step).
    if (journal && !this.inJournal(journal, key)) {
      journal[this.journalLength++] = key;
      journal[this.journalLength++] = this.documents.get(key);
      journal[this.journalLength++] = this.before.has(key);
    }
    if (!this.before.has(key)) this.before.set(key, this.documents.get(key));
    this.documents.set(key, document);
    this.owned.delete(key);
  }

  /** Whether the event's journal (three slots per key, the key first) holds the key; past JOURNAL_SCAN keys, a Set of them. */
  private inJournal(journal: readonly unknown[], key: Key): boolean {
    const length = this.journalLength;
    if (length < JOURNAL_SCAN * 3) {
      for (let index = 0; index < length; index += 3) if (journal[index] === key) return true;
      return false;
    }
    const keys = (this.journalKeys ??= new Set());
    if (keys.size === 0) for (let index = 0; index < length; index += 3) keys.add(journal[index] as Key);
    if (keys.has(key)) return true;
    // The caller journals it now.
    keys.add(key);
    return false;
  }

  /**
   * Applies a document's pending amounts. Outside an event (when the batch settles), a document the
   * runtime owns is changed in place; otherwise, or inside an event (which a rollback must be able to
   * undo), the amounts go to a copy the runtime then owns: one copy per document and batch at most.
   */
  private materialise(key: Key): ReadDocument {
    const pending = this.takeAdds(key);
    const current = this.documents.get(key);
    const ordered = this.owned.get(key);
    if (this.journal === undefined && current && ordered !== undefined) {
      addInPlace(current, pending.initial, pending.amounts, ordered);
      // Every object of it is now in order: the next batch looks only at the objects it gives a key.
      this.owned.set(key, true);
      if (!this.before.has(key)) this.before.set(key, IN_PLACE);
      return current;
    }
    const document = ownedCopy(current ?? pending.initial) as ReadDocument;
    addInPlace(document, pending.initial, pending.amounts, true);
    this.write(key, document);
    this.owned.set(key, true);
    return document;
  }
}

/**
 * A projection's documents, one map across batches: what the store holds, plus the writes of the
 * batch in progress (which its unit of work can undo). Bounded between batches: after a commit, when
 * over capacity, it forgets the oldest documents (in the order loaded, the keys just committed
 * counting as the newest) until half full.
 */
export class ProjectionDocuments {
  readonly documents = new Map<Key, ReadDocument | null>();
  /**
   * The keys of the documents the runtime owns wholly (parsed from the store, or its own copies): amounts
   * are added to them in place. Keys, not a WeakSet of the documents (an entry per document loaded, which
   * the garbage collector must trace; docs/adr/0011, tenth step). The value: whether every object of the
   * document is known to have its keys in order (true once amounts were added to it, or for a copy made
   * in order); false for one as parsed from the store, which is put in order the first time (eleventh step).
   */
  readonly owned = new Map<Key, boolean>();
  /** The key object of each document named, by collection and id: a document keeps one key while it is known. */
  private readonly keys = new Map<string, Map<string, Key>>();
  private keyCount = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.documents.size;
  }

  /** The key of a document: the same object each time while the document is known (two look-ups by strings whose hashes are kept). */
  keyOf(collection: string, id: string): Key {
    let ids = this.keys.get(collection);
    if (ids === undefined) this.keys.set(collection, (ids = new Map()));
    let key = ids.get(id);
    if (key === undefined) {
      ids.set(id, (key = { collection, id }));
      this.keyCount += 1;
    }
    return key;
  }

  /** After a commit of these keys: bounds the map, keeping the keys just written. */
  committed(written: Iterable<Key>): void {
    if (this.documents.size <= this.capacity) {
      // Keys named but never kept (an event undone): dropped once they are as many as the documents.
      if (this.keyCount > 2 * this.documents.size + 1024) this.forgetKeysNotKept();
      return;
    }
    // Only when it must forget: the written keys move to the end, as the most recent.
    for (const key of written) {
      const document = this.documents.get(key);
      this.documents.delete(key);
      if (document !== undefined) this.documents.set(key, document);
    }
    let excess = this.documents.size - Math.floor(this.capacity / 2);
    for (const oldest of this.documents.keys()) {
      if (excess-- <= 0) break;
      this.documents.delete(oldest);
      this.owned.delete(oldest);
    }
    this.forgetKeysNotKept();
  }

  clear(): void {
    this.documents.clear();
    this.owned.clear();
    this.keys.clear();
    this.keyCount = 0;
  }

  /** Keeps the keys of the documents in the map only. */
  private forgetKeysNotKept(): void {
    this.keys.clear();
    this.keyCount = 0;
    for (const key of this.documents.keys()) {
      let ids = this.keys.get(key.collection);
      if (ids === undefined) this.keys.set(key.collection, (ids = new Map()));
      ids.set(key.id, key);
      this.keyCount += 1;
    }
  }
}
