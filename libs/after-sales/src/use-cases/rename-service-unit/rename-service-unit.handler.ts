import { CommandHandler } from '@nestjs/cqrs';
import type { RenameServiceUnit } from '@app/domain';
import { ServiceNetworkCommandHandler, ServiceNetworkCommandMessage } from '../service-network-command.base';

export class RenameServiceUnitCommand extends ServiceNetworkCommandMessage<RenameServiceUnit> {
  readonly type = 'RenameServiceUnit';
}

@CommandHandler(RenameServiceUnitCommand)
export class RenameServiceUnitHandler extends ServiceNetworkCommandHandler<RenameServiceUnitCommand> {}
