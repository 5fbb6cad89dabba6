import type { WorkOrderClock } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';
import { workOrderEventOf, workOrderKey } from '../after-sales-event';
import { isoOf, isoOrNull, type ClockOutcome } from '../clock-tracker';
import { visibleTo } from '../complaint-list/complaint-list.projection';
import { BREACH_RECORDED, CYCLE, DEADLINE, MET, OUTCOME, STARTED, trackWorkOrderClocks, type WorkOrderClocks } from '../work-order-clocks';

export const WORK_ORDER_SLA = 'work-order-sla';

/** What every clock of an order reports about the order (its station and engineer as of now). */
interface OrderContext {
  readonly stationCode: string | null;
  readonly engineerId: string | null;
  readonly priority: string;
  readonly customerId: string;
  readonly reportedBy: string;
  readonly policyVersion: string;
  readonly calendar: string;
}

/** One SLA obligation of one work order in one repair cycle. */
export interface WorkOrderClockDocument extends Omit<OrderContext, 'reportedBy'> {
  readonly id: string;
  readonly workOrderId: string;
  readonly clock: WorkOrderClock;
  readonly cycle: number;
  readonly status: ClockOutcome;
  readonly startedAt: string;
  readonly deadline: string;
  readonly metAt: string | null;
  readonly breached: boolean;
  readonly breachRecordedAt: string | null;
  /** How late the step came (ms), once it came late. */
  readonly overdueMs: number | null;
  /** `department:<station>` or `received-by:<actor>` before the dispatch, as in the work-order list. */
  readonly visibleTo: string;
  readonly [key: string]: unknown;
}

interface OrderFacts extends OrderContext {
  readonly id: string;
  readonly clocks: WorkOrderClocks;
  readonly [key: string]: unknown;
}

/** Id of a clock document: one per clock and cycle. */
export const workOrderClockId = (workOrderId: string, clock: WorkOrderClock, cycle: number): string => `${workOrderId}:${clock}:${cycle}`;

/**
 * The SLA clocks of work orders (first contact, on-site arrival, completion, survey), one document per
 * clock and repair cycle, as sla/clocks is for complaints: what the work-order SLA monitor reads to
 * find the deadlines that passed without their step.
 */
export const workOrderSlaProjection: Projection = {
  name: WORK_ORDER_SLA,
  // v2: visibleTo names the reporter by its principalKey, as the work-order list does.
  version: 2,
  collections: [
    { name: 'orders' },
    { name: 'clocks', indexes: [['status', 'deadline'], ['breached', 'deadline'], ['stationCode', 'deadline'], ['engineerId', 'deadline'], ['visibleTo', 'deadline'], ['workOrderId']] },
  ],
  reads: (recorded) => workOrderKey('orders', recorded),
  apply(recorded: RecordedEvent, context: ProjectionContext): void {
    const event = workOrderEventOf(recorded);
    if (!event) return;
    const id = event.data.workOrderId;
    let facts: OrderFacts | undefined;
    if (event.type === 'WorkOrderReported') {
      const { data } = event;
      facts = {
        id, clocks: {}, stationCode: null, engineerId: null, priority: data.priority, customerId: data.customerId, reportedBy: data.reportedBy.id,
        policyVersion: data.sla.policyVersion, calendar: `${data.sla.calendar.id}@${data.sla.calendar.version}`,
      };
    } else facts = context.get<OrderFacts>('orders', id);
    if (!facts) return;
    if (event.type === 'WorkOrderDispatched') facts = { ...facts, stationCode: event.data.station.code, engineerId: event.data.engineer.id };
    const { clocks, changed } = trackWorkOrderClocks(facts.clocks, event);
    facts = { ...facts, clocks };
    context.put('orders', facts);

    // A dispatch changes who owns every clock of the cycle; otherwise only the clocks the event changed.
    const touched = event.type === 'WorkOrderDispatched'
      ? (Object.entries(clocks) as Array<[WorkOrderClock, NonNullable<WorkOrderClocks[WorkOrderClock]>]>).map(([clock, state]) => ({ clock, state }))
      : changed;
    for (const { clock, state } of touched) {
      const metAt = state[MET];
      const document: WorkOrderClockDocument = {
        id: workOrderClockId(id, clock, state[CYCLE]), workOrderId: id, clock, cycle: state[CYCLE], status: state[OUTCOME],
        startedAt: isoOf(state[STARTED]), deadline: isoOf(state[DEADLINE]), metAt: isoOrNull(metAt), breached: state[OUTCOME] === 'breached',
        breachRecordedAt: isoOrNull(state[BREACH_RECORDED]), overdueMs: metAt !== null && state[OUTCOME] === 'breached' ? Math.max(0, metAt - state[DEADLINE]) : null,
        stationCode: facts.stationCode, engineerId: facts.engineerId, priority: facts.priority, customerId: facts.customerId,
        policyVersion: facts.policyVersion, calendar: facts.calendar, visibleTo: visibleTo(facts.stationCode, facts.reportedBy),
      };
      context.put('clocks', document);
    }
  },
};
