import { workOrderClockStepsOf, type WorkOrderClock, type WorkOrderEvent } from '@app/domain';
import { BREACH_RECORDED, DEADLINE, MET, OUTCOME, STARTED, type ClockOutcome } from './clock-tracker';

/**
 * One SLA clock of a work order as the projections keep it, compact (ADR 0011): the complaint clock's
 * tuple plus the repair cycle it belongs to. A repeat repair (WorkOrderReopened) starts new on-site and
 * completion clocks in a new cycle; the first-contact clock belongs to cycle 1 for good.
 */
export type WorkOrderClockState = readonly [startedAt: number, deadline: number, metAt: number | null, breachRecordedAt: number | null, outcome: ClockOutcome, cycle: number];
export const CYCLE = 5;
export { BREACH_RECORDED, DEADLINE, MET, OUTCOME, STARTED };

/** The clocks of the current cycle (and the first-contact clock), by name. */
export type WorkOrderClocks = Partial<Record<WorkOrderClock, WorkOrderClockState>>;

/** A clock reaching its final outcome, met or breached; each clock of each cycle does so at most once. */
export interface WorkOrderClockTransition {
  readonly clock: WorkOrderClock;
  readonly cycle: number;
  readonly outcome: 'met' | 'breached';
  readonly at: string;
  /** Epoch milliseconds. */
  readonly deadline: number;
}

/** A clock whose state an event changed: the current one, or one of an earlier cycle that a reopen retired. */
export interface ChangedWorkOrderClock {
  readonly clock: WorkOrderClock;
  readonly state: WorkOrderClockState;
}

/**
 * The one place that decides whether a work order's clock was met, breached or cancelled, for every
 * read model that reports on it (the SLA clocks, the statistics, the repair history, the board). The
 * steps are the domain's (workOrderClockStepsOf); met when the step came at or before the deadline,
 * breached when it came after or when the monitor recorded the deadline passing
 * (WorkOrderSlaBreached, for its cycle). A cancelled order runs no clock: the running ones end
 * `cancelled`. A reopen retires a survey clock still running (the repair was not over after all;
 * the next hand-over starts a new one) and starts the new cycle's on-site and completion clocks.
 */
export function trackWorkOrderClocks(clocks: WorkOrderClocks, event: WorkOrderEvent): { clocks: WorkOrderClocks; transitions: WorkOrderClockTransition[]; changed: ChangedWorkOrderClock[] } {
  const next: Partial<Record<WorkOrderClock, WorkOrderClockState>> = { ...clocks };
  const transitions: WorkOrderClockTransition[] = [];
  const changed = new Map<string, ChangedWorkOrderClock>();
  const set = (clock: WorkOrderClock, state: WorkOrderClockState) => {
    next[clock] = state;
    changed.set(`${clock}:${state[CYCLE]}`, { clock, state });
  };
  const end = (clock: WorkOrderClock, outcome: 'cancelled') => {
    const state = next[clock];
    if (state?.[OUTCOME] === 'running') set(clock, [state[STARTED], state[DEADLINE], state[MET], state[BREACH_RECORDED], outcome, state[CYCLE]]);
  };
  const start = (clock: WorkOrderClock, startedAt: string, deadline: string, cycle: number) => {
    end(clock, 'cancelled');
    set(clock, [Date.parse(startedAt), Date.parse(deadline), null, null, 'running', cycle]);
  };
  const complete = (clock: WorkOrderClock, at: string) => {
    const state = next[clock];
    // A step meets its clock only the first time in a cycle.
    if (!state || state[MET] !== null || state[OUTCOME] === 'cancelled') return;
    const atMs = Date.parse(at);
    if (state[OUTCOME] === 'running') {
      const outcome = atMs <= state[DEADLINE] ? 'met' : 'breached';
      set(clock, [state[STARTED], state[DEADLINE], atMs, state[BREACH_RECORDED], outcome, state[CYCLE]]);
      transitions.push({ clock, cycle: state[CYCLE], outcome, at, deadline: state[DEADLINE] });
    } else set(clock, [state[STARTED], state[DEADLINE], atMs, state[BREACH_RECORDED], state[OUTCOME], state[CYCLE]]);
  };

  for (const step of workOrderClockStepsOf(event)) complete(step.clock, step.at);
  switch (event.type) {
    case 'WorkOrderReported': {
      const { reportedAt, sla } = event.data;
      start('first-contact', reportedAt, sla.firstContactDue, 1);
      start('on-site', reportedAt, sla.onSiteDue, 1);
      start('completion', reportedAt, sla.completionDue, 1);
      break;
    }
    case 'WorkOrderClosed':
      if (event.data.surveyDue !== null) start('survey', event.data.closedAt, event.data.surveyDue, event.data.cycle);
      break;
    case 'WorkOrderCancelled':
      for (const clock of Object.keys(next) as WorkOrderClock[]) end(clock, 'cancelled');
      break;
    case 'WorkOrderReopened': {
      const { reopenedAt, cycle, onSiteDue, completionDue } = event.data;
      end('survey', 'cancelled');
      start('on-site', reopenedAt, onSiteDue, cycle);
      start('completion', reopenedAt, completionDue, cycle);
      break;
    }
    case 'WorkOrderSlaBreached': {
      const { clock, cycle, detectedAt } = event.data;
      const state = next[clock];
      // The first-contact clock is the order's, whatever cycle the monitor was in; the others are their cycle's.
      if (!state || (clock !== 'first-contact' && state[CYCLE] !== cycle)) break;
      const detected = Date.parse(detectedAt);
      if (state[OUTCOME] === 'running') {
        set(clock, [state[STARTED], state[DEADLINE], state[MET], detected, 'breached', state[CYCLE]]);
        transitions.push({ clock, cycle: state[CYCLE], outcome: 'breached', at: detectedAt, deadline: state[DEADLINE] });
      } else if (state[BREACH_RECORDED] === null) set(clock, [state[STARTED], state[DEADLINE], state[MET], detected, state[OUTCOME], state[CYCLE]]);
      break;
    }
    case 'WorkOrderCustomerContacted':
    case 'WorkOrderDispatched':
    case 'WorkOrderRemotelyDiagnosed':
    case 'WorkOrderVisitScheduled':
    case 'WorkOrderEngineerArrived':
    case 'WorkOrderVisitFailed':
    case 'WorkOrderFindingsRecorded':
    case 'WorkOrderWarrantyAssessed':
    case 'WorkOrderQuoted':
    case 'WorkOrderQuoteConfirmed':
    case 'WorkOrderQuoteRefused':
    case 'WorkOrderRepairWorkRecorded':
    case 'WorkOrderFeeCharged':
    case 'WorkOrderTested':
    case 'WorkOrderSignedOff':
    case 'WorkOrderSurveySent':
    case 'WorkOrderSurveyAnswered':
    case 'WorkOrderEscalated':
    case 'WorkOrderLinkedToComplaint':
      break;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
  return { clocks: next, transitions, changed: [...changed.values()] };
}

/** The clocks still waiting for their step (running, or breached with the step still missing), soonest deadline first. */
export function pendingClocks(clocks: WorkOrderClocks): Array<{ clock: WorkOrderClock; state: WorkOrderClockState }> {
  return (Object.entries(clocks) as Array<[WorkOrderClock, WorkOrderClockState]>)
    .filter(([, state]) => state[MET] === null && state[OUTCOME] !== 'cancelled' && state[OUTCOME] !== 'met')
    .map(([clock, state]) => ({ clock, state }))
    .sort((a, b) => a.state[DEADLINE] - b.state[DEADLINE] || a.clock.localeCompare(b.clock));
}
