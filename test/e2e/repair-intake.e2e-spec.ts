import { newWorkOrder, useApp } from './support/test-app';

/**
 * A repair reported (报修) for a customer with no file opens a minimal file in the same call, as a
 * complaint's receipt does (issue 19, docs/adr/0013 "Repair intake"): the answer's position covers
 * the file, and a retry or a later report appends nothing to it.
 */
describe('reporting a repair for an unknown customer opens a minimal customer file', () => {
  jest.setTimeout(60_000);
  const app = useApp();
  const report = (customerId: string, headers: Record<string, string> = {}) =>
    app().request('POST', '/work-orders', { role: 'agent', body: { ...newWorkOrder, customerId }, headers });
  const events = async (customerId: string) => (await app().request('GET', `/customers/${customerId}/events`, { role: 'auditor' })).body.events as Array<{ type: string; data: Record<string, unknown>; metadata: Record<string, unknown>; position: number }>;

  it('opens a floating file naming the work order, caused by the report, with nothing personal copied from it', async () => {
    expect((await app().request('GET', '/customers/cust-repair-1/file', { role: 'agent' })).status).toBe(404);
    const reported = await report('cust-repair-1');
    expect(reported.status).toBe(201);
    const workOrderId = reported.body.id as string;
    // Read your writes: the file exists when the answer arrives, and the answer's position covers it.
    const file = await app().request('GET', '/customers/cust-repair-1/file', { role: 'agent' });
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({
      status: 'active', category: 'floating', openedForWorkOrder: workOrderId, openedForComplaint: null, openedBy: { id: 'agent-e2e', role: 'agent' },
      basics: { name: null, address: null }, contacts: [],
    });
    const [opened] = await events('cust-repair-1');
    expect(opened).toMatchObject({ type: 'CustomerFileOpened', data: { workOrderId, complaintId: null, personal: null }, metadata: { commandType: 'OpenCustomerFileAtIntake' } });
    expect(opened!.position).toBe(reported.body.position);
    const order = await app().request('GET', `/work-orders/${workOrderId}/events`, { role: 'auditor' });
    expect(opened!.metadata['causationId']).toBe(order.body.events[0].metadata.commandId);
    expect(JSON.stringify(opened)).not.toContain(newWorkOrder.contact.name);
    const trail = await app().request('GET', '/customers/cust-repair-1/trail', { role: 'auditor' });
    expect(trail.body.entries[0].decision).toEqual({
      'zh-CN': `受理报修 ${workOrderId} 时建立客户档案（流动客户）`, en: `Opened the customer file at the report of repair ${workOrderId} (Floating customer)`,
    });
  });

  it('appends nothing to the file when the report is retried, nor for the customer\'s next repair or complaint', async () => {
    const key = { 'idempotency-key': 'repair-intake-retry-1' };
    const first = await report('cust-repair-2', key);
    const again = await report('cust-repair-2', key);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect((await report('cust-repair-2')).status).toBe(201);
    expect((await events('cust-repair-2')).map((event) => event.type)).toEqual(['CustomerFileOpened']);
  });

  it('leaves a file opened by hand as it is, and a merged file closed (the order keeps the id it was given)', async () => {
    const open = (customerId: string) => app().request('POST', '/customers', { role: 'supervisor', body: { customerId, category: 'fixed', reason: 'Supply agreement.', name: '顺达物流' } });
    expect((await open('cust-repair-kept')).status).toBe(201);
    expect((await report('cust-repair-kept')).status).toBe(201);
    expect((await events('cust-repair-kept')).map((event) => event.type)).toEqual(['CustomerFileOpened']);
    expect((await open('cust-repair-survivor')).status).toBe(201);
    expect((await open('cust-repair-merged')).status).toBe(201);
    expect((await app().request('POST', '/customers/cust-repair-merged/merge', { role: 'supervisor', body: { survivorId: 'cust-repair-survivor', reason: 'Same company.' } })).status).toBe(200);
    const reported = await report('cust-repair-merged');
    expect(reported.status).toBe(201);
    expect((await app().request('GET', `/work-orders/${reported.body.id}`, { role: 'agent' })).body).toMatchObject({ customerId: 'cust-repair-merged' });
    expect((await events('cust-repair-merged')).map((event) => event.type)).toEqual(['CustomerFileOpened', 'CustomerFileMerged']);
  });
});
