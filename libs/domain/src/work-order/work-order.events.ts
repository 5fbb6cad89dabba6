import type {
  ChargeKind, ClosureOutcome, FailedVisitReason, FaultCause, PaymentMethod, RemoteOutcome, WorkOrderClock,
} from '../after-sales-taxonomy';
import type { Money } from '../money';
import type { SatisfactionSurveyComments, SatisfactionSurveyScore } from '../survey/survey.events';
import type { Actor } from '../principal';
import type { WarrantyDecision } from '../product';
import type { Channel, Label, Severity } from '../taxonomy';
import type { WorkOrderSlaTerms } from './work-order.sla-terms';

/**
 * A repair work order (售后服务派工单) from the report to the survey, after seed 002's flow:
 * 报修 → 派单/派工 → 远程故障排除 → 上门 → 派工单 → 保修/报价 → 收费 → 调试与上线测试 → 客户签字 → 交接 → 满意度调查.
 * The stored type strings are the contract; `data` holds the facts with their times.
 */
export interface Contact {
  readonly name: string;
  readonly phone: string;
}

export interface ProductReference {
  readonly model: string;
  /** Canonical serial number (canonicalSerialNumber): the product registry's id. */
  readonly serialNumber: string;
}

export interface QuoteLine {
  readonly kind: ChargeKind;
  readonly description: string;
  readonly amount: Money;
}

export interface PartUsed {
  readonly partNumber: string;
  readonly name: string | null;
  readonly quantity: number;
}

export interface SurveyQuestion {
  readonly id: string;
  readonly text: string;
}

export interface SurveyAnswer {
  readonly questionId: string;
  /** 1 (very unsatisfied) to 5 (very satisfied). */
  readonly score: number;
  readonly comment: string | null;
}

export interface WorkOrderReported {
  readonly type: 'WorkOrderReported';
  readonly data: {
    readonly workOrderId: string;
    readonly reportedAt: string;
    readonly reportedBy: Actor;
    readonly customerId: string;
    /**
     * Who to reach and where (personal data, docs/adr/0013, 0019): under the one `personal` key, so
     * that it is encrypted with the customer's key and unreadable after an erasure (then null).
     * Version 1 kept `contact` and `address` at the top; the upcaster moves them here.
     */
    readonly personal: { readonly contact: Contact; readonly address: string } | null;
    /** Region code of the address, for dispatch to the region's service point. */
    readonly region: string | null;
    readonly product: ProductReference;
    readonly faultDescription: string;
    readonly channel: Channel;
    readonly priority: Severity;
    /** The complaint that led to this order, if any. */
    readonly linkedComplaintId: string | null;
    /** Deadlines in force, captured so that a later policy change never rewrites them. */
    readonly sla: WorkOrderSlaTerms;
    /** ISO 8601 duration after the hand-over within which a returning fault reopens this order (a repeat repair). */
    readonly repeatRepairWindow: string;
  };
}

export interface WorkOrderCustomerContacted {
  readonly type: 'WorkOrderCustomerContacted';
  readonly data: { readonly workOrderId: string; readonly contactedAt: string; readonly by: Actor; readonly channel: Channel; readonly notes: string | null; readonly firstContact: boolean };
}

export interface WorkOrderDispatched {
  readonly type: 'WorkOrderDispatched';
  readonly data: {
    readonly workOrderId: string;
    readonly dispatchedAt: string;
    readonly by: Actor;
    /** The station and engineer as the directory named them then. */
    readonly station: { readonly code: string; readonly name: Label };
    readonly engineer: { readonly id: string; readonly name: string };
    readonly reason: string | null;
    /** The dispatch this one replaces (redispatch), or null for the first. */
    readonly previous: { readonly stationCode: string; readonly engineerId: string } | null;
  };
}

export interface WorkOrderRemotelyDiagnosed {
  readonly type: 'WorkOrderRemotelyDiagnosed';
  readonly data: { readonly workOrderId: string; readonly diagnosedAt: string; readonly by: Actor; readonly outcome: RemoteOutcome; readonly findings: string };
}

export interface WorkOrderVisitScheduled {
  readonly type: 'WorkOrderVisitScheduled';
  readonly data: {
    readonly workOrderId: string;
    readonly scheduledAt: string;
    readonly by: Actor;
    readonly visitNumber: number;
    readonly scheduledFor: string;
    /** True when it moves a visit already scheduled (same number); the reason says why. */
    readonly rescheduled: boolean;
    readonly reason: string | null;
  };
}

export interface WorkOrderEngineerArrived {
  readonly type: 'WorkOrderEngineerArrived';
  readonly data: {
    readonly workOrderId: string;
    readonly arrivedAt: string;
    readonly by: Actor;
    readonly visitNumber: number;
    /** When the visit was scheduled for; null for a visit nobody scheduled. */
    readonly scheduledFor: string | null;
    readonly engineerId: string;
    readonly notes: string | null;
  };
}

