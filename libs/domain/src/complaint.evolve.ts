import { complaintDescription, type Assignment, type ComplaintEvent } from './complaint.events';
import { NO_CONTACT, assertNever, type ComplaintState, type ExistingComplaint, type Resolution } from './complaint.state';
import { contactAfter } from './complaint.workspace';

// evolve() is total: history is fact, so an event that would not be decided today (imported or
// legacy history) still folds into the closest sensible state instead of throwing.
const UNKNOWN_ASSIGNMENT: Assignment = { department: 'unknown', assignee: 'unknown' };

export function evolve(state: ComplaintState, event: ComplaintEvent): ComplaintState {
  if (event.type === 'ComplaintReceived') {
    const data = event.data;
    return {
      status: 'received',
      id: data.complaintId,
      customer: data.customer,
      channel: data.channel,
      cause: data.cause,
      behaviour: data.behaviour,
      purpose: data.purpose,
      severity: data.severity,
      description: complaintDescription(data),
      descriptionIsPersonal: data.description === null,
      desiredOutcome: data.desiredOutcome,
      occurredAt: data.occurredAt,
      onSiteRequired: data.onSiteRequired,
      receivedAt: data.receivedAt,
      receivedBy: data.receivedBy,
      sla: data.sla,
      firstReplyAt: null,
      answeredAt: null,
      visitedAt: null,
      validatedAt: null,
      breaches: [],
      warnings: [],
      escalation: null,
      reopenCount: 0,
      contact: NO_CONTACT,
      corrections: 0,
      attachments: [],
      tags: [],
      related: [],
      duplicates: [],
    };
  }
  if (state.status === 'none') return state;
  const core = coreOf(state);

  switch (event.type) {
    case 'ComplaintValidated':
      return { ...core, status: 'validated', validatedAt: event.data.validatedAt };
    case 'ComplaintRejected':
      return { ...core, status: 'rejected', answeredAt: core.answeredAt ?? event.data.rejectedAt, rejection: { at: event.data.rejectedAt, reason: event.data.reason } };
    case 'ComplaintAssigned':
      return { ...core, status: 'assigned', assignment: { department: event.data.department, assignee: event.data.assignee } };
    case 'ComplaintApologised':
      return { ...state, firstReplyAt: state.firstReplyAt ?? event.data.apologisedAt };
    case 'ComplaintEscalated': {
      const escalation = { level: event.data.level, to: event.data.to, at: event.data.escalatedAt };
      if (state.status === 'resolved') {
        return { ...state, escalation, refusalEscalated: state.refusalEscalated || event.data.trigger === 'resolution-refused' };
      }
      return { ...state, escalation };
    }
    case 'ComplaintResolved': {
      const data = event.data;
      const resolution: Resolution = {
        resolvedAt: data.resolvedAt,
        resolutionClass: data.resolutionClass,
        remedy: data.remedy,
        rootCause: data.rootCause,
        correctiveAction: data.correctiveAction,
        customerAccepted: data.customerAccepted,
        callbackDue: data.callbackDue,
      };
      return { ...core, status: 'resolved', answeredAt: core.answeredAt ?? data.resolvedAt, assignment: assignmentOf(state), resolution, refusalEscalated: false };
    }
    case 'CallbackDone': {
      const data = event.data;
      const callback = { calledBackAt: data.calledBackAt, outcome: data.outcome, satisfaction: data.satisfaction, remarks: data.remarks };
      const resolution = resolutionOf(state) ?? fallbackResolution(data.calledBackAt);
      return { ...core, status: data.satisfied ? 'closed' : 'follow-up-required', assignment: assignmentOf(state), resolution, callback };
    }
    case 'ComplaintReopened': {
      const reopened = { ...core, reopenCount: core.reopenCount + 1 };
      // A disputed rejection goes back to be judged again; a disputed solution goes back to its handler.
      if (state.status === 'rejected' || state.status === 'received' || state.status === 'validated') {
        return { ...reopened, status: 'received', validatedAt: null };
      }
      return { ...reopened, status: 'assigned', assignment: assignmentOf(state) };
    }
    case 'OnSiteVisitRecorded':
      return { ...state, visitedAt: state.visitedAt ?? event.data.visitedAt };
    case 'SlaBreached':
      return state.breaches.includes(event.data.clock) ? state : { ...state, breaches: [...state.breaches, event.data.clock] };
    case 'SlaAtRisk':
      return state.warnings.includes(event.data.clock) ? state : { ...state, warnings: [...state.warnings, event.data.clock] };
    case 'ComplaintNoteAdded':
      return event.data.visibility === 'customer' ? { ...state, firstReplyAt: state.firstReplyAt ?? event.data.addedAt } : state;
    case 'ComplaintContactRecorded':
      return { ...state, contact: contactAfter(state.contact, event) };
    case 'ComplaintCorrected':
      return { ...state, ...event.data.to, corrections: state.corrections + 1 };
    case 'ComplaintAttachmentAdded':
      return state.attachments.includes(event.data.sha256) ? state : { ...state, attachments: [...state.attachments, event.data.sha256] };
    case 'ComplaintTagged':
      return { ...state, tags: event.data.tags };
    case 'ComplaintRelated': {
      const link = { complaintId: event.data.relatedId, relation: event.data.relation, at: event.data.relatedAt, by: event.data.by };
      const known = state.related.some((each) => each.complaintId === link.complaintId);
      return { ...state, related: known ? state.related.map((each) => (each.complaintId === link.complaintId ? link : each)) : [...state.related, link] };
    }
    case 'ComplaintUnrelated':
      return { ...state, related: state.related.filter((each) => each.complaintId !== event.data.relatedId) };
    case 'ComplaintDuplicateLinked': {
      const { duplicateId, linkedAt, by } = event.data;
      return state.duplicates.some((each) => each.complaintId === duplicateId) ? state : { ...state, duplicates: [...state.duplicates, { complaintId: duplicateId, at: linkedAt, by }] };
    }
    case 'ComplaintDuplicateUnlinked':
      return { ...state, duplicates: state.duplicates.filter((each) => each.complaintId !== event.data.duplicateId) };
    default:
      return assertNever(event);
  }
}

