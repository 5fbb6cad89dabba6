import type { Money } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';
import { UNDISPATCHED, workOrderEventOf, workOrderKey } from '../after-sales-event';
import { dayOf } from '../complaint-event';

export const REPAIR_FEES = 'repair-fees';

/** How a repaired cycle was paid for: the customer paid something, the warranty covered it, or it was free outside the warranty (goodwill, a refused quote with free work). */
export type RepairClass = 'chargeable' | 'warranty' | 'freeOutOfWarranty';

/** Sums of one currency, in integer minor units (never floats), and how many amounts they hold. */
export interface CurrencySums {
  readonly [currency: string]: { readonly minorUnits: number; readonly count: number };
}

/** One service point's repair money and work classes of one UTC day. */
export interface RepairFeesBucket {
  readonly id: string;
  readonly station: string;
  readonly day: string;
  /** Hand-overs and closures of the day: repaired, fixed remotely, or closed after a refused quote. */
  readonly closed: number;
  readonly repaired: number;
  readonly warranty: number;
  readonly chargeable: number;
  readonly freeOutOfWarranty: number;
  readonly fixedRemotely: number;
  readonly quoteRefused: number;
  /** Repaired cycles by the warranty verdict they were judged under (`none` without a decision). */
  readonly verdicts: Readonly<Record<string, number>>;
  /** Fees charged on the day, per currency. */
  readonly fees: CurrencySums;
  /** Quotes the customers confirmed on the day, per currency. */
  readonly confirmedQuotes: CurrencySums;
  readonly [key: string]: unknown;
}

interface OrderFacts {
  readonly id: string;
  readonly station: string;
  /** Of the current repair cycle. */
  readonly verdict: string | null;
  readonly chargeableWork: boolean;
  readonly feeCharged: boolean;
  readonly [key: string]: unknown;
}

export const feesBucketId = (station: string, day: string): string => `${station}|${day}`;

/**
 * Warranty against chargeable work, and the money, per service point and UTC day of the fact (不是
 * 报修日): a fee counts on the day it was charged, a confirmed quote on the day it was confirmed, a
 * repair's class on the day of its hand-over, each under the station the order had then. Facts only
 * add up, never move: a day's money stays the day's. Money is summed per currency in minor units.
 */
export const repairFeesProjection: Projection = {
  name: REPAIR_FEES,
  version: 1,
  collections: [{ name: 'orders' }, { name: 'buckets', indexes: [['day'], ['station', 'day']] }],
  reads: (recorded) => workOrderKey('orders', recorded),
  apply(recorded: RecordedEvent, context: ProjectionContext): void {
    const event = workOrderEventOf(recorded);
    if (!event) return;
    const id = event.data.workOrderId;
    if (event.type === 'WorkOrderReported') {
      context.put('orders', { id, station: UNDISPATCHED, verdict: null, chargeableWork: false, feeCharged: false } satisfies OrderFacts);
      return;
    }
    const facts = context.get<OrderFacts>('orders', id);
    if (!facts) return;
    const add = (at: string, amounts: Record<string, number>) => {
      const day = dayOf(at);
      const bucketId = feesBucketId(facts.station, day);
      const initial: RepairFeesBucket = {
        id: bucketId, station: facts.station, day, closed: 0, repaired: 0, warranty: 0, chargeable: 0, freeOutOfWarranty: 0, fixedRemotely: 0, quoteRefused: 0,
        verdicts: {}, fees: {}, confirmedQuotes: {},
      };
      context.add('buckets', bucketId, initial, amounts);
    };
    const money = (path: 'fees' | 'confirmedQuotes', amount: Money) => ({ [`${path}.${amount.currency}.minorUnits`]: amount.minorUnits, [`${path}.${amount.currency}.count`]: 1 });
    switch (event.type) {
      case 'WorkOrderDispatched':
        context.put('orders', { ...facts, station: event.data.station.code });
        break;
      case 'WorkOrderWarrantyAssessed':
        context.put('orders', { ...facts, verdict: event.data.decision.verdict });
        break;
      case 'WorkOrderRepairWorkRecorded':
        if (event.data.chargeable && !facts.chargeableWork) context.put('orders', { ...facts, chargeableWork: true });
        break;
      case 'WorkOrderQuoteConfirmed':
        add(event.data.confirmedAt, money('confirmedQuotes', event.data.total));
        break;
      case 'WorkOrderFeeCharged':
        add(event.data.chargedAt, money('fees', event.data.amount));
        context.put('orders', { ...facts, feeCharged: true });
        break;
      case 'WorkOrderClosed': {
        const { outcome, closedAt } = event.data;
        if (outcome === 'repaired') {
          const kind: RepairClass = facts.chargeableWork || facts.feeCharged ? 'chargeable' : facts.verdict === 'in-warranty' ? 'warranty' : 'freeOutOfWarranty';
          add(closedAt, { closed: 1, repaired: 1, [kind]: 1, [`verdicts.${facts.verdict ?? 'none'}`]: 1 });
        } else add(closedAt, { closed: 1, [outcome === 'fixed-remotely' ? 'fixedRemotely' : 'quoteRefused']: 1 });
        break;
      }
      case 'WorkOrderReopened':
        // A new repair cycle: its own warranty decision, work and fee.
        context.put('orders', { ...facts, verdict: null, chargeableWork: false, feeCharged: false });
        break;
      case 'WorkOrderCustomerContacted':
      case 'WorkOrderRemotelyDiagnosed':
      case 'WorkOrderVisitScheduled':
      case 'WorkOrderEngineerArrived':
      case 'WorkOrderVisitFailed':
      case 'WorkOrderFindingsRecorded':
      case 'WorkOrderQuoted':
      case 'WorkOrderQuoteRefused':
      case 'WorkOrderTested':
      case 'WorkOrderSignedOff':
      case 'WorkOrderSurveySent':
      case 'WorkOrderSurveyAnswered':
      case 'WorkOrderCancelled':
      case 'WorkOrderEscalated':
      case 'WorkOrderLinkedToComplaint':
      case 'WorkOrderSlaBreached':
        break;
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  },
};