export interface WorkOrderVisitFailed {
  readonly type: 'WorkOrderVisitFailed';
  readonly data: {
    readonly workOrderId: string;
    readonly failedAt: string;
    readonly by: Actor;
    readonly visitNumber: number;
    readonly reason: FailedVisitReason;
    readonly notes: string | null;
    /** A failed visit always schedules the next one. */
    readonly nextVisit: { readonly visitNumber: number; readonly scheduledFor: string };
  };
}

export interface WorkOrderFindingsRecorded {
  readonly type: 'WorkOrderFindingsRecorded';
  readonly data: {
    readonly workOrderId: string;
    readonly recordedAt: string;
    readonly by: Actor;
    readonly findings: string;
    readonly faultCause: FaultCause;
    readonly damageReason: string | null;
  };
}

/** Computed from the product registry by decideWarranty, never typed by hand. */
export interface WorkOrderWarrantyAssessed {
  readonly type: 'WorkOrderWarrantyAssessed';
  readonly data: { readonly workOrderId: string; readonly assessedAt: string; readonly by: Actor; readonly decision: WarrantyDecision };
}

export interface WorkOrderQuoted {
  readonly type: 'WorkOrderQuoted';
  readonly data: {
    readonly workOrderId: string;
    readonly quotedAt: string;
    readonly by: Actor;
    readonly quoteNumber: number;
    readonly lines: readonly QuoteLine[];
    readonly total: Money;
    /** The pending quote this one replaces, if any. */
    readonly replaces: number | null;
  };
}

export interface WorkOrderQuoteConfirmed {
  readonly type: 'WorkOrderQuoteConfirmed';
  readonly data: {
    readonly workOrderId: string;
    readonly confirmedAt: string;
    readonly by: Actor;
    readonly quoteNumber: number;
    readonly total: Money;
    /**
     * The customer's name as they confirmed (personal data, docs/adr/0019): under `personal`, encrypted
     * with the customer's key, null once erased. Version 1 kept `confirmedBy` at the top; the upcaster moves it.
     */
    readonly personal: { readonly confirmedBy: string } | null;
    readonly channel: Channel;
  };
}

export interface WorkOrderQuoteRefused {
  readonly type: 'WorkOrderQuoteRefused';
  readonly data: {
    readonly workOrderId: string;
    readonly refusedAt: string;
    readonly by: Actor;
    readonly quoteNumber: number;
    readonly total: Money;
    readonly reason: string;
    /** False: the order closes with no chargeable work (a WorkOrderClosed follows); true: it goes on with free work only. */
    readonly continueWithFreeWork: boolean;
  };
}

export interface WorkOrderRepairWorkRecorded {
  readonly type: 'WorkOrderRepairWorkRecorded';
  readonly data: {
    readonly workOrderId: string;
    readonly recordedAt: string;
    readonly by: Actor;
    readonly description: string;
    readonly parts: readonly PartUsed[];
    readonly chargeable: boolean;
    /** The confirmed quote chargeable work is done under; null for free work. */
    readonly quoteNumber: number | null;
  };
}

export interface WorkOrderFeeCharged {
  readonly type: 'WorkOrderFeeCharged';
  readonly data: {
    readonly workOrderId: string;
    readonly chargedAt: string;
    readonly by: Actor;
    readonly quoteNumber: number;
    readonly amount: Money;
    readonly method: PaymentMethod;
    readonly receiptNumber: string | null;
  };
}

export interface WorkOrderTested {
  readonly type: 'WorkOrderTested';
  readonly data: { readonly workOrderId: string; readonly testedAt: string; readonly by: Actor; readonly passed: boolean; readonly notes: string | null };
}

export interface WorkOrderSignedOff {
  readonly type: 'WorkOrderSignedOff';
  readonly data: {
    readonly workOrderId: string;
    readonly signedOffAt: string;
    readonly by: Actor;
    /** Who signed (personal data, like the quote's confirmation): null once erased. Version 1 kept `signedBy` at the top. */
    readonly personal: { readonly signedBy: string } | null;
    readonly remarks: string | null;
  };
}

/** The hand-over (交接) closes the order; so does a refused quote the customer does not want free work after. */
export interface WorkOrderClosed {
  readonly type: 'WorkOrderClosed';
  readonly data: {
    readonly workOrderId: string;
    readonly closedAt: string;
    readonly by: Actor;
    readonly outcome: ClosureOutcome;
    readonly notes: string | null;
    /** The repair cycle closed (2 and up after a repeat repair). */
    readonly cycle: number;
    /** Deadline of the satisfaction survey, from the callback duration captured at the report; null when none applies. */
    readonly surveyDue: string | null;
  };
}

export interface WorkOrderSurveySent {
  readonly type: 'WorkOrderSurveySent';
  readonly data: {
    readonly workOrderId: string;
    readonly sentAt: string;
    readonly by: Actor;
    readonly surveyId: string;
    readonly channel: Channel;
    readonly questions: readonly SurveyQuestion[];
  };
}