export function fold(events: Iterable<ComplaintEvent>, state: ComplaintState = { status: 'none' }): ComplaintState {
  let current = state;
  for (const event of events) current = evolve(current, event);
  return current;
}

function coreOf(state: ExistingComplaint) {
  const {
    id, customer, channel, cause, behaviour, purpose, severity, description, descriptionIsPersonal, desiredOutcome, occurredAt, onSiteRequired,
    receivedAt, receivedBy, sla, firstReplyAt, answeredAt, visitedAt, validatedAt, breaches, warnings, escalation, reopenCount, contact, corrections, attachments, tags, related, duplicates,
  } = state;
  return {
    id, customer, channel, cause, behaviour, purpose, severity, description, descriptionIsPersonal, desiredOutcome, occurredAt, onSiteRequired,
    receivedAt, receivedBy, sla, firstReplyAt, answeredAt, visitedAt, validatedAt, breaches, warnings, escalation, reopenCount, contact, corrections, attachments, tags, related, duplicates,
  };
}

function assignmentOf(state: ExistingComplaint): Assignment {
  return 'assignment' in state ? state.assignment : UNKNOWN_ASSIGNMENT;
}

function resolutionOf(state: ExistingComplaint): Resolution | undefined {
  return 'resolution' in state ? state.resolution : undefined;
}

function fallbackResolution(at: string): Resolution {
  return { resolvedAt: at, resolutionClass: 'immediate', remedy: 'none', rootCause: null, correctiveAction: null, customerAccepted: true, callbackDue: at };
}
