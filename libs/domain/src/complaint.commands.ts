import type { Actor } from './principal';
import type { NoteVisibility, SlaClock } from './complaint.events';
import type { SlaPolicy } from './sla-policy';
import type {
  AttachmentKind, Behaviour, CallbackOutcome, Cause, Channel, CustomerSegment, Purpose, Remedy, ResolutionClass, Severity,
} from './taxonomy';

/** Every command carries the time, the complaint id and the acting principal: decide() reads no clock. */
interface CommandBase<Type extends string, Data> {
  readonly type: Type;
  readonly complaintId: string;
  readonly at: string;
  readonly actor: Actor;
  readonly data: Data;
}

export type ReceiveComplaint = CommandBase<'ReceiveComplaint', {
  readonly customerId: string;
  readonly customerName?: string;
  readonly segment?: CustomerSegment;
  readonly channel: Channel;
  readonly cause: Cause;
  readonly behaviour?: Behaviour;
  readonly purpose?: Purpose;
  readonly severity?: Severity;
  readonly description: string;
  /** True: the description is personal (names, a story about the customer): sealed with the customer's key, erased with it. */
  readonly descriptionIsPersonal?: boolean;
  readonly desiredOutcome?: string;
  readonly occurredAt?: string;
  readonly onSiteRequired?: boolean;
  /** How to reach the customer about it (all optional; checked and normalised by decide). */
  readonly contact?: ContactDetailsInput;
  /** The policy in force, looked up by the handler. */
  readonly policy: SlaPolicy;
}>;
export type ValidateComplaint = CommandBase<'ValidateComplaint', { readonly reason: string; readonly evidence?: string }>;
export type RejectComplaint = CommandBase<'RejectComplaint', { readonly reason: string }>;
export type AssignComplaint = CommandBase<'AssignComplaint', { readonly department: string; readonly assignee: string; readonly reason?: string }>;
export type ApologiseForComplaint = CommandBase<'ApologiseForComplaint', { readonly statement: string; readonly channel: Channel }>;
export type EscalateComplaint = CommandBase<'EscalateComplaint', { readonly to: string; readonly level?: number; readonly reason: string }>;
export type ResolveComplaint = CommandBase<'ResolveComplaint', {
  readonly resolutionClass: ResolutionClass;
  readonly remedy: Remedy;
  readonly rootCause?: string;
  readonly correctiveAction?: string;
  readonly customerAccepted: boolean;
}>;
export type RecordCallback = CommandBase<'RecordCallback', { readonly outcome: CallbackOutcome; readonly satisfaction: number; readonly remarks?: string }>;
export type ReopenComplaint = CommandBase<'ReopenComplaint', { readonly reason: string }>;

export type RecordOnSiteVisit = CommandBase<'RecordOnSiteVisit', { readonly notes?: string }>;
export type RecordSlaBreach = CommandBase<'RecordSlaBreach', { readonly clock: SlaClock }>;
/** The SLA monitor's warning that a deadline is near (an ISO 8601 duration before it), sent once per clock. */
export type RecordSlaAtRisk = CommandBase<'RecordSlaAtRisk', { readonly clock: SlaClock; readonly leadTime: string }>;

/** Contact details as a command brings them: a field left out stays, null clears it (on intake: not given). */
export interface ContactDetailsInput {
  readonly phone?: string | null;
  readonly email?: string | null;
  readonly address?: string | null;
  readonly preferredChannel?: Channel | null;
  readonly preferredTime?: string | null;
  /** zh-CN or en (CUSTOMER_LANGUAGES). */
  readonly language?: string | null;
}

export type AddComplaintNote = CommandBase<'AddComplaintNote', {
  readonly visibility: NoteVisibility;
  readonly text: string;
  readonly channel?: Channel;
  /** True: the text is personal, sealed with the customer's key and erased with it (issue 19). */
  readonly personal?: boolean;
}>;
export type UpdateComplaintContact = CommandBase<'UpdateComplaintContact', ContactDetailsInput & { readonly reason: string }>;
export type CorrectComplaint = CommandBase<'CorrectComplaint', {
  readonly reason: string;
  readonly cause?: Cause;
  /** null: no longer known. */
  readonly behaviour?: Behaviour | null;
  readonly purpose?: Purpose | null;
  readonly severity?: Severity;
  readonly channel?: Channel;
}>;

/** A file already in the blob store, attached by its hash; the file name is cleaned by decide (attachmentFileName). */
export type AddComplaintAttachment = CommandBase<'AddComplaintAttachment', {
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: string;
  readonly fileName: string;
  readonly kind: AttachmentKind;
  readonly description?: string;
  /**
   * The files of this complaint whose latest record was erased with its customer (its name can no
   * longer be read), looked up by the handler: the same bytes again are the customer coming back
   * (docs/adr/0019), a new attachment, not a double upload.
   */
  readonly erasedFiles?: readonly string[];
}>;

/** Free tags to add and to remove, in one decision (complaint.tags.ts has the rules). */
export type TagComplaint = CommandBase<'TagComplaint', { readonly add?: readonly string[]; readonly remove?: readonly string[]; readonly reason?: string }>;
/** A link to another complaint; `target` is that complaint as the handler found it (null: none the caller may see). */
export type RelateComplaint = CommandBase<'RelateComplaint', {
  readonly relatedId: string;
  readonly relation: 'duplicate-of' | 'related';
  readonly reason: string;
  readonly target: { readonly duplicateOf: string | null } | null;
}>;
/** Removes this complaint's link to another (of either kind), with a reason. */
export type UnrelateComplaint = CommandBase<'UnrelateComplaint', { readonly relatedId: string; readonly reason: string }>;
/**
 * The other side of a duplicate-of link, recorded on the original's stream (docs/adr/0013, "Duplicates"):
 * complaint `duplicateId` was marked a duplicate of this one (LinkDuplicate), or is no longer (UnlinkDuplicate).
 * Not sent over HTTP: the handler of RelateComplaint sends them with the link.
 */
export type LinkDuplicate = CommandBase<'LinkDuplicate', { readonly duplicateId: string; readonly reason: string }>;
export type UnlinkDuplicate = CommandBase<'UnlinkDuplicate', { readonly duplicateId: string; readonly reason: string }>;

export type ComplaintCommand =
  | ReceiveComplaint
  | ValidateComplaint
  | RejectComplaint
  | AssignComplaint
  | ApologiseForComplaint
  | EscalateComplaint
  | ResolveComplaint
  | RecordCallback
  | ReopenComplaint
  | RecordOnSiteVisit
  | RecordSlaBreach
  | RecordSlaAtRisk
  | AddComplaintNote
  | UpdateComplaintContact
  | CorrectComplaint
  | AddComplaintAttachment
  | TagComplaint
  | RelateComplaint
  | UnrelateComplaint
  | LinkDuplicate
  | UnlinkDuplicate;

export type ComplaintCommandType = ComplaintCommand['type'];