export interface WorkOrderSurveyAnswered {
  readonly type: 'WorkOrderSurveyAnswered';
  readonly data: {
    readonly workOrderId: string;
    readonly answeredAt: string;
    readonly by: Actor;
    readonly surveyId: string;
    /** The scores; the comments are under `personal` (v2, issue 19), as a SatisfactionSurveyAnswered keeps them. */
    readonly answers: readonly SatisfactionSurveyScore[];
    /** The customer's own words, sealed with their key and erased with it (docs/adr/0019); null when none was given, and once erased. */
    readonly personal: SatisfactionSurveyComments | null;
  };
}

export type OpenWorkOrderStatus = 'reported' | 'dispatched' | 'visit-scheduled' | 'on-site' | 'fixed-remotely';

export interface WorkOrderCancelled {
  readonly type: 'WorkOrderCancelled';
  readonly data: { readonly workOrderId: string; readonly cancelledAt: string; readonly by: Actor; readonly reason: string; readonly previousStatus: OpenWorkOrderStatus };
}

/** The fault came back within the repeat-repair window: a new repair cycle with its own on-site and completion deadlines. */
export interface WorkOrderReopened {
  readonly type: 'WorkOrderReopened';
  readonly data: {
    readonly workOrderId: string;
    readonly reopenedAt: string;
    readonly by: Actor;
    readonly reason: string;
    readonly cycle: number;
    readonly previousClosedAt: string;
    readonly onSiteDue: string;
    readonly completionDue: string;
  };
}

export interface WorkOrderEscalated {
  readonly type: 'WorkOrderEscalated';
  readonly data: {
    readonly workOrderId: string;
    readonly escalatedAt: string;
    readonly by: Actor;
    readonly to: string;
    readonly level: number;
    readonly reason: string;
    /** `sla-at-risk`: a running clock's deadline is near or past; `authority`: beyond the handler's authority. */
    readonly trigger: 'authority' | 'sla-at-risk';
    readonly clock: WorkOrderClock | null;
    readonly deadline: string | null;
  };
}

export interface WorkOrderLinkedToComplaint {
  readonly type: 'WorkOrderLinkedToComplaint';
  readonly data: { readonly workOrderId: string; readonly linkedAt: string; readonly by: Actor; readonly complaintId: string; readonly reason: string | null };
}

/** A deadline passed without its step: appended by the SLA monitor through the decider. */
export interface WorkOrderSlaBreached {
  readonly type: 'WorkOrderSlaBreached';
  readonly data: { readonly workOrderId: string; readonly clock: WorkOrderClock; readonly deadline: string; readonly cycle: number; readonly detectedAt: string; readonly by: Actor };
}

export type WorkOrderEvent =
  | WorkOrderReported
  | WorkOrderCustomerContacted
  | WorkOrderDispatched
  | WorkOrderRemotelyDiagnosed
  | WorkOrderVisitScheduled
  | WorkOrderEngineerArrived
  | WorkOrderVisitFailed
  | WorkOrderFindingsRecorded
  | WorkOrderWarrantyAssessed
  | WorkOrderQuoted
  | WorkOrderQuoteConfirmed
  | WorkOrderQuoteRefused
  | WorkOrderRepairWorkRecorded
  | WorkOrderFeeCharged
  | WorkOrderTested
  | WorkOrderSignedOff
  | WorkOrderClosed
  | WorkOrderSurveySent
  | WorkOrderSurveyAnswered
  | WorkOrderCancelled
  | WorkOrderReopened
  | WorkOrderEscalated
  | WorkOrderLinkedToComplaint
  | WorkOrderSlaBreached;

export type WorkOrderEventType = WorkOrderEvent['type'];

export const WORK_ORDER_EVENT_TYPES: readonly WorkOrderEventType[] = [
  'WorkOrderReported',
  'WorkOrderCustomerContacted',
  'WorkOrderDispatched',
  'WorkOrderRemotelyDiagnosed',
  'WorkOrderVisitScheduled',
  'WorkOrderEngineerArrived',
  'WorkOrderVisitFailed',
  'WorkOrderFindingsRecorded',
  'WorkOrderWarrantyAssessed',
  'WorkOrderQuoted',
  'WorkOrderQuoteConfirmed',
  'WorkOrderQuoteRefused',
  'WorkOrderRepairWorkRecorded',
  'WorkOrderFeeCharged',
  'WorkOrderTested',
  'WorkOrderSignedOff',
  'WorkOrderClosed',
  'WorkOrderSurveySent',
  'WorkOrderSurveyAnswered',
  'WorkOrderCancelled',
  'WorkOrderReopened',
  'WorkOrderEscalated',
  'WorkOrderLinkedToComplaint',
  'WorkOrderSlaBreached',
];

export const workOrderStreamName = (workOrderId: string): string => `work-order-${workOrderId}`;
