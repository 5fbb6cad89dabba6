import { InvalidAppendError } from './event-store.errors';
import type { EventToAppend, ExpectedRevision } from './event-store.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks every adapter makes before it touches its engine, so all refuse the same appends. */
export function validateAppend(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): void {
  if (typeof stream !== 'string' || stream.length === 0 || stream.length > 200) throw new InvalidAppendError('stream name must be 1–200 characters');
  if (stream.startsWith('$')) throw new InvalidAppendError(`stream names starting with $ are reserved: ${stream}`);
  if (events.length === 0) throw new InvalidAppendError('an append needs at least one event');
  if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new InvalidAppendError(`expected revision must be a non-negative integer, any, no_stream or stream_exists: ${expected}`);
  }
  const ids = new Set<string>();
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
  }
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
