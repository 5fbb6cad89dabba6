import { Injectable } from '@nestjs/common';
import { AssigneeFence, type AppendPart, type CommandContext, type DutyHolder } from '@app/complaints';
import { AgentDutyCommandExecutor } from './agent-duty.executor';
import { EngineerDutyCommandExecutor } from './engineer-duty.executor';

/**
 * The complaint's fence against its assignee's deactivation (docs/adr/0012): the part on the agent's or
 * the engineer's duty stream, whichever the directory found the assignee to be.
 */
@Injectable()
export class AssigneeDutyFence extends AssigneeFence {
  constructor(private readonly agents: AgentDutyCommandExecutor, private readonly engineers: EngineerDutyCommandExecutor) {
    super();
  }

  takePart({ role, id }: DutyHolder, complaintId: string, context: CommandContext): AppendPart {
    return role === 'agent' ? this.agents.takePart(id, complaintId, context) : this.engineers.takeComplaintPart(id, complaintId, context);
  }
}
