import { CommandHandler } from '@nestjs/cqrs';
import type { DeactivateEngineer } from '@app/domain';
import { ServiceNetworkCommandHandler, ServiceNetworkCommandMessage } from '../service-network-command.base';

export class DeactivateEngineerCommand extends ServiceNetworkCommandMessage<DeactivateEngineer> {
  readonly type = 'DeactivateEngineer';
}

@CommandHandler(DeactivateEngineerCommand)
export class DeactivateEngineerHandler extends ServiceNetworkCommandHandler<DeactivateEngineerCommand> {}
