import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evolveWorkOrder } from './work-order.evolve';
import { initialWorkOrderState } from './work-order.state';
import { WORK_ORDER_EVENT_SCHEMA_VERSIONS, upcastWorkOrderEvent } from './work-order.upcasters';
import { reported } from './testing/work-order.fixtures';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/work-order-reported.v1.json'), 'utf8')) as {
  type: string; data: Record<string, unknown>; metadata: Record<string, unknown>;
};

describe('work-order event versioning', () => {
  it('writes WorkOrderReported as schema v2, its contact and address under personal', () => {
    expect(WORK_ORDER_EVENT_SCHEMA_VERSIONS.WorkOrderReported).toBe(2);
    expect(reported.data).not.toHaveProperty('contact');
    expect(reported.type === 'WorkOrderReported' && reported.data.personal).toEqual({ contact: { name: '李先生', phone: '+86 415 000 0000' }, address: '丹东市振兴区 加油站 3 号岛' });
  });

  it('upcasts a stored v1 report: the contact and the address move under personal, the rest stays', () => {
    const event = upcastWorkOrderEvent(fixture.type, fixture.data, () => fixture.metadata['schemaVersion']);
    expect(event).toEqual(reported);
    expect(fixture.data['contact']).toEqual({ name: '李先生', phone: '+86 415 000 0000' });
  });

  it('folds a v1 report and a v2 one to the same order', () => {
    const fromV1 = evolveWorkOrder(initialWorkOrderState, upcastWorkOrderEvent(fixture.type, fixture.data, () => 1));
    expect(fromV1).toEqual(evolveWorkOrder(initialWorkOrderState, reported));
    expect(fromV1).toMatchObject({ status: 'reported', contact: { name: '李先生' }, address: '丹东市振兴区 加油站 3 号岛' });
  });

  it('folds a report whose personal part cannot be read (an erased customer) with the contact and address unknown', () => {
    const erased = { ...reported, data: { ...reported.data, personal: null } } as typeof reported;
    expect(evolveWorkOrder(initialWorkOrderState, erased)).toMatchObject({ status: 'reported', customerId: 'cust-001', contact: null, address: null });
  });

  it('leaves a v2 report alone', () => {
    expect(upcastWorkOrderEvent('WorkOrderReported', reported.data as unknown as Record<string, unknown>, () => 2).data).toBe(reported.data);
  });
});
