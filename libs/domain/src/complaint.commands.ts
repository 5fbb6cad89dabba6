import type { Actor } from './principal';
import type { SlaClock } from './complaint.events';
import type { SlaPolicy } from './sla-policy';
import type {
  Behaviour, CallbackOutcome, Cause, Channel, CustomerSegment, Purpose, Remedy, ResolutionClass, Severity,
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
  readonly desiredOutcome?: string;
  readonly occurredAt?: string;
  readonly onSiteRequired?: boolean;
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
  | RecordSlaBreach;

export type ComplaintCommandType = ComplaintCommand['type'];
