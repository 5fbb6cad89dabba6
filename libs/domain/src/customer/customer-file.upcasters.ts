import { upcastEventData } from '../event-versions';
import type { CustomerFileEvent, CustomerFileEventType } from './customer-file.events';

/** Schema version of each event type as written today (see complaint.upcasters.ts for the rule). */
export const CUSTOMER_FILE_EVENT_SCHEMA_VERSIONS: Readonly<Record<CustomerFileEventType, number>> = {
  CustomerFileOpened: 1,
  CustomerFileReclassified: 1,
  CustomerFileNotificationOptOutChanged: 1,
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
  CustomerFileConsumptionDropCleared: 1,
  CustomerFileMerged: 1,
  CustomerFileAbsorbed: 1,
  CustomerFilePersonalDataErased: 1,
};

export const CUSTOMER_FILE_EVENT_TYPES = Object.keys(CUSTOMER_FILE_EVENT_SCHEMA_VERSIONS) as CustomerFileEventType[];

/** Whether a stored event's type is one of the customer file's (the log holds every aggregate's). */
export function isCustomerFileEventType(type: string): type is CustomerFileEventType {
  return Object.prototype.hasOwnProperty.call(CUSTOMER_FILE_EVENT_SCHEMA_VERSIONS, type);
}

/** A stored customer-file event in today's shape; applied on every read. */
export function upcastCustomerFileEvent(type: string, data: Record<string, unknown>, schemaVersion: () => unknown): CustomerFileEvent {
  return { type, data: upcastEventData({ versions: CUSTOMER_FILE_EVENT_SCHEMA_VERSIONS }, type, data, schemaVersion) } as CustomerFileEvent;
}
