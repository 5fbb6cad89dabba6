import { CommandHandler } from '@nestjs/cqrs';
import { personById, type DeactivateAgent } from '@app/domain';
import type { CommandOutcome } from '@app/complaints';
import { AgentDutyCommandExecutor } from '../../service-network/agent-duty.executor';
import { ServiceNetworkCommandExecutor } from '../../service-network/service-network-command.executor';
import { ServiceNetworkRepository } from '../../service-network/service-network.repository';
import { ServiceNetworkCommandHandler, ServiceNetworkCommandMessage } from '../service-network-command.base';

export class DeactivateAgentCommand extends ServiceNetworkCommandMessage<DeactivateAgent> {
  readonly type = 'DeactivateAgent';
}

/**
 * With the agent's duty stood down in the same append as the network's event: an assignment (or an
 * escalation to the agent) decided before but stored after is refused (the fence, docs/adr/0012).
 */
@CommandHandler(DeactivateAgentCommand)
export class DeactivateAgentHandler extends ServiceNetworkCommandHandler<DeactivateAgentCommand> {
  constructor(private readonly network: ServiceNetworkCommandExecutor, private readonly duty: AgentDutyCommandExecutor, private readonly directory: ServiceNetworkRepository) {
    super(network);
  }

  override async execute({ data, context }: DeactivateAgentCommand): Promise<CommandOutcome> {
    // The duty records the directory's id, as AgentDeactivated does, not the path's spelling (case, width, invisible characters); ids are never reused.
    const agentId = personById((await this.directory.current()).agents, data.agentId)?.id ?? data.agentId;
    const [outcome] = await this.network.executeWith({ type: 'DeactivateAgent', data }, context, [this.duty.standDownPart(agentId, context)]);
    return outcome;
  }
}
