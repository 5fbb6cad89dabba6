import { deciderSpecification } from '@app/event-sourcing/testing';
import { AGENT_DUTY_EVENT_TYPES, AgentStoodDownError, agentDutyDecider, agentDutyDecisionWords, agentDutyStreamName, type AgentDutyCommand, type AgentDutyEvent } from './agent-duty';

const spec = deciderSpecification(agentDutyDecider);
const supervisor = { id: 'sup-zhao', role: 'supervisor' } as const;
const take = (complaintId: string, at = '2026-03-01T08:00:00.000Z'): AgentDutyCommand => ({ type: 'TakeComplaint', data: { agentId: 'agent-x', complaintId }, at, actor: supervisor });
const standDown: AgentDutyCommand = { type: 'StandDownAgent', data: { agentId: 'agent-x' }, at: '2026-03-01T09:00:00.000Z', actor: supervisor };
const taken = (complaintId: string, takenAt = '2026-03-01T08:00:00.000Z'): AgentDutyEvent => ({ type: 'AgentComplaintTaken', data: { agentId: 'agent-x', complaintId, takenAt } });
const takeOrder: AgentDutyCommand = { type: 'TakeWorkOrder', data: { agentId: 'agent-x', workOrderId: 'wo-1' }, at: '2026-03-01T08:30:00.000Z', actor: supervisor };
const orderTaken: AgentDutyEvent = { type: 'AgentWorkOrderTaken', data: { agentId: 'agent-x', workOrderId: 'wo-1', takenAt: '2026-03-01T08:30:00.000Z' } };
const stoodDown: AgentDutyEvent = { type: 'AgentStoodDown', data: { agentId: 'agent-x', stoodDownAt: '2026-03-01T09:00:00.000Z' } };

describe("an agent's duty (the fence between the complaints given to them and their deactivation)", () => {
  describe('on duty', () => {
    it('takes a complaint assigned or escalated to them', () => {
      spec.given([]).when(take('c-1')).then([taken('c-1')]);
    });

    it('takes a complaint again when it comes back to them (a reassignment back): every giving moves the fence', () => {
      spec.given([taken('c-1')]).when(take('c-1', '2026-03-02T08:00:00.000Z')).then([taken('c-1', '2026-03-02T08:00:00.000Z')]);
    });

    it('takes a work order escalated to them (the fence only)', () => {
      spec.given([taken('c-1')]).when(takeOrder).then([orderTaken]);
    });

    it('is stood down by the deactivation, whatever they still hold', () => {
      spec.given([taken('c-1'), taken('c-2')]).when(standDown).then([stoodDown]);
    });
  });

  describe('stood down', () => {
    it('refuses a complaint given after the deactivation was stored (400 unknown-assignee, as the directory answers), though it was decided before', () => {
      spec.given([taken('c-1'), stoodDown]).when(take('c-2')).thenThrows(AgentStoodDownError, (error) => expect(error).toMatchObject({ code: 'unknown-assignee', kind: 'invalid', field: 'assignee' }));
    });

    it('refuses a work order escalated to them after the deactivation was stored, as a complaint', () => {
      spec.given([stoodDown]).when(takeOrder).thenThrows(AgentStoodDownError);
    });

    it('refuses a work order escalated to them again after the deactivation was stored, though they took it before (the fence of the work order\'s escalation)', () => {
      spec.given([orderTaken, taken('c-1'), stoodDown]).when(takeOrder).thenThrows(AgentStoodDownError, (error) => expect(error.agentId).toBe('agent-x'));
    });

    it('records a second stand-down as nothing', () => {
      spec.given([stoodDown]).when(standDown).then([]);
    });
  });

  it('knows the complaints given, each once, in the order given, and keeps them when stood down', () => {
    const state = [taken('c-1'), taken('c-2'), orderTaken, taken('c-1'), stoodDown].reduce(agentDutyDecider.evolve, agentDutyDecider.initialState);
    expect(state).toEqual({ status: 'stood-down', complaintIds: ['c-1', 'c-2'], stoodDownAt: '2026-03-01T09:00:00.000Z' });
  });

  it('has one stream per agent as the directory tells them apart (case and width aside), apart from the engineers\' duty streams', () => {
    expect([agentDutyStreamName('Agent-X'), agentDutyStreamName('ａｇｅｎｔ－ｘ')]).toEqual(['agent-duty-agent-x', 'agent-duty-agent-x']);
  });

  it('words each event for the audit trail, in both languages', () => {
    expect(AGENT_DUTY_EVENT_TYPES).toEqual(['AgentComplaintTaken', 'AgentWorkOrderTaken', 'AgentStoodDown']);
    expect(agentDutyDecisionWords(orderTaken)).toEqual({ 'zh-CN': '坐席 agent-x 接手升级的工单 wo-1。', en: 'Agent agent-x took work order wo-1, escalated to them.' });
    expect(agentDutyDecisionWords(taken('c-1'))).toEqual({ 'zh-CN': '坐席 agent-x 接手投诉 c-1。', en: 'Agent agent-x took complaint c-1.' });
    expect(agentDutyDecisionWords(stoodDown)).toEqual({ 'zh-CN': '坐席 agent-x 停止接单（已停用）。', en: 'Agent agent-x stood down (deactivated): no further complaints.' });
  });
});
