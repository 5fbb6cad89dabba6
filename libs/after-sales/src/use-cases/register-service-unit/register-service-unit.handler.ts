import { CommandHandler } from '@nestjs/cqrs';
import type { RegisterServiceUnit } from '@app/domain';
import { ServiceNetworkCommandHandler, ServiceNetworkCommandMessage } from '../service-network-command.base';

export class RegisterServiceUnitCommand extends ServiceNetworkCommandMessage<RegisterServiceUnit> {
  readonly type = 'RegisterServiceUnit';
}

@CommandHandler(RegisterServiceUnitCommand)
export class RegisterServiceUnitHandler extends ServiceNetworkCommandHandler<RegisterServiceUnitCommand> {}
