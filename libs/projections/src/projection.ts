import type { RecordedEvent } from '@app/event-store';
import type { CollectionSpec, ReadDocument } from '@app/read-store';

/** What `ProjectionContext.add` starts a missing document from: the document, or a function that makes it. */
export type InitialDocument = ReadDocument | (() => ReadDocument);

/** The initial document itself (made now, if it was given as a function). */
export const initialOf = (initial: InitialDocument): ReadDocument => (typeof initial === 'function' ? initial() : initial);

/** A document a projection reads: its collection (logical name) and id. */
export type DocumentKey = readonly [collection: string, id: string];

/**
 * What a projection may do while applying one event, synchronously: read and write its own
 * collections. Documents are read from memory: the runner loads, once per batch and in one read per
 * collection, the documents `reads` names, and keeps what the batch wrote. A document that is not
 * in memory makes `get` throw DocumentNotLoaded; the runner then undoes what this event wrote, loads
 * it and applies the event again, so a projection may read a document whose id it only learns from
 * another one (a customer from a complaint) at the price of one extra read. Documents read with `get`
 * are shared with the runner: never change one in place; write a new one with `put`, or take it with `change`.
 */
export interface ProjectionContext {
  get<T extends ReadDocument>(collection: string, id: string): T | undefined;
  /**
   * The document to change in place (docs/adr/0011, tenth step), or undefined if there is none: what it
   * holds when the batch commits is written. For per-complaint records changed on every event, instead of a
   * new document per event. The projection must own every part of what it changes and of what it puts
   * into it (no constants shared with other documents), and an event that changes a document in place
   * must not then read one that is not loaded (name it in `reads`): such an event cannot be undone and
   * applied again, and the projection is set aside.
   */
  change<T extends ReadDocument>(collection: string, id: string): T | undefined;
  put(collection: string, document: ReadDocument): void;
  delete(collection: string, id: string): void;
  /**
   * Adds whole numbers to numeric fields of a document without reading it (counters, histograms):
   * `amounts` maps dotted paths to what to add. A missing document starts as `initial`; a missing
   * field starts at 0. A field that reaches 0 and is not in `initial` is removed, and every object
   * whose keys change keeps them sorted, so the document is the same whatever the batches were.
   * The runner sums the amounts of a batch and writes each document once. `initial` may be a function
   * that makes it: called once per document and batch, when the document first gets amounts, instead
   * of an object built on every event (docs/adr/0011, eighth step).
   */
  add(collection: string, id: string, initial: InitialDocument, amounts: Readonly<Record<string, number>>): void;
}

/**
 * A read model's builder. Pure with respect to time: every time it stores comes from the events,
 * never from the clock, so a rebuild writes the same documents byte for byte. Changing what it
 * writes is a new `version`, built into a new generation beside the live one. `apply` is
 * synchronous: no projection waits on anything per event.
 */
export interface Projection {
  readonly name: string;
  readonly version: number;
  /** Logical collection names and their indexes. */
  readonly collections: readonly CollectionSpec[];
  /** The documents `apply(event)` will read: loaded for the whole batch before it is applied. */
  reads?(event: RecordedEvent): readonly DocumentKey[];
  apply(event: RecordedEvent, context: ProjectionContext): void;
}

/** Thrown by `ProjectionContext.get` for a document not in memory: the runner loads it and applies the event again. */
export class DocumentNotLoaded extends Error {
  constructor(readonly collection: string, readonly id: string) {
    super(`document ${id} of ${collection} was read without being loaded first (a projection's reads() should name it)`);
  }
}

/**
 * A projection's own code threw (its `reads`, its `apply`, what it added) or it wrote a document the
 * store refuses: a fault of that projection, not of the stores. The runner sets that projection
 * aside and lets the others go on; any other error is the stores' and pauses them all.
 */
export class ProjectionFault extends Error {
  constructor(readonly fault: unknown, readonly event?: RecordedEvent) {
    super(fault instanceof Error ? fault.message : String(fault));
    this.name = 'ProjectionFault';
  }
}

export const generationOf = (projection: Pick<Projection, 'name' | 'version'>): string => `${projection.name.replace(/[^A-Za-z0-9]/g, '_')}_v${projection.version}`;
