import type { CustomerFileEvent, CustomerFileEventType } from './customer-file.events';

/**
 * Schema version of each event type as written today. A breaking change to an event's data gets a
 * new version here and an upcaster applied on read (as complaint.upcasters.ts does); stored events
 * are never rewritten. Adding an optional field needs no new version.
 */
export const CUSTOMER_FILE_EVENT_SCHEMA_VERSIONS: Readonly<Record<CustomerFileEventType, number>> = {
  CustomerFileOpened: 1,
  CustomerFileReclassified: 1,
  CustomerFileBasicsUpdated: 1,
  CustomerFileConsumptionProfileUpdated: 1,
  CustomerFileContractUpdated: 1,
  CustomerFileFacilitiesUpdated: 1,
  CustomerFileOtherChannelsUpdated: 1,
  CustomerFileImportanceUpdated: 1,
  CustomerFileSegmentsUpdated: 1,
  CustomerFileContactAdded: 1,
  CustomerFileContactChanged: 1,
  CustomerFileContactRemoved: 1,
  CustomerFileEvaluationRecorded: 1,
  CustomerFileVisitLogged: 1,
  CustomerFileConsumptionRecorded: 1,
  CustomerFileConsumptionDropDetected: 1,
  CustomerFileMerged: 1,
  CustomerFileAbsorbed: 1,
  CustomerFilePersonalDataErased: 1,
};

export const CUSTOMER_FILE_EVENT_TYPES = Object.keys(CUSTOMER_FILE_EVENT_SCHEMA_VERSIONS) as CustomerFileEventType[];

/** Whether a stored event's type is one of the customer file's (the log holds every aggregate's). */
export function isCustomerFileEventType(type: string): type is CustomerFileEventType {
  return Object.prototype.hasOwnProperty.call(CUSTOMER_FILE_EVENT_SCHEMA_VERSIONS, type);
}

/**
 * A stored customer-file event in today's shape. Every type is at its first version, so there is
 * nothing to upcast yet; readers call this all the same, so the first upcaster has one place to go.
 */
export function upcastCustomerFileEvent(type: CustomerFileEventType, data: Record<string, unknown>): CustomerFileEvent {
  return { type, data } as CustomerFileEvent;
}
