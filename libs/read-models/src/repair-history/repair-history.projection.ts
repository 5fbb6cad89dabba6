import type { ClosureOutcome, Money } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';
import { meanScore, workOrderEventOf, workOrderKey } from '../after-sales-event';
import { trackWorkOrderClocks, type WorkOrderClocks } from '../work-order-clocks';

export const REPAIR_HISTORY = 'repair-history';

/** One repair cycle of an order as the customer lived it: the first repair, or a repeat repair. */
export interface RepairCycleOutcome {
  readonly cycle: number;
  readonly startedAt: string;
  readonly arrivedAt: string | null;
  readonly failedVisits: number;
  readonly faultCause: string | null;
  readonly warrantyVerdict: string | null;
  readonly chargeableWork: boolean;
  readonly fee: Money | null;
  readonly closedAt: string | null;
  readonly outcome: ClosureOutcome | null;
  /** How its on-site and completion clocks ended: met, breached, or null while running (or cancelled). */
  readonly onSite: 'met' | 'breached' | null;
  readonly completion: 'met' | 'breached' | null;
  readonly satisfaction: number | null;
}

/** One work order of a customer with the outcome of each of its repair cycles. */
export interface RepairRecord {
  readonly id: string;
  readonly customerId: string;
  readonly reportedAt: string;
  readonly productSerial: string;
  readonly productModel: string;
  readonly priority: string;
  readonly status: string;
  readonly stationCode: string | null;
  readonly engineerId: string | null;
  readonly cancelledAt: string | null;
  readonly linkedComplaintIds: string[];
  readonly cycles: RepairCycleOutcome[];
  readonly [key: string]: unknown;
}

interface StoredRepair extends RepairRecord {
  readonly clocks: WorkOrderClocks;
}

/** What a customer's repairs add up to: the figures a customer view (and its loyalty factors) can use. */
export interface CustomerRepairSummary {
  readonly id: string;
  readonly orders: number;
  readonly open: number;
  /** Hand-overs of a repaired or remotely fixed cycle. */
  readonly repaired: number;
  /** Reopens: the fault came back after a hand-over. */
  readonly repeatRepairs: number;
  readonly cancelled: number;
  readonly quoteRefused: number;
  /** Slow repairs: on-site arrivals and completions that missed their deadline. */
  readonly onSiteBreached: number;
  readonly completionBreached: number;
  readonly surveysAnswered: number;
  readonly satisfactionSum: number;
  readonly satisfactionCount: number;
  readonly [key: string]: unknown;
}

const STARTING: Omit<CustomerRepairSummary, 'id'> = {
  orders: 0, open: 0, repaired: 0, repeatRepairs: 0, cancelled: 0, quoteRefused: 0, onSiteBreached: 0, completionBreached: 0,
  surveysAnswered: 0, satisfactionSum: 0, satisfactionCount: 0,
};

const newCycle = (cycle: number, startedAt: string): RepairCycleOutcome => ({
  cycle, startedAt, arrivedAt: null, failedVisits: 0, faultCause: null, warrantyVerdict: null, chargeableWork: false, fee: null, closedAt: null, outcome: null,
  onSite: null, completion: null, satisfaction: null,
});

/**
 * The customer's repair history (报修记录): one record per work order with the outcome of each repair
 * cycle, and per customer the counters a customer view joins beside the complaints (repeat failures,
 * slow repairs, satisfaction), added without reading them.
 */
