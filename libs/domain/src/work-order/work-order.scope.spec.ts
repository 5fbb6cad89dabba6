import { foldServiceNetwork } from '../service-network/service-network.evolve';
import { agent, dispatch, dispatched, network, onSiteHistory, reported, supervisor, workOrderId } from './testing/work-order.fixtures';
import { EngineerDeactivatedError } from './work-order.errors';
import { decideWorkOrder } from './work-order.decide';
import type { WorkOrderEvent } from './work-order.events';
import { foldWorkOrder } from './work-order.evolve';
import { requireActingPrincipal } from '../service-network/acting-principal';
import { servicePointOf, workOrderInScope } from './work-order.scope';
import type { ExistingWorkOrder } from './work-order.state';

const existing = (events: WorkOrderEvent[]): ExistingWorkOrder => {
  const state = foldWorkOrder(events);
  if (state.status === 'none') throw new Error('no order');
  return state;
};
const inScope = (order: ExistingWorkOrder, actorId: string, scope: 'all' | string[]) =>
  workOrderInScope({ reportedBy: order.reportedBy, servicePoint: servicePointOf(order) }, actorId, scope);
const cancelled: WorkOrderEvent = {
  type: 'WorkOrderCancelled', data: { workOrderId, cancelledAt: '2026-03-02T03:00:00.000Z', by: agent, reason: 'duplicate', previousStatus: 'reported' },
};

describe('which work orders a principal limited to departments sees', () => {
  it('shows a dispatched order to the tokens of its service point only, whoever reported it', () => {
    const order = existing(onSiteHistory);
    expect(servicePointOf(order)).toBe('dandong-station');
    expect(inScope(order, 'eng-wang', ['dandong-station'])).toBe(true);
    expect(inScope(order, agent.id, ['dalian-branch'])).toBe(false);
  });

  it('shows an order not yet dispatched to the principal that reported it, and to nobody else limited to departments', () => {
    const order = existing([reported]);
    expect(servicePointOf(order)).toBeNull();
    expect(inScope(order, agent.id, ['dandong-station'])).toBe(true);
    expect(inScope(order, 'eng-wang', ['dandong-station'])).toBe(false);
    expect(inScope(existing([reported, cancelled]), 'eng-wang', ['dandong-station'])).toBe(false);
  });

  it('moves the order out of the first station\'s sight when it is redispatched elsewhere', () => {
    const [redispatched] = decideWorkOrder(dispatch({ stationCode: 'dalian-branch', engineerId: 'eng-liu', reason: 'Dandong has no dispenser engineer free' }), existing([reported, dispatched]));
    const order = existing([reported, dispatched, redispatched!]);
    expect(inScope(order, 'eng-wang', ['dandong-station'])).toBe(false);
    expect(inScope(order, 'eng-liu', ['dalian-branch'])).toBe(true);
  });

  it('shows every order to a principal of every department', () => {
    expect(inScope(existing([reported]), 'someone-else', 'all')).toBe(true);
  });
});

describe('whose token acts on work orders: an engineer the service network has deactivated does not', () => {
  const refusalOf = (act: () => void): unknown => {
    try {
      act();
    } catch (error) {
      return error;
    }
    return undefined;
  };
  const deactivated = foldServiceNetwork([{ type: 'EngineerDeactivated', data: { engineerId: 'eng-wang', station: 'dandong-station', deactivatedAt: '2026-03-02T05:00:00.000Z', by: supervisor, reason: 'left the company' } }], network);

  it('lets an engineer the directory lists as active act', () => {
    expect(() => requireActingPrincipal(network, { id: 'eng-wang', role: 'engineer' })).not.toThrow();
  });

  it('refuses an engineer once deactivated (403 engineer-deactivated), saying when and what a supervisor does instead', () => {
    const refusal = refusalOf(() => requireActingPrincipal(deactivated, { id: 'eng-wang', role: 'engineer' }));
    expect(refusal).toBeInstanceOf(EngineerDeactivatedError);
    expect(refusal).toMatchObject({ code: 'engineer-deactivated', kind: 'forbidden', engineerId: 'eng-wang', deactivatedAt: '2026-03-02T05:00:00.000Z' });
    expect((refusal as Error).message).toMatch(/eng-wang was deactivated in the service network at 2026-03-02T05:00:00.000Z.*redispatch.*reopen.*engineerId/);
  });

  it('leaves other roles alone, whatever their id, and an engineer principal the directory does not list', () => {
    expect(() => requireActingPrincipal(deactivated, { id: 'eng-wang', role: 'supervisor' })).not.toThrow();
    expect(() => requireActingPrincipal(deactivated, { id: 'eng-wang', role: 'admin' })).not.toThrow();
    expect(() => requireActingPrincipal(deactivated, { id: 'eng-nobody', role: 'engineer' })).not.toThrow();
    expect(() => requireActingPrincipal(deactivated, { id: 'eng-liu', role: 'engineer' })).not.toThrow();
  });
});
