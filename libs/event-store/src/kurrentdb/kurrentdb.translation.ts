import { EventStoreUnavailableError, InvalidAppendError, StreamDeletedError, StreamNotFoundError, WrongExpectedRevisionError } from '../event-store.errors';
import type { EventFilter, ExpectedRevision, RecordedEvent, StreamAppend } from '../event-store.port';

/**
 * What the KurrentDB adapter translates between the port and the client, kept free of the client
 * so it is unit-tested without a server (docs/adr/0008).
 */

/** A KurrentDB log position (the client's `Position`). */
export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export type StreamState = 'any' | 'no_stream' | 'stream_exists' | bigint;

export function toStreamState(expected: ExpectedRevision): StreamState {
  return typeof expected === 'number' ? BigInt(expected) : expected;
}

/**
 * The port's position of an event is its commit position. KurrentDB writes every event of an
 * append as its own committed record (commit = prepare), so positions are unique and increase
 * along $all. An event with commit ≠ prepare (an explicit transaction of the old TCP API) has no
 * single position: it is refused rather than given one that could skip or repeat it.
 */
export function toPortPosition(position: LogPosition | undefined, what: string): number {
  if (position === undefined) {
    throw new EventStoreUnavailableError(`KurrentDB returned no position for ${what}: EventStoreDB 22.10 or later (or KurrentDB) is required`);
  }
  if (position.commit !== position.prepare) {
    throw new EventStoreUnavailableError(`${what} has commit position ${position.commit} but prepare position ${position.prepare} (an explicit transaction): this adapter needs one position per event`);
  }
  if (position.commit > BigInt(Number.MAX_SAFE_INTEGER) || position.commit < 0n) {
    throw new EventStoreUnavailableError(`${what} has position ${position.commit}, beyond what the port's positions hold (2^53)`);
  }
  return Number(position.commit);
}

export function fromPortPosition(position: number): LogPosition {
  const value = BigInt(position);
  return { commit: value, prepare: value };
}

/**
 * Correlation and causation ids go under `$correlationId` / `$causationId`, the names the
 * server's own tooling (the UI, `$bc-` / `$by_correlation_id` projections) links by. The rename is
 * undone on read, so the stored metadata reads back exactly as appended (the hash chain covers it).
 */
const LINKED = [['correlationId', '$correlationId'], ['causationId', '$causationId']] as const;

export function toStoredMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const stored: Record<string, unknown> = { ...metadata };
  for (const [ours, theirs] of LINKED) {
    if (typeof stored[ours] === 'string') {
      stored[theirs] = stored[ours];
      delete stored[ours];
    }
  }
  return stored;
}

/**
 * The client's multiStreamAppend takes metadata as string values only (its properties): the
 * metadata goes as one JSON text under this key, beside the linked ids as plain strings for the
 * server's tooling, and reads back exactly as appended. The adapter reserves the key.
 */
export const METADATA_PROPERTY = 'complaint-desk.metadata';

export function toStoredProperties(metadata: Record<string, unknown>): Record<string, string> {
  const properties: Record<string, string> = { [METADATA_PROPERTY]: JSON.stringify(toStoredMetadata(metadata)) };
  for (const [, theirs] of LINKED) {
    const stored = toStoredMetadata(metadata)[theirs];
    if (typeof stored === 'string') properties[theirs] = stored;
  }
  return properties;
}

export function fromStoredMetadata(stored: unknown): Record<string, unknown> {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored) || stored instanceof Uint8Array) return {};
  const packed = (stored as Record<string, unknown>)[METADATA_PROPERTY];
  if (typeof packed === 'string') {
    try {
      return fromStoredMetadata(JSON.parse(packed));
    } catch {
      // Not ours after all: read as it stands.
    }
  }
  const metadata: Record<string, unknown> = { ...(stored as Record<string, unknown>) };
  for (const [ours, theirs] of LINKED) {
    if (typeof metadata[theirs] === 'string' && !(ours in metadata)) {
      metadata[ours] = metadata[theirs];
      delete metadata[theirs];
    }
  }
  return metadata;
}

