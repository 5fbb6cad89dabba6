import { CommandHandler } from '@nestjs/cqrs';
import type { AddEngineer } from '@app/domain';
import { ServiceNetworkCommandHandler, ServiceNetworkCommandMessage } from '../service-network-command.base';

export class AddEngineerCommand extends ServiceNetworkCommandMessage<AddEngineer> {
  readonly type = 'AddEngineer';
}

@CommandHandler(AddEngineerCommand)
export class AddEngineerHandler extends ServiceNetworkCommandHandler<AddEngineerCommand> {}
