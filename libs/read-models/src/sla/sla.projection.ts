import { UNASSIGNED_ROW, principalKey, type SlaClock } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';
import { BREACH_RECORDED, DEADLINE, MET, OUTCOME, STARTED, isoOf, isoOrNull, trackClocksInPlace, type ClockOutcome, type Clocks, type ClockState } from '../clock-tracker';
import { complaintEventOf, complaintKey, dayOf } from '../complaint-event';
import { DEPARTMENTS, departmentKey, firstSpelling } from '../department-spelling';

export const SLA = 'sla';

/** What every clock of a complaint reports about the complaint (the owner as of now). */
interface ClockContext {
  readonly department: string;
  readonly assignee: string;
  readonly cause: string;
  readonly severity: string;
  readonly customerId: string;
  readonly policyVersion: string;
  readonly calendar: string;
}

/** One SLA obligation of one complaint. */
export interface SlaClockDocument extends ClockContext {
  readonly id: string;
  readonly complaintId: string;
  readonly clock: SlaClock;
  readonly status: ClockOutcome;
  readonly startedAt: string;
  readonly deadline: string;
  readonly metAt: string | null;
  readonly breached: boolean;
  readonly breachRecordedAt: string | null;
  /** How late the step came (ms), once it came late; for an open breach the query adds the time since the deadline. */
  readonly overdueMs: number | null;
  /** The assignee's principalKey (internal), for the `assignee` filter: `LI.NA` finds li.na's clocks. */
  readonly assigneeKey?: string;
  /** The department's departmentKey (internal), for the `department` filter and a limited reader: `billing` finds Billing's clocks. */
  readonly departmentKey?: string;
  readonly [key: string]: unknown;
}

/** Met / breached counters of one day (the deadline's) per dimension value. */
export interface ComplianceDocument {
  readonly id: string;
  readonly by: ComplianceDimension;
  readonly value: string;
  readonly day: string;
  readonly met: number;
  readonly breached: number;
  readonly [key: string]: unknown;
}

export type ComplianceDimension = 'department' | 'assignee' | 'cause' | 'clock';
export const COMPLIANCE_DIMENSIONS: readonly ComplianceDimension[] = ['department', 'assignee', 'cause', 'clock'];

/** A complaint's record, changed in place (ProjectionContext.change): each of its parts is its own, shared with nothing. */
interface ComplaintFacts extends ClockContext {
  readonly id: string;
  readonly clocks: Clocks;
  department: string;
  assignee: string;
  /** The department's row of the compliance: its spelling first recorded (firstSpelling); absent on a record of an older version. */
  departmentRow?: string;
  readonly [key: string]: unknown;
}

export const UNASSIGNED = UNASSIGNED_ROW;

/** The SLA's scratch for the clocks' tuples before an event (apply is synchronous: one event at a time). */
const TUPLES_BEFORE: Array<ClockState | undefined> = [undefined, undefined, undefined, undefined];

/** What a clock's outcome adds to its compliance counters: one object each, not one per counter and event. */
const ONE = { met: { met: 1 }, breached: { breached: 1 } } as const;

/**
 * SLA clocks per obligation, and compliance counters that count each clock once, on the day of
 * its deadline, when it is first met or breached.
 */
