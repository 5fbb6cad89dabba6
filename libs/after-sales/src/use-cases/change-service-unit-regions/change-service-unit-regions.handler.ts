import { CommandHandler } from '@nestjs/cqrs';
import type { ChangeServiceUnitRegions } from '@app/domain';
import { ServiceNetworkCommandHandler, ServiceNetworkCommandMessage } from '../service-network-command.base';

export class ChangeServiceUnitRegionsCommand extends ServiceNetworkCommandMessage<ChangeServiceUnitRegions> {
  readonly type = 'ChangeServiceUnitRegions';
}

@CommandHandler(ChangeServiceUnitRegionsCommand)
export class ChangeServiceUnitRegionsHandler extends ServiceNetworkCommandHandler<ChangeServiceUnitRegionsCommand> {}
