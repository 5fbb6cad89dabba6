import { newComplaint, useApp, type RunningApp, type TestResponse } from './support/test-app';
import { addTwoStationsAndDepartments, postOk } from './support/two-stations';

/**
 * The statistics file what has no department or handler yet (complaints), or no station or engineer
 * yet (work orders), under the word `unassigned`. A unit, person or token scope of that code would have
 * its figures merged with that row (a wrong figure), so every door that names a new one refuses the
 * word, letter case aside, with a 400 that says why and what to do instead, and writes nothing. Asking
 * for the row by that word (?department=unassigned) keeps working.
 */
const refusedAsReserved = (answer: TestResponse, code: string, field: string) => {
  expect({ status: answer.status, type: answer.headers.get('content-type'), code: answer.body.code, fields: (answer.body.errors ?? []).map((error: { field: string }) => error.field) })
    .toEqual({ status: 400, type: expect.stringContaining('application/problem+json'), code, fields: [field] });
  expect(answer.body.detail).toMatch(/reserved for "not yet assigned" in the statistics/);
};

const receiveValidated = async (app: () => RunningApp): Promise<string> => {
  const received = await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
  expect(received.status).toBe(201);
  const id = received.body.id as string;
  expect((await app().request('POST', `/complaints/${id}/validate`, { role: 'supervisor', body: { reason: 'checked' } })).status).toBe(200);
  return id;
};

describe('`unassigned` is the statistics\' row, not a code anyone may take: while the directory is empty', () => {
  jest.setTimeout(60_000);
  const app = useApp();

  it('refuses an assignment to department unassigned or to handler Unassigned, writing nothing; a real one still goes through', async () => {
    const id = await receiveValidated(app);
    const before = (await app().request('GET', `/complaints/${id}`, { role: 'supervisor' })).body.revision as number;
    refusedAsReserved(await app().request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'unassigned', assignee: 'zhang.wei' } }), 'reserved-code', 'department');
    refusedAsReserved(await app().request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'station-ops', assignee: 'Unassigned' } }), 'reserved-code', 'assignee');
    expect((await app().request('GET', `/complaints/${id}`, { role: 'supervisor' })).body.revision).toBe(before);
    expect((await app().request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'station-ops', assignee: 'zhang.wei' } })).status).toBe(200);
  });

  it('refuses a token limited to department unassigned, issuing nothing', async () => {
    const before = (await app().request('GET', '/access/tokens', { role: 'admin' })).body.items;
    const refused = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'sup-x', role: 'supervisor', departments: ['UNASSIGNED'], reason: 'limited' } });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 400, code: 'invalid-access-command' });
    expect(refused.body.detail).toMatch(/reserved for "not yet assigned" in the statistics/);
    expect((await app().request('GET', '/access/tokens', { role: 'admin' })).body.items).toEqual(before);
  });

  it('still answers ?department=unassigned (and ?assignee=unassigned) with the running clocks of complaints not yet assigned', async () => {
    const received = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId: 'cust-not-yet-assigned' } });
    expect(received.status).toBe(201);
    const clocks = await app().request('GET', `/sla/at-risk?within=P7D&department=unassigned&minPosition=${received.body.position}`, { role: 'analyst' });
    expect(clocks.status).toBe(200);
    const mine = clocks.body.items.filter((item: { complaintId: string }) => item.complaintId === received.body.id);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((item: { department: string }) => item.department === 'unassigned')).toBe(true);
    const byAssignee = await app().request('GET', '/sla/at-risk?within=P7D&assignee=unassigned', { role: 'analyst' });
    expect(byAssignee.body.items.filter((item: { complaintId: string }) => item.complaintId === received.body.id)).toHaveLength(mine.length);
    // In any letter case or width, as the word is reserved (UNASSIGNED was compared as given and found nothing).
    for (const spelling of ['UNASSIGNED', 'Unassigned', '%EF%BD%95%EF%BD%8E%EF%BD%81%EF%BD%93%EF%BD%93%EF%BD%89%EF%BD%87%EF%BD%8E%EF%BD%85%EF%BD%84']) {
      const other = await app().request('GET', `/sla/at-risk?within=P7D&department=${spelling}`, { role: 'analyst' });
      const ids = (items: { id: string; complaintId: string }[]) => items.filter((item) => item.complaintId === received.body.id).map((item) => item.id);
      expect([spelling, ids(other.body.items)]).toEqual([spelling, ids(mine)]);
    }
  });
});

describe('`unassigned` is the statistics\' row, not a code anyone may take: in the directory', () => {
  jest.setTimeout(60_000);
  const app = useApp();
  const ok = postOk(app);
  const directory = async () => (await app().request('GET', '/service-network', { role: 'admin' })).body;

  beforeAll(async () => {
    await addTwoStationsAndDepartments(ok);
  });

  it('refuses a unit (a station or a department) of code unassigned, in any letter case, writing nothing', async () => {
    const before = await directory();
    refusedAsReserved(await app().request('POST', '/service-network/units', { role: 'admin', body: { code: 'Unassigned', kind: 'station', name: { 'zh-CN': '待定站', en: 'Pending station' }, parent: 'cs-centre', regions: ['210800'], reason: 'new station' } }), 'reserved-code', 'code');
    refusedAsReserved(await app().request('POST', '/service-network/units', { role: 'admin', body: { code: 'unassigned', kind: 'department', name: { 'zh-CN': '待定部', en: 'Pending desk' }, parent: 'cs-centre', reason: 'new desk' } }), 'reserved-code', 'code');
    expect(await directory()).toEqual(before);
  });

  it('refuses an engineer or an agent of id unassigned, writing nothing', async () => {
    const before = await directory();
    refusedAsReserved(await app().request('POST', '/service-network/engineers', { role: 'admin', body: { engineerId: 'unassigned', name: '无名工', station: 'station-a', skills: ['pump'], reason: 'hired' } }), 'reserved-code', 'engineerId');
    refusedAsReserved(await app().request('POST', '/service-network/agents', { role: 'admin', body: { agentId: 'UNASSIGNED', name: '无名坐席', units: ['dept-a'], reason: 'hired' } }), 'reserved-code', 'agentId');
    expect(await directory()).toEqual(before);
  });

  it('says the word is reserved (not that no unit has it) when an assignment or a token names it, writing nothing', async () => {
    await ok('/service-network/agents', { agentId: 'agent-a', name: '甲坐席', units: ['dept-a'], reason: 'hired' });
    const id = await receiveValidated(app);
    const before = (await app().request('GET', `/complaints/${id}`, { role: 'supervisor' })).body.revision as number;
    refusedAsReserved(await app().request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'Unassigned', assignee: 'agent-a' } }), 'reserved-code', 'department');
    refusedAsReserved(await app().request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'dept-a', assignee: 'unassigned' } }), 'reserved-code', 'assignee');
    expect((await app().request('GET', `/complaints/${id}`, { role: 'supervisor' })).body.revision).toBe(before);
    const tokens = (await app().request('GET', '/access/tokens', { role: 'admin' })).body.items;
    const refused = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'sup-x', role: 'supervisor', departments: ['dept-a', 'unassigned'], reason: 'limited' } });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 400, code: 'invalid-access-command' });
    expect(refused.body.detail).toMatch(/reserved for "not yet assigned" in the statistics/);
    expect((await app().request('GET', '/access/tokens', { role: 'admin' })).body.items).toEqual(tokens);
  });
});
