import { generationCollection, type DocumentChange, type ReadDocument, type ReadStore } from '@app/read-store';
import { withAmounts } from './amounts';
import { DocumentNotLoaded, ProjectionFault, initialOf, type DocumentKey, type InitialDocument, type ProjectionContext } from './projection';

interface PendingAdd {
  readonly collection: string;
  readonly id: string;
  readonly initial: ReadDocument;
  readonly amounts: Map<string, number>;
}

const keyOf = (collection: string, id: string): string => `${collection}\u0000${id}`;

/**
 * The changes of one batch of one projection, in memory: documents loaded once per batch (one read
 * per collection) and kept, writes collected and committed with the checkpoint in one call. Nothing
 * reaches the store before commit. Each event's writes can be undone (`begin`/`rollback`), which is
 * how a read of a document that was not loaded is retried after loading it.
 */
export class UnitOfWork implements ProjectionContext {
  /** Documents as this batch sees them: loaded, or written by it; null = known not to exist. */
  private readonly view = new Map<string, ReadDocument | null>();
  private readonly dirty = new Map<string, { readonly collection: string; readonly id: string }>();
  /** Amounts added to documents that were not loaded: summed, applied once when the batch commits. */
  private readonly adds = new Map<string, PendingAdd>();
  /**
   * The undo journal of the event in progress (undefined outside one): per key first written in it,
   * four slots (key, whether the view had it, the view's value, its dirty entry); and per amount
   * added to a pending document, the document and the amounts, subtracted again on rollback.
   */
  private journal: unknown[] | undefined;
  private readonly journalBuffer: unknown[] = [];
  /** The keys in the journal of the event in progress: a write of a key already there keeps the first undo. */
  private readonly remembered = new Set<string>();
  private readonly addJournal: Array<PendingAdd | Readonly<Record<string, number>>> = [];
  private readonly createdAdds: string[] = [];
  private readonly removedAdds: Array<string | PendingAdd> = [];

  /**
   * `committed` holds documents as they are in the store (shared across batches by one runner,
   * the only writer of its generation); this unit's own writes stay here until it commits.
   */
  constructor(
    private readonly store: ReadStore,
    private readonly generation: string,
    private readonly committed: CommittedDocuments = new CommittedDocuments(0),
  ) {}

  /** Loads what is neither in this batch's memory nor in the committed documents: one read per collection. */
  async load(keys: Iterable<DocumentKey>): Promise<void> {
    const wanted = new Map<string, Set<string>>();
    for (const [collection, id] of keys) {
      const key = keyOf(collection, id);
      if (this.view.has(key)) continue;
      const known = this.committed.get(key);
      if (known !== undefined) {
        this.view.set(key, known);
        continue;
      }
      let ids = wanted.get(collection);
      if (!ids) wanted.set(collection, (ids = new Set()));
      ids.add(id);
    }
    for (const [collection, ids] of wanted) {
      const found = await this.store.getMany(generationCollection(this.generation, collection), [...ids]);
      for (const id of ids) {
        const document = found.get(id) ?? null;
        const key = keyOf(collection, id);
        this.committed.set(key, document);
        if (!this.view.has(key)) this.view.set(key, document);
      }
    }
  }

  /** Starts an event: its writes can be undone until `end`. */
  begin(): void {
    this.journalBuffer.length = 0;
    this.remembered.clear();
    this.journal = this.journalBuffer;
    this.addJournal.length = 0;
    this.createdAdds.length = 0;
    this.removedAdds.length = 0;
  }

  end(): void {
    this.journal = undefined;
  }

  /** Undoes the writes of the event in progress. */
  rollback(): void {
    const journal = this.journal ?? [];
    for (let index = this.addJournal.length - 2; index >= 0; index -= 2) {
      const pending = this.addJournal[index] as PendingAdd;
      for (const [path, amount] of Object.entries(this.addJournal[index + 1] as Record<string, number>)) pending.amounts.set(path, pending.amounts.get(path)! - amount);
    }
    for (let index = 0; index < this.removedAdds.length; index += 2) this.adds.set(this.removedAdds[index] as string, this.removedAdds[index + 1] as PendingAdd);
    for (const key of this.createdAdds) this.adds.delete(key);
    for (let index = journal.length - 4; index >= 0; index -= 4) {
      const key = journal[index] as string;
      if (journal[index + 1]) this.view.set(key, journal[index + 2] as ReadDocument | null);
      else this.view.delete(key);
      const dirty = journal[index + 3] as { collection: string; id: string } | undefined;
      if (dirty) this.dirty.set(key, dirty);
      else this.dirty.delete(key);
    }
    this.journal = undefined;
  }

