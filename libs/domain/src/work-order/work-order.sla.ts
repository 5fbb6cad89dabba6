import { afterSalesCodes, type WorkOrderClock } from '../after-sales-taxonomy';
import { assertNever } from '../assert-never';
import type { WorkOrderEvent } from './work-order.events';
import type { ExistingWorkOrder } from './work-order.state';

/**
 * The clocks of a work order, as pure functions over its state (the decider uses them to refuse
 * a breach or an escalation that does not hold, the SLA monitor to find what to record).
 */
export const WORK_ORDER_CLOCKS: readonly WorkOrderClock[] = afterSalesCodes('workOrderClock');

/** Deadline of a clock in this state, or null when it does not run: a cancelled order runs none, the survey clock starts at the hand-over. */
export function workOrderClockDeadline(state: ExistingWorkOrder, clock: WorkOrderClock): string | null {
  if (state.status === 'cancelled') return null;
  switch (clock) {
    case 'first-contact':
      return state.sla.firstContactDue;
    case 'on-site':
      return state.cycle.onSiteDue;
    case 'completion':
      return state.cycle.completionDue;
    case 'survey':
      return state.status === 'closed' ? state.closure.surveyDue : null;
    default:
      return assertNever(clock);
  }
}

/**
 * Whether the step a clock waits for has happened in the current cycle: any contact with the
 * customer (a call, a remote diagnosis, an agreed visit, an arrival); the engineer's arrival, or a
 * remote fix that made the visit unnecessary; the close; the survey sent (the answer is the
 * customer's, not ours to meet).
 */
export function workOrderClockMet(state: ExistingWorkOrder, clock: WorkOrderClock): boolean {
  switch (clock) {
    case 'first-contact':
      return state.firstContactAt !== null;
    case 'on-site':
      return 'repair' in state && (state.repair.arrivedAt !== null || state.repair.remoteDiagnosis?.outcome === 'fixed-remotely');
    case 'completion':
      return state.status === 'closed';
    case 'survey':
      return state.status === 'closed' && state.survey !== null;
    default:
      return assertNever(clock);
  }
}

/**
 * The SLA steps an event takes, with their times: the rule every read model follows, as
 * workOrderClockMet does for the decider. A step meets its clock only the first time in a cycle.
 */
export function workOrderClockStepsOf(event: WorkOrderEvent): ReadonlyArray<{ readonly clock: WorkOrderClock; readonly at: string }> {
  switch (event.type) {
    case 'WorkOrderCustomerContacted':
      return [{ clock: 'first-contact', at: event.data.contactedAt }];
    case 'WorkOrderRemotelyDiagnosed':
      return event.data.outcome === 'fixed-remotely'
        ? [{ clock: 'first-contact', at: event.data.diagnosedAt }, { clock: 'on-site', at: event.data.diagnosedAt }]
        : [{ clock: 'first-contact', at: event.data.diagnosedAt }];
    case 'WorkOrderVisitScheduled':
      return [{ clock: 'first-contact', at: event.data.scheduledAt }];
    case 'WorkOrderEngineerArrived':
      return [{ clock: 'first-contact', at: event.data.arrivedAt }, { clock: 'on-site', at: event.data.arrivedAt }];
    case 'WorkOrderClosed':
      return [{ clock: 'completion', at: event.data.closedAt }];
    case 'WorkOrderSurveySent':
      return [{ clock: 'survey', at: event.data.sentAt }];
    default:
      return [];
  }
}

export interface ClockAtRisk {
  readonly clock: WorkOrderClock;
  readonly deadline: string;
  /** Negative once the deadline has passed. */
  readonly dueInMs: number;
  readonly breachRecorded: boolean;
}

/**
 * The running clocks whose deadline is within `withinMs` of `at` or already past: while the order is
 * open, the candidates for an escalation; after the hand-over only the survey clock runs, and a closed
 * order is not escalated: it calls for a reminder.
 */
export function workOrderClocksAtRisk(state: ExistingWorkOrder, at: string, withinMs: number): ClockAtRisk[] {
  return WORK_ORDER_CLOCKS.flatMap((clock) => {
    const deadline = workOrderClockDeadline(state, clock);
    if (deadline === null || workOrderClockMet(state, clock)) return [];
    const dueInMs = Date.parse(deadline) - Date.parse(at);
    return dueInMs <= withinMs ? [{ clock, deadline, dueInMs, breachRecorded: state.breaches.includes(clock) }] : [];
  });
}
