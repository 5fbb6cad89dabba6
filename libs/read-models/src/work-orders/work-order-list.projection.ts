import { principalKey, type ClosureOutcome, type Label, type Money, type WorkOrderClock, type WorkOrderStatus } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';
import { meanScore, workOrderEventOf, workOrderEventTime, workOrderKey } from '../after-sales-event';
import { visibleTo } from '../complaint-list/complaint-list.projection';
import { DEADLINE, OUTCOME, pendingClocks, trackWorkOrderClocks, type WorkOrderClocks } from '../work-order-clocks';
import { isoOf } from '../clock-tracker';

export const WORK_ORDER_LIST = 'work-order-list';

export type OpenStatus = 'reported' | 'dispatched' | 'visit-scheduled' | 'on-site' | 'fixed-remotely' | 'signed-off';
const OPEN_STATUSES: ReadonlySet<string> = new Set<OpenStatus>(['reported', 'dispatched', 'visit-scheduled', 'on-site', 'fixed-remotely', 'signed-off']);

/** One work order for lists and the dispatch board: the facts of its current repair cycle. */
export interface WorkOrderSummary {
  readonly id: string;
  readonly status: Exclude<WorkOrderStatus, 'none'>;
  readonly open: boolean;
  readonly priority: string;
  readonly customerId: string;
  readonly channel: string;
  readonly region: string | null;
  readonly productSerial: string;
  readonly productModel: string;
  /** The service point and engineer as the directory named them at the dispatch; null before it. */
  readonly stationCode: string | null;
  readonly stationName: Label | null;
  readonly engineerId: string | null;
  readonly engineerName: string | null;
  readonly reportedAt: string;
  readonly reportedBy: string;
  readonly dispatchedAt: string | null;
  readonly firstContactAt: string | null;
  /** The repair cycle (2 and up after a repeat repair); the fields below are the current cycle's. */
  readonly cycle: number;
  readonly reopenCount: number;
  readonly scheduledVisitFor: string | null;
  readonly arrivedAt: string | null;
  /** Visits agreed or made over the whole order. */
  readonly visits: number;
  readonly failedVisits: number;
  readonly faultCause: string | null;
  readonly warrantyVerdict: string | null;
  readonly quote: { readonly number: number; readonly total: Money; readonly status: 'pending' | 'confirmed' | 'refused' } | null;
  readonly chargeableWork: boolean;
  readonly fee: Money | null;
  readonly signedOffAt: string | null;
  readonly closedAt: string | null;
  readonly outcome: ClosureOutcome | null;
  readonly cancelledAt: string | null;
  readonly surveySentAt: string | null;
  readonly surveyAnsweredAt: string | null;
  /** Mean score (1–5) of the current cycle's survey answer. */
  readonly satisfaction: number | null;
  readonly escalationLevel: number;
  /** Clocks breached in any cycle (the step came late, or the monitor recorded the deadline passing). */
  readonly breaches: WorkOrderClock[];
  readonly linkedComplaintIds: string[];
  /** The soonest deadline still waiting for its step, overdue or not; null when none is. */
  readonly nextDeadlineClock: WorkOrderClock | null;
  readonly nextDeadlineAt: string | null;
  readonly revision: number;
  readonly updatedAt: string;
  readonly [key: string]: unknown;
}

/** As stored: with the compact clocks it keeps (ADR 0011) and the key for department scopes. */
export interface StoredWorkOrder extends WorkOrderSummary {
  readonly clocks: WorkOrderClocks;
  /** `department:<station code>` once dispatched, `received-by:<principalKey of the reporter>` before (a station code is a department). */
  readonly visibleTo: string;
  /** The engineer's principalKey, for the `engineer` filter (`ENG-WANG` finds eng-wang's orders). */
  readonly engineerKey?: string | null;
}

/** What the board sorts an open order without any deadline by: last. */
export const NO_DEADLINE = '9999-12-31T23:59:59.999Z';

/**
 * The work-order list (every order, newest report first) and the dispatch board (派工看板: the open
 * orders, soonest deadline first, by station and engineer). One document per order in each; an order
 * leaves the board when it closes or is cancelled and comes back when reopened.
 */
