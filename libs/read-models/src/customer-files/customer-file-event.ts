import { isCustomerFileEventType, upcastCustomerFileEvent, type CustomerFileEvent } from '@app/domain';
import { withoutSealedValues } from '@app/event-sourcing';
import type { RecordedEvent } from '@app/event-store';

/** The domain view of a stored customer-file event, or undefined for any other stream or an unknown type. */
export function customerFileEventOf(recorded: RecordedEvent): CustomerFileEvent | undefined {
  if (!recorded.stream.startsWith('customer-') || !isCustomerFileEventType(recorded.type)) return undefined;
  return upcastCustomerFileEvent(recorded.type, withoutSealedValues(recorded.data), () => recorded.metadata['schemaVersion']);
}

/** When the decision an event records was taken: each event type names its own time. */
export function customerFileEventTime(event: CustomerFileEvent): string {
  switch (event.type) {
    case 'CustomerFileOpened':
      return event.data.openedAt;
    case 'CustomerFileReclassified':
      return event.data.reclassifiedAt;
    case 'CustomerFileBasicsUpdated':
    case 'CustomerFileConsumptionProfileUpdated':
    case 'CustomerFileContractUpdated':
    case 'CustomerFileFacilitiesUpdated':
    case 'CustomerFileOtherChannelsUpdated':
    case 'CustomerFileImportanceUpdated':
    case 'CustomerFileSegmentsUpdated':
      return event.data.updatedAt;
    case 'CustomerFileContactAdded':
      return event.data.addedAt;
    case 'CustomerFileContactChanged':
    case 'CustomerFileNotificationOptOutChanged':
      return event.data.changedAt;
    case 'CustomerFileContactRemoved':
      return event.data.removedAt;
    case 'CustomerFileEvaluationRecorded':
    case 'CustomerFileConsumptionRecorded':
      return event.data.recordedAt;
    case 'CustomerFileVisitLogged':
      return event.data.loggedAt;
    case 'CustomerFileConsumptionDropDetected':
      return event.data.detectedAt;
    case 'CustomerFileConsumptionDropCleared':
      return event.data.clearedAt;
    case 'CustomerFileMerged':
      return event.data.mergedAt;
    case 'CustomerFileAbsorbed':
      return event.data.absorbedAt;
    case 'CustomerFilePersonalDataErased':
      return event.data.erasedAt;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/**
 * Whether an event erased personal data: after the batch holding it, the read store is asked to
 * forget what was replaced (ProjectionRunnerOptions.forgetDeletedAfter, docs/adr/0019).
 */
export const erasesPersonalData = (recorded: RecordedEvent): boolean => recorded.type === 'CustomerFilePersonalDataErased' && recorded.stream.startsWith('customer-');
