import { Injectable } from '@nestjs/common';
import { complaintStreamName, evolve, initialComplaintState, upcastComplaintEvent, type ComplaintState } from '@app/domain';
import { EventStore, StreamNotFoundError, type RecordedEvent } from '@app/event-store';

export interface LoadedComplaint {
  readonly state: ComplaintState;
  /** -1 when the stream does not exist. */
  readonly revision: number;
  readonly events: readonly RecordedEvent[];
}

/** Reads a complaint's stream and folds it. */
@Injectable()
export class ComplaintRepository {
  constructor(private readonly eventStore: EventStore) {}

  async load(complaintId: string): Promise<LoadedComplaint> {
    let events: RecordedEvent[];
    try {
      events = await this.eventStore.readStream(complaintStreamName(complaintId));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { state: initialComplaintState, revision: -1, events: [] };
      throw error;
    }
    let state = initialComplaintState;
    for (const recorded of events) state = evolve(state, upcastComplaintEvent(recorded.type, recorded.data, () => recorded.metadata['schemaVersion']));
    return { state, revision: events.length > 0 ? events[events.length - 1]!.revision : -1, events };
  }
}
