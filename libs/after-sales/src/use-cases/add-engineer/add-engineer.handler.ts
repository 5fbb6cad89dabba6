import { CommandHandler } from '@nestjs/cqrs';
import type { AddEngineer } from '@app/domain';
import type { CommandOutcome } from '@app/complaints';
import { EngineerDutyCommandExecutor } from '../../service-network/engineer-duty.executor';
import { ServiceNetworkCommandExecutor } from '../../service-network/service-network-command.executor';
import { ServiceNetworkCommandHandler, ServiceNetworkCommandMessage } from '../service-network-command.base';

export class AddEngineerCommand extends ServiceNetworkCommandMessage<AddEngineer> {
  readonly type = 'AddEngineer';
}

/**
 * With the engineer's duty opened in the same append (`EngineerDutyOpened`, no orders yet): their
 * deactivation then lists their orders from that stream alone, without a scan of the log (docs/adr/0012).
 */
@CommandHandler(AddEngineerCommand)
export class AddEngineerHandler extends ServiceNetworkCommandHandler<AddEngineerCommand> {
  constructor(private readonly network: ServiceNetworkCommandExecutor, private readonly duty: EngineerDutyCommandExecutor) {
    super(network);
  }

  override async execute({ data, context }: AddEngineerCommand): Promise<CommandOutcome> {
    const [outcome] = await this.network.executeWith({ type: 'AddEngineer', data }, context, [this.duty.fencePart({ type: 'OpenEngineerDuty', data: { engineerId: data.engineerId } }, context)]);
    return outcome;
  }
}
