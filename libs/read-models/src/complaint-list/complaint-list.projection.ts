import { clockStepsOf, complaintDescription, complaintTagKey, principalKey, type ComplaintStatus, type SlaClock } from '@app/domain';
import { DEADLINE, MET, OUTCOME, isoOf, trackClocks, trackClocksInPlace, type Clocks } from '../clock-tracker';
import type { Projection, ProjectionContext } from '@app/projections';
import type { RecordedEvent } from '@app/event-store';
import { complaintEventOf, complaintKey } from '../complaint-event';
import { customerFileEventOf } from '../customer-files/customer-file-event';
import { DEPARTMENTS, departmentKey, firstSpelling } from '../department-spelling';

export interface ComplaintSummary {
  readonly id: string;
  readonly status: Exclude<ComplaintStatus, 'none'>;
  readonly customerId: string;
  /** Null when not given, and once the customer's personal data were erased (docs/adr/0019). */
  readonly customerName: string | null;
  /** What the customer said: the list shows it, and a search finds words in it. Null once a description marked personal was erased. */
  readonly description: string | null;
  /** The caller marked the description personal (issue 19): an erasure of the customer clears it. */
  readonly descriptionIsPersonal: boolean;
  readonly segment: string | null;
  readonly channel: string;
  readonly cause: string;
  readonly behaviour: string | null;
  readonly purpose: string | null;
  readonly severity: string;
  readonly department: string | null;
  readonly assignee: string | null;
  readonly receivedAt: string;
  readonly firstReplyAt: string | null;
  readonly resolvedAt: string | null;
  readonly closedAt: string | null;
  readonly escalationLevel: number;
  readonly reopenCount: number;
  readonly breaches: string[];
  readonly revision: number;
  readonly updatedAt: string;
  /** Who received it (an actor id). */
  readonly receivedBy: string;
  /** Who may see it when limited to departments: `department:<departmentKey of the code>`, or `received-by:<principalKey of the actor>` while it has none. */
  readonly visibleTo: string;
  /** The earliest deadline of a step still missing (overdue ones included), and its clock; null when none is, and on a closed or rejected complaint. */
  readonly nextDueAt: string | null;
  readonly nextDueClock: SlaClock | null;
  /** Its tags (POST /complaints/{id}/tags), in the order they were added. */
  readonly tags: readonly string[];
  /** Which complaint this one duplicates (the original), or null. */
  readonly duplicateOf: string | null;
  /** One key per tag (complaintTagKey → true), which the `tag` filter read before `tags` was a list field (ADR 0011, thirteenth step); kept, since dropping it changes the stored form (a new version). */
  readonly tagKeys?: Readonly<Record<string, true>>;
  /** The assignee's principalKey (internal), for the `assignee` filter: `Li.Na` finds li.na's complaints. */
  readonly assigneeKey?: string | null;
  /** The department's key (internal, departmentKey), for the `department` filter: `BILLING` finds the complaints of Billing and billing. */
  readonly departmentKey?: string | null;
  /** The SLA clocks (internal: the list query leaves them out of what it answers). */
  readonly clocks?: Clocks;
  /** nextDueAt as a sort key that every document has (internal): NO_DUE_KEY, after any instant, when nothing is due. */
  readonly dueKey?: string;
  readonly [key: string]: unknown;
}

/** The statuses of a complaint still waiting for a step (`status=open`): all but rejected and closed. */
export const OPEN_STATUSES: ReadonlyArray<Exclude<ComplaintStatus, 'none'>> = ['received', 'validated', 'assigned', 'resolved', 'follow-up-required'];

/** The sort key of a complaint with nothing due: after every ISO instant. */
export const NO_DUE_KEY = '~';

/**
 * The earliest deadline whose step is missing: running, or breached with the step still to come; cancelled clocks do not count.
 * A closed or rejected complaint has nothing due: it takes no visit and no reply until reopened (docs/adr/0004), so a clock it
 * left missing (an on-site visit the callback closed without) waits for nothing. The clock itself stays as it was (the SLA
 * view keeps its breach); a reopen makes its step due again.
 */
export function nextDueOf(clocks: Clocks, status: ComplaintSummary['status']): { nextDueAt: string | null; nextDueClock: SlaClock | null } {
  const next = nextDue(clocks, status);
  return next === null ? { nextDueAt: null, nextDueClock: null } : { nextDueAt: isoOf(clocks[next]![DEADLINE]), nextDueClock: next };
}

