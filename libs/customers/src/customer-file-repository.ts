import { Injectable } from '@nestjs/common';
import {
  absorbedBy, customerFileStreamName, evolveCustomerFile, followMerges, followSurvivors, initialCustomerFileState, standingOf, upcastCustomerFileEvent,
  type Actor, type CustomerFileStanding, type CustomerFileState,
} from '@app/domain';
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

  /**
   * What a merge into this file needs to know (standingOf); for a merged file also the file at the
   * end of its chain of merges (lastSurvivorId), each pointer followed in turn (followSurvivors, as
   * every reader of a merged file follows it), so that a merge closing a circle is told which file
   * stays. A chain that comes back on itself, or one too long, means a damaged log: it is followed
   * no further.
   */
  async standing(customerId: string): Promise<CustomerFileStanding> {
    const standing = standingOf((await this.load(customerId)).state);
    if (standing.status !== 'merged') return standing;
    const { customerId: lastSurvivorId } = await followSurvivors(standing.survivorId, async (id) => (await this.load(id)).state);
    return { ...standing, lastSurvivorId };
  }

  /** The files merged into these, and into them, at any depth, as their streams record it (followMerges). */
  async filesMergedInto(absorbed: readonly string[]): Promise<string[]> {
    return followMerges(absorbed, async (customerId) => absorbedBy((await this.load(customerId)).state));
  }
}
