import { network, supervisor } from '../work-order/testing/work-order.fixtures';
import { EngineerDeactivatedError, NotTheDispatchedEngineerError } from '../work-order/work-order.errors';
import { AgentDeactivatedError, actorDeactivation, requireActingPrincipal, requireDispatchedEngineer } from './acting-principal';
import { foldServiceNetwork } from './service-network.evolve';

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

  it('tells a front-end the same refusal before the agent acts (actorDeactivation), and nothing for an active one', () => {
    expect(actorDeactivation(directory, { id: 'agent-li', role: 'agent' })).toBeNull();
    expect(actorDeactivation(deactivated, { id: 'agent-chen', role: 'agent' })).toBeNull();
    expect(actorDeactivation(deactivated, { id: 'agent-li', role: 'agent' })).toEqual(refusalOf(() => requireActingPrincipal(deactivated, { id: 'agent-li', role: 'agent' })));
  });

  it('knows the deactivated agent under the id written in another case or width, as the directory tells ids apart', () => {
    for (const id of ['Agent-Li', 'AGENT-LI', 'ａｇｅｎｔ-ｌｉ']) {
      expect(refusalOf(() => requireActingPrincipal(deactivated, { id, role: 'agent' }))).toMatchObject({ code: 'agent-deactivated', agentId: 'agent-li' });
    }
  });

  it('leaves another agent, other roles with the same id, and an agent principal the directory does not list alone', () => {
    expect(() => requireActingPrincipal(deactivated, { id: 'agent-chen', role: 'agent' })).not.toThrow();
    expect(() => requireActingPrincipal(deactivated, { id: 'agent-li', role: 'supervisor' })).not.toThrow();
    expect(() => requireActingPrincipal(deactivated, { id: 'agent-li', role: 'admin' })).not.toThrow();
    expect(() => requireActingPrincipal(deactivated, { id: 'agent-nobody', role: 'agent' })).not.toThrow();
  });
});

describe('whose token acts on work orders: an engineer the service network has deactivated does not', () => {
  const engineerLeft = foldServiceNetwork([{ type: 'EngineerDeactivated', data: { engineerId: 'eng-wang', station: 'dandong-station', deactivatedAt: '2026-03-02T05:00:00.000Z', by: supervisor, reason: 'left the company' } }], network);

  it('lets an engineer the directory lists as active act', () => {
    expect(() => requireActingPrincipal(network, { id: 'eng-wang', role: 'engineer' })).not.toThrow();
  });

  it('refuses an engineer once deactivated (403 engineer-deactivated), saying when and what a supervisor does instead', () => {
    const refusal = refusalOf(() => requireActingPrincipal(engineerLeft, { id: 'eng-wang', role: 'engineer' }));
    expect(refusal).toBeInstanceOf(EngineerDeactivatedError);
    expect(refusal).toMatchObject({ code: 'engineer-deactivated', kind: 'forbidden', engineerId: 'eng-wang', deactivatedAt: '2026-03-02T05:00:00.000Z' });
    expect((refusal as Error).message).toMatch(/eng-wang was deactivated in the service network at 2026-03-02T05:00:00.000Z.*redispatch.*reopen.*engineerId/);
  });

  it('leaves other roles alone, whatever their id, and an engineer principal the directory does not list', () => {
    expect(() => requireActingPrincipal(engineerLeft, { id: 'eng-wang', role: 'supervisor' })).not.toThrow();
    expect(() => requireActingPrincipal(engineerLeft, { id: 'eng-wang', role: 'admin' })).not.toThrow();
    expect(() => requireActingPrincipal(engineerLeft, { id: 'eng-nobody', role: 'engineer' })).not.toThrow();
    expect(() => requireActingPrincipal(engineerLeft, { id: 'eng-liu', role: 'engineer' })).not.toThrow();
  });
});

describe('whose token does a work order\'s field work: the engineer it is dispatched to', () => {
  const order = { workOrderId: 'wo-1', dispatchedTo: 'eng-wang' };

  it('lets the dispatched engineer act, under their id in another case too', () => {
    expect(() => requireDispatchedEngineer(network, { id: 'eng-wang', role: 'engineer' }, order)).not.toThrow();
    expect(() => requireDispatchedEngineer(network, { id: 'ENG-WANG', role: 'engineer' }, order)).not.toThrow();
  });

  it('refuses another engineer of the directory (403 not-the-dispatched-engineer), saying who holds the order and what to do instead', () => {
    const refusal = refusalOf(() => requireDispatchedEngineer(network, { id: 'eng-liu', role: 'engineer' }, order));
    expect(refusal).toBeInstanceOf(NotTheDispatchedEngineerError);
    expect(refusal).toMatchObject({ code: 'not-the-dispatched-engineer', kind: 'forbidden', workOrderId: 'wo-1', engineerId: 'eng-liu', dispatchedTo: 'eng-wang' });
    expect((refusal as Error).message).toMatch(/^Work order wo-1 is dispatched to eng-wang, not to eng-liu: .*nothing was written\. If eng-liu takes it over, a supervisor redispatches it to them first/);
  });

  it('leaves other roles, an order not dispatched yet and an engineer principal the directory does not list to the roles and the state', () => {
    for (const actor of [{ id: 'eng-liu', role: 'supervisor' }, { id: 'eng-liu', role: 'agent' }, { id: 'eng-liu', role: 'admin' }, { id: 'engineer-e2e', role: 'engineer' }] as const) {
      expect(() => requireDispatchedEngineer(network, actor, order)).not.toThrow();
    }
    expect(() => requireDispatchedEngineer(network, { id: 'eng-liu', role: 'engineer' }, { workOrderId: 'wo-1', dispatchedTo: null })).not.toThrow();
  });
});
