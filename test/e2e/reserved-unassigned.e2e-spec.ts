import { newComplaint, newWorkOrder, useApp, type RunningApp, type TestResponse } from './support/test-app';
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

/**
 * The lists answer the word too (the same mapping as the statistics: any letter case or width): `?department=unassigned`
 * (`?assignee=`, `?station=`, `?engineer=`) lists the complaints, work orders and surveys with none yet. Before, it was
 * compared with the stored value, null until the assignment, and answered an empty page: a supervisor asking for the
 * complaints nobody has yet was told there were none. A token limited to departments gets the narrowed list, as for any
 * other department it names (the list is a search over what it may see): the unassigned items it received or reported.
 */
describe('the lists answer ?department=unassigned with what is not yet assigned', () => {
  jest.setTimeout(120_000);
  const app = useApp();
  const ok = postOk(app);
  const tokens: Record<string, string> = {};
  const FULL_WIDTH = '%EF%BD%95%EF%BD%8E%EF%BD%81%EF%BD%93%EF%BD%93%EF%BD%89%EF%BD%87%EF%BD%8E%EF%BD%85%EF%BD%84';
  type Who = { role: 'supervisor' | 'analyst' } | { token: string };
  const idsOf = (body: { items: Array<{ id: string }> }) => body.items.map((item) => item.id);
  const csvIds = (body: string) => body.trim().split('\r\n').slice(1).map((line) => line.split(',')[0]);
  const get = async (path: string, who: Who) => {
    const answer = await app().request('GET', path, who);
    expect({ path, status: answer.status }).toEqual({ path, status: 200 });
    return answer;
  };
  /** Every id of a list, page by page (limit 1): the pages add up to the list. */
  const paged = async (path: string, who: Who) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: TestResponse = await get(`${path}&limit=1${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`, who);
      seen.push(...idsOf(page.body));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    return seen;
  };

  beforeAll(async () => {
    await addTwoStationsAndDepartments(ok);
    await ok('/service-network/engineers', { engineerId: 'eng-u', name: '甲工', station: 'station-a', skills: ['pump'], reason: 'hired' });
    await ok('/service-network/agents', { agentId: 'agent-u', name: '甲坐席', units: ['dept-a'], reason: 'hired' });
    for (const [name, principalId, role, department] of [['deskB', 'desk.b', 'agent', 'dept-b'], ['supervisorA', 'sup.a', 'supervisor', 'dept-a'], ['stationA', 'desk.sa', 'agent', 'station-a']] as const) {
      tokens[name] = (await ok('/access/tokens', { principalId, role, departments: [department], reason: 'limited' })).body.token as string;
    }
  });

  it('lists the complaints with no department or handler yet, in any spelling, paged and as CSV alike; a limited token the ones it received', async () => {
    const received = (await ok('/complaints', newComplaint, { role: 'agent' })).body.id as string;
    const validated = await receiveValidated(app);
    const assigned = await receiveValidated(app);
    await ok(`/complaints/${assigned}/assign`, { department: 'dept-a', assignee: 'agent-u' }, { role: 'supervisor' });
    const hers = await ok('/complaints', newComplaint, { token: tokens['deskB']! });
    const since = `minPosition=${hers.body.position}`;
    const ours = [received, validated, assigned, hers.body.id as string];
    const supervisor = { role: 'supervisor' } as const;

    const listed = await get(`/complaints?department=unassigned&limit=200&${since}`, supervisor);
    expect(idsOf(listed.body).filter((id) => ours.includes(id))).toEqual([hers.body.id, validated, received]);
    expect(listed.body.items.every((item: { department: unknown; assignee: unknown }) => item.department === null && item.assignee === null)).toBe(true);
    for (const query of ['department=UNASSIGNED', `department=${FULL_WIDTH}`, 'assignee=Unassigned', 'assignee=unassigned']) {
      expect({ query, ids: idsOf((await get(`/complaints?${query}&limit=200&${since}`, supervisor)).body) }).toEqual({ query, ids: idsOf(listed.body) });
    }
    expect(idsOf((await get(`/complaints?department=unassigned&status=validated&limit=200&${since}`, supervisor)).body).filter((id) => ours.includes(id))).toEqual([validated]);
    expect(await paged(`/complaints?department=unassigned&${since}`, supervisor)).toEqual(idsOf(listed.body));
    const csv = await get(`/complaints?department=unassigned&format=csv&${since}`, supervisor);
    expect(csvIds(csv.body)).toEqual(idsOf(listed.body));
    // The assigned one is found by its department, as before.
    expect(idsOf((await get(`/complaints?department=dept-a&limit=200&${since}`, supervisor)).body)).toContain(assigned);

    // Limited to dept-b: the filter narrows what it sees (its department's and the unassigned ones it received), never widens it.
    const limited = { token: tokens['deskB']! };
    expect(idsOf((await get(`/complaints?department=unassigned&limit=200&${since}`, limited)).body)).toEqual([hers.body.id]);
    expect(idsOf((await get(`/complaints?assignee=UNASSIGNED&limit=200&${since}`, limited)).body)).toEqual([hers.body.id]);
    expect(csvIds((await get(`/complaints?department=unassigned&format=csv&${since}`, limited)).body)).toEqual([hers.body.id]);
    expect(idsOf((await get(`/complaints?department=unassigned&limit=200&${since}`, { token: tokens['supervisorA']! })).body)).toEqual([]);
  });

  it('lists the work orders not yet dispatched, in the list and on the board, in any spelling and as CSV; a limited token the ones it reported', async () => {
    const waiting = (await ok('/work-orders', newWorkOrder, { role: 'agent' })).body.id as string;
    const dispatched = (await ok('/work-orders', newWorkOrder, { role: 'agent' })).body.id as string;
    await ok(`/work-orders/${dispatched}/dispatch`, { stationCode: 'station-a', engineerId: 'eng-u' }, { role: 'agent' });
    const reported = await ok('/work-orders', newWorkOrder, { token: tokens['stationA']! });
    const since = `minPosition=${reported.body.position}`;
    const ours = [waiting, dispatched, reported.body.id as string];
    const supervisor = { role: 'supervisor' } as const;

    for (const path of ['/work-orders', '/work-orders/board']) {
      const listed = await get(`${path}?station=unassigned&limit=200&${since}`, supervisor);
      expect({ path, ids: idsOf(listed.body).filter((id) => ours.includes(id)).sort() }).toEqual({ path, ids: [waiting, reported.body.id].sort() });
      expect(listed.body.items.every((item: { stationCode: unknown; engineerId: unknown }) => item.stationCode === null && item.engineerId === null)).toBe(true);
      for (const query of ['station=UNASSIGNED', `station=${FULL_WIDTH}`, 'engineer=Unassigned']) {
        expect({ path, query, ids: idsOf((await get(`${path}?${query}&limit=200&${since}`, supervisor)).body) }).toEqual({ path, query, ids: idsOf(listed.body) });
      }
      expect({ path, paged: await paged(`${path}?station=unassigned&${since}`, supervisor) }).toEqual({ path, paged: idsOf(listed.body) });
      expect({ path, csv: csvIds((await get(`${path}?station=unassigned&format=csv&${since}`, supervisor)).body) }).toEqual({ path, csv: idsOf(listed.body) });
      // The agent of station-a: among the orders not yet dispatched, the one it reported (its station's dispatched order is not one).
      expect({ path, ids: idsOf((await get(`${path}?engineer=unassigned&limit=200&${since}`, { token: tokens['stationA']! })).body) }).toEqual({ path, ids: [reported.body.id] });
    }
    expect(idsOf((await get(`/work-orders?station=station-a&limit=200&${since}`, supervisor)).body)).toContain(dispatched);
  });

  // Which surveys it finds is checked where surveys are sent (surveys.e2e-spec.ts: the complaint's, with no station or engineer).
  it('answers the survey list\'s ?department=unassigned (and station, engineer) with a list, never a refusal, for a limited token too', async () => {
    for (const who of [{ role: 'analyst' } as const, { token: tokens['deskB']! }]) {
      for (const query of ['department=unassigned', 'station=UNASSIGNED', `engineer=${FULL_WIDTH}`]) await get(`/surveys?${query}`, who);
    }
    const csv = await get('/surveys?department=unassigned&format=csv', { role: 'analyst' });
    expect(csv.headers.get('content-type')).toContain('text/csv');
  });
});
