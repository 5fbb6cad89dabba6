import type { ExpectedRevision } from './event-store.port';

/** The stream is not at the revision the writer expected; nothing was written. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision, or 'no_stream' when it does not exist. */
    readonly actual: number | 'no_stream',
  ) {
    super(`Append to ${stream} expected ${String(expected)} but the stream is at ${String(actual)}.`);
  }
}

/** The stream does not exist: never written, or deleted by an operator on the server (see StreamDeletedError). */
export class StreamNotFoundError extends Error {
  constructor(readonly stream: string, message = `Stream ${stream} does not exist.`) {
    super(message);
  }
}

/**
 * The stream was hard-deleted (tombstoned) by an operator on the server: it reads as not found — this
 * is a StreamNotFoundError — and an append to it is refused with this error, for ever. The port
 * itself deletes nothing; a store without deletion (SQLite) never throws it.
 */
export class StreamDeletedError extends StreamNotFoundError {
  constructor(stream: string) {
    super(stream, `Stream ${stream} was deleted on the event store server and can never be written again.`);
  }
}

/** The append itself is malformed (no events, duplicate or non-UUID ids, reserved types or metadata keys, an event over MAX_EVENT_BYTES). */
export class InvalidAppendError extends Error {}

/**
 * A stored event cannot be read back (its JSON text is damaged): the store's file was edited or
 * broken outside the store. Nothing reads past it until it is restored from a backup.
 */
export class UnreadableEventError extends Error {
  constructor(readonly position: number, readonly stream: string, readonly revision: number) {
    super(`The stored event at position ${position} (${stream} revision ${revision}) is not readable JSON: the event store's file was damaged or edited outside it. Restore it from a backup; \`complaint-desk verify\` then checks the rest.`);
  }
}

/** The store cannot take writes right now (disk full, I/O error, closed); retrying later may work. */
export class EventStoreUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}