/** A server-side filter in the client's terms: on event type or on stream name, by regex or prefixes. */
export interface ServerFilter {
  readonly on: 'eventType' | 'streamName';
  readonly regex?: string;
  readonly prefixes?: readonly string[];
}

export interface FilterPlan {
  /** What the server filters (it filters on one dimension only). */
  readonly server: ServerFilter;
  /** The whole port filter, checked again on each event the server sends. */
  readonly matches: (event: { readonly type: string; readonly stream: string }) => boolean;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/#\s-]/g, (char) => (/\s/.test(char) ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}` : `\\${char}`));

/**
 * The server filters one dimension; the rest is checked on the client. Event types are the
 * usual choice (also how `$` system events are excluded); stream prefixes alone go to the server
 * as a stream-name filter, so reading one stream family does not scan all of $all by type.
 */
export function planFilter(filter: EventFilter | undefined): FilterPlan {
  const types = filter?.eventTypes?.length ? filter.eventTypes : undefined;
  const typePrefixes = filter?.eventTypePrefixes?.length ? filter.eventTypePrefixes : undefined;
  const streamPrefixes = filter?.streamPrefixes?.length ? filter.streamPrefixes : undefined;
  const matches = (event: { readonly type: string; readonly stream: string }): boolean =>
    !event.type.startsWith('$')
    && (types === undefined || types.includes(event.type))
    && (typePrefixes === undefined || typePrefixes.some((prefix) => event.type.startsWith(prefix)))
    && (streamPrefixes === undefined || streamPrefixes.some((prefix) => event.stream.startsWith(prefix)));
  if (types !== undefined) {
    // Exact names that also satisfy the prefixes (an empty set matches nothing, as the port says).
    const wanted = types.filter((type) => !type.startsWith('$') && (typePrefixes === undefined || typePrefixes.some((prefix) => type.startsWith(prefix))));
    const regex = wanted.length === 0 ? '^(?!)' : `^(?:${wanted.map(escapeRegex).join('|')})$`;
    return { server: { on: 'eventType', regex }, matches };
  }
  if (typePrefixes !== undefined) {
    return { server: { on: 'eventType', regex: `^(?!\\$)(?:${typePrefixes.map(escapeRegex).join('|')})` }, matches };
  }
  if (streamPrefixes !== undefined) return { server: { on: 'streamName', prefixes: streamPrefixes }, matches };
  return { server: { on: 'eventType', regex: '^[^$]' }, matches };
}

/** The fields of a client record the port needs (the client's `RecordedEvent`). */
export interface ClientRecord {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly created: Date;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: LogPosition;
}

export function toRecordedEvent(record: ClientRecord): RecordedEvent {
  const data = record.isJson && record.data !== null && typeof record.data === 'object' && !Array.isArray(record.data)
    ? (record.data as Record<string, unknown>)
    // Not JSON (written by another tool): the port's data is an object, so the bytes are kept as base64.
    : { raw: Buffer.from(record.data instanceof Uint8Array ? record.data : String(record.data)).toString('base64') };
  return {
    eventId: record.id.toLowerCase(),
    stream: record.streamId,
    revision: Number(record.revision),
    position: toPortPosition(record.position, `event ${record.id} of ${record.streamId}`),
    type: record.type,
    data,
    metadata: fromStoredMetadata(record.metadata),
    recordedAt: record.created.toISOString(),
  };
}

/** The client's errors carry a `type` (its ErrorType); this maps them onto the port's errors. */
export interface ClientError {
  readonly type?: string;
  readonly message?: string;
  readonly actualState?: bigint | 'no_stream';
  /** The gRPC error the client wrapped, with the server's metadata (`exception` names the reason). */
  readonly _raw?: { readonly metadata?: { get?(key: string): unknown[] } };
}

/**
 * The server refuses an event over its MaxAppendEventSize with MaximumAppendEventSizeExceeded, which
 * client 1.x does not know: batchAppend reports "Could not recognize MaximumAppendEventSizeExceeded",
 * the v1 append an InvalidArgument whose metadata says `maximum-append-event-size-exceeded`.
 */
function isEventTooLarge(error: ClientError): boolean {
  const exception = (() => {
    try {
      return error._raw?.metadata?.get?.('exception')?.map(String) ?? [];
    } catch {
      return [];
    }
  })();
  return exception.includes('maximum-append-event-size-exceeded')
    || /MaximumAppendEventSizeExceeded|Maximum Append Event Size/.test(error.message ?? '');
}

const TRANSIENT = new Set(['unavailable', 'deadline-exceeded', 'not-leader', 'timeout', 'cancelled']);

/** Whether retrying the same call may succeed (the leader moved, the node restarted, a deadline passed). */
export function isTransient(error: unknown): boolean {
  return TRANSIENT.has((error as ClientError | undefined)?.type ?? '');
}

/** The port's error for a client error; one of the port's own errors (raised while mapping a result) passes as it is. */
export function translateError(error: unknown, context: { readonly stream?: string; readonly expected?: ExpectedRevision }): Error {
  if (error instanceof EventStoreUnavailableError || error instanceof InvalidAppendError || error instanceof WrongExpectedRevisionError || error instanceof StreamNotFoundError) return error;
  const clientError = (error ?? {}) as ClientError;
  const message = clientError.message ?? String(error);
  if (isEventTooLarge(clientError)) return new InvalidAppendError(`an event is larger than KurrentDB accepts (its MaxAppendEventSize): ${message}`);
  switch (clientError.type) {
    case 'wrong-expected-version': {
      const actual = clientError.actualState === undefined || clientError.actualState === 'no_stream' || clientError.actualState < 0n
        ? 'no_stream' as const
        : Number(clientError.actualState);
      return new WrongExpectedRevisionError(context.stream ?? '', context.expected ?? 'any', actual);
    }
    case 'stream-not-found':
      return new StreamNotFoundError(context.stream ?? '');
    // Hard-deleted (tombstoned): reads and appends alike. A soft-deleted stream reads as stream-not-found.
    case 'stream-deleted':
    case 'stream-tombstoned':
      return new StreamDeletedError(context.stream ?? '');
    case 'maximum-append-size-exceeded':
    case 'append-record-size-exceeded':
      return new InvalidAppendError(`the append is larger than KurrentDB accepts: ${message}`);
    case 'access-denied':
      return new EventStoreUnavailableError(`KurrentDB denied access (check the credentials in EVENTSTORE_URL): ${message}`, error);
    default:
      return new EventStoreUnavailableError(`KurrentDB: ${message}`, error);
  }
}

/**
 * A refused multiStreamAppend: a revision conflict names its stream (the port's error names it too,
 * with the expected revision that stream was given); a server older than 25.1 has no such call.
 */
export function translateMultiAppendError(error: unknown, appends: readonly StreamAppend[]): Error {
  const clientError = (error ?? {}) as ClientError & { readonly streamName?: string; readonly code?: number };
  const unimplemented = clientError.type === 'unsupported' || clientError.code === GRPC_UNIMPLEMENTED || /unimplemented/i.test(clientError.message ?? '');
  if (unimplemented) {
    return new EventStoreUnavailableError(`appending to several streams at once needs KurrentDB 25.1 or later, and this server does not support it (${clientError.message ?? String(error)}): upgrade the server`, error);
  }
  if (clientError.type === 'wrong-expected-version' && clientError.streamName !== undefined) {
    const part = appends.find((append) => append.stream === clientError.streamName);
    return translateError(error, { stream: clientError.streamName, expected: part?.expectedRevision ?? 'any' });
  }
  return translateError(error, {});
}

/** gRPC's status for a call the server does not have. */
const GRPC_UNIMPLEMENTED = 12;

/** `esdb://` is the older name of the same scheme; the client warns about it, so it is renamed. */
export function normaliseConnectionString(url: string): string {
  return url.replace(/^esdb(\+discover)?:\/\//, (_match, discover: string | undefined) => `kurrentdb${discover ?? ''}://`);
}
