import { randomUUID } from 'node:crypto';
import { newComplaint, newWorkOrder, useApp } from './support/test-app';
import { addTwoStationsWithPeople, postOk } from './support/two-stations';

/**
 * A command on a complaint, work order or customer file a token limited to departments may not see
 * answers the 404 of a read, whatever its body names (docs/adr/0009, "Departments"): the path's
 * resource is checked before what the body names is looked up. Before, a supervisor of dept-a
 * escalating dept-b's complaint to an unknown target got 400 unknown-escalation-target, assigning it
 * to another department 403, dispatching station-b's order to station-b 403, and linking an unknown
 * complaint to a hidden order 400 unknown-complaint: each told something about a request it may not make.
 * Only the shape of the body (the DTO's validation) is checked first: it says nothing about what is stored.
 */
describe('a caller who may not see the path\'s resource learns nothing from its body', () => {
  const app = useApp();
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const ok = postOk(app);
  const issue = async (principalId: string, role: string, department: string) =>
    (await ok('/access/tokens', { principalId, role, departments: [department], reason: 'limited' })).body.token as string;
  const revisionOf = async (path: string): Promise<number> => (await app().request('GET', path, { role: 'admin' })).body.revision as number;

  beforeAll(async () => {
    await addTwoStationsWithPeople(ok);
    tokens['supervisorOfDeptA'] = await issue('sup-a', 'supervisor', 'dept-a');
    tokens['supervisorOfStationA'] = await issue('sup-sa', 'supervisor', 'station-a');

    // dept-b's complaint, hidden from dept-a; dept-a's own, which dept-a may name in a body.
    ids['hidden'] = (await ok('/complaints', newComplaint, { role: 'agent' })).body.id as string;
    await ok(`/complaints/${ids['hidden']}/validate`, { reason: 'checked' });
    await ok(`/complaints/${ids['hidden']}/assign`, { department: 'dept-b', assignee: 'agent-b' });
    ids['visible'] = (await ok('/complaints', newComplaint, { role: 'agent' })).body.id as string;
    await ok(`/complaints/${ids['visible']}/validate`, { reason: 'checked' });
    await ok(`/complaints/${ids['visible']}/assign`, { department: 'dept-a', assignee: 'agent-a' });
    // An order reported by the admin (before dispatch it is its reporter's), one dispatched to station-b, and station-a's own.
    ids['undispatched'] = (await ok('/work-orders', newWorkOrder, { role: 'admin' })).body.id as string;
    ids['dispatched'] = (await ok('/work-orders', newWorkOrder, { role: 'admin' })).body.id as string;
    await ok(`/work-orders/${ids['dispatched']}/dispatch`, { stationCode: 'station-b', engineerId: 'eng-b' });
    ids['ownOrder'] = (await ok('/work-orders', newWorkOrder, { token: tokens['supervisorOfStationA'] })).body.id as string;
    ids['deptAOrder'] = (await ok('/work-orders', newWorkOrder, { token: tokens['supervisorOfDeptA'] })).body.id as string;
    ids['stationAOrder'] = (await ok('/work-orders', newWorkOrder, { role: 'admin' })).body.id as string;
    await ok(`/work-orders/${ids['stationAOrder']}/dispatch`, { stationCode: 'station-a', engineerId: 'eng-a' });
  });

  /** The answer to the hidden resource, and to an id that names nothing, are the same 404, and nothing was written. */
  const sameAsMissing = async (token: string, kind: 'complaints' | 'work-orders' | 'customers', hiddenId: string, missingId: string, verb: string, body: (id: string) => object) => {
    const before = kind === 'customers' ? undefined : await revisionOf(`/${kind}/${hiddenId}`);
    const sent = body(hiddenId);
    const hidden = await app().request('POST', `/${kind}/${hiddenId}/${verb}`, { token, body: sent });
    const missing = await app().request('POST', `/${kind}/${missingId}/${verb}`, { token, body: body(missingId) });
    const notFound = { complaints: 'complaint-not-found', 'work-orders': 'work-order-not-found', customers: 'customer-file-not-found' }[kind];
    expect({ verb, sent, status: hidden.status, code: hidden.body.code }).toEqual({ verb, sent, status: 404, code: notFound });
    expect({ status: missing.status, code: missing.body.code }).toEqual({ status: 404, code: notFound });
    if (before !== undefined) expect(await revisionOf(`/${kind}/${hiddenId}`)).toBe(before);
  };

  describe('a complaint of another department', () => {
    const complaint = (verb: string, body: (id: string) => object) => sameAsMissing(tokens['supervisorOfDeptA']!, 'complaints', ids['hidden']!, randomUUID(), verb, body);

    it.each([
      ['an unknown target', { to: 'no-such-unit', reason: 'above my authority' }],
      ['a known target', { to: 'dept-b', reason: 'above my authority' }],
      ['its own department', { to: 'dept-a', reason: 'above my authority' }],
    ])('escalate to %s: 404', (_, body) => complaint('escalate', () => body));

    it.each([
      ['another department', { department: 'dept-b', assignee: 'agent-b' }],
      ['an unknown department', { department: 'no-such-dept', assignee: 'agent-a' }],
      ['its own department and an unknown handler', { department: 'dept-a', assignee: 'nobody' }],
      ['its own department and handler', { department: 'dept-a', assignee: 'agent-a' }],
    ])('assign to %s: 404', (_, body) => complaint('assign', () => body));

    it.each([
      ['a complaint it sees', 'duplicate-of', () => ids['visible']!],
      ['an unknown complaint', 'related', () => randomUUID()],
      ['itself', 'related', (id: string) => id],
    ])('link to %s: 404', (_, relation, other) => complaint('related', (id) => ({ complaintId: other(id), relation, reason: 'the same fill-up' })));

    it.each([
      ['a complaint it sees', () => ids['visible']!],
      ['an unknown complaint', () => randomUUID()],
      ['itself', (id: string) => id],
    ])('unlink %s: 404', (_, other) => complaint('unrelate', (id) => ({ complaintId: other(id), reason: 'not the same case' })));

    it.each([
      ['an order it sees', () => ids['deptAOrder']!],
      ['an unknown order', () => randomUUID()],
    ])('link %s to it: 404', (_, order) => complaint('links', () => ({ workOrderId: order() })));
  });

  describe('a work order of another station', () => {
    const order = (hidden: 'undispatched' | 'dispatched', verb: string, body: object) =>
      sameAsMissing(tokens['supervisorOfStationA']!, 'work-orders', ids[hidden]!, randomUUID(), verb, () => body);

    it.each([
      ['another station', { stationCode: 'station-b', engineerId: 'eng-b' }],
      ['an unknown station', { stationCode: 'no-such-station', engineerId: 'eng-a' }],
      ['its own station and an unknown engineer', { stationCode: 'station-a', engineerId: 'nobody' }],
      ['its own station and engineer', { stationCode: 'station-a', engineerId: 'eng-a' }],
    ])('dispatch to %s: 404', (_, body) => order('undispatched', 'dispatch', body));

    it.each([
      ['another station', { stationCode: 'station-b', engineerId: 'eng-b', reason: 'busy' }],
      ['an unknown station', { stationCode: 'no-such-station', engineerId: 'eng-a', reason: 'busy' }],
      ['its own station and engineer', { stationCode: 'station-a', engineerId: 'eng-a', reason: 'busy' }],
    ])('redispatch to %s: 404', (_, body) => order('dispatched', 'redispatch', body));

    it.each([
      ['an unknown target', { to: 'no-such-unit', reason: 'on-site at risk' }],
      ['a known target', { to: 'station-b', reason: 'on-site at risk' }],
    ])('escalate to %s: 404', (_, body) => order('dispatched', 'escalate', body));

    it('link an unknown complaint to it: 404', () => order('dispatched', 'link-complaint', { complaintId: randomUUID() }));

    it('reopen it for an unknown engineer: 404', () => order('dispatched', 'reopen', { reason: 'the fault is back', engineerId: 'nobody' }));
  });

  describe('a customer file it may not see', () => {
    beforeAll(async () => {
      for (const customerId of ['cust-hidden-1', 'cust-hidden-2']) {
        await ok('/customers', {
          customerId, category: 'fixed', reason: 'Signed a supply agreement.', name: '顺达物流有限公司', customerType: 'organisation',
          address: '北京市朝阳区建国路 88 号', contacts: [{ name: '王立', role: '车队长', phone: '138 0013 8000' }], segments: { consumerKind: 'vehicle', driverType: 'fleet' },
        });
      }
    });

    it.each([
      ['an unknown file', 'cust-nowhere'],
      ['another hidden file', 'cust-hidden-2'],
      ['itself', 'cust-hidden-1'],
    ])('merge into %s: 404', (_, survivorId) =>
      sameAsMissing(tokens['supervisorOfDeptA']!, 'customers', 'cust-hidden-1', 'cust-missing-1', 'merge', () => ({ survivorId, reason: 'the same customer' })));
  });

  // Not only for limited tokens: an id that names nothing is the 404 of every other route, before what the body names is looked up.
  it.each([
    ['complaints', 'escalate', { to: 'no-such-unit', reason: 'above my authority' }, 'complaint-not-found'],
    ['complaints', 'assign', { department: 'no-such-dept', assignee: 'agent-a' }, 'complaint-not-found'],
    ['work-orders', 'dispatch', { stationCode: 'no-such-station', engineerId: 'eng-a' }, 'work-order-not-found'],
    ['work-orders', 'escalate', { to: 'no-such-unit', reason: 'on-site at risk' }, 'work-order-not-found'],
    ['work-orders', 'link-complaint', { complaintId: randomUUID() }, 'work-order-not-found'],
  ])('an admin\'s POST /%s/{unknown id}/%s naming nothing known: 404', async (kind, verb, body, code) => {
    const answer = await app().request('POST', `/${kind}/${randomUUID()}/${verb}`, { role: 'admin', body });
    expect([answer.status, answer.body.code]).toEqual([404, code]);
  });

  // What the caller may see still gets the answer about its body.
  it('on what it may see, the body\'s refusals stand: 400 for an unknown target, 403 for another department', async () => {
    const escalated = await app().request('POST', `/complaints/${ids['visible']}/escalate`, { token: tokens['supervisorOfDeptA'], body: { to: 'no-such-unit', reason: 'above my authority' } });
    expect([escalated.status, escalated.body.code]).toEqual([400, 'unknown-escalation-target']);
    const assigned = await app().request('POST', `/complaints/${ids['visible']}/assign`, { token: tokens['supervisorOfDeptA'], body: { department: 'dept-b', assignee: 'agent-b' } });
    expect([assigned.status, assigned.body.code]).toEqual([403, 'forbidden']);
    const dispatched = await app().request('POST', `/work-orders/${ids['ownOrder']}/dispatch`, { token: tokens['supervisorOfStationA'], body: { stationCode: 'station-b', engineerId: 'eng-b' } });
    expect([dispatched.status, dispatched.body.code]).toEqual([403, 'forbidden']);
    const linked = await app().request('POST', `/work-orders/${ids['ownOrder']}/link-complaint`, { token: tokens['supervisorOfStationA'], body: { complaintId: randomUUID() } });
    expect([linked.status, linked.body.code]).toEqual([400, 'unknown-complaint']);
    const redispatched = await app().request('POST', `/work-orders/${ids['stationAOrder']}/redispatch`, { token: tokens['supervisorOfStationA'], body: { stationCode: 'station-b', engineerId: 'eng-b', reason: 'busy' } });
    expect([redispatched.status, redispatched.body.code]).toEqual([403, 'forbidden']);
    const orderEscalated = await app().request('POST', `/work-orders/${ids['stationAOrder']}/escalate`, { token: tokens['supervisorOfStationA'], body: { to: 'no-such-unit', reason: 'on-site at risk' } });
    expect([orderEscalated.status, orderEscalated.body.code]).toEqual([400, 'unknown-escalation-target']);
  });

  // A deactivated agent is told so first, whatever the order and the complaint it names (the refusal tells nothing about either).
  it('a deactivated agent linking a complaint to an order it may not see: 403 agent-deactivated, as on any order', async () => {
    await ok('/service-network/agents', { agentId: 'agent-c', name: '丙坐席', units: ['dept-a'], reason: 'hired' });
    const token = await issue('agent-c', 'agent', 'dept-a');
    await ok('/service-network/agents/agent-c/deactivate', { reason: 'left' }, { role: 'supervisor' });
    for (const orderId of [ids['dispatched']!, randomUUID()]) {
      const answer = await app().request('POST', `/work-orders/${orderId}/link-complaint`, { token, body: { complaintId: ids['visible'] } });
      expect({ orderId, status: answer.status, code: answer.body.code }).toEqual({ orderId, status: 403, code: 'agent-deactivated' });
    }
  });

  // Shape comes first for everyone: a body the DTO refuses says nothing about what is stored.
  it('a body of the wrong shape is a 400 first, hidden or not', async () => {
    const answer = await app().request('POST', `/complaints/${ids['hidden']}/escalate`, { token: tokens['supervisorOfDeptA'], body: { to: 'dept-b' } });
    expect([answer.status, answer.body.code]).toEqual([400, 'validation-failed']);
  });
});
