import { asciiShown } from './visible-text';
/** The command is not allowed in the complaint's current status (409 at the HTTP edge). */
export const ILLEGAL_TRANSITION_CODES = [
  'not-received', 'not-validated', 'already-assigned', 'not-assigned', 'not-resolved', 'resolution-refused-not-escalated', 'not-reopenable',
  'not-escalatable', 'escalation-level-not-higher', 'on-site-not-required', 'not-open', 'clock-not-running', 'breach-already-recorded', 'clock-met',
  'deadline-not-passed', 'nothing-changed', 'at-risk-already-recorded', 'not-yet-at-risk', 'deadline-passed', 'attachment-already-added',
  'already-duplicate', 'not-linked', 'duplicate-of-a-duplicate', 'has-duplicates', 'marking-withdrawn',
] as const;
export type IllegalTransitionCode = (typeof ILLEGAL_TRANSITION_CODES)[number];

/** The command breaks a domain rule whatever the status (400 at the HTTP edge). */
export const INVALID_COMPLAINT_COMMAND_CODES = [
  'occurred-in-future', 'invalid-policy', 'invalid-department', 'invalid-level', 'invalid-satisfaction',
  'invalid-phone', 'invalid-email', 'blank-text', 'nothing-to-change', 'cannot-clear', 'channel-not-for-internal-note', 'unknown-language', 'invalid-attachment',
  'invalid-tag', 'mixed-script-tag', 'too-many-tags', 'relation-to-itself', 'unknown-related-complaint',
  // The statistics' word for "not yet assigned" as a department or handler (UNASSIGNED_ROW in department.ts).
  'reserved-code',
  // Checked against the directory (the service network) at the API: libs/domain/src/service-network/directory.ts
  // (agent-inactive: an escalation to an agent since deactivated, the code the network's own refusal of them carries).
  'unknown-department', 'unknown-assignee', 'assignee-not-in-department', 'unknown-escalation-target', 'ambiguous-escalation-target', 'agent-inactive',
] as const;
export type InvalidComplaintCommandCode = (typeof INVALID_COMPLAINT_COMMAND_CODES)[number];

/**
 * Every `code` a complaint refusal carries. The lists are closed on purpose: the API documents them
 * as an enum that clients switch on, so a new refusal adds its code here (the type check insists).
 */
export const COMPLAINT_ERROR_CODES = ['complaint-not-found', 'complaint-already-exists', ...ILLEGAL_TRANSITION_CODES, ...INVALID_COMPLAINT_COMMAND_CODES] as const;
export type ComplaintErrorCode = (typeof COMPLAINT_ERROR_CODES)[number];

/**
 * The closed set of refusals decide() may throw. The HTTP edge maps each class to one status;
 * `code` is machine-readable and stable.
 */
export abstract class ComplaintDomainError extends Error {
  abstract readonly code: ComplaintErrorCode;
}

export class ComplaintNotFoundError extends ComplaintDomainError {
  readonly code = 'complaint-not-found';
  constructor(readonly complaintId: string) {
    // Escaped: the id may be a path's segment as typed, and a bidi override or a zero-width space in it is not seen otherwise.
    super(`No complaint with id ${asciiShown(complaintId)}.`);
  }
}

export class ComplaintAlreadyExistsError extends ComplaintDomainError {
  readonly code = 'complaint-already-exists';
  constructor(readonly complaintId: string) {
    super(`Complaint ${complaintId} has already been received.`);
  }
}

/** The command is not allowed in the complaint's current status. */
export class IllegalTransitionError extends ComplaintDomainError {
  constructor(
    readonly code: IllegalTransitionCode,
    readonly command: string,
    readonly currentStatus: string,
    message: string,
  ) {
    super(message);
  }
}

/** The command itself breaks a domain rule whatever the status (a value out of range). */
export class InvalidComplaintCommandError extends ComplaintDomainError {
  constructor(
    readonly code: InvalidComplaintCommandCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
