import type { ChargeKind, FailedVisitReason, FaultCause, PaymentMethod, RemoteOutcome, WorkOrderClock } from '../after-sales-taxonomy';
import type { Money } from '../money';
import type { Actor } from '../principal';
import type { ProductState } from '../product';
import type { ServiceNetworkState } from '../service-network';
import type { SlaPolicy } from '../sla-policy';
import type { Channel, Severity } from '../taxonomy';
import type { Contact, ProductReference } from './work-order.events';

/**
 * Every command carries the time, the order's id and the acting principal; values looked up
 * elsewhere (the SLA policy, the service network, the product's registry state) come in with it,
 * so decide() reads no clock and no store.
 */
interface CommandBase<Type extends string, Data> {
  readonly type: Type;
  readonly workOrderId: string;
  readonly at: string;
  readonly actor: Actor;
  readonly data: Data;
}

export type ReportFault = CommandBase<'ReportFault', {
  readonly customerId: string;
  readonly contact: Contact;
  readonly address: string;
  readonly region?: string;
  readonly product: ProductReference;
  readonly faultDescription: string;
  readonly channel: Channel;
  readonly priority?: Severity;
  /** The complaint this repair answers, if any. */
  readonly complaintId?: string;
  /** The policy in force, looked up by the handler. */
  readonly policy: SlaPolicy;
  /** ISO 8601 duration; P30D when not given (seed 002's performance review counts repeat repairs within 30 days). */
  readonly repeatRepairWindow?: string;
}>;
export type RecordCustomerContact = CommandBase<'RecordCustomerContact', { readonly channel: Channel; readonly notes?: string }>;
export type DispatchWorkOrder = CommandBase<'DispatchWorkOrder', {
  readonly stationCode: string;
  readonly engineerId: string;
  /** The service network as the handler read it. */
  readonly network: ServiceNetworkState;
  /** Required for a redispatch. */
  readonly reason?: string;
}>;
export type RecordRemoteDiagnosis = CommandBase<'RecordRemoteDiagnosis', { readonly outcome: RemoteOutcome; readonly findings: string }>;
export type ScheduleVisit = CommandBase<'ScheduleVisit', { readonly scheduledFor: string; readonly reason?: string }>;
export type RecordArrival = CommandBase<'RecordArrival', { readonly notes?: string }>;
export type RecordFailedVisit = CommandBase<'RecordFailedVisit', { readonly reason: FailedVisitReason; readonly notes?: string; readonly nextVisitAt: string }>;
export type RecordFindings = CommandBase<'RecordFindings', {
  readonly findings: string;
  readonly faultCause: FaultCause;
  /** Required when the cause is customer damage: the exclusion is recorded with its reason. */
  readonly damageReason?: string;
  /** The registry's state for the order's serial number, as the handler read it. */
  readonly product: ProductState;
}>;
export type QuoteRepair = CommandBase<'QuoteRepair', { readonly lines: ReadonlyArray<{ readonly kind: ChargeKind; readonly description: string; readonly amount: Money }> }>;
/** `quoteNumber`: the quote the customer was shown and answers; a later quote replaced it, the answer is refused (quote-superseded). */
export type ConfirmQuote = CommandBase<'ConfirmQuote', { readonly quoteNumber: number; readonly confirmedBy: string; readonly channel: Channel }>;
export type RefuseQuote = CommandBase<'RefuseQuote', { readonly quoteNumber: number; readonly reason: string; readonly continueWithFreeWork: boolean }>;
export type RecordRepairWork = CommandBase<'RecordRepairWork', {
  readonly description: string;
  readonly parts: ReadonlyArray<{ readonly partNumber: string; readonly name?: string; readonly quantity: number }>;
  /** True for work charged under the confirmed quote; false for work under warranty or free of charge. */
  readonly chargeable: boolean;
}>;
export type RecordFee = CommandBase<'RecordFee', { readonly amount: Money; readonly method: PaymentMethod; readonly receiptNumber?: string }>;
export type RecordTest = CommandBase<'RecordTest', { readonly passed: boolean; readonly notes?: string }>;
export type RecordSignOff = CommandBase<'RecordSignOff', { readonly signedBy: string; readonly remarks?: string }>;
export type HandOverWorkOrder = CommandBase<'HandOverWorkOrder', { readonly notes?: string }>;
export type SendSurvey = CommandBase<'SendSurvey', {
  readonly surveyId: string;
  readonly channel: Channel;
  readonly questions: ReadonlyArray<{ readonly id: string; readonly text: string }>;
  /**
   * The order's latest survey of the survey aggregate (POST /surveys) when it was sent and neither
   * answered nor cancelled, looked up by the handler: the order has one open survey of either kind.
   */
  readonly openSurvey?: { readonly surveyId: string; readonly sentAt: string; readonly expiresAt: string } | null;
}>;
export type RecordSurveyAnswer = CommandBase<'RecordSurveyAnswer', {
  readonly answers: ReadonlyArray<{ readonly questionId: string; readonly score: number; readonly comment?: string }>;
  readonly comment?: string;
}>;
export type CancelWorkOrder = CommandBase<'CancelWorkOrder', { readonly reason: string }>;
export type ReopenWorkOrder = CommandBase<'ReopenWorkOrder', {
  readonly reason: string;
  /** Another active engineer of the order's station for the repeat repair; required when the one who did the repair is no longer active. */
  readonly engineerId?: string;
  /** The service network as the handler read it. */
  readonly network: ServiceNetworkState;
}>;
export type EscalateWorkOrder = CommandBase<'EscalateWorkOrder', {
  readonly to: string;
  readonly level?: number;
  readonly reason: string;
  /** The clock whose time limit is at risk, when that is why. */
  readonly clock?: WorkOrderClock;
}>;
export type LinkComplaint = CommandBase<'LinkComplaint', { readonly complaintId: string; readonly reason?: string }>;
export type RecordWorkOrderSlaBreach = CommandBase<'RecordWorkOrderSlaBreach', { readonly clock: WorkOrderClock }>;

export type WorkOrderCommand =
  | ReportFault
  | RecordCustomerContact
  | DispatchWorkOrder
  | RecordRemoteDiagnosis
  | ScheduleVisit
  | RecordArrival
  | RecordFailedVisit
  | RecordFindings
  | QuoteRepair
  | ConfirmQuote
  | RefuseQuote
  | RecordRepairWork
  | RecordFee
  | RecordTest
  | RecordSignOff
  | HandOverWorkOrder
  | SendSurvey
  | RecordSurveyAnswer
  | CancelWorkOrder
  | ReopenWorkOrder
  | EscalateWorkOrder
  | LinkComplaint
  | RecordWorkOrderSlaBreach;

export type WorkOrderCommandType = WorkOrderCommand['type'];
