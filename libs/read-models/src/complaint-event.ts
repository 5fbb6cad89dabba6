import { COMPLAINT_EVENT_TYPES, upcastComplaintEvent, type ComplaintEvent } from '@app/domain';
import { withoutSealedValues } from '@app/event-sourcing';
import type { RecordedEvent } from '@app/event-store';

const KNOWN_TYPES = new Set<string>(COMPLAINT_EVENT_TYPES);

/** Where a recorded event keeps its decoded view: a property of its own, not a WeakMap (whose entries every GC must visit). */
const DECODED = Symbol('decoded complaint event');
type Decodable = RecordedEvent & { [DECODED]?: ComplaintEvent | null };

/**
 * The domain view of a stored complaint event, or undefined for any other stream or an unknown type.
 * Decoded once per recorded event, however many projections ask (the view must not be changed).
 */
export function complaintEventOf(recorded: RecordedEvent): ComplaintEvent | undefined {
  const decodable = recorded as Decodable;
  const known = decodable[DECODED];
  if (known !== undefined) return known ?? undefined;
  const event = recorded.stream.startsWith('complaint-') && KNOWN_TYPES.has(recorded.type)
    ? upcastComplaintEvent(recorded.type, withoutSealedValues(recorded.data), () => recorded.metadata['schemaVersion'])
    : undefined;
  if (Object.isExtensible(decodable)) Object.defineProperty(decodable, DECODED, { value: event ?? null, enumerable: false });
  return event;
}

/** The document of the complaint an event is about, for a projection's reads(): none for the event that creates it. */
export function complaintKey(collection: string, recorded: RecordedEvent): Array<readonly [string, string]> {
  const event = complaintEventOf(recorded);
  return event && event.type !== 'ComplaintReceived' ? [[collection, event.data.complaintId]] : [];
}

export const dayOf = (instant: string): string => instant.slice(0, 10);
export const millisBetween = (from: string, to: string): number => Date.parse(to) - Date.parse(from);
