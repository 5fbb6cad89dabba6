/**
 * Expected state of a stream for an optimistic append, as in EventStoreDB/KurrentDB:
 * any, no_stream (must not exist), stream_exists, or the exact current revision.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface EventToAppend {
  /** A UUID. Deterministic per command, so that a retry is recognised instead of written twice. */
  readonly eventId: string;
  readonly type: string;
  /** A JSON object. With the metadata and the type, at most MAX_EVENT_BYTES (append-validation.ts). */
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

export interface RecordedEvent {
  readonly eventId: string;
  readonly stream: string;
  /** 0-based position of the event in its stream. */
  readonly revision: number;
  /**
   * Position in the global log: strictly increasing, never reused, and opaque — ordered, not dense,
   * not a count (KurrentDB's are byte offsets of records in its log). Compare positions; never add
   * to or subtract from them. The only valid starts for a read are 0 and positions the store returned.
   */
  readonly position: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  /** When the store recorded it (the domain time is in data/metadata). */
  readonly recordedAt: string;
  /**
   * The event's link in the whole-log chain (`logLink` of @app/event-sourcing over the log in
   * global order, docs/adr/0010), where the store keeps one: the SQLite store writes it in the
   * append's transaction. A store that does not (KurrentDB: appends from many clients are ordered
   * by the server) leaves it out, and the chain is computed on read. When present, it must equal
   * that computation; the contract suite checks it.
   */
  readonly logHash?: string;
}

/** One stream's part of an atomic append to several streams (EventStore.appendToStreams). */
export interface StreamAppend {
  readonly stream: string;
  readonly events: readonly EventToAppend[];
  /** As for a single append; default any. */
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event of the append: the expected revision of the next one. */
  readonly nextRevision: number;
  /** Global position of the last event of the append. */
  readonly position: number;
  /**
   * True when the append was found stored (the same event ids at the same expected revision: a retry,
   * or the same command decided by another process that appended first) and nothing was written: the
   * events stored are that first append's, which may differ from the ones sent but for their ids.
   * Absent on a fresh append, and on every append of a store that cannot tell (EventStore.tellsStoredAppends).
   */
  readonly alreadyStored?: true;
}

export interface EventFilter {
  readonly eventTypes?: readonly string[];
  readonly eventTypePrefixes?: readonly string[];
  readonly streamPrefixes?: readonly string[];
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive start; defaults to the first (forwards) or last (backwards) event. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
  /**
   * Every event read from storage, never from a copy the adapter kept of an earlier read (the
   * embedded store keeps whole streams between reads, docs/adr/0003): for what verifies the stored
   * history (the audit's chain checks), which must see a row changed in the file behind the store.
   */
  readonly fromStorage?: boolean;
}

export interface ReadAllOptions {
  readonly direction?: 'forwards' | 'backwards';
  /**
   * Inclusive start position in either direction: the event at this position, if it passes the
   * filter, comes first. Defaults to the start (forwards) or the end (backwards). 0 or a position
   * the store returned; to page on, start at the last position read and skip that event
   * (`position + 1` is not a position).
   */
  readonly fromPosition?: number;
  readonly maxCount?: number;
  readonly filter?: EventFilter;
}

export interface SubscribeToAllOptions {
  /** Deliver the events after this position (exclusive): 0 or absent = from the start, else a position the store returned. */
  readonly fromPosition?: number;
  readonly filter?: EventFilter;
}

export type SubscriptionMessage =
  | { readonly kind: 'event'; readonly event: RecordedEvent }
  /** Emitted once, when the subscription has delivered everything that was stored when it started to wait. */
  | { readonly kind: 'caught-up'; readonly position: number };

export interface AllSubscription extends AsyncIterable<SubscriptionMessage> {
  close(): Promise<void>;
}

/**
 * The event store port. Every adapter passes `describeEventStoreContract`.
 * - Streams: revisions start at 0; an append is atomic and checked against the expected revision,
 *   also one to several streams at once (appendToStreams).
 * - Global log: one total order; positions only increase and are never reused. They are opaque:
 *   ordered, not dense (see RecordedEvent.position); count events by reading them.
 * - Event types starting with `$` are reserved for the store and are never returned by readAll or
 *   subscribeToAll; so are metadata keys starting with `$` (KurrentDB's `$correlationId`, …). On
 *   KurrentDB that includes the `$>` link events the server's projections write.
 * - Size: an event is at most MAX_EVENT_BYTES on every store; a bigger one is an InvalidAppendError.
 * - Deletion: the port deletes nothing. A stream an operator deleted on the server reads as not
 *   found (StreamNotFoundError). Soft-deleted (KurrentDB `deleteStream`), it can be written again —
 *   no_stream and any succeed, stream_exists is a WrongExpectedRevisionError — and its revisions
 *   continue after the last deleted one (N, not 0): readStream then returns the events from N on. Hard-deleted (tombstoned), every read throws
 *   StreamDeletedError (a StreamNotFoundError) and every append throws it too. The embedded store
 *   has no deletion, so it never shows either.
 */
export abstract class EventStore {
  /**
   * Whether an append's result says when its events were found stored (AppendResult.alreadyStored).
   * The embedded store tells; KurrentDB answers a stored append as it answers a fresh one, so it cannot.
   */
  get tellsStoredAppends(): boolean {
    return false;
  }

  /**
   * Appends events atomically. Throws WrongExpectedRevisionError (nothing written) when the stream
   * is not in the expected state. Re-sending the same event ids at the same expected revision
   * returns the original result and writes nothing; a partial overlap is a WrongExpectedRevisionError.
   * A malformed append (validateAppend: ids, reserved names, an event over MAX_EVENT_BYTES) throws
   * InvalidAppendError before the engine is touched; a stream tombstoned on the server,
   * StreamDeletedError. On success the events are durable (on disk, per the adapter's durability setting).
   */
  abstract append(stream: string, events: readonly EventToAppend[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult>;

  /**
   * Appends to several streams at once, all or nothing, each stream checked against its own
   * expected revision: when one is not in its expected state, WrongExpectedRevisionError names that
   * stream and nothing is written on any. Every event gets its own place in the global log, the
   * streams' parts in the order given, so the whole-log chain links them like any other events.
   * Idempotent as a whole: re-sending the same event ids at the same expected revisions returns the
   * original results and writes nothing. An append some of whose streams hold its events already
   * while others do not is no retry (the original was atomic) but another append under the same ids:
   * a WrongExpectedRevisionError naming a stream that holds them, nothing written (KurrentDB's
   * multi-stream append answers the same). Validated as `append` is, per stream;
   * a stream named twice, or an event id used twice across the streams, is an InvalidAppendError.
   * Returns one result per stream, in the order given. On KurrentDB it needs a server that appends
   * to several streams at once (25.1 or later); an older one answers EventStoreUnavailableError.
   */
  abstract appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]>;

  /**
   * Events of one stream in revision order. Throws StreamNotFoundError when it does not exist or was
   * deleted on the server (StreamDeletedError, a subclass, when it was tombstoned).
   */
  abstract readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Events of all streams in global order (backwards: in reverse order), from an inclusive position. */
  abstract readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /**
   * Catch-up subscription: the stored events after `fromPosition`, then `caught-up`, then new
   * events as they are appended — in global order, with no gap and no duplicate.
   */
  abstract subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;

  /**
   * Position of the last event in the global log, 0 when the log is empty. A position, not a count:
   * `head − position` is not a number of events on every store.
   */
  abstract headPosition(): Promise<number>;

  abstract close(): Promise<void>;
}
