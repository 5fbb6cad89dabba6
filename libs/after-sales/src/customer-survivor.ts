import { customerFileStreamName, evolveCustomerFile, initialCustomerFileState, upcastCustomerFileEvent, type CustomerFileState } from '@app/domain';
import { readStreamOrEmpty, type EventStore } from '@app/event-store';

/** Merge chains followed at most: a longer one means a damaged log, never a loop for ever. */
const MAX_MERGE_HOPS = 256;

/**
 * The customer a file's surveys go to now: itself, or the last survivor of the merges it went
 * through (`absorbed` followed down the chain, read from the files' streams), with that file's state.
 */
export async function survivingFileOf(events: EventStore, customerId: string): Promise<{ readonly customerId: string; readonly state: CustomerFileState }> {
  let current = customerId;
  let state: CustomerFileState = initialCustomerFileState;
  for (let hops = 0; hops < MAX_MERGE_HOPS; hops += 1) {
    const recorded = await readStreamOrEmpty(events, customerFileStreamName(current));
    state = initialCustomerFileState;
    for (const event of recorded) state = evolveCustomerFile(state, upcastCustomerFileEvent(event.type, event.data, () => event.metadata['schemaVersion']));
    if (state.status !== 'merged') return { customerId: current, state };
    current = state.survivorId;
  }
  return { customerId: current, state };
}
