import { CommandHandler } from '@nestjs/cqrs';
import type { AddAgent } from '@app/domain';
import { ServiceNetworkCommandHandler, ServiceNetworkCommandMessage } from '../service-network-command.base';

export class AddAgentCommand extends ServiceNetworkCommandMessage<AddAgent> {
  readonly type = 'AddAgent';
}

@CommandHandler(AddAgentCommand)
export class AddAgentHandler extends ServiceNetworkCommandHandler<AddAgentCommand> {}
