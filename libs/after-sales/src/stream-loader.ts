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
  let state = fold.initialState;
  for (const recorded of events) state = fold.evolve(state, fold.upcast(recorded.type, recorded.data, () => recorded.metadata['schemaVersion']));
  return { state, revision: events.length > 0 ? events[events.length - 1]!.revision : -1, events };
}
