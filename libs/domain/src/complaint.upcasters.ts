import { ALWAYS_ON_CALENDAR, BUILT_IN_CALENDARS } from './business-calendar';
import type { ComplaintEvent, ComplaintEventType } from './complaint.events';
import { upcastEventData, type Upcaster } from './event-versions';

/**
 * Schema version of each event type as written today. A breaking change to an event's data gets
 * a new version here and an upcaster below; stored events are never rewritten.
 */
export const COMPLAINT_EVENT_SCHEMA_VERSIONS: Readonly<Record<ComplaintEventType, number>> = {
  ComplaintReceived: 3,
  ComplaintValidated: 1,
  ComplaintRejected: 1,
  ComplaintAssigned: 1,
  ComplaintApologised: 1,
  ComplaintEscalated: 1,
  ComplaintResolved: 1,
  CallbackDone: 1,
  ComplaintReopened: 1,
  OnSiteVisitRecorded: 1,
  SlaBreached: 1,
  SlaAtRisk: 1,
  ComplaintNoteAdded: 2,
  ComplaintTagged: 1,
  ComplaintRelated: 1,
  ComplaintUnrelated: 1,
  ComplaintDuplicateLinked: 1,
  ComplaintDuplicateUnlinked: 1,
  ComplaintContactRecorded: 1,
  ComplaintCorrected: 1,
  ComplaintAttachmentAdded: 1,
};

/** upcasters[type][v] turns version v into version v + 1. */
const UPCASTERS: Partial<Record<ComplaintEventType, Record<number, Upcaster>>> = {
  ComplaintReceived: {
    // v1 recorded only the calendar's id ("24x7"); v2 records the whole calendar, so deadlines
    // computed later (the callback) can follow the same working hours.
    1: (data) => {
      const sla = (data['sla'] ?? {}) as Record<string, unknown>;
      const calendar = typeof sla['calendar'] === 'string' ? (BUILT_IN_CALENDARS[sla['calendar']] ?? ALWAYS_ON_CALENDAR) : sla['calendar'] ?? ALWAYS_ON_CALENDAR;
      return { ...data, sla: { ...sla, calendar } };
    },
    // v2 had no personal part; v3 keeps a description the caller marked personal under `personal`
    // (issue 19), where encryption finds it. An older receipt's description is plain text and stays so.
    2: withoutPersonalPart,
  },
  // v1 had no personal part; v2 keeps a text the caller marked personal under `personal` (issue 19).
  ComplaintNoteAdded: { 1: withoutPersonalPart },
};

/** An event of a version before its `personal` key: nothing of it was marked personal. Data that holds the key is already current (a copy that lost its schema version). */
function withoutPersonalPart(data: Record<string, unknown>): Record<string, unknown> {
  return 'personal' in data ? data : { ...data, personal: null };
}

/**
 * A stored event in today's shape, whatever version it was written in. Applied on every read.
 * The version is asked for only when the type has more than one (reading it may parse metadata).
 */
export function upcastComplaintEvent(type: string, data: Record<string, unknown>, schemaVersion: () => unknown): ComplaintEvent {
  return { type, data: upcastEventData({ versions: COMPLAINT_EVENT_SCHEMA_VERSIONS, upcasters: UPCASTERS }, type, data, schemaVersion) } as ComplaintEvent;
}
