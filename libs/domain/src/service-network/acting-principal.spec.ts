import { EngineerDeactivatedError } from '../work-order/work-order.errors';
import { AgentDeactivatedError, requireActingPrincipal } from './acting-principal';
import { foldServiceNetwork } from './service-network.evolve';

const supervisor = { id: 'sup-zhao', role: 'supervisor' } as const;
const directory = foldServiceNetwork([
  { type: 'AgentAdded', data: { agentId: 'agent-li', name: '李娜', units: [], addedAt: '2026-03-01T01:00:00.000Z', by: supervisor, reason: 'hired' } },
  { type: 'AgentAdded', data: { agentId: 'agent-chen', name: '陈静', units: [], addedAt: '2026-03-01T01:00:00.000Z', by: supervisor, reason: 'hired' } },
]);
const deactivated = foldServiceNetwork([{ type: 'AgentDeactivated', data: { agentId: 'agent-li', deactivatedAt: '2026-03-02T05:00:00.000Z', by: supervisor, reason: 'left the company' } }], directory);

const refusalOf = (act: () => void): unknown => {
  try {
    act();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('whose token acts on complaints: an agent the service network has deactivated does not', () => {
  it('lets an agent the directory lists as active act', () => {
    expect(() => requireActingPrincipal(directory, { id: 'agent-li', role: 'agent' })).not.toThrow();
  });

  it('refuses an agent once deactivated (403 agent-deactivated), saying when, that nothing was written and what to do instead', () => {
    const refusal = refusalOf(() => requireActingPrincipal(deactivated, { id: 'agent-li', role: 'agent' }));
    expect(refusal).toBeInstanceOf(AgentDeactivatedError);
    expect(refusal).not.toBeInstanceOf(EngineerDeactivatedError);
    expect(refusal).toMatchObject({ code: 'agent-deactivated', kind: 'forbidden', agentId: 'agent-li', deactivatedAt: '2026-03-02T05:00:00.000Z' });
    expect((refusal as Error).message).toMatch(/agent-li was deactivated in the service network at 2026-03-02T05:00:00.000Z.*nothing was written.*supervisor reassigns.*admin revokes/);
  });

  it('leaves another agent, other roles with the same id, and an agent principal the directory does not list alone', () => {
    expect(() => requireActingPrincipal(deactivated, { id: 'agent-chen', role: 'agent' })).not.toThrow();
    expect(() => requireActingPrincipal(deactivated, { id: 'agent-li', role: 'supervisor' })).not.toThrow();
    expect(() => requireActingPrincipal(deactivated, { id: 'agent-li', role: 'admin' })).not.toThrow();
    expect(() => requireActingPrincipal(deactivated, { id: 'agent-nobody', role: 'agent' })).not.toThrow();
  });
});
