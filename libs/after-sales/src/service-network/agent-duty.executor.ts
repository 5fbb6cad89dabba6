import { Injectable } from '@nestjs/common';
import {
  AGENT_DUTY_EVENT_SCHEMA_VERSIONS, decideAgentDuty, agentDutyStreamName, evolveAgentDuty, initialAgentDutyState,
  type AgentDutyCommand, type AgentDutyEvent, type AgentDutyState,
} from '@app/domain';
import { AggregateCommandExecutor, AssigneeFence, Clock, type AppendPart, type CommandContext } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { loadStream } from '../stream-loader';
import { fenceContext } from '../fence-part';

const DUTY_FOLD = { initialState: initialAgentDutyState, evolve: evolveAgentDuty, upcast: (type: string, data: Record<string, unknown>) => ({ type, data }) as AgentDutyEvent };

/**
 * An agent's duty stream (agent-duty-<id>, docs/adr/0012 "An assignment and an agent's deactivation at
 * one moment"): its part in an assignment's or an escalation's append (AssigneeFence, asked by the
 * complaint's handlers) and in the agent's deactivation.
 */
@Injectable()
export class AgentDutyCommandExecutor extends AggregateCommandExecutor<AgentDutyCommand, AgentDutyEvent, AgentDutyState> implements AssigneeFence {
  constructor(eventStore: EventStore, clock: Clock) {
    super(eventStore, clock, {
      kind: 'agent duty',
      streamName: agentDutyStreamName,
      load: (agentId) => loadStream(eventStore, agentDutyStreamName(agentId), DUTY_FOLD),
      decide: decideAgentDuty,
      schemaVersionOf: (type) => AGENT_DUTY_EVENT_SCHEMA_VERSIONS[type as AgentDutyEvent['type']],
    }, (command) => command.data.agentId);
  }

  /** The complaint given to the agent, decided on the duty as each attempt reads it (fenceContext: a command id of its own, derived from the request's). */
  takePart(agentId: string, complaintId: string, context: CommandContext): AppendPart {
    return this.part({ type: 'TakeComplaint', data: { agentId, complaintId } }, fenceContext(context));
  }

  /** The deactivation's part: the agent stood down in the same append as the network's AgentDeactivated. */
  standDownPart(agentId: string, context: CommandContext): AppendPart {
    return this.part({ type: 'StandDownAgent', data: { agentId } }, fenceContext(context));
  }
}