export const workOrderListProjection: Projection = {
  name: WORK_ORDER_LIST,
  // v2: `links`, the complaints each order is linked to (a complaint's trail shows the decisions that made them).
  // v3: visibleTo names the reporter by its principalKey (a token for `Li.Na` sees the orders li.na reported); the engineer filter compares engineerKey.
  // v4: visibleTo keys the station letter case aside (departmentKey), as a scope compares it: one station whatever its spelling.
  version: 4,
  collections: [
    {
      name: 'orders',
      indexes: [['visibleTo', 'reportedAt'], ['reportedAt'], ['status', 'reportedAt'], ['stationCode', 'reportedAt'], ['engineerKey', 'reportedAt'], ['customerId', 'reportedAt'], ['productSerial', 'reportedAt']],
    },
    { name: 'links', indexes: [['complaintId', 'linkedAt']] },
    { name: 'board', indexes: [['nextDeadlineAt'], ['visibleTo', 'nextDeadlineAt'], ['stationCode', 'nextDeadlineAt'], ['engineerKey', 'nextDeadlineAt'], ['status', 'nextDeadlineAt']] },
  ],
  reads: (recorded) => workOrderKey('orders', recorded),
  apply(recorded: RecordedEvent, context: ProjectionContext): void {
    const event = workOrderEventOf(recorded);
    if (!event) return;
    const id = event.data.workOrderId;
    const linked = event.type === 'WorkOrderReported' ? { complaintId: event.data.linkedComplaintId, at: event.data.reportedAt }
      : event.type === 'WorkOrderLinkedToComplaint' ? { complaintId: event.data.complaintId, at: event.data.linkedAt } : null;
    if (linked?.complaintId) context.put('links', { id: `${linked.complaintId}|${id}`, complaintId: linked.complaintId, workOrderId: id, linkedAt: linked.at });
    // An order's document is changed in place (docs/adr/0011, thirteenth step), not copied per event; a new one is put once made.
    // Its fields are only ever replaced, never changed inside, so the board's copy may share them.
    let current: Mutable<StoredWorkOrder> | undefined;
    const reported = event.type === 'WorkOrderReported';
    if (reported) {
      const data = event.data;
      current = {
        id, status: 'reported', open: true, priority: data.priority, customerId: data.customerId, channel: data.channel, region: data.region,
        productSerial: data.product.serialNumber, productModel: data.product.model, stationCode: null, stationName: null, engineerId: null, engineerName: null,
        reportedAt: data.reportedAt, reportedBy: data.reportedBy.id, dispatchedAt: null, firstContactAt: null, cycle: 1, reopenCount: 0, scheduledVisitFor: null,
        arrivedAt: null, visits: 0, failedVisits: 0, faultCause: null, warrantyVerdict: null, quote: null, chargeableWork: false, fee: null, signedOffAt: null,
        closedAt: null, outcome: null, cancelledAt: null, surveySentAt: null, surveyAnsweredAt: null, satisfaction: null, escalationLevel: 0, breaches: [],
        linkedComplaintIds: data.linkedComplaintId === null ? [] : [data.linkedComplaintId], nextDeadlineClock: null, nextDeadlineAt: null,
        revision: recorded.revision, updatedAt: data.reportedAt, clocks: {}, visibleTo: visibleTo(null, data.reportedBy.id),
      };
    } else current = context.change<Mutable<StoredWorkOrder>>('orders', id);
    if (!current) return;
    const wasOpen = current.open;
    const { clocks, transitions } = trackWorkOrderClocks(current.clocks, event);
    const next: Record<string, unknown> = { revision: recorded.revision, updatedAt: workOrderEventTime(event) };
    const firstContact = (at: string) => ({ firstContactAt: current.firstContactAt ?? at });
    switch (event.type) {
      case 'WorkOrderReported':
      case 'WorkOrderTested':
      case 'WorkOrderSlaBreached':
        break;
      case 'WorkOrderCustomerContacted':
        Object.assign(next, firstContact(event.data.contactedAt));
        break;
      case 'WorkOrderDispatched': {
        const { station, engineer, dispatchedAt } = event.data;
        Object.assign(next, {
          stationCode: station.code, stationName: station.name, engineerId: engineer.id, engineerName: engineer.name, dispatchedAt,
          // A redispatch drops a scheduled visit; a cancelled order stays cancelled (evolve does the same).
          ...(current.status === 'cancelled' ? {} : { status: 'dispatched', scheduledVisitFor: null }),
        });
        break;
      }
      case 'WorkOrderRemotelyDiagnosed':
        Object.assign(next, firstContact(event.data.diagnosedAt), {
          status: event.data.outcome === 'fixed-remotely' ? 'fixed-remotely' : current.status === 'reported' || current.status === 'cancelled' ? 'dispatched' : current.status,
        });
        break;
      case 'WorkOrderVisitScheduled':
        Object.assign(next, firstContact(event.data.scheduledAt), { status: 'visit-scheduled', scheduledVisitFor: event.data.scheduledFor, visits: Math.max(current.visits, event.data.visitNumber) });
        break;
      case 'WorkOrderEngineerArrived':
        Object.assign(next, firstContact(event.data.arrivedAt), {
          status: 'on-site', arrivedAt: current.arrivedAt ?? event.data.arrivedAt, scheduledVisitFor: null, visits: Math.max(current.visits, event.data.visitNumber),
        });
        break;
      case 'WorkOrderVisitFailed':
        Object.assign(next, {
          status: 'visit-scheduled', scheduledVisitFor: event.data.nextVisit.scheduledFor, visits: Math.max(current.visits, event.data.nextVisit.visitNumber), failedVisits: current.failedVisits + 1,
        });
        break;
      case 'WorkOrderFindingsRecorded':
        Object.assign(next, { faultCause: event.data.faultCause });
        break;
      case 'WorkOrderWarrantyAssessed':
        Object.assign(next, { warrantyVerdict: event.data.decision.verdict });
        break;
      case 'WorkOrderQuoted':
        Object.assign(next, { quote: { number: event.data.quoteNumber, total: event.data.total, status: 'pending' } });
        break;
      case 'WorkOrderQuoteConfirmed':
      case 'WorkOrderQuoteRefused':
        Object.assign(next, { quote: { number: event.data.quoteNumber, total: event.data.total, status: event.type === 'WorkOrderQuoteConfirmed' ? 'confirmed' : 'refused' } });
        break;
      case 'WorkOrderRepairWorkRecorded':
        Object.assign(next, { chargeableWork: current.chargeableWork || event.data.chargeable });
        break;
      case 'WorkOrderFeeCharged':
        Object.assign(next, { fee: event.data.amount });
        break;
      case 'WorkOrderSignedOff':
        Object.assign(next, { status: 'signed-off', signedOffAt: event.data.signedOffAt });
        break;
      case 'WorkOrderClosed':
        Object.assign(next, { status: 'closed', closedAt: event.data.closedAt, outcome: event.data.outcome });
        break;
      case 'WorkOrderSurveySent':
        Object.assign(next, { surveySentAt: event.data.sentAt });
        break;
      case 'WorkOrderSurveyAnswered':
        Object.assign(next, { surveyAnsweredAt: event.data.answeredAt, satisfaction: meanScore(event.data.answers) });
        break;
      case 'WorkOrderCancelled':
        Object.assign(next, { status: 'cancelled', cancelledAt: event.data.cancelledAt, scheduledVisitFor: null });
        break;
      case 'WorkOrderReopened':
        // A repeat repair: a new cycle, back to the same engineer, with nothing found yet.
        Object.assign(next, {
          status: 'dispatched', cycle: event.data.cycle, reopenCount: current.reopenCount + 1, scheduledVisitFor: null, arrivedAt: null, faultCause: null,
          warrantyVerdict: null, quote: null, chargeableWork: false, fee: null, signedOffAt: null, closedAt: null, outcome: null,
          surveySentAt: null, surveyAnsweredAt: null, satisfaction: null,
        });
        break;
      case 'WorkOrderEscalated':
        Object.assign(next, { escalationLevel: Math.max(current.escalationLevel, event.data.level) });
        break;
      case 'WorkOrderLinkedToComplaint':
        if (!current.linkedComplaintIds.includes(event.data.complaintId)) Object.assign(next, { linkedComplaintIds: [...current.linkedComplaintIds, event.data.complaintId] });
        break;
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
    const breached = transitions.filter((transition) => transition.outcome === 'breached').map((transition) => transition.clock);
    const breaches = breached.length === 0 ? current.breaches : [...new Set([...current.breaches, ...breached])];
    const soonest = pendingClocks(clocks)[0];
    // The same fields, in the same order, as the copy `{ ...current, ...next, clocks, breaches, nextDeadline… , open, visibleTo, engineerKey }` had.
    const document = Object.assign(current, next) as Mutable<StoredWorkOrder>;
    document.clocks = clocks;
    document.breaches = breaches;
    document.nextDeadlineClock = soonest?.clock ?? null;
    document.nextDeadlineAt = soonest ? isoOf(soonest.state[DEADLINE]) : null;
    document.open = OPEN_STATUSES.has(document.status);
    document.visibleTo = visibleTo(document.stationCode, document.reportedBy);
    document.engineerKey = document.engineerId === null ? null : principalKey(document.engineerId);
    if (reported) context.put('orders', document);
    if (document.open) context.put('board', { ...document, nextDeadlineAt: document.nextDeadlineAt ?? NO_DEADLINE });
    else if (wasOpen) context.delete('board', id);
  },
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The order as people read it: without the compact clocks the projection keeps. */
export function workOrderView(stored: StoredWorkOrder): WorkOrderSummary {
  const { clocks: _clocks, visibleTo: _visibleTo, engineerKey: _engineerKey, ...summary } = stored;
  return summary;
}

/** The deadlines an order still waits for, soonest first, with whether a breach is recorded or the step already came late. */
export function pendingDeadlines(stored: StoredWorkOrder): Array<{ clock: WorkOrderClock; deadline: string; breached: boolean }> {
  return pendingClocks(stored.clocks).map(({ clock, state }) => ({ clock, deadline: isoOf(state[DEADLINE]), breached: state[OUTCOME] === 'breached' }));
}
