import { Injectable } from '@nestjs/common';
import { SERVICE_NETWORK_STREAM, evolveServiceNetwork, initialServiceNetworkState, upcastServiceNetworkEvent, type ServiceNetworkState } from '@app/domain';
import type { LoadedStream } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { loadStream } from '../stream-loader';

/** Reads the one stream of the service network (centre, branches, stations, engineers) and folds it. */
@Injectable()
export class ServiceNetworkRepository {
  constructor(private readonly eventStore: EventStore) {}

  load(): Promise<LoadedStream<ServiceNetworkState>> {
    return loadStream(this.eventStore, SERVICE_NETWORK_STREAM, {
      initialState: initialServiceNetworkState, evolve: evolveServiceNetwork, upcast: upcastServiceNetworkEvent,
    });
  }
}
