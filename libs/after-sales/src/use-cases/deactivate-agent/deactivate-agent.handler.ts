import { CommandHandler } from '@nestjs/cqrs';
import type { DeactivateAgent } from '@app/domain';
import { ServiceNetworkCommandHandler, ServiceNetworkCommandMessage } from '../service-network-command.base';

export class DeactivateAgentCommand extends ServiceNetworkCommandMessage<DeactivateAgent> {
  readonly type = 'DeactivateAgent';
}

@CommandHandler(DeactivateAgentCommand)
export class DeactivateAgentHandler extends ServiceNetworkCommandHandler<DeactivateAgentCommand> {}
