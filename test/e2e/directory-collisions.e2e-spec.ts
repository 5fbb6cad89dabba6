import { newComplaint, newWorkOrder, useApp } from './support/test-app';

/**
 * Collisions in the directory (issue 19): one id for an agent and an engineer, an engineer at a
 * department, two units of one name, an escalation by a name several answer to. Each is refused
 * with a problem that says what to do instead, and the directory is left as it was.
 */
describe('the directory refuses colliding ids and names', () => {
  jest.setTimeout(60_000);
  const app = useApp();
  const admin = (path: string, body: unknown) => app().request('POST', path, { role: 'admin', body });
  const directory = async () => (await app().request('GET', '/service-network', { role: 'admin' })).body;

  beforeAll(async () => {
    for (const [path, body] of [
      ['/service-network/units', { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: '一个中心' }],
      ['/service-network/units', { code: 'quality-dept', kind: 'department', name: { 'zh-CN': '质量管理部', en: 'Quality department' }, parent: 'cs-centre', reason: '质量投诉归口' }],
      ['/service-network/units', { code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'], reason: '丹东' }],
      ['/service-network/agents', { agentId: 'li.na', name: '李娜', units: ['quality-dept'], reason: '新员工入职' }],
      ['/service-network/engineers', { engineerId: 'eng-wang', name: '王工', station: 'dandong-station', reason: 'hired' }],
    ] as const) expect((await admin(path, body)).status).toBe(201);
  });

  it('refuses an engineer with an agent\'s id, and an agent with an engineer\'s, writing nothing', async () => {
    const before = await directory();
    const engineer = await admin('/service-network/engineers', { engineerId: 'li.na', name: '李工', station: 'dandong-station', reason: 'hired' });
    expect(engineer.status).toBe(409);
    expect(engineer.headers.get('content-type')).toContain('application/problem+json');
    expect(engineer.body).toMatchObject({ code: 'person-id-taken' });
    expect(engineer.body.detail).toContain('belongs to agent li.na');
    expect(engineer.body.detail).toContain('give the engineer another id');
    const agent = await admin('/service-network/agents', { agentId: 'eng-wang', name: '王芳', units: ['quality-dept'], reason: 'test' });
    expect(agent.status).toBe(409);
    expect(agent.body).toMatchObject({ code: 'person-id-taken' });
    expect(await directory()).toEqual(before);
  });

  it('refuses an engineer placed at a department, naming where engineers work', async () => {
    const before = await directory();
    const refused = await admin('/service-network/engineers', { engineerId: 'eng-zhao', name: '赵工', station: 'quality-dept', reason: 'hired' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'station-is-a-department', errors: [{ field: 'station' }] });
    expect(refused.body.detail).toContain('dandong-station');
    expect(await directory()).toEqual(before);
  });

  it('refuses a second unit, or a rename, with a name another unit has, in either language', async () => {
    const before = await directory();
    const twin = await admin('/service-network/units', { code: 'dandong-2', kind: 'station', name: { 'zh-CN': '丹东二站', en: 'dandong service station' }, parent: 'cs-centre', regions: ['210600'], reason: 'second' });
    expect(twin.status).toBe(409);
    expect(twin.body).toMatchObject({ code: 'unit-name-taken' });
    expect(twin.body.detail).toContain('unit dandong-station');
    const renamed = await admin('/service-network/units/dandong-station/rename', { name: { 'zh-CN': '质量管理部', en: 'Dandong' }, reason: 'test' });
    expect(renamed.status).toBe(409);
    expect(renamed.body).toMatchObject({ code: 'unit-name-taken' });
    expect(await directory()).toEqual(before);
  });

  it('refuses an escalation by a name that a unit and an agent answer to, listing both, and takes the code', async () => {
    expect((await admin('/service-network/agents', { agentId: 'zhiliang', name: 'Quality department', units: ['quality-dept'], reason: '同名' })).status).toBe(201);
    const created = await app().request('POST', '/complaints', { body: { ...newComplaint, customerId: 'cust-ambiguous' }, role: 'agent' });
    const id = created.body.id as string;
    expect((await app().request('POST', `/complaints/${id}/validate`, { body: { reason: 'Pump log shows it.' } })).status).toBe(200);
    expect((await app().request('POST', `/complaints/${id}/assign`, { body: { department: 'quality-dept', assignee: 'li.na' } })).status).toBe(200);
    const events = async () => (await app().request('GET', `/complaints/${id}/events`, { role: 'auditor' })).body.events.length as number;
    const before = await events();
    const refused = await app().request('POST', `/complaints/${id}/escalate`, { body: { to: 'QUALITY DEPARTMENT', reason: '客户要求上级处理' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'ambiguous-escalation-target', errors: [{ field: 'to' }] });
    expect(refused.body.detail).toContain('quality-dept (质量管理部 / Quality department)');
    expect(refused.body.detail).toContain('agent zhiliang');
    expect(await events()).toBe(before);
    expect((await app().request('POST', `/complaints/${id}/escalate`, { body: { to: 'quality-dept', reason: '客户要求上级处理' } })).status).toBe(200);
  });

  // Agents may share a name (an attacker's LOW: the refusal said to rename a unit, which mends nothing here): each is listed
  // with their id, and the answer says to escalate by agent id; a complaint and a work order alike.
  it('refuses an escalation by a name two agents share, listing each by id and saying to escalate by agent id (not to rename a unit), and takes the id', async () => {
    expect((await admin('/service-network/agents', { agentId: 'li.na.2', name: '李娜', units: ['quality-dept'], reason: '同名新员工' })).status).toBe(201);
    const expectRefused = (refused: { status: number; body: Record<string, unknown> }) => {
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'ambiguous-escalation-target', errors: [{ field: 'to' }] });
      expect(refused.body.detail).toContain('agent li.na (李娜)');
      expect(refused.body.detail).toContain('agent li.na.2 (李娜)');
      expect(refused.body.detail).toMatch(/escalate by the agent's id \(e\.g\. "to": "li\.na"\)/);
      expect(refused.body.detail).not.toMatch(/rename/);
    };
    const created = await app().request('POST', '/complaints', { body: { ...newComplaint, customerId: 'cust-ambiguous-agents' }, role: 'agent' });
    const id = created.body.id as string;
    expect((await app().request('POST', `/complaints/${id}/validate`, { body: { reason: 'Pump log shows it.' } })).status).toBe(200);
    expect((await app().request('POST', `/complaints/${id}/assign`, { body: { department: 'quality-dept', assignee: 'li.na' } })).status).toBe(200);
    const complaintEvents = async () => (await app().request('GET', `/complaints/${id}/events`, { role: 'auditor' })).body.events.length as number;
    const before = await complaintEvents();
    expectRefused(await app().request('POST', `/complaints/${id}/escalate`, { body: { to: '李娜', reason: '客户要求上级处理' } }));
    expect(await complaintEvents()).toBe(before);
    expect((await app().request('POST', `/complaints/${id}/escalate`, { body: { to: 'li.na.2', reason: '客户要求上级处理' } })).status).toBe(200);

    const order = await app().request('POST', '/work-orders', { body: { ...newWorkOrder, customerId: 'cust-ambiguous-agents' }, role: 'agent' });
    expect(order.status).toBe(201);
    const orderId = order.body.id as string;
    const orderEvents = async () => (await app().request('GET', `/work-orders/${orderId}/events`, { role: 'auditor' })).body.events.length as number;
    const orderBefore = await orderEvents();
    expectRefused(await app().request('POST', `/work-orders/${orderId}/escalate`, { role: 'supervisor', body: { to: '李娜', reason: '超出服务站权限' } }));
    expect(await orderEvents()).toBe(orderBefore);
    expect((await app().request('POST', `/work-orders/${orderId}/escalate`, { role: 'supervisor', body: { to: 'li.na.2', reason: '超出服务站权限' } })).status).toBe(200);
  });
});
