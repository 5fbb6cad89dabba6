import { upcastEventData, type Upcaster } from '../event-versions';
import { surveyAnswerV1ToV2 } from '../survey/survey.upcasters';
import type { WorkOrderEvent, WorkOrderEventType } from './work-order.events';

/** Schema version of each event type as written today (see complaint.upcasters.ts for the rule). */
export const WORK_ORDER_EVENT_SCHEMA_VERSIONS: Readonly<Record<WorkOrderEventType, number>> = {
  WorkOrderReported: 2,
  WorkOrderCustomerContacted: 1,
  WorkOrderDispatched: 1,
  WorkOrderRemotelyDiagnosed: 1,
  WorkOrderVisitScheduled: 1,
  WorkOrderEngineerArrived: 1,
  WorkOrderVisitFailed: 1,
  WorkOrderFindingsRecorded: 1,
  WorkOrderWarrantyAssessed: 1,
  WorkOrderQuoted: 1,
  WorkOrderQuoteConfirmed: 2,
  WorkOrderQuoteRefused: 1,
  WorkOrderRepairWorkRecorded: 1,
  WorkOrderFeeCharged: 1,
  WorkOrderTested: 1,
  WorkOrderSignedOff: 2,
  WorkOrderClosed: 1,
  WorkOrderSurveySent: 1,
  WorkOrderSurveyAnswered: 2,
  WorkOrderCancelled: 1,
  WorkOrderReopened: 1,
  WorkOrderEscalated: 1,
  WorkOrderLinkedToComplaint: 1,
  WorkOrderSlaBreached: 1,
};

/** upcasters[type][v] turns version v into version v + 1. */
const UPCASTERS: Partial<Record<WorkOrderEventType, Record<number, Upcaster>>> = {
  WorkOrderReported: {
    // v1 kept the contact and the address at the top of the data; v2 keeps them under `personal`
    // (issue 18), where encryption finds them. A v1 event was written in plain text and stays so.
    1: ({ contact, address, ...rest }) => ({ ...rest, personal: { contact, address } }),
  },
  // v1 kept the customer's name at the top (`confirmedBy`, `signedBy`); v2 keeps it under `personal` (issue 19).
  WorkOrderQuoteConfirmed: { 1: ({ confirmedBy, ...rest }) => ({ ...rest, personal: { confirmedBy } }) },
  WorkOrderSignedOff: { 1: ({ signedBy, ...rest }) => ({ ...rest, personal: { signedBy } }) },
  // v1 kept the comments in the answers and at the top, in plain text; v2 keeps them under `personal` (issue 19), as SatisfactionSurveyAnswered v2 does.
  WorkOrderSurveyAnswered: { 1: surveyAnswerV1ToV2 },
};

/** A stored work-order event in today's shape; applied on every read. */
export function upcastWorkOrderEvent(type: string, data: Record<string, unknown>, schemaVersion: () => unknown): WorkOrderEvent {
  return { type, data: upcastEventData({ versions: WORK_ORDER_EVENT_SCHEMA_VERSIONS, upcasters: UPCASTERS }, type, data, schemaVersion) } as WorkOrderEvent;
}
