import { COMPLAINT_EVENT_TYPES, upcastComplaintEvent, type ComplaintEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';

const KNOWN_TYPES = new Set<string>(COMPLAINT_EVENT_TYPES);

/** The domain view of a stored complaint event, or undefined for any other stream or an unknown type. */
export function complaintEventOf(recorded: RecordedEvent): ComplaintEvent | undefined {
  if (!recorded.stream.startsWith('complaint-') || !KNOWN_TYPES.has(recorded.type)) return undefined;
  return upcastComplaintEvent(recorded.type, recorded.data, () => recorded.metadata['schemaVersion']);
}

export const dayOf = (instant: string): string => instant.slice(0, 10);
export const millisBetween = (from: string, to: string): number => Date.parse(to) - Date.parse(from);
