import { assertNever } from '../assert-never';
import type { Words } from '../decision-words';
import { DomainError } from '../domain-error';
import { dutyDecider, dutyEventTypes, dutyStreamName, type DutyCommand, type DutyEvent, type DutyState } from './duty-stream';

/**
 * An agent's duty (docs/adr/0012, "An assignment and an agent's deactivation at one moment"), as an
 * engineer's duty is for work orders: an assignment (or reassignment) to an agent and an escalation to
 * a named agent take the complaint here in the same atomic append as the complaint's own event; the
 * agent's deactivation stands them down with the service network's `AgentDeactivated`. Decided by the
 * one duty-stream decider. Not opened with the agent: it is a fence only, as no answer lists an agent's
 * complaints from it (ADR 0012, "One duty-stream decider").
 */
export const AGENT_DUTY = {
  streamPrefix: 'agent-duty-',
  person: 'agentId', item: 'complaintId', items: 'complaintIds',
  take: 'TakeComplaint', standDown: 'StandDownAgent', taken: 'AgentComplaintTaken', stoodDown: 'AgentStoodDown',
  /** A work order escalated to the agent: fenced against the deactivation as a complaint's escalation is (docs/adr/0012). */
  fenceOnly: { take: 'TakeWorkOrder', taken: 'AgentWorkOrderTaken', item: 'workOrderId' },
} as const;
export const AGENT_DUTY_STREAM_PREFIX = AGENT_DUTY.streamPrefix;
export const agentDutyStreamName = (agentId: string): string => dutyStreamName(AGENT_DUTY, agentId);

export type AgentDutyCommand = DutyCommand<typeof AGENT_DUTY>;
export type TakeComplaint = Extract<AgentDutyCommand, { readonly type: 'TakeComplaint' }>;
export type TakeWorkOrderAsAgent = Extract<AgentDutyCommand, { readonly type: 'TakeWorkOrder' }>;
export type StandDownAgent = Extract<AgentDutyCommand, { readonly type: 'StandDownAgent' }>;
export type AgentDutyEvent = DutyEvent<typeof AGENT_DUTY>;
export type AgentDutyState = DutyState<typeof AGENT_DUTY>;

export const AGENT_DUTY_EVENT_TYPES = dutyEventTypes(AGENT_DUTY);
export const AGENT_DUTY_EVENT_SCHEMA_VERSIONS: Readonly<Record<AgentDutyEvent['type'], number>> = { AgentComplaintTaken: 1, AgentWorkOrderTaken: 1, AgentStoodDown: 1 };

/**
 * A complaint given to an agent whose deactivation is stored: 400 unknown-assignee, as the
 * directory's own check answers once it sees the deactivation (the caller decides again on it first).
 */
export class AgentStoodDownError extends DomainError {
  readonly code = 'unknown-assignee';
  readonly kind = 'invalid' as const;
  readonly field = 'assignee';
  constructor(readonly agentId: string) {
    super(`Agent ${agentId} is no longer active (deactivated while this complaint was being given to them); nothing was written. Assign the complaint to an active agent.`);
  }
}

export const agentDutyDecider = dutyDecider(AGENT_DUTY, (agentId) => new AgentStoodDownError(agentId));
export const { decide: decideAgentDuty, evolve: evolveAgentDuty, initialState: initialAgentDutyState } = agentDutyDecider;

/** What an agent's duty event records, in plain words, for auditors. */
export function agentDutyDecisionWords(event: AgentDutyEvent): Words {
  switch (event.type) {
    case 'AgentComplaintTaken':
      return { 'zh-CN': `坐席 ${event.data.agentId} 接手投诉 ${event.data.complaintId}。`, en: `Agent ${event.data.agentId} took complaint ${event.data.complaintId}.` };
    case 'AgentWorkOrderTaken':
      return { 'zh-CN': `坐席 ${event.data.agentId} 接手升级的工单 ${event.data.workOrderId}。`, en: `Agent ${event.data.agentId} took work order ${event.data.workOrderId}, escalated to them.` };
    case 'AgentStoodDown':
      return { 'zh-CN': `坐席 ${event.data.agentId} 停止接单（已停用）。`, en: `Agent ${event.data.agentId} stood down (deactivated): no further complaints.` };
    default:
      return assertNever(event);
  }
}
