import { customerFileStreamName, evolveCustomerFile, followSurvivors, initialCustomerFileState, upcastCustomerFileEvent, type CustomerFileState } from '@app/domain';
import { readStreamOrEmpty, type EventStore } from '@app/event-store';

/**
 * The customer a file's surveys go to now: itself, or the last survivor of the merges it went
 * through (followSurvivors, read from the files' streams), with that file's state.
 */
export function survivingFileOf(events: EventStore, customerId: string): Promise<{ readonly customerId: string; readonly state: CustomerFileState }> {
  return followSurvivors(customerId, async (current) => {
    const recorded = await readStreamOrEmpty(events, customerFileStreamName(current));
    return recorded.reduce<CustomerFileState>(
      (state, event) => evolveCustomerFile(state, upcastCustomerFileEvent(event.type, event.data, () => event.metadata['schemaVersion'])), initialCustomerFileState,
    );
  });
}