export const slaProjection: Projection = {
  name: SLA,
  // Version 6: the clocks are typed rows (docs/adr/0011, seventh step): a column per field, no JSON; answered the same.
  // The assignee filter compares principal ids by their principalKey (assigneeKey, v5 of the fold).
  // Version 7: the clocks' instants are columns of instants (docs/adr/0011, fourteenth step: milliseconds on SQLite, answered as the
  // same text), and no (complaintId) index: no query filters on it.
  // Version 8: a department letter case aside: the clocks' departmentKey (the department filter and a limited reader's), and one
  // compliance row per department, named as first recorded (departments); Billing and billing, assigned while the directory had no
  // unit, were two departments.
  version: 8,
  collections: [
    { name: 'complaints' },
    { name: DEPARTMENTS },
    {
      name: 'clocks', indexes: [['status', 'deadline'], ['breached', 'deadline'], ['department', 'deadline'], ['assigneeKey', 'deadline'], ['departmentKey', 'deadline']],
      // In the order the projection builds a clock's fields: a row reads back as the same JSON.
      columns: {
        complaintId: { type: 'text' }, clock: { type: 'text' }, status: { type: 'text' }, startedAt: { type: 'instant' }, deadline: { type: 'instant' },
        metAt: { type: 'instant', nullable: true }, breached: { type: 'boolean' }, breachRecordedAt: { type: 'instant', nullable: true }, overdueMs: { type: 'integer', nullable: true },
        department: { type: 'text' }, assignee: { type: 'text' }, cause: { type: 'text' }, severity: { type: 'text' }, customerId: { type: 'text' },
        policyVersion: { type: 'text' }, calendar: { type: 'text' }, assigneeKey: { type: 'text' }, departmentKey: { type: 'text' },
      },
    },
    { name: 'compliance', indexes: [['by', 'day']] },
  ],
  reads: (recorded) => {
    const event = complaintEventOf(recorded);
    return event?.type === 'ComplaintAssigned'
      ? [...complaintKey('complaints', recorded), [DEPARTMENTS, departmentKey(event.data.department)] as const]
      : complaintKey('complaints', recorded);
  },
  apply(recorded: RecordedEvent, context: ProjectionContext): void {
    const event = complaintEventOf(recorded);
    if (!event) return;
    const id = event.data.complaintId;
    // The record is changed in place (one per complaint, docs/adr/0011 tenth step), not copied per event.
    let facts = event.type === 'ComplaintReceived' ? undefined : context.change<ComplaintFacts>('complaints', id);
    if (event.type === 'ComplaintReceived') {
      const data = event.data;
      facts = {
        id, clocks: {}, department: UNASSIGNED, assignee: UNASSIGNED, cause: data.cause, severity: data.severity,
        customerId: data.customer.id, policyVersion: data.sla.policyVersion, calendar: `${data.sla.calendar.id}@${data.sla.calendar.version}`,
      };
    }
    if (!facts) return;
    if (event.type === 'ComplaintAssigned') {
      facts.department = event.data.department;
      facts.departmentRow = firstSpelling(context, event.data.department);
      facts.assignee = event.data.assignee;
    }
    const clocks = facts.clocks;
    // The tuples before the event, in the record's order of clocks (a clock is only ever added, at the end): a changed
    // clock has a new tuple. Kept in one array for every event, not a copy of the clocks and two lists per event.
    let before = 0;
    for (const clock in clocks) TUPLES_BEFORE[before++] = clocks[clock as SlaClock];
    const transitions = trackClocksInPlace(clocks, event);
    // A new record is put once made; one taken with change is written as it now is.
    if (event.type === 'ComplaintReceived') context.put('complaints', facts);

    // A reassignment changes who owns every clock; otherwise only the clocks the event changed.
    const everyClock = event.type === 'ComplaintAssigned';
    let position = 0;
    for (const key in clocks) {
      const clock = key as SlaClock;
      const state = clocks[clock];
      const changed = position >= before || state !== TUPLES_BEFORE[position];
      position += 1;
      if (!state || !(changed || everyClock)) continue;
      const metAt = state[MET];
      const overdueMs = metAt !== null && state[OUTCOME] === 'breached' ? Math.max(0, metAt - state[DEADLINE]) : null;
      const document: SlaClockDocument = {
        id: `${id}:${clock}`, complaintId: id, clock, status: state[OUTCOME], startedAt: isoOf(state[STARTED]), deadline: isoOf(state[DEADLINE]),
        metAt: isoOrNull(metAt), breached: state[OUTCOME] === 'breached', breachRecordedAt: isoOrNull(state[BREACH_RECORDED]), overdueMs,
        department: facts.department, assignee: facts.assignee, cause: facts.cause, severity: facts.severity, customerId: facts.customerId,
        policyVersion: facts.policyVersion, calendar: facts.calendar, assigneeKey: principalKey(facts.assignee), departmentKey: departmentKey(facts.department),
      };
      context.put('clocks', document);
    }
    TUPLES_BEFORE.fill(undefined);
    for (const transition of transitions) {
      const values: Record<ComplianceDimension, string> = { department: facts.departmentRow ?? facts.department, assignee: facts.assignee, cause: facts.cause, clock: transition.clock };
      const day = dayOf(isoOf(transition.deadline));
      for (const by of COMPLIANCE_DIMENSIONS) {
        const counterId = `${by}|${values[by]}|${day}`;
        // Made only when the counter first gets amounts in a batch (docs/adr/0011, eighth step), its keys in the order the
        // runtime writes them (not sorted per new counter, fifteenth step).
        context.add('compliance', counterId, (): ComplianceDocument => ({ breached: 0, by, day, id: counterId, met: 0, value: values[by] }), ONE[transition.outcome]);
      }
    }
  },
};
