import type { Decider } from '@app/event-sourcing';
import { assertNever } from '../assert-never';
import type { Words } from '../decision-words';
import { DomainError } from '../domain-error';
import { principalKey, type Actor } from '../principal';

/**
 * An agent's duty: the consistency boundary between the complaints given to an agent and their
 * deactivation (docs/adr/0012, "An assignment and an agent's deactivation at one moment"), as an
 * engineer's duty is for work orders. An assignment (or reassignment) to an agent and an escalation
 * to a named agent append `AgentComplaintTaken` here in the same atomic append as the complaint's
 * own event; the agent's deactivation appends `AgentStoodDown` with the service network's
 * `AgentDeactivated`. Both are checked against this stream's revision, so an assignment decided
 * before a deactivation that is stored first conflicts, is decided again on the stream as it now
 * stands, and is refused.
 */
export const AGENT_DUTY_STREAM_PREFIX = 'agent-duty-';
/** One stream per agent as the directory tells them apart (case and width aside). */
export const agentDutyStreamName = (agentId: string): string => `${AGENT_DUTY_STREAM_PREFIX}${principalKey(agentId)}`;

export interface TakeComplaint {
  readonly type: 'TakeComplaint';
  readonly data: { readonly agentId: string; readonly complaintId: string };
  readonly at: string;
  readonly actor: Actor;
}
export interface StandDownAgent {
  readonly type: 'StandDownAgent';
  readonly data: { readonly agentId: string };
  readonly at: string;
  readonly actor: Actor;
}
export type AgentDutyCommand = TakeComplaint | StandDownAgent;

export type AgentDutyEvent =
  | { readonly type: 'AgentComplaintTaken'; readonly data: { readonly agentId: string; readonly complaintId: string; readonly takenAt: string } }
  | { readonly type: 'AgentStoodDown'; readonly data: { readonly agentId: string; readonly stoodDownAt: string } };

export const AGENT_DUTY_EVENT_TYPES: ReadonlyArray<AgentDutyEvent['type']> = ['AgentComplaintTaken', 'AgentStoodDown'];
export const AGENT_DUTY_EVENT_SCHEMA_VERSIONS: Readonly<Record<AgentDutyEvent['type'], number>> = { AgentComplaintTaken: 1, AgentStoodDown: 1 };

/** The complaints given to the agent, in the order given (a complaint given twice, once). */
export type AgentDutyState =
  | { readonly status: 'on-duty'; readonly complaintIds: readonly string[] }
  | { readonly status: 'stood-down'; readonly complaintIds: readonly string[]; readonly stoodDownAt: string };

export const initialAgentDutyState: AgentDutyState = { status: 'on-duty', complaintIds: [] };

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

export function decideAgentDuty(command: AgentDutyCommand, state: AgentDutyState): AgentDutyEvent[] {
  switch (command.type) {
    case 'TakeComplaint':
      if (state.status === 'stood-down') throw new AgentStoodDownError(command.data.agentId);
      return [{ type: 'AgentComplaintTaken', data: { ...command.data, takenAt: command.at } }];
    case 'StandDownAgent':
      // Once: the service network refuses a second deactivation before this is asked.
      return state.status === 'stood-down' ? [] : [{ type: 'AgentStoodDown', data: { agentId: command.data.agentId, stoodDownAt: command.at } }];
    default:
      return assertNever(command);
  }
}

export function evolveAgentDuty(state: AgentDutyState, event: AgentDutyEvent): AgentDutyState {
  switch (event.type) {
    case 'AgentComplaintTaken':
      return state.complaintIds.includes(event.data.complaintId) ? state : { ...state, complaintIds: [...state.complaintIds, event.data.complaintId] };
    case 'AgentStoodDown':
      return { status: 'stood-down', complaintIds: state.complaintIds, stoodDownAt: event.data.stoodDownAt };
    default:
      return assertNever(event);
  }
}

export const agentDutyDecider: Decider<AgentDutyCommand, AgentDutyEvent, AgentDutyState> = {
  decide: decideAgentDuty,
  evolve: evolveAgentDuty,
  initialState: initialAgentDutyState,
};

/** What an agent's duty event records, in plain words, for auditors. */
export function agentDutyDecisionWords(event: AgentDutyEvent): Words {
  switch (event.type) {
    case 'AgentComplaintTaken':
      return { 'zh-CN': `坐席 ${event.data.agentId} 接手投诉 ${event.data.complaintId}。`, en: `Agent ${event.data.agentId} took complaint ${event.data.complaintId}.` };
    case 'AgentStoodDown':
      return { 'zh-CN': `坐席 ${event.data.agentId} 停止接单（已停用）。`, en: `Agent ${event.data.agentId} stood down (deactivated): no further complaints.` };
    default:
      return assertNever(event);
  }
}
