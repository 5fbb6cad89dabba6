import type { Assignment, SlaClock } from './complaint.events';
import type { Actor } from './principal';
import type { SlaTerms } from './sla-policy';
import type {
  Behaviour, CallbackOutcome, Cause, Channel, CustomerSegment, Purpose, Remedy, ResolutionClass, Severity,
} from './taxonomy';

/** What every complaint has from receipt on. */
export interface ComplaintCore {
  readonly id: string;
  readonly customer: { readonly id: string; readonly name: string | null; readonly segment: CustomerSegment | null };
  readonly channel: Channel;
  readonly cause: Cause;
  readonly behaviour: Behaviour | null;
  readonly purpose: Purpose | null;
  readonly severity: Severity;
  /** Null once a description marked personal was erased (docs/adr/0019). */
  readonly description: string | null;
  /** The caller marked the description personal: it is sealed with the customer's key. */
  readonly descriptionIsPersonal: boolean;
  readonly desiredOutcome: string | null;
  readonly occurredAt: string | null;
  readonly onSiteRequired: boolean;
  readonly receivedAt: string;
  readonly receivedBy: Actor;
  readonly sla: SlaTerms;
  readonly firstReplyAt: string | null;
  /** First resolution or rejection: the answer the answer clock waits for. */
  readonly answeredAt: string | null;
  readonly visitedAt: string | null;
  readonly validatedAt: string | null;
  /** Clocks whose breach has been recorded (SlaBreached). */
  readonly breaches: readonly SlaClock[];
  /** Clocks whose at-risk warning has been recorded (SlaAtRisk). */
  readonly warnings: readonly SlaClock[];
  readonly escalation: { readonly level: number; readonly to: string; readonly at: string } | null;
  readonly reopenCount: number;
  /** How to reach the customer (ComplaintContactRecorded); null where not known. */
  readonly contact: ComplaintContact;
  /** How many corrections changed the classification since receipt. */
  readonly corrections: number;
  /** The SHA-256 of every file attached, in order (ComplaintAttachmentAdded). */
  readonly attachments: readonly string[];
  /** Free tags, in the order they were added (ComplaintTagged). */
  readonly tags: readonly string[];
  /** Links to other complaints (ComplaintRelated), in the order they were made; one per other complaint. */
  readonly related: readonly ComplaintLink[];
  /** Complaints marked as duplicates of this one (ComplaintDuplicateLinked, less ComplaintDuplicateUnlinked), in the order they were marked. */
  readonly duplicates: readonly ComplaintDuplicate[];
}

export interface ComplaintDuplicate {
  readonly complaintId: string;
  readonly at: string;
  readonly by: Actor;
}

export interface ComplaintLink {
  readonly complaintId: string;
  readonly relation: 'duplicate-of' | 'related';
  readonly at: string;
  readonly by: Actor;
}

export interface ComplaintContact {
  readonly phone: string | null;
  readonly email: string | null;
  readonly address: string | null;
  readonly preferredChannel: Channel | null;
  readonly preferredTime: string | null;
  /** The language to write to the customer in (zh-CN or en); null: not said (notifications use zh-CN). */
  readonly language: string | null;
}

export const NO_CONTACT: ComplaintContact = { phone: null, email: null, address: null, preferredChannel: null, preferredTime: null, language: null };

export interface Resolution {
  readonly resolvedAt: string;
  readonly resolutionClass: ResolutionClass;
  readonly remedy: Remedy;
  readonly rootCause: string | null;
  readonly correctiveAction: string | null;
  readonly customerAccepted: boolean;
  readonly callbackDue: string | null;
}

export interface Callback {
  readonly calledBackAt: string;
  readonly outcome: CallbackOutcome;
  readonly satisfaction: number;
  readonly remarks: string | null;
}

export type NoComplaint = { readonly status: 'none' };
export type ReceivedComplaint = ComplaintCore & { readonly status: 'received' };
export type ValidatedComplaint = ComplaintCore & { readonly status: 'validated' };
export type RejectedComplaint = ComplaintCore & { readonly status: 'rejected'; readonly rejection: { readonly at: string; readonly reason: string } };
export type AssignedComplaint = ComplaintCore & { readonly status: 'assigned'; readonly assignment: Assignment };
export type ResolvedComplaint = ComplaintCore & {
  readonly status: 'resolved';
  readonly assignment: Assignment;
  readonly resolution: Resolution;
  /** A refused resolution must be escalated before the complaint can be closed. */
  readonly refusalEscalated: boolean;
};
/** Called back, but the customer is not satisfied: still open, waiting to be reopened or escalated. */
export type FollowUpRequiredComplaint = ComplaintCore & {
  readonly status: 'follow-up-required';
  readonly assignment: Assignment;
  readonly resolution: Resolution;
  readonly callback: Callback;
};
export type ClosedComplaint = ComplaintCore & {
  readonly status: 'closed';
  readonly assignment: Assignment;
  readonly resolution: Resolution;
  readonly callback: Callback;
};

export type ComplaintState =
  | NoComplaint
  | ReceivedComplaint
  | ValidatedComplaint
  | RejectedComplaint
  | AssignedComplaint
  | ResolvedComplaint
  | FollowUpRequiredComplaint
  | ClosedComplaint;

export type ExistingComplaint = Exclude<ComplaintState, NoComplaint>;
export type ComplaintStatus = ComplaintState['status'];

export const initialComplaintState: ComplaintState = { status: 'none' };

export { assertNever } from './assert-never';
