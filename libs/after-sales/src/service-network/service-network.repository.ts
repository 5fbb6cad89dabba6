import { Injectable } from '@nestjs/common';
import { SERVICE_NETWORK_STREAM, evolveServiceNetwork, initialServiceNetworkState, upcastServiceNetworkEvent, type ServiceNetworkEvent, type ServiceNetworkState } from '@app/domain';
import type { LoadedStream } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { catchUpStream, loadStream, type StreamFold, type StreamHead } from '../stream-loader';

const FOLD: StreamFold<ServiceNetworkEvent, ServiceNetworkState> = { initialState: initialServiceNetworkState, evolve: evolveServiceNetwork, upcast: upcastServiceNetworkEvent };

/** Reads the one stream of the service network (centre, branches, stations, engineers) and folds it. */
@Injectable()
export class ServiceNetworkRepository {
  /** The directory as this process last read it: current() reads only what was written since. */
  private head: StreamHead<ServiceNetworkState> = { state: initialServiceNetworkState, revision: -1, lastEventId: null };

  constructor(private readonly eventStore: EventStore) {}

  load(): Promise<LoadedStream<ServiceNetworkState>> {
    return loadStream(this.eventStore, SERVICE_NETWORK_STREAM, FOLD);
  }

  /**
   * The directory as it stands in the store now, as load() folds it, without reading its whole
   * history each time: a check on every engineer's command (bench/engineer-standing.ts) reads the
   * events written since the last call, by any process, and usually none.
   */
  async current(): Promise<ServiceNetworkState> {
    const head = await catchUpStream(this.eventStore, SERVICE_NETWORK_STREAM, FOLD, this.head);
    // Concurrent calls each fold from the head they started with; the furthest one stays.
    if (head.revision >= this.head.revision || head.revision === -1) this.head = head;
    return head.state;
  }
}
