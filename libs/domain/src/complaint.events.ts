import type { Actor } from './principal';
import type { SlaTerms } from './sla-policy';
import type {
  Behaviour, CallbackOutcome, Cause, Channel, CustomerSegment, Purpose, Remedy, ResolutionClass, Severity,
} from './taxonomy';

/**
 * The stored event types are the contract: a type string is never reused for another meaning.
 * `data` holds the domain facts with their times; technical context lives in metadata.
 */
export interface ComplaintReceived {
  readonly type: 'ComplaintReceived';
  readonly data: {
    readonly complaintId: string;
    readonly receivedAt: string;
    readonly receivedBy: Actor;
    readonly customer: { readonly id: string; readonly name: string | null; readonly segment: CustomerSegment | null };
    readonly channel: Channel;
    readonly cause: Cause;
    readonly behaviour: Behaviour | null;
    readonly purpose: Purpose | null;
    readonly severity: Severity;
    readonly description: string;
    readonly desiredOutcome: string | null;
    /** When the customer says the problem happened, if given. */
    readonly occurredAt: string | null;
    readonly onSiteRequired: boolean;
    readonly sla: SlaTerms;
  };
}

export interface ComplaintValidated {
  readonly type: 'ComplaintValidated';
  readonly data: { readonly complaintId: string; readonly validatedAt: string; readonly by: Actor; readonly reason: string; readonly evidence: string | null };
}

export interface ComplaintRejected {
  readonly type: 'ComplaintRejected';
  readonly data: { readonly complaintId: string; readonly rejectedAt: string; readonly by: Actor; readonly reason: string };
}

export interface Assignment {
  readonly department: string;
  readonly assignee: string;
}

export interface ComplaintAssigned {
  readonly type: 'ComplaintAssigned';
  readonly data: {
    readonly complaintId: string;
    readonly assignedAt: string;
    readonly by: Actor;
    readonly department: string;
    readonly assignee: string;
    readonly reason: string | null;
    /** The assignment this one replaces (reassignment), or null for the first. */
    readonly previous: Assignment | null;
  };
}

export interface ComplaintApologised {
  readonly type: 'ComplaintApologised';
  readonly data: {
    readonly complaintId: string;
    readonly apologisedAt: string;
    readonly by: Actor;
    readonly channel: Channel;
    readonly statement: string;
    /** True for the first apology: it is the first reply the SLA measures. */
    readonly firstReply: boolean;
  };
}

export interface ComplaintEscalated {
  readonly type: 'ComplaintEscalated';
  readonly data: {
    readonly complaintId: string;
    readonly escalatedAt: string;
    readonly by: Actor;
    readonly to: string;
    readonly level: number;
    readonly reason: string;
    /** Why: beyond the handler's authority, or the customer refused the resolution. */
    readonly trigger: 'authority' | 'resolution-refused';
  };
}

export interface ComplaintResolved {
  readonly type: 'ComplaintResolved';
  readonly data: {
    readonly complaintId: string;
    readonly resolvedAt: string;
    readonly by: Actor;
    readonly resolutionClass: ResolutionClass;
    readonly remedy: Remedy;
    readonly rootCause: string | null;
    readonly correctiveAction: string | null;
    readonly customerAccepted: boolean;
    /** Deadline of the follow-up call, from the callback duration captured at receipt; null when the policy sets none. */
    readonly callbackDue: string | null;
  };
}

export interface CallbackDone {
  readonly type: 'CallbackDone';
  readonly data: {
    readonly complaintId: string;
    readonly calledBackAt: string;
    readonly by: Actor;
    readonly outcome: CallbackOutcome;
    readonly satisfaction: number;
    readonly remarks: string | null;
    /** False when satisfaction ≤ 2 or the outcome is "unsatisfied": the complaint stays open. */
    readonly satisfied: boolean;
  };
}

export interface ComplaintReopened {
  readonly type: 'ComplaintReopened';
  readonly data: {
    readonly complaintId: string;
    readonly reopenedAt: string;
    readonly by: Actor;
    readonly reason: string;
    readonly previousStatus: 'rejected' | 'resolved' | 'follow-up-required' | 'closed';
  };
}

export type SlaClock = 'first-reply' | 'answer' | 'on-site' | 'callback';
export const SLA_CLOCKS: readonly SlaClock[] = ['first-reply', 'answer', 'on-site', 'callback'];

export interface OnSiteVisitRecorded {
  readonly type: 'OnSiteVisitRecorded';
  readonly data: { readonly complaintId: string; readonly visitedAt: string; readonly by: Actor; readonly notes: string | null };
}

/** A deadline passed without its step: appended by the SLA monitor, so the breach is part of the audited history. */
export interface SlaBreached {
  readonly type: 'SlaBreached';
  readonly data: { readonly complaintId: string; readonly clock: SlaClock; readonly deadline: string; readonly detectedAt: string; readonly by: Actor };
}

export type ComplaintEvent =
  | ComplaintReceived
  | ComplaintValidated
  | ComplaintRejected
  | ComplaintAssigned
  | ComplaintApologised
  | ComplaintEscalated
  | ComplaintResolved
  | CallbackDone
  | ComplaintReopened
  | OnSiteVisitRecorded
  | SlaBreached;

export type ComplaintEventType = ComplaintEvent['type'];

export const COMPLAINT_EVENT_TYPES: readonly ComplaintEventType[] = [
  'ComplaintReceived',
  'ComplaintValidated',
  'ComplaintRejected',
  'ComplaintAssigned',
  'ComplaintApologised',
  'ComplaintEscalated',
  'ComplaintResolved',
  'CallbackDone',
  'ComplaintReopened',
  'OnSiteVisitRecorded',
  'SlaBreached',
];
