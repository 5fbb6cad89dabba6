import { Injectable } from '@nestjs/common';
import { SERVICE_NETWORK_STREAM, type ServiceNetworkCommand } from '@app/domain';
import { AggregateCommandHandler, AggregateCommandMessage, type CommandContext, type WithoutContext } from '@app/complaints';
import { ServiceNetworkCommandExecutor } from '../service-network/service-network-command.executor';

/** A change to the service network: its body and its context (the directory is one stream, so no id). */
export abstract class ServiceNetworkCommandMessage<C extends ServiceNetworkCommand> extends AggregateCommandMessage<C> {
  constructor(data: C['data'], context: CommandContext) {
    super(SERVICE_NETWORK_STREAM, data, context);
  }
}

@Injectable()
export abstract class ServiceNetworkCommandHandler<M extends ServiceNetworkCommandMessage<ServiceNetworkCommand>> extends AggregateCommandHandler<M, ServiceNetworkCommand> {
  constructor(executor: ServiceNetworkCommandExecutor) {
    super(executor, (type, _stream, data) => ({ type, data }) as WithoutContext<ServiceNetworkCommand>);
  }
}
