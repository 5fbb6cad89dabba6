import { hash } from 'node:crypto';

/**
 * JSON with object keys sorted and undefined dropped: the same value always gives the same text.
 * Every event's hash is taken over this text (on each command and in every verify), so it is built
 * in one pass of string appends, without the arrays of entries the obvious form makes; the text is
 * the same to the byte, that form's quirks included (a hole of a sparse array writes nothing, as
 * `map` and `join` did), and the spec checks it against that form.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) text += ',';
      if (index in value) text += canonicalJson(value[index]);
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  // Own enumerable string keys in UTF-16 code-unit order: what Object.entries and the comparison of names gave.
  const names = Object.keys(record);
  if (names.length > 1) names.sort();
  let text = '{';
  let first = true;
  for (const name of names) {
    const item = record[name];
    if (item === undefined) continue;
    text += `${first ? '' : ','}${quoted(name)}:${canonicalJson(item)}`;
    first = false;
  }
  return `${text}}`;
}

/** Names as JSON strings, remembered: the events' field names are a few hundred, written on every hash. */
const QUOTED = new Map<string, string>();
const MAX_QUOTED = 4096;
function quoted(name: string): string {
  let text = QUOTED.get(name);
  if (text === undefined) {
    text = JSON.stringify(name);
    // Bounded: names a caller chose (a map's keys) are quoted each time once it is full.
    if (QUOTED.size < MAX_QUOTED) QUOTED.set(name, text);
  }
  return text;
}

// The one-shot hash (no Hash object per call): the same digest of the text's UTF-8 bytes as createHash gave.
const sha256 = (text: string): string => hash('sha256', text, 'hex');

/** Where a stream's chain starts: a hash of its name, so an event cannot be moved to another stream. */
export const chainStart = (stream: string): string => sha256(`stream:${stream}`);

/**
 * Where a reader that changed an event's data on the way out (decrypting its personal values,
 * docs/adr/0019) keeps the data exactly as stored: the chains cover what is stored, so they are
 * computed from it. A non-enumerable property, so JSON and equality ignore it.
 */
export const STORED_DATA = Symbol('data as stored');

/** The data as the store holds it: the hidden stored copy when a reader changed it, else `data`. */
export function storedDataOf(event: { readonly data: Record<string, unknown> }): Record<string, unknown> {
  return (event as { [STORED_DATA]?: Record<string, unknown> })[STORED_DATA] ?? event.data;
}

/** The event with `data` replaced for its readers, the stored data kept for the chains. */
export function withReadableData<T extends { readonly data: Record<string, unknown> }>(event: T, data: Record<string, unknown>): T {
  if (data === event.data) return event;
  const readable = { ...event, data };
  Object.defineProperty(readable, STORED_DATA, { value: storedDataOf(event), enumerable: false });
  return readable;
}

export interface ChainedEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

/**
 * hash = sha256(previous hash + canonical JSON of the event's type, data and audited metadata —
 * every metadata field but the hash itself). Changing, removing or reordering an event breaks
 * every link after it.
 */
export function chainHash(previousHash: string, event: ChainedEvent): string {
  const { hash: _hash, ...audited } = event.metadata;
  return sha256(previousHash + canonicalJson({ type: event.type, data: storedDataOf(event), metadata: audited }));
}

export type ChainVerdict =
  | { readonly ok: true; readonly stream: string; readonly events: number; readonly head: string }
  | { readonly ok: false; readonly stream: string; readonly revision: number; readonly expected: string; readonly found: string | null; readonly reason: string };

/**
 * What is wrong with one link, or undefined when it holds. Besides the hash, the event id the store
 * keeps must be the one the chain covers (`metadata.eventId`, where the event has one): the store's
 * id column is outside the hash, so an edit of it shows here.
 */
export function linkProblem(previous: string, event: ChainedEvent & { readonly eventId?: string }): { expected: string; found: string | null; reason: string } | undefined {
  const expected = chainHash(previous, event);
  const found = typeof event.metadata['hash'] === 'string' ? (event.metadata['hash'] as string) : null;
  if (found !== expected) return { expected, found, reason: found === null ? 'the event has no hash' : 'the event or one before it was changed' };
  const covered = event.metadata['eventId'];
  if (event.eventId !== undefined && typeof covered === 'string' && covered.toLowerCase() !== event.eventId.toLowerCase()) {
    return { expected: `event id ${covered}`, found: `event id ${event.eventId}`, reason: 'the stored event id was changed' };
  }
  return undefined;
}

/** Checks a stream's chain from its first event; reports the first broken link. */
export function verifyChain(stream: string, events: ReadonlyArray<ChainedEvent & { readonly revision: number; readonly eventId?: string }>): ChainVerdict {
  let previous = chainStart(stream);
  for (const [index, event] of events.entries()) {
    if (event.revision !== index) {
      return { ok: false, stream, revision: index, expected: `revision ${index}`, found: `revision ${event.revision}`, reason: 'an event is missing or out of order' };
    }
    const problem = linkProblem(previous, event);
    if (problem) return { ok: false, stream, revision: event.revision, ...problem };
    previous = event.metadata['hash'] as string;
  }
  return { ok: true, stream, events: events.length, head: previous };
}
