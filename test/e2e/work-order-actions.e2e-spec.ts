import type { Role } from '@app/domain';
import { newWorkOrder, useApp, type TestResponse } from './support/test-app';

type Who = Role | { readonly token: string };
interface Entry { readonly action: string; readonly allowed: boolean; readonly reason: { readonly code: string; readonly message: string } | null }

/**
 * GET /work-orders/{id} tells each principal which commands it may send now and why not, and the
 * commands agree: one reported allowed is accepted, one reported refused answers the same code and words.
 */
describe('a work order tells what may be done with it (allowedActions)', () => {
  const app = useApp();
  const tokens: Record<string, string> = {};

  const call = (method: string, path: string, who: Who, body?: unknown): Promise<TestResponse> =>
    app().request(method, path, { ...(typeof who === 'string' ? { role: who } : { token: who.token }), ...(body === undefined ? {} : { body }) });
  const as = (principalId: string): Who => ({ token: tokens[principalId]! });
  const admin = async (path: string, body: object) => {
    const response = await call('POST', path, 'admin', body);
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response;
  };
  async function actionsOf(id: string, who: Who): Promise<Record<string, Entry>> {
    const response = await call('GET', `/work-orders/${id}`, who);
    expect(response.status).toBe(200);
    return Object.fromEntries((response.body.allowedActions as Entry[]).map((entry) => [entry.action, entry]));
  }
  /** The command, sent: reported allowed, it is accepted; reported refused, it answers that refusal. */
  async function sendAsReported(id: string, action: string, body: object, who: Who, expected: 'allowed' | string): Promise<TestResponse> {
    const entry = (await actionsOf(id, who))[action]!;
    const response = await call('POST', `/work-orders/${id}/${action}`, who, body);
    if (expected === 'allowed') {
      expect({ action, entry, status: response.status }).toEqual({ action, entry: { action, allowed: true, reason: null }, status: 200 });
    } else {
      expect({ action, reason: entry.reason?.code, allowed: entry.allowed }).toEqual({ action, reason: expected, allowed: false });
      // role-not-allowed is the guard's 403 `forbidden`; every other reason is the command's own code and words.
      const answered = expected === 'role-not-allowed' ? { status: 403, code: 'forbidden' } : { code: expected, detail: entry.reason?.message };
      expect(response.body).toMatchObject(answered);
    }
    return response;
  }
  const allowedOf = (actions: Record<string, Entry>) => Object.values(actions).filter((entry) => entry.allowed).map((entry) => entry.action);

  beforeAll(async () => {
    await admin('/service-network/units', { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: '一个中心' });
    await admin('/service-network/units', { code: 'dalian-branch', kind: 'branch', name: { 'zh-CN': '大连分公司', en: 'Dalian branch' }, parent: 'cs-centre', regions: ['210200'], reason: 'branch' });
    await admin('/service-network/units', { code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'], reason: 'station' });
    await admin('/service-network/engineers', { engineerId: 'eng-wang', name: '王工', station: 'dandong-station', skills: ['dispenser'], reason: 'hired' });
    await admin('/service-network/engineers', { engineerId: 'eng-zhao', name: '赵工', station: 'dandong-station', skills: ['pump'], reason: 'hired' });
    await admin('/service-network/agents', { agentId: 'desk.dalian', name: '孙丽', units: ['dalian-branch'], reason: 'desk of the branch' });
    for (const [principalId, role, station] of [['eng-wang', 'engineer', 'dandong-station'], ['eng-zhao', 'engineer', 'dandong-station'], ['desk.dalian', 'agent', 'dalian-branch']] as const) {
      tokens[principalId] = (await admin('/access/tokens', { principalId, role, departments: [station], reason: `${role} of ${station}` })).body.token;
    }
  });

  it('lists every command route of a work order, each once', async () => {
    const document = (await call('GET', '/docs-json', 'admin')).body as { paths: Record<string, object> };
    const routes = Object.entries(document.paths).flatMap(([path, operations]) => {
      const action = /^\/work-orders\/\{id\}\/([a-z-]+)$/.exec(path)?.[1];
      return action !== undefined && 'post' in operations ? [action] : [];
    });
    expect(routes).toEqual(expect.arrayContaining(['dispatch', 'redispatch', 'cancel']));
    const id = (await call('POST', '/work-orders', 'agent', newWorkOrder)).body.id as string;
    expect(Object.keys(await actionsOf(id, 'supervisor')).sort()).toEqual(routes.sort());
  });

  it('walks one order from the report to its cancellation: what the engineer, the supervisor, an agent of another department and a deactivated engineer may do, and the commands agree', async () => {
    const id = (await call('POST', '/work-orders', 'agent', newWorkOrder)).body.id as string;

    // Reported: the desk dispatches; nothing to redispatch yet; the engineer has no order to work on (not in their station yet).
    const reported = await actionsOf(id, 'supervisor');
    expect(allowedOf(reported)).toEqual(['dispatch', 'contact', 'cancel', 'escalate', 'link-complaint']);
    expect(reported['dispatch']).toEqual({ action: 'dispatch', allowed: true, reason: null });
    expect(reported['redispatch']).toEqual({ action: 'redispatch', allowed: false, reason: { code: 'not-dispatched', message: 'Nothing to redispatch: the order has not been dispatched yet. This order is reported.' } });
    expect(reported['arrive']).toEqual({ action: 'arrive', allowed: false, reason: { code: 'role-not-allowed', message: 'The supervisor role may not record the arrival on site; allowed: engineer, admin.' } });
    // In the action's words, never its bare name ("may not findings").
    expect(reported['findings']?.reason?.message).toBe('The supervisor role may not record the findings; allowed: engineer, admin.');
    await sendAsReported(id, 'redispatch', { stationCode: 'dandong-station', engineerId: 'eng-wang', reason: 'closer' }, 'supervisor', 'not-dispatched');
    await sendAsReported(id, 'dispatch', { stationCode: 'dandong-station', engineerId: 'eng-wang' }, 'agent', 'allowed');

    // Dispatched to 王工: he may arrive, not yet record findings (not on site), never redispatch or cancel.
    const forWang = await actionsOf(id, as('eng-wang'));
    expect(forWang['redispatch']!.reason?.code).toBe('role-not-allowed');
    expect(forWang['cancel']!.reason?.code).toBe('role-not-allowed');
    expect(forWang['dispatch']!.reason?.code).toBe('role-not-allowed');
    await sendAsReported(id, 'findings', { findings: 'Pulser encoder worn.', faultCause: 'product-defect' }, as('eng-wang'), 'not-on-site');
    await sendAsReported(id, 'cancel', { reason: 'not mine to cancel' }, as('eng-wang'), 'role-not-allowed');
    await sendAsReported(id, 'arrive', {}, as('eng-wang'), 'allowed');

    // On site: findings yes, the test only once work is recorded; the supervisor may redispatch (not dispatch again) and cancel.
    await sendAsReported(id, 'test', { passed: true }, as('eng-wang'), 'no-work-recorded');
    const forSupervisor = await actionsOf(id, 'supervisor');
    expect(forSupervisor['dispatch']!.reason?.code).toBe('already-dispatched');
    expect(allowedOf(forSupervisor)).toEqual(expect.arrayContaining(['redispatch', 'cancel', 'escalate']));

    // An agent of another department does not see the order at all: no actions, and its commands are not found either.
    const outside = await call('GET', `/work-orders/${id}`, as('desk.dalian'));
    expect(outside.status).toBe(404);
    expect(outside.body).toMatchObject({ code: 'work-order-not-found' });
    expect((await call('POST', `/work-orders/${id}/contact`, as('desk.dalian'), { channel: 'phone' })).body).toMatchObject({ status: 404, code: 'work-order-not-found' });

    // Redispatched to 赵工, who is then deactivated: every action of his role is refused with the 403's code and words.
    await sendAsReported(id, 'redispatch', { stationCode: 'dandong-station', engineerId: 'eng-zhao', reason: '王工 is needed elsewhere' }, 'supervisor', 'allowed');
    const beforeDeactivation = await actionsOf(id, as('eng-zhao'));
    expect(beforeDeactivation['arrive']).toEqual({ action: 'arrive', allowed: true, reason: null });
    await admin('/service-network/engineers/eng-zhao/deactivate', { reason: '合同到期' });
    const deactivated = await actionsOf(id, as('eng-zhao'));
    const refusedArrival = await call('POST', `/work-orders/${id}/arrive`, as('eng-zhao'), {});
    expect(refusedArrival.body).toMatchObject({ status: 403, code: 'engineer-deactivated' });
    for (const entry of Object.values(deactivated)) {
      const expected = beforeDeactivation[entry.action]!.reason?.code === 'role-not-allowed' ? beforeDeactivation[entry.action] : { action: entry.action, allowed: false, reason: { code: 'engineer-deactivated', message: refusedArrival.body.detail } };
      expect(entry).toEqual(expected);
    }
    // The supervisor is not concerned by it.
    expect((await actionsOf(id, 'supervisor'))['redispatch']).toEqual({ action: 'redispatch', allowed: true, reason: null });

    // Cancelled: only a link is left; the rest says the order is not open.
    await sendAsReported(id, 'cancel', { reason: 'the customer replaced the dispenser' }, 'supervisor', 'allowed');
    const cancelled = await actionsOf(id, 'supervisor');
    expect(allowedOf(cancelled)).toEqual(['link-complaint']);
    await sendAsReported(id, 'contact', { channel: 'phone' }, 'agent', 'not-open');
    await sendAsReported(id, 'cancel', { reason: 'again' }, 'supervisor', 'not-open');
  });
});
