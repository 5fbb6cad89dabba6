import type { ClosureOutcome, FaultCause, RemoteOutcome, WorkOrderClock } from '../after-sales-taxonomy';
import type { Money } from '../money';
import type { Actor } from '../principal';
import type { WarrantyDecision } from '../product';
import type { Channel, Label, Severity } from '../taxonomy';
import type { Contact, PartUsed, ProductReference, QuoteLine, SurveyAnswer, SurveyQuestion } from './work-order.events';
import type { WorkOrderSlaTerms } from './work-order.sla-terms';

/** One repair of the order: the first, or a repeat repair after a reopen, each with its own deadlines. */
export interface RepairCycle {
  readonly number: number;
  readonly startedAt: string;
  readonly onSiteDue: string;
  readonly completionDue: string;
}

/** What every work order has from the report on. */
export interface WorkOrderCore {
  readonly id: string;
  readonly customerId: string;
  /** Null when the personal part of the report cannot be read (the customer was erased). */
  readonly contact: Contact | null;
  readonly address: string | null;
  readonly region: string | null;
  readonly product: ProductReference;
  readonly faultDescription: string;
  readonly channel: Channel;
  readonly priority: Severity;
  readonly reportedAt: string;
  readonly reportedBy: Actor;
  readonly sla: WorkOrderSlaTerms;
  readonly repeatRepairWindow: string;
  readonly linkedComplaintIds: readonly string[];
  readonly firstContactAt: string | null;
  readonly escalation: { readonly level: number; readonly to: string; readonly at: string } | null;
  readonly cycle: RepairCycle;
  /** Clocks whose breach is recorded in this cycle (the first-contact breach stays across cycles). */
  readonly breaches: readonly WorkOrderClock[];
  /** Visit and quote numbers run over the whole order. */
  readonly visitCount: number;
  readonly quoteCount: number;
  /**
   * Every fee charged on the order, of every repair cycle, oldest first. `repair.fee` is the current
   * cycle's and starts over at a reopen; these stay, so that a paid order is never cancelled and its
   * view never loses money the customer paid.
   */
  readonly feesCharged: readonly ChargedFee[];
}

export interface ChargedFee {
  readonly cycle: number;
  readonly amount: Money;
  readonly quoteNumber: number;
  readonly at: string;
}

export interface Dispatch {
  readonly stationCode: string;
  readonly stationName: Label;
  readonly engineerId: string;
  readonly engineerName: string;
  readonly dispatchedAt: string;
}

export interface Quote {
  readonly number: number;
  readonly lines: readonly QuoteLine[];
  readonly total: Money;
  readonly status: 'pending' | 'confirmed' | 'refused';
}

export interface WorkEntry {
  readonly description: string;
  readonly parts: readonly PartUsed[];
  readonly chargeable: boolean;
  readonly recordedAt: string;
}

/** The facts of the current repair cycle, filled in as the work order (派工单) is. */
export interface RepairProgress {
  readonly remoteDiagnosis: { readonly outcome: RemoteOutcome; readonly findings: string; readonly at: string } | null;
  /** The first arrival of the cycle: it meets the on-site clock. */
  readonly arrivedAt: string | null;
  readonly findings: { readonly text: string; readonly faultCause: FaultCause; readonly damageReason: string | null; readonly at: string } | null;
  readonly warranty: WarrantyDecision | null;
  readonly quote: Quote | null;
  readonly work: readonly WorkEntry[];
  readonly fee: { readonly amount: Money; readonly quoteNumber: number; readonly at: string } | null;
  /** The last test since the last work recorded; more work makes a new test necessary. */
  readonly lastTest: { readonly passed: boolean; readonly at: string } | null;
}

export const NO_REPAIR_PROGRESS: RepairProgress = {
  remoteDiagnosis: null, arrivedAt: null, findings: null, warranty: null, quote: null, work: [], fee: null, lastTest: null,
};

export interface Survey {
  readonly surveyId: string;
  readonly channel: Channel;
  readonly sentAt: string;
  readonly questions: readonly SurveyQuestion[];
  readonly answer: { readonly answers: readonly SurveyAnswer[]; readonly comment: string | null; readonly answeredAt: string } | null;
}

type Dispatched = WorkOrderCore & { readonly dispatch: Dispatch; readonly repair: RepairProgress };

export type NoWorkOrder = { readonly status: 'none' };
export type ReportedWorkOrder = WorkOrderCore & { readonly status: 'reported' };
export type DispatchedWorkOrder = Dispatched & { readonly status: 'dispatched' };
export type VisitScheduledWorkOrder = Dispatched & { readonly status: 'visit-scheduled'; readonly visit: { readonly number: number; readonly scheduledFor: string } };
export type OnSiteWorkOrder = Dispatched & {
  readonly status: 'on-site';
  readonly visit: { readonly number: number; readonly scheduledFor: string | null; readonly arrivedAt: string };
};
/** Fixed by phone or network (远程故障排除): straight to the customer's confirmation. */
export type FixedRemotelyWorkOrder = Dispatched & { readonly status: 'fixed-remotely' };
export type SignedOffWorkOrder = Dispatched & { readonly status: 'signed-off'; readonly signOff: { /** Null once the customer's personal data were erased. */ readonly signedBy: string | null; readonly at: string } };
export type ClosedWorkOrder = Dispatched & {
  readonly status: 'closed';
  readonly closure: { readonly outcome: ClosureOutcome; readonly closedAt: string; readonly surveyDue: string | null };
  readonly survey: Survey | null;
};
export type CancelledWorkOrder = WorkOrderCore & {
  readonly status: 'cancelled';
  readonly dispatch: Dispatch | null;
  readonly cancellation: { readonly reason: string; readonly at: string };
};

export type WorkOrderState =
  | NoWorkOrder
  | ReportedWorkOrder
  | DispatchedWorkOrder
  | VisitScheduledWorkOrder
  | OnSiteWorkOrder
  | FixedRemotelyWorkOrder
  | SignedOffWorkOrder
  | ClosedWorkOrder
  | CancelledWorkOrder;

export type ExistingWorkOrder = Exclude<WorkOrderState, NoWorkOrder>;
export type WorkOrderStatus = WorkOrderState['status'];

/** Every status a work order on record can be in, in the order of the flow. */
export const WORK_ORDER_STATUSES = ['reported', 'dispatched', 'visit-scheduled', 'on-site', 'fixed-remotely', 'signed-off', 'closed', 'cancelled'] as const satisfies ReadonlyArray<Exclude<WorkOrderStatus, 'none'>>;

export const initialWorkOrderState: WorkOrderState = { status: 'none' };

/** Whether chargeable work is recorded in the cycle: the fee is then due before the hand-over. */
export const hasChargeableWork = (repair: RepairProgress): boolean => repair.work.some((entry) => entry.chargeable);
