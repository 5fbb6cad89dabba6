import { COMPLAINT_EVENT_TYPES, upcastComplaintEvent, type ComplaintEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';

const KNOWN_TYPES = new Set<string>(COMPLAINT_EVENT_TYPES);

const decoded = new WeakMap<RecordedEvent, ComplaintEvent | undefined>();

/**
 * The domain view of a stored complaint event, or undefined for any other stream or an unknown type.
 * Decoded once per recorded event, however many projections ask (the view must not be changed).
 */
export function complaintEventOf(recorded: RecordedEvent): ComplaintEvent | undefined {
  if (decoded.has(recorded)) return decoded.get(recorded);
  const event = recorded.stream.startsWith('complaint-') && KNOWN_TYPES.has(recorded.type)
    ? upcastComplaintEvent(recorded.type, recorded.data, () => recorded.metadata['schemaVersion'])
    : undefined;
  decoded.set(recorded, event);
  return event;
}

/** The document of the complaint an event is about, for a projection's reads(): none for the event that creates it. */
export function complaintKey(collection: string, recorded: RecordedEvent): Array<readonly [string, string]> {
  const event = complaintEventOf(recorded);
  return event && event.type !== 'ComplaintReceived' ? [[collection, event.data.complaintId]] : [];
}

export const dayOf = (instant: string): string => instant.slice(0, 10);
export const millisBetween = (from: string, to: string): number => Date.parse(to) - Date.parse(from);
