import { Injectable } from '@nestjs/common';
import { AGENT_DUTY, AGENT_DUTY_EVENT_SCHEMA_VERSIONS, agentDutyDecider } from '@app/domain';
import { Clock, type AppendPart, type CommandContext } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { DutyCommandExecutor } from './duty-stream.executor';

/**
 * An agent's duty stream (agent-duty-<id>, docs/adr/0012 "An assignment and an agent's deactivation at
 * one moment"): its part in an assignment's or an escalation's append (through AssigneeDutyFence, asked
 * by the complaint's handlers) and in the agent's deactivation.
 */
@Injectable()
export class AgentDutyCommandExecutor extends DutyCommandExecutor<typeof AGENT_DUTY> {
  constructor(eventStore: EventStore, clock: Clock) {
    super(eventStore, clock, { name: 'agent duty', vocabulary: AGENT_DUTY, decider: agentDutyDecider, schemaVersions: AGENT_DUTY_EVENT_SCHEMA_VERSIONS });
  }

  /** The complaint given to the agent. */
  takePart(agentId: string, complaintId: string, context: CommandContext): AppendPart {
    return this.fencePart({ type: 'TakeComplaint', data: { agentId, complaintId } }, context);
  }

  /** A work order escalated to the agent: the fence only, as for a complaint. */
  takeWorkOrderPart(agentId: string, workOrderId: string, context: CommandContext): AppendPart {
    return this.fencePart({ type: 'TakeWorkOrder', data: { agentId, workOrderId } }, context);
  }

  /** The deactivation's part: the agent stood down in the same append as the network's AgentDeactivated. */
  standDownPart(agentId: string, context: CommandContext): AppendPart {
    return this.fencePart({ type: 'StandDownAgent', data: { agentId } }, context);
  }
}
