import { customerFileStreamName, evolveCustomerFile, followSurvivors, initialCustomerFileState, upcastCustomerFileEvent, type CustomerFileState } from '@app/domain';
import { readStreamOrEmpty, type EventStore } from '@app/event-store';

/**
 * The customer a file's surveys go to now: itself, or the last survivor of the merges it went
 * through (followSurvivors, read from the files' streams), with that file's state. `before`: as the
 * files stood before that position of the log (where a survey was sent, as the survey list saw it).
 */
export function survivingFileOf(events: EventStore, customerId: string, before?: number): Promise<{ readonly customerId: string; readonly state: CustomerFileState }> {
  return followSurvivors(customerId, async (current) => {
    const stored = await readStreamOrEmpty(events, customerFileStreamName(current));
    const recorded = before === undefined ? stored : stored.filter((event) => event.position < before);
    return recorded.reduce<CustomerFileState>(
      (state, event) => evolveCustomerFile(state, upcastCustomerFileEvent(event.type, event.data, () => event.metadata['schemaVersion'])), initialCustomerFileState,
    );
  });
}
