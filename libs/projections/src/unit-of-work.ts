import { generationCollection, type DocumentChange, type ReadDocument, type ReadStore } from '@app/read-store';
import type { ProjectionContext } from './projection';

/**
 * The changes of one batch: documents read once and kept, writes collected and committed with
 * the checkpoint in one call. Nothing reaches the store before commit.
 */
export class UnitOfWork implements ProjectionContext {
  private readonly cache = new Map<string, ReadDocument | null>();
  private readonly dirty = new Map<string, DocumentChange>();

  /**
   * `committed` holds documents as they are in the store (shared across batches by one runner,
   * the only writer of its generation); this unit's own writes stay here until it commits.
   */
  constructor(
    private readonly store: ReadStore,
    private readonly generation: string,
    private readonly committed: CommittedDocuments = new CommittedDocuments(0),
  ) {}

  async get<T extends ReadDocument>(collection: string, id: string): Promise<T | undefined> {
    const key = `${collection}\u0000${id}`;
    if (this.cache.has(key)) return (this.cache.get(key) ?? undefined) as T | undefined;
    let document = this.committed.get(key) as T | null | undefined;
    if (document === undefined) {
      document = (await this.store.get<T>(generationCollection(this.generation, collection), id)) ?? null;
      this.committed.set(key, document);
    }
    this.cache.set(key, document);
    return document ?? undefined;
  }

  /** After a successful commit: what this unit wrote is now what the store holds. */
  committedTo(): void {
    for (const [key, change] of this.dirty) this.committed.set(key, change.kind === 'put' ? change.document : null);
  }

  put(collection: string, document: ReadDocument): void {
    const key = `${collection}\u0000${document.id}`;
    this.cache.set(key, document);
    this.dirty.set(key, { kind: 'put', collection: generationCollection(this.generation, collection), document });
  }

  delete(collection: string, id: string): void {
    const key = `${collection}\u0000${id}`;
    this.cache.set(key, null);
    this.dirty.set(key, { kind: 'delete', collection: generationCollection(this.generation, collection), id });
  }

  changes(): DocumentChange[] {
    return [...this.dirty.values()];
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
