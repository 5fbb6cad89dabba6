import { EventStore, SqliteEventStore } from '@app/event-store';
import { AccessControl } from '../../apps/api/src/access/access-control.service';
import { newComplaint, newWorkOrder, useApp } from './support/test-app';
import { eventually } from './support/eventually';

/**
 * The directory (issue 19): the service network's units, engineers and agents. Once it has a unit,
 * `assign`, escalation targets and token scopes are checked against it: a 400 that names the value
 * and the closest known ones, with nothing written.
 */
describe('the directory: assign, escalate and token scopes checked against it', () => {
  jest.setTimeout(60_000);
  const app = useApp();
  const admin = (path: string, body: unknown) => app().request('POST', path, { role: 'admin', body });

  const validatedComplaint = async (customerId: string) => {
    const created = await app().request('POST', '/complaints', { body: { ...newComplaint, customerId }, role: 'agent' });
    expect(created.status).toBe(201);
    expect((await app().request('POST', `/complaints/${created.body.id}/validate`, { body: { reason: 'Pump log shows it.' } })).status).toBe(200);
    return created.body.id as string;
  };
  const eventCount = async (id: string) => (await app().request('GET', `/complaints/${id}/events`, { role: 'auditor' })).body.events.length as number;

  it('accepts any plain code while the directory has no unit (a new installation)', async () => {
    const id = await validatedComplaint('cust-before-directory');
    const assigned = await app().request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'station-opz', assignee: 'ghost.user' } });
    expect(assigned.status).toBe(200);
  });

  it('sets up a centre, a department and an agent, and lists the agent in GET /service-network', async () => {
    expect((await admin('/service-network/units', { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: '一个中心' })).status).toBe(201);
    expect((await admin('/service-network/units', { code: 'quality-dept', kind: 'department', name: { 'zh-CN': '质量管理部', en: 'Quality department' }, parent: 'cs-centre', reason: '质量投诉归口' })).status).toBe(201);
    expect((await admin('/service-network/agents', { agentId: 'li.na', name: '李娜', units: ['quality-dept'], reason: '新员工入职' })).status).toBe(201);
    const unknownUnit = await admin('/service-network/agents', { agentId: 'wang.fang', name: '王芳', units: ['quality-dpt'], reason: 'test' });
    expect(unknownUnit.status).toBe(400);
    expect(unknownUnit.body).toMatchObject({ code: 'unknown-unit', errors: [{ field: 'units[0]' }] });
    const directory = await app().request('GET', '/service-network', { role: 'agent' });
    expect(directory.body.units.map((unit: { code: string; kind: string }) => [unit.code, unit.kind])).toEqual([['cs-centre', 'centre'], ['quality-dept', 'department']]);
    expect(directory.body.agents).toEqual([expect.objectContaining({ id: 'li.na', name: '李娜', units: ['quality-dept'], active: true, deactivatedAt: null })]);
  });

  it('refuses an unknown department with the closest codes, and writes nothing', async () => {
    const id = await validatedComplaint('cust-typo');
    const before = await eventCount(id);
    const refused = await app().request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'quality-dpt', assignee: 'li.na' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'unknown-department', errors: [{ field: 'department' }] });
    expect(refused.body.detail).toContain('did you mean quality-dept?');
    expect(await eventCount(id)).toBe(before);
  });

  it('refuses a handler who is not an active agent or engineer of that unit, and assigns one who is', async () => {
    const id = await validatedComplaint('cust-handler');
    const ghost = await app().request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'quality-dept', assignee: 'li.nah' } });
    expect(ghost.status).toBe(400);
    expect(ghost.body).toMatchObject({ code: 'unknown-assignee', errors: [{ field: 'assignee' }] });
    expect(ghost.body.detail).toContain('did you mean li.na?');
    const elsewhere = await app().request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'cs-centre', assignee: 'li.na' } });
    expect(elsewhere.body).toMatchObject({ code: 'assignee-not-in-department' });
    const assigned = await app().request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'quality-dept', assignee: 'li.na' } });
    expect(assigned.status).toBe(200);
  });

  it('takes an escalation target by its Chinese name, and suggests the name for a near miss', async () => {
    const id = await validatedComplaint('cust-escalate');
    await app().request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'quality-dept', assignee: 'li.na' } });
    const refused = await app().request('POST', `/complaints/${id}/escalate`, { role: 'supervisor', body: { to: '质量管理处', reason: '客户要求上级处理' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'unknown-escalation-target', errors: [{ field: 'to' }] });
    expect(refused.body.detail).toContain('did you mean 质量管理部?');
    const escalated = await app().request('POST', `/complaints/${id}/escalate`, { role: 'supervisor', body: { to: '质量管理部', reason: '客户要求上级处理' } });
    expect(escalated.status).toBe(200);
    // Recorded as the unit's code, so that notifications and reports find the unit.
    const events = (await app().request('GET', `/complaints/${id}/events`, { role: 'auditor' })).body.events;
    expect(events.at(-1)).toMatchObject({ type: 'ComplaintEscalated', data: { to: 'quality-dept' } });
  });

  it('checks the departments of a new token\'s scope', async () => {
    const refused = await admin('/access/tokens', { principalId: 'wang.fang', role: 'agent', departments: ['quality-dept', 'qualty-dept'], reason: 'new agent' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'invalid-access-command', errors: [{ field: 'departments[1]' }] });
    expect(refused.body.detail).toContain('did you mean quality-dept?');
    const issued = await admin('/access/tokens', { principalId: 'wang.fang', role: 'agent', departments: ['quality-dept'], reason: 'new agent' });
    expect(issued.status).toBe(201);
  });

  it('refuses assignments to an agent once deactivated', async () => {
    expect((await admin('/service-network/agents/li.na/deactivate', { reason: '调岗' })).status).toBe(200);
    expect((await admin('/service-network/agents/li.na/deactivate', { reason: '调岗' })).body).toMatchObject({ code: 'agent-inactive' });
    expect((await admin('/service-network/agents/nobody/deactivate', { reason: 'x' })).status).toBe(404);
    const id = await validatedComplaint('cust-after-leaving');
    const refused = await app().request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'quality-dept', assignee: 'li.na' } });
    expect(refused.body).toMatchObject({ code: 'unknown-assignee' });
    expect(refused.body.detail).toContain('(deactivated)');
  });

  it('refuses every complaint command of an agent the service network has deactivated (403 agent-deactivated, nothing written), while another agent acts and reads stay', async () => {
    expect((await admin('/service-network/agents', { agentId: 'zhou.min', name: '周敏', units: ['quality-dept'], reason: '新员工入职' })).status).toBe(201);
    expect((await admin('/service-network/agents', { agentId: 'sun.li', name: '孙丽', units: ['quality-dept'], reason: '新员工入职' })).status).toBe(201);
    const tokenOf = async (principalId: string) => {
      const issued = await admin('/access/tokens', { principalId, role: 'agent', reason: 'agent of the quality department' });
      expect(issued.status).toBe(201);
      return issued.body.token as string;
    };
    const zhou = await tokenOf('zhou.min');
    const sun = await tokenOf('sun.li');
    const received = await app().request('POST', '/complaints', { token: zhou, body: { ...newComplaint, customerId: 'cust-agent-left' }, headers: { 'Idempotency-Key': 'receive-agent-left' } });
    expect(received.status).toBe(201);
    const id = received.body.id as string;
    const note = { visibility: 'internal', text: '客户来电询问进度' };
    expect((await app().request('POST', `/complaints/${id}/notes`, { token: zhou, body: note, headers: { 'Idempotency-Key': 'note-agent-left' } })).status).toBe(200);

    expect((await admin('/service-network/agents/zhou.min/deactivate', { reason: '离职' })).status).toBe(200);
    const before = await eventCount(id);
    const refused = await app().request('POST', `/complaints/${id}/notes`, { token: zhou, body: { visibility: 'internal', text: '再次来电' } });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'agent-deactivated' });
    expect(refused.body.detail).toMatch(/^Agent zhou\.min was deactivated in the service network at .+nothing was written.+a supervisor reassigns it to an active agent.+the admin revokes the token/);
    // Intake, the two-stream relate, and a retry of a command accepted before: no stored answer is replayed.
    expect((await app().request('POST', '/complaints', { token: zhou, body: { ...newComplaint, customerId: 'cust-agent-left-2' } })).body).toMatchObject({ status: 403, code: 'agent-deactivated' });
    const other = (await app().request('POST', '/complaints', { token: sun, body: { ...newComplaint, customerId: 'cust-agent-left' } })).body.id as string;
    expect((await app().request('POST', `/complaints/${other}/related`, { token: zhou, body: { complaintId: id, relation: 'duplicate-of', reason: '同一故障' } })).body).toMatchObject({ code: 'agent-deactivated' });
    // A link to a work order is written on the order's stream: refused too, before the order is looked up.
    expect((await app().request('POST', `/complaints/${id}/links`, { token: zhou, body: { workOrderId: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00' } })).body).toMatchObject({ status: 403, code: 'agent-deactivated' });
    for (const [path, headers] of [['/complaints', { 'Idempotency-Key': 'receive-agent-left' }], [`/complaints/${id}/notes`, { 'Idempotency-Key': 'note-agent-left' }]] as const) {
      const replay = await app().request('POST', path, { token: zhou, body: path === '/complaints' ? { ...newComplaint, customerId: 'cust-agent-left' } : note, headers });
      expect({ status: replay.status, code: replay.body.code, replayed: replay.headers.get('idempotent-replayed') }).toEqual({ status: 403, code: 'agent-deactivated', replayed: null });
    }
    expect(await eventCount(id)).toBe(before);
    expect(await eventCount(other)).toBe(1);
    // Reads stay (an admin revokes the token to end them); another agent and a supervisor act.
    expect((await app().request('GET', `/complaints/${id}`, { token: zhou })).status).toBe(200);
    expect((await app().request('POST', `/complaints/${id}/notes`, { token: sun, body: { visibility: 'internal', text: '接手跟进' } })).status).toBe(200);
    expect((await app().request('POST', `/complaints/${id}/notes`, { role: 'supervisor', body: { visibility: 'internal', text: '已转交孙丽' } })).status).toBe(200);
  });

  it('refuses the customer-file commands of an agent the service network has deactivated (403 agent-deactivated, nothing written), a retry included, before the file\'s visibility', async () => {
    expect((await admin('/service-network/agents', { agentId: 'wu.lei', name: '吴磊', units: ['quality-dept'], reason: '新员工入职' })).status).toBe(201);
    const issued = await admin('/access/tokens', { principalId: 'wu.lei', role: 'agent', reason: 'agent of the quality department' });
    expect(issued.status).toBe(201);
    const wu = issued.body.token as string;
    const file = { customerId: 'cust-agent-left-file', category: 'fixed', reason: '新客户', name: '吴先生' };
    const opened = await app().request('POST', '/customers', { token: wu, body: file, headers: { 'Idempotency-Key': 'open-agent-left' } });
    expect(opened.status).toBe(201);
    const visit = { visitedAt: '2026-03-01T08:00:00.000Z', channel: 'phone', summary: '回访用油情况' };
    expect((await app().request('POST', '/customers/cust-agent-left-file/visits', { token: wu, body: visit, headers: { 'Idempotency-Key': 'visit-agent-left' } })).status).toBe(200);
    const eventsOf = async () => ((await app().request('GET', '/customers/cust-agent-left-file/events', { role: 'auditor' })).body.events as unknown[]).length;
    const before = await eventsOf();

    expect((await admin('/service-network/agents/wu.lei/deactivate', { reason: '离职' })).status).toBe(200);
    const refusals = [
      ['/customers', { ...file, customerId: 'cust-agent-left-file-2' }, undefined],
      ['/customers/cust-agent-left-file/visits', { ...visit, summary: '再次回访' }, undefined],
      ['/customers/cust-agent-left-file/contacts', { reason: '新联系人', name: '吴太太', phone: '13800000000' }, undefined],
      ['/customers/cust-agent-left-file/notification-opt-out', { channel: 'all', optedOut: true, reason: '客户要求' }, undefined],
      // A file no one has opened: the deactivation is the answer, not the file's 404.
      ['/customers/cust-never-opened/basics', { reason: '补充', name: '某人' }, undefined],
      // Retries of commands accepted before: no stored answer is replayed.
      ['/customers', file, 'open-agent-left'],
      ['/customers/cust-agent-left-file/visits', visit, 'visit-agent-left'],
    ] as const;
    for (const [path, body, key] of refusals) {
      const refused = await app().request('POST', path, { token: wu, body, headers: key === undefined ? {} : { 'Idempotency-Key': key } });
      expect({ path, status: refused.status, code: refused.body.code, replayed: refused.headers.get('idempotent-replayed') }).toEqual({ path, status: 403, code: 'agent-deactivated', replayed: null });
    }
    expect(await eventsOf()).toBe(before);
    expect((await app().request('GET', '/customers/cust-agent-left-file-2/file', { role: 'supervisor' })).status).toBe(404);
    // Reads stay (an admin revokes the token to end them); a supervisor edits the file.
    expect((await app().request('GET', '/customers/cust-agent-left-file/file', { token: wu })).status).toBe(200);
    expect((await app().request('POST', '/customers/cust-agent-left-file/visits', { role: 'supervisor', body: { ...visit, summary: '接手回访' } })).status).toBe(200);
  });

  it('refuses the work-order commands of an agent the service network has deactivated too (403 agent-deactivated, nothing written), a retry included', async () => {
    expect((await admin('/service-network/agents', { agentId: 'qian.yu', name: '钱宇', units: ['quality-dept'], reason: '新员工入职' })).status).toBe(201);
    const issued = await admin('/access/tokens', { principalId: 'qian.yu', role: 'agent', reason: 'agent of the quality department' });
    expect(issued.status).toBe(201);
    const qian = issued.body.token as string;
    const report = { ...newWorkOrder, customerId: 'cust-agent-left-wo' };
    const reported = await app().request('POST', '/work-orders', { token: qian, body: report, headers: { 'Idempotency-Key': 'report-agent-left' } });
    expect(reported.status).toBe(201);
    const order = reported.body.id as string;
    const eventsOf = async () => ((await app().request('GET', `/work-orders/${order}/events`, { role: 'supervisor' })).body as unknown[]).length;
    const before = await eventsOf();

    expect((await admin('/service-network/agents/qian.yu/deactivate', { reason: '离职' })).status).toBe(200);
    const refused = await app().request('POST', '/work-orders', { token: qian, body: { ...report, customerId: 'cust-agent-left-wo-2' } });
    expect(refused.body).toMatchObject({ status: 403, code: 'agent-deactivated' });
    expect(refused.body.detail).toMatch(/^Agent qian\.yu was deactivated in the service network at .+may no longer act on complaints, work orders, surveys or customer files; nothing was written/);
    const replay = await app().request('POST', '/work-orders', { token: qian, body: report, headers: { 'Idempotency-Key': 'report-agent-left' } });
    expect({ status: replay.status, code: replay.body.code, replayed: replay.headers.get('idempotent-replayed') }).toEqual({ status: 403, code: 'agent-deactivated', replayed: null });
    expect(await eventsOf()).toBe(before);
    // Reads stay (an admin revokes the token to end them).
    expect((await app().request('GET', `/work-orders/${order}`, { token: qian })).status).toBe(200);
  });

  it('tells a deactivated agent before they act: GET /session says so, and every action of the complaint is refused with the 403\'s code and words', async () => {
    expect((await admin('/service-network/agents', { agentId: 'wu.fang', name: '吴芳', units: ['quality-dept'], reason: '新员工入职' })).status).toBe(201);
    const issued = await admin('/access/tokens', { principalId: 'wu.fang', role: 'agent', reason: 'agent of the quality department' });
    const wu = issued.body.token as string;
    const id = (await app().request('POST', '/complaints', { token: wu, body: { ...newComplaint, customerId: 'cust-agent-told' } })).body.id as string;
    const actionsOf = async () => Object.fromEntries(((await app().request('GET', `/complaints/${id}`, { token: wu })).body.allowedActions as Array<{ action: string }>).map((entry) => [entry.action, entry]));
    expect((await app().request('GET', '/session', { token: wu })).body.deactivation).toBeNull();
    const before = await actionsOf();
    expect(before['notes']).toEqual({ action: 'notes', allowed: true, reason: null });
    const ofTheRole = (entry: unknown) => (entry as { reason: { code: string } | null }).reason?.code !== 'role-not-allowed';
    const deskActions = Object.keys(before).filter((action) => ofTheRole(before[action]));
    expect(deskActions).toEqual(expect.arrayContaining(['apologise', 'notes', 'contact', 'resolve', 'callback']));

    expect((await admin('/service-network/agents/wu.fang/deactivate', { reason: '离职' })).status).toBe(200);
    const refused = await app().request('POST', `/complaints/${id}/notes`, { token: wu, body: { visibility: 'internal', text: '再次来电' } });
    expect(refused.status).toBe(403);
    const session = await app().request('GET', '/session', { token: wu });
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ principalId: 'wu.fang', role: 'agent', deactivation: { code: 'agent-deactivated', message: refused.body.detail, deactivatedAt: expect.any(String) } });
    expect(refused.body.detail).toContain(session.body.deactivation.deactivatedAt);
    const actions = await actionsOf();
    const reason = { code: 'agent-deactivated', message: refused.body.detail };
    // Every action of an agent's role is refused for the deactivation, whatever the status says; the others still for the role.
    for (const action of deskActions) expect(actions[action]).toEqual({ action, allowed: false, reason });
    for (const [action, entry] of Object.entries(actions)) if (!deskActions.includes(action)) expect(entry).toEqual(before[action]);
    // Another agent, and a supervisor, are offered what they may do.
    expect((await app().request('GET', '/session', { role: 'agent' })).body.deactivation).toBeNull();
    const forSupervisor = await app().request('GET', `/complaints/${id}`, { role: 'supervisor' });
    expect(forSupervisor.body.allowedActions.find((entry: { action: string }) => entry.action === 'notes')).toEqual({ action: 'notes', allowed: true, reason: null });
  });

  it('tells a deactivated engineer in GET /session, with the words of the 403 their work-order commands answer', async () => {
    expect((await admin('/service-network/units', { code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'], reason: 'station' })).status).toBe(201);
    expect((await admin('/service-network/engineers', { engineerId: 'eng-he', name: '何工', station: 'dandong-station', skills: ['dispenser'], reason: 'hired' })).status).toBe(201);
    const issued = await admin('/access/tokens', { principalId: 'eng-he', role: 'engineer', reason: 'engineer of the Dandong station' });
    const he = issued.body.token as string;
    expect((await app().request('GET', '/session', { token: he })).body.deactivation).toBeNull();
    expect((await admin('/service-network/engineers/eng-he/deactivate', { reason: '合同到期' })).status).toBe(200);
    const session = await app().request('GET', '/session', { token: he });
    expect(session.body.deactivation).toEqual({ code: 'engineer-deactivated', message: expect.stringMatching(/^Engineer eng-he was deactivated in the service network at .+ and may no longer act on work orders; nothing was written/), deactivatedAt: expect.any(String) });
    const refused = await app().request('POST', '/work-orders/3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00/contact', { token: he, body: { channel: 'phone', notes: '已联系客户' } });
    expect(refused.body).toMatchObject({ status: 403, code: 'engineer-deactivated', detail: session.body.deactivation.message });
    // Adding the id again says it was deactivated and how to go on: an id is never given to anyone again.
    const again = await admin('/service-network/engineers', { engineerId: 'eng-he', name: '何工', station: 'dandong-station', skills: ['dispenser'], reason: 'rehired' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'engineer-already-added', detail: `Engineer eng-he was deactivated at ${session.body.deactivation.deactivatedAt}, and an id is never reused (its history stays one person's): add them under a new id, e.g. eng-he-2.` });
  });

  it('revokes the person\'s tokens of that role with the deactivation when an admin asks (revokeTokens), and refuses it to a supervisor with nothing written', async () => {
    expect((await admin('/service-network/agents', { agentId: 'he.jing', name: '何静', units: ['quality-dept'], reason: '新员工入职' })).status).toBe(201);
    expect((await admin('/service-network/engineers', { engineerId: 'eng-ma', name: '马工', station: 'dandong-station', skills: ['pump'], reason: 'hired' })).status).toBe(201);
    const issue = async (principalId: string, role: string) => {
      const issued = await admin('/access/tokens', { principalId, role, reason: `token for ${principalId}` });
      expect(issued.status).toBe(201);
      return { id: issued.body.tokenId as string, token: issued.body.token as string };
    };
    // Two agent tokens (one under the id in another case), one as a supervisor, and another agent's.
    const agentTokens = [await issue('he.jing', 'agent'), await issue('HE.JING', 'agent')];
    const asSupervisor = await issue('he.jing', 'supervisor');
    const colleague = await issue('sun.li', 'agent');
    const engineerToken = await issue('eng-ma', 'engineer');
    const works = async (token: string) => (await app().request('GET', '/session', { token })).status;
    const networkRevision = async () => (await app().request('GET', '/service-network', { role: 'admin' })).headers.get('etag');

    const before = await networkRevision();
    const refused = await app().request('POST', '/service-network/agents/he.jing/deactivate', { role: 'supervisor', body: { reason: '离职', revokeTokens: true } });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'forbidden', detail: expect.stringMatching(/^Only an admin revokes tokens \(revokeTokens: true\); nothing was written\. Deactivate he\.jing without revokeTokens/) });
    expect(await networkRevision()).toBe(before);
    for (const { token } of agentTokens) expect(await works(token)).toBe(200);
    expect((await app().request('POST', '/service-network/agents/he.jing/deactivate', { role: 'admin', body: { reason: '离职', revokeTokens: 'yes' } })).body).toMatchObject({ status: 400, code: 'validation-failed' });
    expect(await networkRevision()).toBe(before);

    const done = await admin('/service-network/agents/he.jing/deactivate', { reason: '离职', revokeTokens: true });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ id: 'service-network', revision: expect.any(Number), position: expect.any(Number), revokedTokens: expect.arrayContaining(agentTokens.map(({ id }) => id)) });
    expect(done.body.revokedTokens).toHaveLength(2);
    for (const { token } of agentTokens) expect(await works(token)).toBe(401);
    expect(await works(asSupervisor.token)).toBe(200);
    expect(await works(colleague.token)).toBe(200);
    const listed = (await app().request('GET', '/access/tokens', { role: 'admin' })).body.items as Array<{ tokenId: string; status: string; revokedBy: string | null }>;
    expect(listed.filter((token) => done.body.revokedTokens.includes(token.tokenId)).map(({ status, revokedBy }) => ({ status, revokedBy }))).toEqual([{ status: 'revoked', revokedBy: 'admin-e2e' }, { status: 'revoked', revokedBy: 'admin-e2e' }]);

    // An engineer: the same; without revokeTokens, nothing is revoked.
    const engineerDone = await admin('/service-network/engineers/eng-ma/deactivate', { reason: '合同到期', revokeTokens: true });
    expect(engineerDone.body).toMatchObject({ openWorkOrders: [], revokedTokens: [engineerToken.id] });
    expect(await works(engineerToken.token)).toBe(401);
    expect((await admin('/service-network/agents', { agentId: 'zhao.lei', name: '赵磊', units: ['quality-dept'], reason: '新员工入职' })).status).toBe(201);
    const kept = await issue('zhao.lei', 'agent');
    expect((await admin('/service-network/agents/zhao.lei/deactivate', { reason: '调岗' })).body.revokedTokens).toEqual([]);
    expect(await works(kept.token)).toBe(200);
  });

  // Found in an attack: a revoked admin's deactivation in flight recorded its revocations after the admin's own revocation.
  it('refuses, 401 with nothing written, a deactivation with revokeTokens whose admin token was revoked while it waited; one whose turn was running completes before that revocation', async () => {
    expect((await admin('/service-network/agents', { agentId: 'lu.ming', name: '陆明', units: ['quality-dept'], reason: '新员工入职' })).status).toBe(201);
    expect((await admin('/service-network/agents', { agentId: 'xu.fang', name: '许芳', units: ['quality-dept'], reason: '新员工入职' })).status).toBe(201);
    const issue = async (principalId: string, role: string) => {
      const issued = await admin('/access/tokens', { principalId, role, reason: `token for ${principalId}` });
      expect(issued.status).toBe(201);
      return { id: issued.body.tokenId as string, token: issued.body.token as string };
    };
    const works = async (token: string) => (await app().request('GET', '/session', { token })).status;
    const agentOf = async (id: string) => ((await app().request('GET', '/service-network', { role: 'admin' })).body.agents as Array<{ id: string; active: boolean }>).find((agent) => agent.id === id);
    const accessTypes = async () => ((await app().request('GET', '/audit/access', { role: 'auditor' })).body.entries as Array<{ type: string; actor: { id: string }; data: { tokenId: string } }>);

    // Every append to the access-control stream waits until the requests below are all in the access-control queue.
    const gated = () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const append = SqliteEventStore.prototype.append;
      const held = { count: 0 };
      const spy = jest.spyOn(SqliteEventStore.prototype, 'append').mockImplementation(async function (this: SqliteEventStore, ...args: Parameters<SqliteEventStore['append']>) {
        if (args[0] === 'access-control') {
          held.count += 1;
          await gate;
        }
        return append.apply(this, args);
      });
      return { release, held, restore: () => { release(); spy.mockRestore(); } };
    };
    const turns = jest.spyOn(AccessControl.prototype, 'asCaller');
    const revoking = jest.spyOn(AccessControl.prototype, 'revoke');
    const issuing = jest.spyOn(AccessControl.prototype, 'issue');
    try {
      // The revocation of the caller is asked first: the deactivation is refused, nothing written.
      const deputy = await issue('deputy.admin', 'admin');
      const luMing = await issue('lu.ming', 'agent');
      let gate = gated();
      issuing.mockClear();
      revoking.mockClear();
      turns.mockClear();
      const running = issue('someone.else', 'agent');
      expect(await eventually(async () => issuing.mock.calls.length === 1, 20_000)).toBe(true);
      const revocation = admin(`/access/tokens/${deputy.id}/revoke`, { reason: 'Leaked.' });
      expect(await eventually(async () => revoking.mock.calls.length === 1, 20_000)).toBe(true);
      const deactivation = app().request('POST', '/service-network/agents/lu.ming/deactivate', { token: deputy.token, body: { reason: '离职', revokeTokens: true } });
      expect(await eventually(async () => turns.mock.calls.length === 1, 20_000)).toBe(true);
      gate.release();
      await running;
      expect((await revocation).status).toBe(200);
      const refused = await deactivation;
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ status: 401, detail: expect.stringMatching(/revoked/) });
      gate.restore();
      expect(await agentOf('lu.ming')).toMatchObject({ active: true });
      expect(await works(luMing.token)).toBe(200);
      expect((await accessTypes()).filter((entry) => entry.actor.id === 'deputy.admin')).toEqual([]);

      // The deactivation's turn is running (its deactivation written, its revocation held at the gate) when the caller's
      // revocation is asked: that revocation waits for the whole turn, so the deactivation and its revocation are recorded first.
      const second = await issue('second.admin', 'admin');
      const xuFang = await issue('xu.fang', 'agent');
      gate = gated();
      revoking.mockClear();
      const done = app().request('POST', '/service-network/agents/xu.fang/deactivate', { token: second.token, body: { reason: '离职', revokeTokens: true } });
      expect(await eventually(async () => gate.held.count === 1, 20_000)).toBe(true);
      const late = admin(`/access/tokens/${second.id}/revoke`, { reason: 'Leaked.' });
      expect(await eventually(async () => revoking.mock.calls.length === 1, 20_000)).toBe(true);
      gate.release();
      const answered = await done;
      expect(answered.status).toBe(200);
      expect(answered.body.revokedTokens).toEqual([xuFang.id]);
      expect((await late).status).toBe(200);
      gate.restore();
      const entries = await accessTypes();
      const xuFangRevoked = entries.findIndex((entry) => entry.type === 'AccessTokenRevoked' && entry.data.tokenId === xuFang.id);
      const secondRevoked = entries.findIndex((entry) => entry.type === 'AccessTokenRevoked' && entry.data.tokenId === second.id);
      expect(xuFangRevoked).toBeGreaterThan(-1);
      expect(secondRevoked).toBeGreaterThan(xuFangRevoked);
      expect(entries[xuFangRevoked]!.actor.id).toBe('second.admin');
    } finally {
      turns.mockRestore();
      revoking.mockRestore();
      issuing.mockRestore();
    }
  });

  it('reads an engineer\'s station as dispatch reads a station code (letter case aside, the directory\'s code recorded), and names the close match of a misspelt one', async () => {
    expect((await admin('/service-network/units', { code: 'Shenyang-Station', kind: 'station', name: { 'zh-CN': '沈阳服务站', en: 'Shenyang service station' }, parent: 'cs-centre', regions: ['210100'], reason: 'station' })).status).toBe(201);
    expect((await admin('/service-network/engineers', { engineerId: 'eng-sun', name: '孙工', station: 'shenyang-station', skills: ['pump'], reason: 'hired' })).status).toBe(201);
    const directory = await app().request('GET', '/service-network', { role: 'agent' });
    expect(directory.body.engineers).toContainEqual(expect.objectContaining({ id: 'eng-sun', station: 'Shenyang-Station' }));
    const misspelt = await admin('/service-network/engineers', { engineerId: 'eng-qin', name: '秦工', station: 'shenyang-statoin', skills: ['pump'], reason: 'hired' });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body).toMatchObject({ code: 'unknown-station', errors: [{ field: 'station' }] });
    expect(misspelt.body.detail).toContain('did you mean Shenyang-Station?');
  });

  it('records the directory\'s id on the duty stream when a deactivation names the person in another spelling (case, width, an invisible character), as the network\'s event does', async () => {
    expect((await admin('/service-network/agents', { agentId: 'tang.li', name: '唐丽', units: ['quality-dept'], reason: '新员工入职' })).status).toBe(201);
    expect((await admin('/service-network/engineers', { engineerId: 'eng-tang', name: '唐工', station: 'dandong-station', skills: ['pump'], reason: 'hired' })).status).toBe(201);
    expect((await admin(`/service-network/agents/${encodeURIComponent('\u200bTANG.LI')}/deactivate`, { reason: '离职' })).status).toBe(200);
    expect((await admin(`/service-network/engineers/${encodeURIComponent('ＥＮＧ-TANG')}/deactivate`, { reason: '离职' })).status).toBe(200);
    const events = app().get(EventStore);
    const last = async (stream: string) => (await events.readStream(stream)).at(-1)!;
    expect((await last('service-network')).data).toMatchObject({ engineerId: 'eng-tang' });
    expect([(await last('agent-duty-tang.li')).data, (await last('engineer-duty-eng-tang')).data]).toEqual([
      { agentId: 'tang.li', stoodDownAt: expect.any(String) },
      { engineerId: 'eng-tang', stoodDownAt: expect.any(String) },
    ]);
  });
});
