import { CommandHandler } from '@nestjs/cqrs';
import { personById, type DeactivateEngineer } from '@app/domain';
import type { CommandOutcome } from '@app/complaints';
import { EngineerDutyCommandExecutor } from '../../service-network/engineer-duty.executor';
import { EngineerTurns } from '../../service-network/engineer-turns';
import { ServiceNetworkCommandExecutor } from '../../service-network/service-network-command.executor';
import { ServiceNetworkRepository } from '../../service-network/service-network.repository';
import { ServiceNetworkCommandHandler, ServiceNetworkCommandMessage } from '../service-network-command.base';

export class DeactivateEngineerCommand extends ServiceNetworkCommandMessage<DeactivateEngineer> {
  readonly type = 'DeactivateEngineer';
}

/**
 * In the engineer's turn (EngineerTurns, short waits), and with the engineer's duty stood down in the
 * same append as the network's event: a dispatch decided before but stored after is refused (the fence).
 */
@CommandHandler(DeactivateEngineerCommand)
export class DeactivateEngineerHandler extends ServiceNetworkCommandHandler<DeactivateEngineerCommand> {
  constructor(private readonly network: ServiceNetworkCommandExecutor, private readonly engineers: EngineerTurns, private readonly duty: EngineerDutyCommandExecutor, private readonly directory: ServiceNetworkRepository) {
    super(network);
  }

  override execute({ data, context }: DeactivateEngineerCommand): Promise<CommandOutcome> {
    return this.engineers.inTurn(data.engineerId, async () => {
      // The duty records the directory's id, as EngineerDeactivated does, not the path's spelling.
      const engineerId = personById((await this.directory.current()).engineers, data.engineerId)?.id ?? data.engineerId;
      const [outcome] = await this.network.executeWith({ type: 'DeactivateEngineer', data }, context, [this.duty.fencePart({ type: 'StandDownEngineer', data: { engineerId } }, context)]);
      return outcome;
    });
  }
}
