import type { RecordedEvent } from '@app/event-store';
import type { CollectionSpec, ReadDocument } from '@app/read-store';

/** What a projection may do while applying one event: read and write its own collections. */
export interface ProjectionContext {
  get<T extends ReadDocument>(collection: string, id: string): Promise<T | undefined>;
  put(collection: string, document: ReadDocument): void;
  delete(collection: string, id: string): void;
}

/**
 * A read model's builder. Pure with respect to time: every time it stores comes from the events,
 * never from the clock, so a rebuild writes the same documents byte for byte. Changing what it
 * writes is a new `version`, built into a new generation beside the live one.
 */
export interface Projection {
  readonly name: string;
  readonly version: number;
  /** Logical collection names and their indexes. */
  readonly collections: readonly CollectionSpec[];
  apply(event: RecordedEvent, context: ProjectionContext): Promise<void>;
}

export const generationOf = (projection: Pick<Projection, 'name' | 'version'>): string => `${projection.name.replace(/[^A-Za-z0-9]/g, '_')}_v${projection.version}`;
