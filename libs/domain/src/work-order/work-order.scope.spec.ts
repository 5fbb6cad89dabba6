import { agent, dispatch, dispatched, onSiteHistory, reported, workOrderId } from './testing/work-order.fixtures';
import { decideWorkOrder } from './work-order.decide';
import type { WorkOrderEvent } from './work-order.events';
import { foldWorkOrder } from './work-order.evolve';
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
