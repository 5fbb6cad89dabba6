import { generationCollection, type DocumentChange, type ReadDocument, type ReadStore } from '@app/read-store';
import type { ProjectionContext } from './projection';

/**
 * The changes of one batch: documents read once and kept, writes collected and committed with
 * the checkpoint in one call. Nothing reaches the store before commit.
 */
export class UnitOfWork implements ProjectionContext {
  private readonly cache = new Map<string, ReadDocument | null>();
  private readonly dirty = new Map<string, DocumentChange>();

  constructor(
    private readonly store: ReadStore,
    private readonly generation: string,
  ) {}

  async get<T extends ReadDocument>(collection: string, id: string): Promise<T | undefined> {
    const key = `${collection}\u0000${id}`;
    if (this.cache.has(key)) return (this.cache.get(key) ?? undefined) as T | undefined;
    const document = await this.store.get<T>(generationCollection(this.generation, collection), id);
    this.cache.set(key, document ?? null);
    return document;
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
