import type { LoadedStream } from '@app/complaints';
import { EventStore, StreamNotFoundError, type RecordedEvent } from '@app/event-store';

/** How one kind of aggregate folds its stored events: upcast each to its current schema, then evolve. */
export interface StreamFold<E, S> {
  readonly initialState: S;
  evolve(state: S, event: E): S;
  upcast(type: string, data: Record<string, unknown>, schemaVersion: () => unknown): E;
}

/** Reads a stream and folds it; a stream that does not exist is the initial state at revision -1. */
export async function loadStream<E, S>(eventStore: EventStore, stream: string, fold: StreamFold<E, S>): Promise<LoadedStream<S>> {
  let events: RecordedEvent[];
  try {
    events = await eventStore.readStream(stream);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return { state: fold.initialState, revision: -1, events: [] };
    throw error;
  }
  return { state: foldRecorded(fold, fold.initialState, events), revision: events.length > 0 ? events[events.length - 1]!.revision : -1, events };
}

/** A stream's state as last read: its revision and the id of its last event (-1 and null: no stream). */
export interface StreamHead<S> {
  readonly state: S;
  readonly revision: number;
  readonly lastEventId: string | null;
}

/**
 * The stream's state now, from a state read earlier: the events from its last one on are read and
 * those after it folded. When that last event is no longer the one read before (the stream was
 * deleted on the server, and perhaps written again: its revisions then go on from where they were),
 * the stream is read again from its start.
 */
export async function catchUpStream<E, S>(eventStore: EventStore, stream: string, fold: StreamFold<E, S>, from: StreamHead<S>): Promise<StreamHead<S>> {
  let events: RecordedEvent[] = [];
  if (from.lastEventId !== null) {
    try {
      events = await eventStore.readStream(stream, { fromRevision: from.revision });
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
  }
  if (events[0]?.eventId !== from.lastEventId) return headOf(await loadStream(eventStore, stream, fold));
  return events.length === 1 ? from : headOf({ state: foldRecorded(fold, from.state, events.slice(1)), events });
}

function headOf<S>({ state, events }: { readonly state: S; readonly events: readonly RecordedEvent[] }): StreamHead<S> {
  const last = events[events.length - 1];
  return { state, revision: last?.revision ?? -1, lastEventId: last?.eventId ?? null };
}

function foldRecorded<E, S>(fold: StreamFold<E, S>, initial: S, events: readonly RecordedEvent[]): S {
  let state = initial;
  for (const recorded of events) state = fold.evolve(state, fold.upcast(recorded.type, recorded.data, () => recorded.metadata['schemaVersion']));
  return state;
}
