import {
  PRODUCT_EVENT_TYPES, UNASSIGNED_ROW, SERVICE_NETWORK_EVENT_TYPES, SERVICE_NETWORK_STREAM, WORK_ORDER_EVENT_TYPES, upcastProductEvent, upcastServiceNetworkEvent,
  upcastWorkOrderEvent, type ProductEvent, type ServiceNetworkEvent, type WorkOrderEvent,
} from '@app/domain';
import { withoutSealedValues } from '@app/event-sourcing';
import type { RecordedEvent } from '@app/event-store';

/**
 * The domain view of the after-sales events (work orders, products, the service network), decoded
 * once per recorded event however many projections ask, as complaintEventOf does for complaints.
 * Each kind keeps its decoded view in a property of its own on the recorded event.
 */
const WORK_ORDER = Symbol('decoded work-order event');
const PRODUCT = Symbol('decoded product event');
const SERVICE_NETWORK = Symbol('decoded service-network event');

const WORK_ORDER_TYPES = new Set<string>(WORK_ORDER_EVENT_TYPES);
const PRODUCT_TYPES = new Set<string>(PRODUCT_EVENT_TYPES);
const SERVICE_NETWORK_TYPES = new Set<string>(SERVICE_NETWORK_EVENT_TYPES);

function decoded<T>(recorded: RecordedEvent, key: symbol, decode: () => T | undefined): T | undefined {
  const decodable = recorded as RecordedEvent & Record<symbol, T | null | undefined>;
  const known = decodable[key];
  if (known !== undefined) return known ?? undefined;
  const event = decode();
  if (Object.isExtensible(decodable)) Object.defineProperty(decodable, key, { value: event ?? null, enumerable: false });
  return event;
}

const schemaVersionOf = (recorded: RecordedEvent) => () => recorded.metadata['schemaVersion'];

/** A work-order event of a `work-order-<id>` stream, in today's shape; undefined for anything else. */
export function workOrderEventOf(recorded: RecordedEvent): WorkOrderEvent | undefined {
  return decoded(recorded, WORK_ORDER, () => (recorded.stream.startsWith('work-order-') && WORK_ORDER_TYPES.has(recorded.type)
    ? upcastWorkOrderEvent(recorded.type, withoutSealedValues(recorded.data), schemaVersionOf(recorded))
    : undefined));
}

/** A product-registry event of a `product-<serial>` stream; undefined for anything else. */
export function productEventOf(recorded: RecordedEvent): ProductEvent | undefined {
  return decoded(recorded, PRODUCT, () => (recorded.stream.startsWith('product-') && PRODUCT_TYPES.has(recorded.type)
    ? upcastProductEvent(recorded.type, recorded.data, schemaVersionOf(recorded))
    : undefined));
}

/** An event of the service network's one stream; undefined for anything else. */
export function serviceNetworkEventOf(recorded: RecordedEvent): ServiceNetworkEvent | undefined {
  return decoded(recorded, SERVICE_NETWORK, () => (recorded.stream === SERVICE_NETWORK_STREAM && SERVICE_NETWORK_TYPES.has(recorded.type)
    ? upcastServiceNetworkEvent(recorded.type, recorded.data, schemaVersionOf(recorded))
    : undefined));
}

/** The document of the work order an event is about, for a projection's reads(): none for the report that creates it. */
export function workOrderKey(collection: string, recorded: RecordedEvent): Array<readonly [string, string]> {
  const event = workOrderEventOf(recorded);
  return event && event.type !== 'WorkOrderReported' ? [[collection, event.data.workOrderId]] : [];
}

/** Where an order is before it has a station or an engineer, in the statistics (as `unassigned` is for complaints). */
export const UNDISPATCHED = UNASSIGNED_ROW;

/** When the fact an event records happened (each event names its own time). */
export function workOrderEventTime(event: WorkOrderEvent): string {
  switch (event.type) {
    case 'WorkOrderReported': return event.data.reportedAt;
    case 'WorkOrderCustomerContacted': return event.data.contactedAt;
    case 'WorkOrderDispatched': return event.data.dispatchedAt;
    case 'WorkOrderRemotelyDiagnosed': return event.data.diagnosedAt;
    case 'WorkOrderVisitScheduled': return event.data.scheduledAt;
    case 'WorkOrderEngineerArrived': return event.data.arrivedAt;
    case 'WorkOrderVisitFailed': return event.data.failedAt;
    case 'WorkOrderFindingsRecorded': return event.data.recordedAt;
    case 'WorkOrderWarrantyAssessed': return event.data.assessedAt;
    case 'WorkOrderQuoted': return event.data.quotedAt;
    case 'WorkOrderQuoteConfirmed': return event.data.confirmedAt;
    case 'WorkOrderQuoteRefused': return event.data.refusedAt;
    case 'WorkOrderRepairWorkRecorded': return event.data.recordedAt;
    case 'WorkOrderFeeCharged': return event.data.chargedAt;
    case 'WorkOrderTested': return event.data.testedAt;
    case 'WorkOrderSignedOff': return event.data.signedOffAt;
    case 'WorkOrderClosed': return event.data.closedAt;
    case 'WorkOrderSurveySent': return event.data.sentAt;
    case 'WorkOrderSurveyAnswered': return event.data.answeredAt;
    case 'WorkOrderCancelled': return event.data.cancelledAt;
    case 'WorkOrderReopened': return event.data.reopenedAt;
    case 'WorkOrderEscalated': return event.data.escalatedAt;
    case 'WorkOrderLinkedToComplaint': return event.data.linkedAt;
    case 'WorkOrderSlaBreached': return event.data.detectedAt;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** The mean of a survey's scores, two decimals; null for an answer without scores. */
export function meanScore(answers: ReadonlyArray<{ readonly score: number }>): number | null {
  return answers.length === 0 ? null : Math.round((answers.reduce((sum, answer) => sum + answer.score, 0) / answers.length) * 100) / 100;
}
