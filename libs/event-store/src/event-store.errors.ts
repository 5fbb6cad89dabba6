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

export class StreamNotFoundError extends Error {
  constructor(readonly stream: string) {
    super(`Stream ${stream} does not exist.`);
  }
}

/** The append itself is malformed (no events, duplicate or non-UUID ids, reserved types or metadata keys). */
export class InvalidAppendError extends Error {}

/** The store cannot take writes right now (disk full, I/O error, closed); retrying later may work. */
export class EventStoreUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}