export const repairHistoryProjection: Projection = {
  name: REPAIR_HISTORY,
  version: 1,
  collections: [{ name: 'repairs', indexes: [['customerId', 'reportedAt'], ['productSerial', 'reportedAt']] }, { name: 'customers' }],
  reads: (recorded) => workOrderKey('repairs', recorded),
  apply(recorded: RecordedEvent, context: ProjectionContext): void {
    const event = workOrderEventOf(recorded);
    if (!event) return;
    const id = event.data.workOrderId;
    let current: StoredRepair | undefined;
    if (event.type === 'WorkOrderReported') {
      const { data } = event;
      current = {
        id, customerId: data.customerId, reportedAt: data.reportedAt, productSerial: data.product.serialNumber, productModel: data.product.model,
        priority: data.priority, status: 'reported', stationCode: null, engineerId: null, cancelledAt: null,
        linkedComplaintIds: data.linkedComplaintId === null ? [] : [data.linkedComplaintId], cycles: [newCycle(1, data.reportedAt)], clocks: {},
      };
    } else current = context.get<StoredRepair>('repairs', id);
    if (!current) return;
    const { clocks, transitions } = trackWorkOrderClocks(current.clocks, event);
    const customer: Record<string, number> = {};
    const count = (counter: keyof typeof STARTING, amount = 1) => {
      customer[counter] = (customer[counter] ?? 0) + amount;
    };
    let cycles = current.cycles;
    const latest = () => cycles[cycles.length - 1]!;
    const update = (change: Partial<RepairCycleOutcome>) => {
      cycles = [...cycles.slice(0, -1), { ...latest(), ...change }];
    };
    let record: Partial<RepairRecord> = {};
    for (const transition of transitions) {
      const target = cycles.find((cycle) => cycle.cycle === transition.cycle);
      if (!target || (transition.clock !== 'on-site' && transition.clock !== 'completion')) continue;
      cycles = cycles.map((cycle) => (cycle === target ? { ...cycle, [transition.clock === 'on-site' ? 'onSite' : 'completion']: transition.outcome } : cycle));
      if (transition.outcome === 'breached') count(transition.clock === 'on-site' ? 'onSiteBreached' : 'completionBreached');
    }
    switch (event.type) {
      case 'WorkOrderReported':
        count('orders');
        count('open');
        break;
      case 'WorkOrderDispatched':
        record = { stationCode: event.data.station.code, engineerId: event.data.engineer.id, ...(current.status === 'cancelled' ? {} : { status: 'dispatched' }) };
        break;
      case 'WorkOrderEngineerArrived':
        if (latest().arrivedAt === null) update({ arrivedAt: event.data.arrivedAt });
        record = { status: 'on-site' };
        break;
      case 'WorkOrderVisitFailed':
        update({ failedVisits: latest().failedVisits + 1 });
        record = { status: 'visit-scheduled' };
        break;
      case 'WorkOrderVisitScheduled':
        record = { status: 'visit-scheduled' };
        break;
      case 'WorkOrderRemotelyDiagnosed':
        if (event.data.outcome === 'fixed-remotely') record = { status: 'fixed-remotely' };
        break;
      case 'WorkOrderFindingsRecorded':
        update({ faultCause: event.data.faultCause });
        break;
      case 'WorkOrderWarrantyAssessed':
        update({ warrantyVerdict: event.data.decision.verdict });
        break;
      case 'WorkOrderRepairWorkRecorded':
        if (event.data.chargeable) update({ chargeableWork: true });
        break;
      case 'WorkOrderFeeCharged':
        update({ fee: event.data.amount });
        break;
      case 'WorkOrderSignedOff':
        record = { status: 'signed-off' };
        break;
      case 'WorkOrderClosed':
        update({ closedAt: event.data.closedAt, outcome: event.data.outcome });
        record = { status: 'closed' };
        count('open', -1);
        count(event.data.outcome === 'quote-refused' ? 'quoteRefused' : 'repaired');
        break;
      case 'WorkOrderSurveyAnswered': {
        const satisfaction = meanScore(event.data.answers);
        update({ satisfaction });
        count('surveysAnswered');
        count('satisfactionSum', event.data.answers.reduce((sum, answer) => sum + answer.score, 0));
        count('satisfactionCount', event.data.answers.length);
        break;
      }
      case 'WorkOrderCancelled':
        record = { status: 'cancelled', cancelledAt: event.data.cancelledAt };
        count('open', -1);
        count('cancelled');
        break;
      case 'WorkOrderReopened':
        cycles = [...cycles, newCycle(event.data.cycle, event.data.reopenedAt)];
        record = { status: 'dispatched' };
        count('open');
        count('repeatRepairs');
        break;
      case 'WorkOrderLinkedToComplaint':
        if (!current.linkedComplaintIds.includes(event.data.complaintId)) record = { linkedComplaintIds: [...current.linkedComplaintIds, event.data.complaintId] };
        break;
      case 'WorkOrderCustomerContacted':
      case 'WorkOrderQuoted':
      case 'WorkOrderQuoteConfirmed':
      case 'WorkOrderQuoteRefused':
      case 'WorkOrderTested':
      case 'WorkOrderSurveySent':
      case 'WorkOrderEscalated':
      case 'WorkOrderSlaBreached':
        break;
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
    context.put('repairs', { ...current, ...record, cycles, clocks });
    if (Object.keys(customer).length > 0) context.add('customers', current.customerId, { id: current.customerId, ...STARTING }, customer);
  },
};

/** A record as people read it: without the compact clocks the projection keeps. */
export function repairRecordView(stored: RepairRecord & { clocks?: unknown }): RepairRecord {
  const { clocks: _clocks, ...record } = stored;
  return record;
}
