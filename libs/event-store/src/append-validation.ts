import { InvalidAppendError } from './event-store.errors';
import type { EventToAppend, ExpectedRevision, StreamAppend } from './event-store.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The largest event every store accepts, in bytes as KurrentDB counts them (eventSizeBytes). The
 * server refuses bigger ones with MaximumAppendEventSizeExceeded, which its Node client does not
 * know (it surfaces as an unknown error); its default `MaxAppendEventSize` is 16 MiB and an operator
 * may lower it. One limit on every store, checked before the engine is touched, means an event
 * that fits on the embedded store fits on the server too. 1 MiB is far above any event the API
 * writes (its request bodies are at most 64 KiB) and far below the server's default.
 */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** An event's data and metadata as the JSON text its size was measured on: the text the embedded log stores. */
export interface EventJson {
  readonly data: string;
  readonly metadata: string;
}

/**
 * An event's size as KurrentDB measures it before it writes (`Event.SizeOnDisk`): the bytes of its
 * data and metadata (UTF-8 JSON here) plus two bytes per UTF-16 unit of its type.
 */
export function eventSizeBytes(event: Pick<EventToAppend, 'type' | 'data' | 'metadata'>): number {
  return sizeOf(eventJson(event), event.type);
}

function eventJson(event: Pick<EventToAppend, 'data' | 'metadata'>): EventJson {
  return { data: jsonText(event.data, 'data'), metadata: jsonText(event.metadata ?? {}, 'metadata') };
}

function sizeOf(json: EventJson, type: string): number {
  return Buffer.byteLength(json.data, 'utf8') + Buffer.byteLength(json.metadata, 'utf8') + type.length * 2;
}

function jsonText(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new InvalidAppendError(`event ${what} must be JSON: ${(error as Error).message}`);
  }
  if (text === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidAppendError(`event ${what} must be a JSON object`);
  return text;
}

/**
 * Checks every adapter makes before it touches its engine, so all refuse the same appends. Returns
 * each event's JSON, made for its size check: a store that keeps JSON text stores it as it is
 * (one JSON.stringify per value and append, not two).
 */
export function validateAppend(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): EventJson[] {
  if (typeof stream !== 'string' || stream.length === 0 || stream.length > 200) throw new InvalidAppendError('stream name must be 1–200 characters');
  if (stream.startsWith('$')) throw new InvalidAppendError(`stream names starting with $ are reserved: ${stream}`);
  if (events.length === 0) throw new InvalidAppendError('an append needs at least one event');
  if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new InvalidAppendError(`expected revision must be a non-negative integer, any, no_stream or stream_exists: ${expected}`);
  }
  const ids = new Set<string>();
  const texts: EventJson[] = [];
  for (const event of events) {
    if (!UUID.test(event.eventId)) throw new InvalidAppendError(`event id must be a UUID: ${event.eventId}`);
    const id = event.eventId.toLowerCase();
    if (ids.has(id)) throw new InvalidAppendError(`duplicate event id in one append: ${event.eventId}`);
    ids.add(id);
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.startsWith('$')) {
      throw new InvalidAppendError(`event type must be non-empty and not start with $: ${event.type}`);
    }
    // KurrentDB gives metadata keys starting with $ a meaning of its own ($correlationId, $causationId).
    const reserved = Object.keys(event.metadata ?? {}).find((key) => key.startsWith('$'));
    if (reserved !== undefined) throw new InvalidAppendError(`metadata keys starting with $ are reserved: ${reserved}`);
    const json = eventJson(event);
    const size = sizeOf(json, event.type);
    if (size > MAX_EVENT_BYTES) throw new InvalidAppendError(`event ${event.eventId} is ${size} bytes; an event may be at most ${MAX_EVENT_BYTES} bytes (data and metadata as UTF-8 JSON, plus twice the type's length)`);
    texts.push(json);
  }
  return texts;
}

/** Whether a stream at `current` (-1 = absent) satisfies the expected revision. */
export function satisfiesExpected(expected: ExpectedRevision, current: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === -1;
    case 'stream_exists':
      return current >= 0;
    default:
      return current === expected;
  }
}

/** validateAppend for each stream of an atomic append to several, which names each stream once and each event id once; the JSON of each part's events. */
export function validateStreamAppends(appends: readonly StreamAppend[]): EventJson[][] {
  if (appends.length === 0) throw new InvalidAppendError('an append to several streams needs at least one stream');
  const streams = new Set<string>();
  const ids = new Set<string>();
  const texts: EventJson[][] = [];
  for (const { stream, events, expectedRevision } of appends) {
    texts.push(validateAppend(stream, events, expectedRevision ?? 'any'));
    if (streams.has(stream)) throw new InvalidAppendError(`stream ${stream} is named twice in one append: put its events in one part`);
    streams.add(stream);
    for (const event of events) {
      const id = event.eventId.toLowerCase();
      if (ids.has(id)) throw new InvalidAppendError(`duplicate event id in one append: ${event.eventId}`);
      ids.add(id);
    }
  }
  return texts;
}
