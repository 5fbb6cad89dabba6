import type { ComplaintCommand } from './complaint.commands';
import { decide } from './complaint.decide';
import { IllegalTransitionError, InvalidComplaintCommandError } from './complaint.errors';
import type { ExistingComplaint } from './complaint.state';
import type { Actor } from './principal';
import { probeWithoutStacks } from './probe-without-stacks';

/** The commands a person takes on an existing complaint, named as their routes are (POST /complaints/{id}/<action>). */
export const COMPLAINT_ACTIONS = ['apologise', 'validate', 'reject', 'assign', 'escalate', 'resolve', 'callback', 'reopen', 'visit', 'notes', 'contact', 'correct', 'attachments', 'tags', 'related', 'unrelate'] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

export interface ActionRefusal {
  readonly code: string;
  readonly message: string;
}

/**
 * Whether the complaint's status lets `action` be taken, asked of decide() itself so that a front-end
 * and the decider cannot disagree: the action is tried with placeholder data, and only a refusal of
 * the transition (IllegalTransitionError) counts. The placeholders never trigger a data-dependent
 * refusal of that kind (the department is not a valid code, so "already assigned to them" is never
 * reached; the escalation level is left to decide, one above the current); a refusal of the data
 * itself (InvalidComplaintCommandError) means the status allows it and the real data decides. Any other
 * error is a fault of the decision and is thrown: it was taken for "allowed", and offered the action.
 */
export function complaintActionRefusal(action: ComplaintAction, state: ExistingComplaint, at: string, actor: Actor): ActionRefusal | null {
  return probeWithoutStacks(
    () => decide(placeholderCommand(action, state.id, at, actor), state),
    (error) => {
      if (error instanceof IllegalTransitionError) return { code: error.code, message: error.message };
      if (error instanceof InvalidComplaintCommandError) return null;
      // Anything else is a fault, not a refusal: thrown (a 500, logged with its stack), never an action offered.
      throw error;
    },
  );
}

function placeholderCommand(action: ComplaintAction, complaintId: string, at: string, actor: Actor): ComplaintCommand {
  const base = { complaintId, at, actor };
  switch (action) {
    case 'apologise':
      return { ...base, type: 'ApologiseForComplaint', data: { statement: '-', channel: 'phone' } };
    case 'validate':
      return { ...base, type: 'ValidateComplaint', data: { reason: '-' } };
    case 'reject':
      return { ...base, type: 'RejectComplaint', data: { reason: '-' } };
    case 'assign':
      return { ...base, type: 'AssignComplaint', data: { department: '', assignee: '' } };
    case 'escalate':
      return { ...base, type: 'EscalateComplaint', data: { to: '-', reason: '-' } };
    case 'resolve':
      return { ...base, type: 'ResolveComplaint', data: { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true } };
    case 'callback':
      return { ...base, type: 'RecordCallback', data: { outcome: 'satisfied', satisfaction: 5 } };
    case 'reopen':
      return { ...base, type: 'ReopenComplaint', data: { reason: '-' } };
    case 'visit':
      return { ...base, type: 'RecordOnSiteVisit', data: {} };
    // An internal note: taken in every status (a reply to the customer is refused on a closed complaint, with its own 409).
    case 'notes':
      return { ...base, type: 'AddComplaintNote', data: { visibility: 'internal', text: '-' } };
    // Without fields: the status never refuses these; the real data decides.
    case 'contact':
      return { ...base, type: 'UpdateComplaintContact', data: { reason: '-' } };
    case 'correct':
      return { ...base, type: 'CorrectComplaint', data: { reason: '-' } };
    // A hash no file has: "already attached" is never reached; the closed status refuses it.
    case 'attachments':
      return { ...base, type: 'AddComplaintAttachment', data: { sha256: '0'.repeat(64), size: 1, mediaType: 'text/plain', fileName: '-', kind: 'other' } };
    // Nothing to add or remove, a link to itself: refusals of the data, so any status allows them.
    case 'tags':
      return { ...base, type: 'TagComplaint', data: {} };
    case 'related':
      return { ...base, type: 'RelateComplaint', data: { relatedId: complaintId, relation: 'related', reason: '-', target: null } };
    // Refused (409 not-linked) only when the complaint has no link at all; else "to itself" is a refusal of the data.
    case 'unrelate':
      return { ...base, type: 'UnrelateComplaint', data: { relatedId: complaintId, reason: '-' } };
    default: {
      const unknown: never = action;
      throw new Error(`unknown action ${String(unknown)}`);
    }
  }
}