/** The clock of the earliest deadline whose step is missing, or null: nextDueOf without its texts. */
function nextDue(clocks: Clocks, status: ComplaintSummary['status']): SlaClock | null {
  if (status === 'closed' || status === 'rejected') return null;
  let next: SlaClock | null = null;
  let deadline = 0;
  for (const clock in clocks) {
    const state = clocks[clock as SlaClock]!;
    if (state[MET] !== null || state[OUTCOME] === 'cancelled') continue;
    if (next === null || state[DEADLINE] < deadline) {
      next = clock as SlaClock;
      deadline = state[DEADLINE];
    }
  }
  return next;
}

export { departmentKey, type RecordedDepartment } from '../department-spelling';

/**
 * One key per complaint, so that a single `in` filter pages a scoped list (complaintInScope). Both
 * kinds are tagged: a department, whatever its name (even one written before department codes were
 * checked, like `received-by:li.na`), can never stand for "the complaints this principal received".
 * The receiver is its principalKey, as complaintInScope compares it: a token for `Li.Na` sees li.na's;
 * the department its departmentKey: a token for `billing` sees the complaints assigned to `Billing`.
 */
export const visibleTo = (department: string | null, receivedBy: string): string =>
  department === null ? `received-by:${principalKey(receivedBy)}` : `department:${departmentKey(department)}`;

/** The keys a reader limited to departments sees: its departments, and the unassigned complaints it received. */
export const visibilityKeys = (reader: { readonly actorId: string; readonly scope: readonly string[] }): string[] =>
  [...reader.scope.map((department) => visibleTo(department, reader.actorId)), visibleTo(null, reader.actorId)];

export const COMPLAINT_LIST = 'complaint-list';


/** What a search of the list looks in (ComplaintListFilter.q): the id, the customer and what the customer said. */
export const COMPLAINT_SEARCH_FIELDS = ['id', 'customerId', 'customerName', 'description'] as const;

