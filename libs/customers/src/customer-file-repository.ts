import { Injectable } from '@nestjs/common';
import { customerFileStreamName, evolveCustomerFile, initialCustomerFileState, upcastCustomerFileEvent, type Actor, type CustomerFileState } from '@app/domain';
import { EventStore, StreamNotFoundError, type RecordedEvent } from '@app/event-store';
import type { LoadedStream } from '@app/complaints';

export interface LoadedCustomerFile extends LoadedStream<CustomerFileState> {
  /** Who opened the file (the first event's actor), or null when there is no file. A merged or erased file keeps it too. */
  readonly openedBy: Actor | null;
}

/** Reads a customer file's stream (customer-<id>) and folds it. */
@Injectable()
export class CustomerFileRepository {
  constructor(private readonly eventStore: EventStore) {}

  async load(customerId: string): Promise<LoadedCustomerFile> {
    let events: RecordedEvent[];
    try {
      events = await this.eventStore.readStream(customerFileStreamName(customerId));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { state: initialCustomerFileState, revision: -1, events: [], openedBy: null };
      throw error;
    }
    let state = initialCustomerFileState;
    for (const recorded of events) state = evolveCustomerFile(state, upcastCustomerFileEvent(recorded.type, recorded.data, () => recorded.metadata['schemaVersion']));
    const first = events[0]?.data['by'] as Actor | undefined;
    return { state, revision: events.length > 0 ? events[events.length - 1]!.revision : -1, events, openedBy: first ?? null };
  }
}
