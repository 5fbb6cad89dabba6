import { CommandHandler } from '@nestjs/cqrs';
import type { DeactivateEngineer } from '@app/domain';
import type { CommandOutcome } from '@app/complaints';
import { EngineerTurns } from '../../service-network/engineer-turns';
import { ServiceNetworkCommandExecutor } from '../../service-network/service-network-command.executor';
import { ServiceNetworkCommandHandler, ServiceNetworkCommandMessage } from '../service-network-command.base';

export class DeactivateEngineerCommand extends ServiceNetworkCommandMessage<DeactivateEngineer> {
  readonly type = 'DeactivateEngineer';
}

/** In the engineer's turn (EngineerTurns): no dispatch to them is between its check and its append meanwhile. */
@CommandHandler(DeactivateEngineerCommand)
export class DeactivateEngineerHandler extends ServiceNetworkCommandHandler<DeactivateEngineerCommand> {
  constructor(executor: ServiceNetworkCommandExecutor, private readonly engineers: EngineerTurns) {
    super(executor);
  }

  override execute(command: DeactivateEngineerCommand): Promise<CommandOutcome> {
    return this.engineers.inTurn(command.data.engineerId, () => super.execute(command));
  }
}