  get<T extends ReadDocument>(collection: string, id: string): T | undefined {
    const key = keyOf(collection, id);
    if (this.adds.has(key)) {
      if (!this.view.has(key)) {
        const known = this.committed.get(key);
        if (known === undefined) throw new DocumentNotLoaded(collection, id);
        this.view.set(key, known);
      }
      this.remember(key);
      this.materialise(key);
    }
    const document = this.view.get(key);
    if (document !== undefined) return (document ?? undefined) as T | undefined;
    const known = this.committed.get(key);
    if (known === undefined) throw new DocumentNotLoaded(collection, id);
    this.view.set(key, known);
    return (known ?? undefined) as T | undefined;
  }

  put(collection: string, document: ReadDocument): void {
    const key = keyOf(collection, document.id);
    this.remember(key);
    if (this.adds.has(key)) this.takeAdds(key);
    this.view.set(key, document);
    this.dirty.set(key, { collection, id: document.id });
  }

  delete(collection: string, id: string): void {
    const key = keyOf(collection, id);
    this.remember(key);
    if (this.adds.has(key)) this.takeAdds(key);
    this.view.set(key, null);
    this.dirty.set(key, { collection, id });
  }

  add(collection: string, id: string, initial: InitialDocument, amounts: Readonly<Record<string, number>>): void {
    const key = keyOf(collection, id);
    // Only summed here, whether the document is in memory or not: it is built once, when read or committed.
    let pending = this.adds.get(key);
    if (!pending) {
      this.adds.set(key, (pending = { collection, id, initial: initialOf(initial), amounts: new Map() }));
      if (this.journal) this.createdAdds.push(key);
    }
    for (const path in amounts) pending.amounts.set(path, (pending.amounts.get(path) ?? 0) + amounts[path]!);
    if (this.journal) this.addJournal.push(pending, amounts);
  }

  /** Takes a document's pending amounts out (a put, a delete or a read replaces them); a rollback puts them back. */
  private takeAdds(key: string): PendingAdd {
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
    return [...this.dirty.entries()].map(([key, { collection, id }]) => {
      const document = this.view.get(key) ?? null;
      return document === null
        ? { kind: 'delete', collection: generationCollection(this.generation, collection), id }
        : { kind: 'put', collection: generationCollection(this.generation, collection), document };
    });
  }

  /** After a successful commit: what this unit wrote is now what the store holds. */
  committedTo(): void {
    for (const key of this.dirty.keys()) this.committed.set(key, this.view.get(key) ?? null);
  }

  private materialise(key: string): void {
    const pending = this.takeAdds(key);
    this.view.set(key, withAmounts(this.view.get(key) ?? pending.initial, pending.initial, pending.amounts));
    this.dirty.set(key, { collection: pending.collection, id: pending.id });
  }

  /** The first write of a key within an event keeps what is needed to undo it. */
  private remember(key: string): void {
    const journal = this.journal;
    if (!journal) return;
    if (this.remembered.has(key)) return;
    this.remembered.add(key);
    const hadView = this.view.has(key);
    journal.push(key, hadView, hadView ? this.view.get(key) : undefined, this.dirty.get(key));
  }
}

/** A bounded map of committed documents; when full it forgets the oldest half. */
export class CommittedDocuments {
  private readonly documents = new Map<string, ReadDocument | null>();

  constructor(private readonly capacity: number) {}

  get(key: string): ReadDocument | null | undefined {
    return this.documents.get(key);
  }

  set(key: string, document: ReadDocument | null): void {
    if (this.capacity <= 0) return;
    this.documents.delete(key);
    this.documents.set(key, document);
    if (this.documents.size > this.capacity) {
      let excess = Math.floor(this.capacity / 2);
      for (const oldest of this.documents.keys()) {
        if (excess-- <= 0) break;
        this.documents.delete(oldest);
      }
    }
  }

  clear(): void {
    this.documents.clear();
  }
}
