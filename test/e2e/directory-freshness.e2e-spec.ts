import { SERVICE_NETWORK_STREAM } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { newComplaint, newWorkOrder, useTwoApps, type RunningApp, type TestResponse } from './support/test-app';

/**
 * Dispatch, redispatch, reopen and a complaint's assignment check the directory as it stands in the
 * store, read incrementally by each API instance (ServiceNetworkRepository.current): a change the
 * other instance wrote since that instance last read it is seen by the very next command.
 */
describe('the directory checks of two API instances on one store', () => {
  jest.setTimeout(60_000);
  const apps = useTwoApps();

  const call = (app: RunningApp, path: string, role: 'admin' | 'agent' | 'supervisor', body: unknown) => app.request('POST', path, { role, body });
  const ok = async (app: RunningApp, path: string, role: 'admin' | 'agent' | 'supervisor', body: unknown): Promise<TestResponse> => {
    const response = await call(app, path, role, body);
    expect({ path, status: response.status < 300, problem: response.status < 300 ? undefined : response.body }).toEqual({ path, status: true, problem: undefined });
    return response;
  };
  const report = async () => (await ok(apps().second, '/work-orders', 'agent', newWorkOrder)).body.id as string;
  const dispatchTo = (id: string, engineerId: string) => call(apps().second, `/work-orders/${id}/dispatch`, 'agent', { stationCode: 'dandong-station', engineerId });
  const validated = async () => {
    const id = (await ok(apps().second, '/complaints', 'agent', newComplaint)).body.id as string;
    await ok(apps().second, `/complaints/${id}/validate`, 'supervisor', { reason: 'Pump log shows it.' });
    return id;
  };

  it('sees engineers and agents added or deactivated by the other instance since its last read', async () => {
    const { first, second } = apps();
    await ok(first, '/service-network/units', 'admin', { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: '一个中心' });
    await ok(first, '/service-network/units', 'admin', { code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'], reason: 'station' });
    await ok(first, '/service-network/units', 'admin', { code: 'quality-dept', kind: 'department', name: { 'zh-CN': '质量管理部', en: 'Quality department' }, parent: 'cs-centre', reason: '质量投诉归口' });
    await ok(first, '/service-network/engineers', 'admin', { engineerId: 'eng-wang', name: '王工', station: 'dandong-station', skills: ['dispenser'], reason: 'hired' });
    await ok(first, '/service-network/agents', 'admin', { agentId: 'li.na', name: '李娜', units: ['quality-dept'], reason: '新员工入职' });
    await ok(first, '/products', 'admin', { serialNumber: newWorkOrder.product.serialNumber, model: newWorkOrder.product.model, customerId: newWorkOrder.customerId, installedOn: '2026-01-15', warrantyMonths: 120, covers: ['parts', 'labour', 'on-site'] });

    // The second instance reads the directory as it is now: each check has read it once.
    const dispatched = await report();
    expect((await dispatchTo(dispatched, 'eng-wang')).status).toBe(200);
    const repaired = await report();
    expect((await dispatchTo(repaired, 'eng-wang')).status).toBe(200);
    for (const [verb, body] of [['arrive', {}], ['findings', { findings: 'Loose connector.', faultCause: 'product-defect' }], ['work', { description: 'Re-seated it.', chargeable: false }],
      ['test', { passed: true }], ['sign-off', { signedBy: '李先生' }], ['hand-over', {}]] as const) await ok(second, `/work-orders/${repaired}/${verb}`, 'admin', body);
    await ok(second, `/complaints/${await validated()}/assign`, 'supervisor', { department: 'quality-dept', assignee: 'li.na' });

    // The first instance changes the directory.
    await ok(first, '/service-network/engineers/eng-wang/deactivate', 'admin', { reason: 'left the company' });
    await ok(first, '/service-network/engineers', 'admin', { engineerId: 'eng-sun', name: '孙工', station: 'dandong-station', skills: ['pump'], reason: 'hired' });
    await ok(first, '/service-network/agents/li.na/deactivate', 'admin', { reason: '离职' });
    await ok(first, '/service-network/agents', 'admin', { agentId: 'zhou.min', name: '周敏', units: ['quality-dept'], reason: '新员工入职' });

    // The second instance's next commands see all of it, each reading the directory from the last event it had read on.
    // (Spied on the SQLite store itself: the API's metered store binds its methods once. The first instance reads no such stream meanwhile.)
    const reads = jest.spyOn(SqliteEventStore.prototype, 'readStream');
    const next = await report();
    expect((await dispatchTo(next, 'eng-wang')).body).toMatchObject({ status: 400, code: 'engineer-inactive' });
    expect((await dispatchTo(next, 'eng-sun')).status).toBe(200);
    expect((await call(second, `/work-orders/${dispatched}/redispatch`, 'supervisor', { stationCode: 'dandong-station', engineerId: 'eng-wang', reason: 'back again' })).body).toMatchObject({ code: 'engineer-inactive' });
    await ok(second, `/work-orders/${dispatched}/redispatch`, 'supervisor', { stationCode: 'dandong-station', engineerId: 'eng-sun', reason: 'eng-wang left' });
    expect((await call(second, `/work-orders/${repaired}/reopen`, 'agent', { reason: 'stops again' })).body).toMatchObject({ status: 409, code: 'engineer-no-longer-active' });
    await ok(second, `/work-orders/${repaired}/reopen`, 'agent', { reason: 'stops again', engineerId: 'eng-sun' });
    const complaint = await validated();
    const refused = await call(second, `/complaints/${complaint}/assign`, 'supervisor', { department: 'quality-dept', assignee: 'li.na' });
    expect(refused.body).toMatchObject({ status: 400, code: 'unknown-assignee' });
    expect(refused.body.detail).toContain('(deactivated)');
    await ok(second, `/complaints/${complaint}/assign`, 'supervisor', { department: 'quality-dept', assignee: 'zhou.min' });
    const networkReads = reads.mock.calls.filter(([stream]) => stream === SERVICE_NETWORK_STREAM);
    expect(networkReads.length).toBeGreaterThanOrEqual(6);
    for (const [, options] of networkReads) expect(options).toEqual({ fromRevision: expect.any(Number) });
    reads.mockRestore();
  });
});
