import { createHash } from 'node:crypto';

/** JSON with object keys sorted and undefined dropped: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Where a stream's chain starts: a hash of its name, so an event cannot be moved to another stream. */
export const chainStart = (stream: string): string => sha256(`stream:${stream}`);

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
  return sha256(previousHash + canonicalJson({ type: event.type, data: event.data, metadata: audited }));
}

export type ChainVerdict =
  | { readonly ok: true; readonly stream: string; readonly events: number; readonly head: string }
  | { readonly ok: false; readonly stream: string; readonly revision: number; readonly expected: string; readonly found: string | null; readonly reason: string };

/** Checks a stream's chain from its first event; reports the first broken link. */
export function verifyChain(stream: string, events: ReadonlyArray<ChainedEvent & { readonly revision: number }>): ChainVerdict {
  let previous = chainStart(stream);
  for (const [index, event] of events.entries()) {
    if (event.revision !== index) {
      return { ok: false, stream, revision: index, expected: `revision ${index}`, found: `revision ${event.revision}`, reason: 'an event is missing or out of order' };
    }
    const expected = chainHash(previous, event);
    const found = typeof event.metadata['hash'] === 'string' ? (event.metadata['hash'] as string) : null;
    if (found !== expected) return { ok: false, stream, revision: event.revision, expected, found, reason: found === null ? 'the event has no hash' : 'the event or one before it was changed' };
    previous = expected;
  }
  return { ok: true, stream, events: events.length, head: previous };
}