/** One document per complaint for front-end lists: filters on status, taxonomy, owner, customer, dates, a text search; the next deadline due. */
export const complaintListProjection: Projection = {
  name: COMPLAINT_LIST,
  // v5: corrections (ComplaintCorrected) change the classification shown; the next deadline due (nextDueAt, sorted by dueKey); the description, searched (q).
  // v6: an erasure of the customer's personal data clears the name (and the search forgets it): the complaints of each customer are listed for that.
  // v7: tags (and the tag filter), and the complaint a duplicate is a duplicate of.
  // v8: principal ids compared by their principalKey: visibleTo's receiver, and the assignee filter (assigneeKey).
  // v9: a description the caller marked personal is shown while the customer's key lives, and cleared (and forgotten by the search) on the erasure.
  // v10: nothing is due on a closed or rejected complaint (nextDueAt null, sorted last): an on-site clock a callback closed without, or a
  // breach recorded before a rejection, no longer puts finished work at the head of a queue sorted by nextDueAt.
  // v11: departments compared letter case aside (departmentKey): visibleTo's department, the department filter (departmentKey), and the
  // spelling each department was first recorded in (departments), which an assignment records while the directory has no unit.
  version: 11,
  collections: [{
    name: 'complaints',
    indexes: [
      ['visibleTo', 'receivedAt'], ['receivedAt'], ['status', 'receivedAt'], ['customerId', 'receivedAt'], ['department', 'receivedAt'], ['departmentKey', 'receivedAt'], ['assigneeKey', 'receivedAt'], ['cause', 'receivedAt'],
      ['dueKey'], ['visibleTo', 'dueKey'], ['status', 'dueKey'],
      // The dispatch board's escalated complaints (escalated=true); an index added here needs no new version: it is created where missing.
      ['escalationLevel', 'receivedAt'],
      // The duplicates of one original (duplicateOf=).
      ['duplicateOf', 'receivedAt'],
    ],
    // The tag filter (tag=) finds a complaint by one of its tags without decoding the others (ADR 0011, thirteenth step);
    // like an index, declared here with no new version: the store makes it where missing.
    arrays: ['tags'],
    text: COMPLAINT_SEARCH_FIELDS,
  }, {
    // Internal: the complaints received under each customer id, so that an erasure finds them.
    name: 'customers',
  }, {
    // Each department as first recorded (RecordedDepartment), by its departmentKey: one department is one spelling.
    name: DEPARTMENTS,
  }],
  reads: (recorded) => {
    const erasure = erasureOf(recorded);
    if (erasure) return erasure.coveredFileIds.map((id) => ['customers', id] as const);
    const event = complaintEventOf(recorded);
    if (event?.type === 'ComplaintReceived') return [['customers', event.data.customer.id]];
    if (event?.type === 'ComplaintAssigned') return [...complaintKey('complaints', recorded), [DEPARTMENTS, departmentKey(event.data.department)] as const];
    return complaintKey('complaints', recorded);
  },
  apply(recorded: RecordedEvent, context: ProjectionContext): void {
    const erasure = erasureOf(recorded);
    if (erasure) {
      // Every summary is read before any is changed: one not in memory is loaded and the event applied again.
      const erased: string[] = [];
      for (const customerId of erasure.coveredFileIds) {
        for (const complaintId of context.get<CustomerComplaints>('customers', customerId)?.complaints ?? []) {
          const complaint = context.get<ComplaintSummary>('complaints', complaintId);
          if (complaint && (complaint.customerName !== null || (complaint.descriptionIsPersonal && complaint.description !== null))) erased.push(complaintId);
        }
      }
      // Changed in place, not put as a copy: a copy would share its clocks with the summary it replaces,
      // which later events change in place and a failed commit puts back (eleventh step).
      for (const complaintId of erased) {
        const complaint = context.change<Mutable<ComplaintSummary>>('complaints', complaintId)!;
        complaint.customerName = null;
        if (complaint.descriptionIsPersonal) complaint.description = null;
      }
      return;
    }
    const event = complaintEventOf(recorded);
    if (!event) return;
    const id = event.data.complaintId;
    if (event.type === 'ComplaintReceived') {
      const data = event.data;
      const summary: ComplaintSummary = {
        id, status: 'received', customerId: data.customer.id, customerName: data.customer.name, description: complaintDescription(data), descriptionIsPersonal: data.description === null, segment: data.customer.segment,
        channel: data.channel, cause: data.cause, behaviour: data.behaviour, purpose: data.purpose, severity: data.severity,
        department: null, assignee: null, receivedAt: data.receivedAt, firstReplyAt: null, resolvedAt: null, closedAt: null,
        escalationLevel: 0, reopenCount: 0, breaches: [], revision: recorded.revision, updatedAt: data.receivedAt,
        receivedBy: data.receivedBy.id, visibleTo: visibleTo(null, data.receivedBy.id), nextDueAt: null, nextDueClock: null,
        tags: [], duplicateOf: null, tagKeys: {},
      };
      const { clocks } = trackClocks({}, event);
      context.put('complaints', withDue({ ...summary, clocks }, clocks));
      const customer = context.get<CustomerComplaints>('customers', data.customer.id);
      if (!customer?.complaints.includes(id)) context.put('customers', { id: data.customer.id, complaints: [...(customer?.complaints ?? []), id] });
      return;
    }
    // The summary is changed in place (docs/adr/0011, eleventh step), not copied per event. Its fields are
    // only ever replaced, never changed inside (tags and breaches are new arrays), so a field taken from
    // an event is never changed afterwards; its keys keep the order a copy would have had.
    const next = context.change<Mutable<ComplaintSummary>>('complaints', id);
    if (!next) return;
    next.revision = recorded.revision;
    if (next.firstReplyAt === null) next.firstReplyAt = clockStepsOf(event).find((step) => step.clock === 'first-reply')?.at ?? null;
    switch (event.type) {
      case 'ComplaintValidated':
        Object.assign(next, { status: 'validated', updatedAt: event.data.validatedAt });
        break;
      case 'ComplaintRejected':
        Object.assign(next, { status: 'rejected', updatedAt: event.data.rejectedAt, closedAt: event.data.rejectedAt });
        break;
      case 'ComplaintAssigned':
        Object.assign(next, {
          status: 'assigned', department: event.data.department, assignee: event.data.assignee, assigneeKey: principalKey(event.data.assignee),
          updatedAt: event.data.assignedAt, departmentKey: departmentKey(event.data.department),
        });
        // Recorded as the first spelling of the department (the assignment's own stays as recorded: the item shows the event).
        firstSpelling(context, event.data.department);
        break;
      case 'ComplaintApologised':
        Object.assign(next, { updatedAt: event.data.apologisedAt });
        break;
      case 'ComplaintEscalated':
        Object.assign(next, { escalationLevel: event.data.level, updatedAt: event.data.escalatedAt });
        break;
      case 'ComplaintResolved':
        Object.assign(next, { status: 'resolved', resolvedAt: event.data.resolvedAt, updatedAt: event.data.resolvedAt });
        break;
      case 'CallbackDone':
        Object.assign(next, {
          status: event.data.satisfied ? 'closed' : 'follow-up-required', updatedAt: event.data.calledBackAt,
          closedAt: event.data.satisfied ? event.data.calledBackAt : null,
        });
        break;
      case 'ComplaintReopened':
        Object.assign(next, {
          status: event.data.previousStatus === 'rejected' ? 'received' : 'assigned', reopenCount: next.reopenCount + 1,
          closedAt: null, updatedAt: event.data.reopenedAt,
        });
        break;
      case 'OnSiteVisitRecorded':
        Object.assign(next, { updatedAt: event.data.visitedAt });
        break;
      case 'ComplaintNoteAdded':
        Object.assign(next, { updatedAt: event.data.addedAt });
        break;
      case 'ComplaintContactRecorded':
        Object.assign(next, { updatedAt: event.data.recordedAt });
        break;
      case 'ComplaintAttachmentAdded':
        Object.assign(next, { updatedAt: event.data.addedAt });
        break;
      case 'ComplaintTagged':
        Object.assign(next, { tags: event.data.tags, tagKeys: Object.fromEntries(event.data.tags.map((tag) => [complaintTagKey(tag), true])), updatedAt: event.data.taggedAt });
        break;
      case 'ComplaintRelated': {
        // A link changed from duplicate-of to related no longer names an original; one changed the other way does.
        const duplicateOf = event.data.relation === 'duplicate-of' ? event.data.relatedId : next.duplicateOf === event.data.relatedId ? null : next.duplicateOf;
        Object.assign(next, { duplicateOf, updatedAt: event.data.relatedAt });
        break;
      }
      case 'ComplaintUnrelated':
        // Removing the duplicate-of link leaves the complaint without an original.
        Object.assign(next, { duplicateOf: next.duplicateOf === event.data.relatedId ? null : next.duplicateOf, updatedAt: event.data.unrelatedAt });
        break;
      case 'ComplaintCorrected':
        Object.assign(next, { ...event.data.to, updatedAt: event.data.correctedAt });
        break;
      case 'SlaBreached':
        if (!next.breaches.includes(event.data.clock)) next.breaches = [...next.breaches, event.data.clock];
        break;
      case 'SlaAtRisk':
      // The original's side of a duplicate link: the list shows the link on the duplicate (duplicateOf), filtered by ?duplicateOf=.
      case 'ComplaintDuplicateLinked':
      case 'ComplaintDuplicateUnlinked':
        break;
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
    next.visibleTo = visibleTo(next.department, next.receivedBy);
    // A summary written before the clocks were kept has none: it gets its own object, as a copy would have.
    const clocks = (next.clocks ??= {}) as Clocks;
    trackClocksInPlace(clocks, event);
    setDue(next, clocks);
  },
};

/** The complaints received under one customer id (internal to the list). */
type CustomerComplaints = { readonly id: string; readonly complaints: readonly string[] };

function erasureOf(recorded: RecordedEvent): { readonly coveredFileIds: readonly string[] } | undefined {
  const event = customerFileEventOf(recorded);
  return event?.type === 'CustomerFilePersonalDataErased' ? event.data : undefined;
}

function withDue(summary: ComplaintSummary, clocks: Clocks): ComplaintSummary {
  const due = nextDueOf(clocks, summary.status);
  return { ...summary, ...due, dueKey: due.nextDueAt ?? NO_DUE_KEY };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * withDue's fields set on the summary itself: the instant's text made only when the deadline due
 * changed (most events change no clock), not an ISO text per event (eleventh step).
 */
function setDue(summary: Mutable<ComplaintSummary>, clocks: Clocks): void {
  const clock = nextDue(clocks, summary.status);
  if (clock === null) {
    summary.nextDueAt = null;
    summary.nextDueClock = null;
  } else {
    const deadline = clocks[clock]![DEADLINE];
    if (summary.nextDueAt === null || Date.parse(summary.nextDueAt) !== deadline) summary.nextDueAt = isoOf(deadline);
    summary.nextDueClock = clock;
  }
  summary.dueKey = summary.nextDueAt ?? NO_DUE_KEY;
}
