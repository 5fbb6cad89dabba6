import { Injectable } from '@nestjs/common';
import {
  SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS, SERVICE_NETWORK_STREAM, decideServiceNetwork,
  type ServiceNetworkCommand, type ServiceNetworkEvent, type ServiceNetworkState,
} from '@app/domain';
import { AggregateCommandExecutor, Clock } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { ServiceNetworkRepository } from './service-network.repository';

/**
 * Handles one change to the service network: one stream, so every change is decided against the
 * whole directory. The outcome's id is the stream's name: the directory is one aggregate.
 */
@Injectable()
export class ServiceNetworkCommandExecutor extends AggregateCommandExecutor<ServiceNetworkCommand, ServiceNetworkEvent, ServiceNetworkState> {
  constructor(eventStore: EventStore, repository: ServiceNetworkRepository, clock: Clock) {
    super(eventStore, clock, {
      kind: 'service network',
      streamName: () => SERVICE_NETWORK_STREAM,
      load: () => repository.load(),
      decide: (command, state) => decideServiceNetwork(command, state),
      schemaVersionOf: (type) => SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS[type as ServiceNetworkEvent['type']],
    }, () => SERVICE_NETWORK_STREAM);
  }
}
