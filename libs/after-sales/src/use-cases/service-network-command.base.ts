import { Injectable } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { ServiceNetworkCommand } from '@app/domain';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { ServiceNetworkCommandExecutor } from '../service-network/service-network-command.executor';

/** A change to the service network: its body and its context (the directory is one stream, so no id). */
export abstract class ServiceNetworkCommandMessage<C extends ServiceNetworkCommand> {
  abstract readonly type: C['type'];
  constructor(
    readonly data: C['data'],
    readonly context: CommandContext,
  ) {}
}

@Injectable()
export abstract class ServiceNetworkCommandHandler<M extends ServiceNetworkCommandMessage<ServiceNetworkCommand>> implements ICommandHandler<ServiceNetworkCommandMessage<ServiceNetworkCommand>, CommandOutcome> {
  constructor(private readonly executor: ServiceNetworkCommandExecutor) {}

  execute(message: M): Promise<CommandOutcome> {
    const { type, data, context } = message;
    return this.executor.execute({ type, data } as Parameters<ServiceNetworkCommandExecutor['execute']>[0], context);
  }
}
