import type { Actor } from './principal';
import type { SlaTerms } from './sla-policy';
import type {
  AttachmentKind, Behaviour, CallbackOutcome, Cause, Channel, CustomerSegment, Purpose, Remedy, ResolutionClass, Severity,
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
    /** What the customer said; null when the caller marked it personal (v3): it is then under `personal`. */
    readonly description: string | null;
    readonly desiredOutcome: string | null;
    /** When the customer says the problem happened, if given. */
    readonly occurredAt: string | null;
    readonly onSiteRequired: boolean;
    readonly sla: SlaTerms;
    /**
     * The description, when the caller marked it personal (v3, issue 19): under the one `personal` key, so it
     * is sealed with the customer's key and erased with it (docs/adr/0019). Null when unmarked, and once erased.
     */
    readonly personal: { readonly description: string } | null;
  };
}

/** What the customer said, marked personal or not; null once a marked description was erased. */
export function complaintDescription(data: ComplaintReceived['data']): string | null {
  return data.personal?.description ?? data.description;
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

/**
 * A deadline is near and its step has not happened: the SLA monitor's warning, once per clock, a
 * lead time before the deadline (so the assignee and the feed hear of it before the breach).
 */
export interface SlaAtRisk {
  readonly type: 'SlaAtRisk';
  readonly data: { readonly complaintId: string; readonly clock: SlaClock; readonly deadline: string; readonly leadTime: string; readonly warnedAt: string; readonly by: Actor };
}

/** A deadline passed without its step: appended by the SLA monitor, so the breach is part of the audited history. */
export interface SlaBreached {
  readonly type: 'SlaBreached';
  readonly data: { readonly complaintId: string; readonly clock: SlaClock; readonly deadline: string; readonly detectedAt: string; readonly by: Actor };
}

/** Who sees a note: staff only, or the customer too (a reply sent to them). */
export type NoteVisibility = 'internal' | 'customer';
export const NOTE_VISIBILITIES: readonly NoteVisibility[] = ['internal', 'customer'];

/**
 * A note in the complaint's thread: an internal note for staff, or a reply sent to the customer
 * (an interim follow-up while they wait, 适时回访). Neither changes the status; a customer-facing
 * reply is a reply for the first-reply clock, as an apology is.
 */
export interface ComplaintNoteAdded {
  readonly type: 'ComplaintNoteAdded';
  readonly data: {
    readonly complaintId: string;
    readonly addedAt: string;
    readonly by: Actor;
    readonly visibility: NoteVisibility;
    /** How a customer reply reached the customer; null for an internal note (and a reply that does not say). */
    readonly channel: Channel | null;
    /** Null when the caller marked the text personal (v2): it is then under `personal`. */
    readonly text: string | null;
    /** The text, when the caller marked it personal (v2, issue 19), sealed and erased with the customer's key; null otherwise and once erased. */
    readonly personal: { readonly text: string } | null;
    /** True for a customer reply that is the complaint's first reply (the one the SLA measures). */
    readonly firstReply: boolean;
  };
}

/** The text of a note, marked personal or not; null once a marked text was erased. */
export function noteText(data: ComplaintNoteAdded['data']): string | null {
  return data.personal?.text ?? data.text;
}

/**
 * A file attached to the complaint (a receipt, a photo, a dispute form). The bytes live in the blob
 * store under their SHA-256; the event records that hash, so the complaint's hash chain covers the
 * file. The file name is the one personal value (a name often says whose it is): it sits under
 * `personal` (docs/adr/0013), so erasure finds it; null where it cannot be read.
 */
export interface ComplaintAttachmentAdded {
  readonly type: 'ComplaintAttachmentAdded';
  readonly data: {
    readonly complaintId: string;
    readonly addedAt: string;
    readonly by: Actor;
    /** Lowercase hex SHA-256 of the bytes: the file's id in the blob store and on the download route. */
    readonly sha256: string;
    readonly size: number;
    /** The type found in the content (magic bytes), not the one the upload declared. */
    readonly mediaType: string;
    readonly kind: AttachmentKind;
    readonly description: string | null;
    readonly personal: { readonly fileName: string } | null;
  };
}

/** Tags added and removed in one decision; `tags` is the whole set after it. */
export interface ComplaintTagged {
  readonly type: 'ComplaintTagged';
  readonly data: {
    readonly complaintId: string;
    readonly taggedAt: string;
    readonly by: Actor;
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly tags: readonly string[];
    readonly reason: string | null;
  };
}

/** A link from this complaint to another: a duplicate of it (the original), or related to it. A later link to the same complaint changes its kind. */
export interface ComplaintRelated {
  readonly type: 'ComplaintRelated';
  readonly data: {
    readonly complaintId: string;
    readonly relatedAt: string;
    readonly by: Actor;
    readonly relatedId: string;
    readonly relation: 'duplicate-of' | 'related';
    readonly reason: string;
  };
}

/** A link from this complaint to another removed; `relation` is the kind it had. */
export interface ComplaintUnrelated {
  readonly type: 'ComplaintUnrelated';
  readonly data: {
    readonly complaintId: string;
    readonly unrelatedAt: string;
    readonly by: Actor;
    readonly relatedId: string;
    readonly relation: 'duplicate-of' | 'related';
    readonly reason: string;
  };
}

/**
 * On the original's stream: complaint `duplicateId` was marked a duplicate of this one. Written with
 * the duplicate's ComplaintRelated, so that two markings that would make a chain or a cycle meet on
 * one stream and the store takes one of them (docs/adr/0013, "Duplicates").
 */
export interface ComplaintDuplicateLinked {
  readonly type: 'ComplaintDuplicateLinked';
  readonly data: {
    readonly complaintId: string;
    readonly linkedAt: string;
    readonly by: Actor;
    readonly duplicateId: string;
    readonly reason: string;
  };
}

/** On the original's stream: complaint `duplicateId` is no longer a duplicate of this one (its link was removed or became "related"; in logs of older versions, also a marking withdrawn). */
export interface ComplaintDuplicateUnlinked {
  readonly type: 'ComplaintDuplicateUnlinked';
  readonly data: {
    readonly complaintId: string;
    readonly unlinkedAt: string;
    readonly by: Actor;
    readonly duplicateId: string;
    readonly reason: string;
  };
}

/** The languages the customer may be written to in (notifications); zh-CN when none is recorded. */
export const CUSTOMER_LANGUAGES = ['zh-CN', 'en'] as const;
export type CustomerLanguage = (typeof CUSTOMER_LANGUAGES)[number];

/** The ways to reach the customer about this complaint, and the language to write to them in. */
export const COMPLAINT_CONTACT_FIELDS = ['phone', 'email', 'address', 'preferredChannel', 'preferredTime', 'language'] as const;
export type ContactField = (typeof COMPLAINT_CONTACT_FIELDS)[number];
/** The personal ones (docs/adr/0013): they sit under the event's one `personal` key, so encryption and erasure find them. */
export const COMPLAINT_CONTACT_PERSONAL_FIELDS = ['phone', 'email', 'address', 'preferredTime', 'language'] as const;
export type ContactPersonalField = (typeof COMPLAINT_CONTACT_PERSONAL_FIELDS)[number];

/**
 * Contact details recorded at intake (reason null) or changed later (with a reason). Only the fields
 * that change are recorded: `changed` names them all, `changes` holds the clear ones (the preferred
 * channel, a code), `personal` the personal ones; null clears a field.
 */
export interface ComplaintContactRecorded {
  readonly type: 'ComplaintContactRecorded';
  readonly data: {
    readonly complaintId: string;
    readonly recordedAt: string;
    readonly by: Actor;
    readonly reason: string | null;
    readonly changed: readonly ContactField[];
    readonly changes: { readonly preferredChannel?: Channel | null };
    readonly personal: { readonly [F in ContactPersonalField]?: string | null } | null;
  };
}

/** The classification a correction may change. */
export const CORRECTABLE_FIELDS = ['cause', 'behaviour', 'purpose', 'severity', 'channel'] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];
export interface Classification {
  readonly cause: Cause;
  readonly behaviour: Behaviour | null;
  readonly purpose: Purpose | null;
  readonly severity: Severity;
  readonly channel: Channel;
}

/**
 * The complaint was re-categorised: `from` and `to` hold the changed fields only. The SLA terms
 * promised at receipt stay as they were (a corrected severity does not move deadlines).
 */
export interface ComplaintCorrected {
  readonly type: 'ComplaintCorrected';
  readonly data: {
    readonly complaintId: string;
    readonly correctedAt: string;
    readonly by: Actor;
    readonly reason: string;
    readonly changed: readonly CorrectableField[];
    readonly from: Partial<Classification>;
    readonly to: Partial<Classification>;
  };
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
  | SlaBreached
  | SlaAtRisk
  | ComplaintNoteAdded
  | ComplaintContactRecorded
  | ComplaintCorrected
  | ComplaintAttachmentAdded
  | ComplaintTagged
  | ComplaintRelated
  | ComplaintUnrelated
  | ComplaintDuplicateLinked
  | ComplaintDuplicateUnlinked;

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
  'SlaAtRisk',
  'ComplaintNoteAdded',
  'ComplaintContactRecorded',
  'ComplaintCorrected',
  'ComplaintAttachmentAdded',
  'ComplaintTagged',
  'ComplaintRelated',
  'ComplaintUnrelated',
  'ComplaintDuplicateLinked',
  'ComplaintDuplicateUnlinked',
];
