import { newComplaint, newWorkOrder, useApp, type TestResponse } from './support/test-app';
import { addTwoStationsAndDepartments, postOk } from './support/two-stations';

/**
 * A token limited to departments (README, "Departments") acts on what is in them, and cannot send it
 * out of them: an assignment to another department, or a dispatch or redispatch to another station,
 * is a 403 that names its departments, nothing written. Before, a supervisor of station-a moved
 * station-a's order to station-b (and a supervisor of dept-a gave dept-a's complaint to dept-b), a
 * decision taken for a unit the token has no say in, after which the order was a 404 to them.
 */
describe('a token limited to departments assigns and dispatches only within them', () => {
  const app = useApp();
  const tokens: Record<string, string> = {};

  const ok = postOk(app);
  const revisionOf = async (path: string): Promise<number> => (await app().request('GET', path, { role: 'admin' })).body.revision as number;
  const issue = async (principalId: string, role: string, department: string) =>
    (await ok('/access/tokens', { principalId, role, departments: [department], reason: 'limited' })).body.token as string;

  beforeAll(async () => {
    await addTwoStationsAndDepartments(ok);
    await ok('/service-network/engineers', { engineerId: 'eng-a', name: '甲工', station: 'station-a', skills: ['pump'], reason: 'hired' });
    await ok('/service-network/engineers', { engineerId: 'eng-a2', name: '甲工二', station: 'station-a', skills: ['pump'], reason: 'hired' });
    await ok('/service-network/engineers', { engineerId: 'eng-b', name: '乙工', station: 'station-b', skills: ['pump'], reason: 'hired' });
    await ok('/service-network/agents', { agentId: 'agent-a', name: '甲坐席', units: ['dept-a'], reason: 'hired' });
    await ok('/service-network/agents', { agentId: 'agent-a2', name: '甲坐席二', units: ['dept-a'], reason: 'hired' });
    await ok('/service-network/agents', { agentId: 'agent-b', name: '乙坐席', units: ['dept-b'], reason: 'hired' });
    tokens['supervisorOfDeptA'] = await issue('sup-a', 'supervisor', 'dept-a');
    tokens['supervisorOfStationA'] = await issue('sup-sa', 'supervisor', 'station-a');
    tokens['agentOfStationA'] = await issue('agent-sa', 'agent', 'station-a');
  });

  const refusedNaming = (answer: TestResponse, target: string, own: string) => {
    expect({ status: answer.status, code: answer.body.code, names: [target, own].every((word) => String(answer.body.detail).includes(word)) })
      .toEqual({ status: 403, code: 'forbidden', names: true });
  };

  it('a supervisor of dept-a does not assign dept-a\'s complaint to dept-b; within dept-a it reassigns', async () => {
    const id = (await ok('/complaints', newComplaint, { role: 'agent' })).body.id as string;
    await ok(`/complaints/${id}/validate`, { reason: 'checked' }, { role: 'supervisor' });
    await ok(`/complaints/${id}/assign`, { department: 'dept-a', assignee: 'agent-a' });
    const before = await revisionOf(`/complaints/${id}`);
    const out = await app().request('POST', `/complaints/${id}/assign`, { token: tokens['supervisorOfDeptA'], body: { department: 'dept-b', assignee: 'agent-b' } });
    refusedNaming(out, 'dept-b', 'dept-a');
    expect(await revisionOf(`/complaints/${id}`)).toBe(before);
    await ok(`/complaints/${id}/assign`, { department: 'dept-a', assignee: 'agent-a2' }, { token: tokens['supervisorOfDeptA'] });
  });

  it('a supervisor of station-a does not redispatch station-a\'s order to station-b; within station-a it does', async () => {
    const id = (await ok('/work-orders', newWorkOrder, { role: 'agent' })).body.id as string;
    await ok(`/work-orders/${id}/dispatch`, { stationCode: 'station-a', engineerId: 'eng-a' }, { role: 'agent' });
    const before = await revisionOf(`/work-orders/${id}`);
    const out = await app().request('POST', `/work-orders/${id}/redispatch`, { token: tokens['supervisorOfStationA'], body: { stationCode: 'STATION-B', engineerId: 'eng-b', reason: 'busy' } });
    refusedNaming(out, 'STATION-B', 'station-a');
    expect(await revisionOf(`/work-orders/${id}`)).toBe(before);
    await ok(`/work-orders/${id}/redispatch`, { stationCode: 'STATION-A', engineerId: 'eng-a2', reason: 'busy' }, { token: tokens['supervisorOfStationA'] });
  });

  it('an agent of station-a does not dispatch the order it reported to station-b; to station-a it does', async () => {
    const id = (await ok('/work-orders', newWorkOrder, { token: tokens['agentOfStationA'] })).body.id as string;
    const out = await app().request('POST', `/work-orders/${id}/dispatch`, { token: tokens['agentOfStationA'], body: { stationCode: 'station-b', engineerId: 'eng-b' } });
    refusedNaming(out, 'station-b', 'station-a');
    expect(await revisionOf(`/work-orders/${id}`)).toBe(0);
    await ok(`/work-orders/${id}/dispatch`, { stationCode: 'station-a', engineerId: 'eng-a' }, { token: tokens['agentOfStationA'] });
  });

  // Before, DEPT-A passed the scope check (read as dispatch reads a code) and then got 400 unknown-department from the assignment.
  it('reads a unit code as dispatch reads it, in the scope check and the assignment alike: DEPT-A is dept-a, recorded so', async () => {
    const id = (await ok('/complaints', newComplaint, { role: 'agent' })).body.id as string;
    await ok(`/complaints/${id}/validate`, { reason: 'checked' }, { role: 'supervisor' });
    await ok(`/complaints/${id}/assign`, { department: 'DEPT-A', assignee: 'agent-a' });
    expect((await app().request('GET', `/complaints/${id}`, { role: 'admin' })).body).toMatchObject({ assignment: { department: 'dept-a', assignee: 'agent-a' } });
    await ok(`/complaints/${id}/assign`, { department: 'Dept-A', assignee: 'agent-a2' }, { token: tokens['supervisorOfDeptA'] });
    const events = (await app().request('GET', `/complaints/${id}/events`, { role: 'auditor' })).body.events;
    expect(events[events.length - 1]).toMatchObject({ type: 'ComplaintAssigned', data: { department: 'dept-a', assignee: 'agent-a2' } });
    refusedNaming(await app().request('POST', `/complaints/${id}/assign`, { token: tokens['supervisorOfDeptA'], body: { department: 'DEPT-B', assignee: 'agent-b' } }), 'DEPT-B', 'dept-a');

    const order = (await ok('/work-orders', newWorkOrder, { token: tokens['agentOfStationA'] })).body.id as string;
    await ok(`/work-orders/${order}/dispatch`, { stationCode: 'STATION-A', engineerId: 'eng-a' }, { token: tokens['agentOfStationA'] });
    expect((await app().request('GET', `/work-orders/${order}`, { role: 'admin' })).body.dispatch).toMatchObject({ stationCode: 'station-a' });

    // A scope is recorded as the directory spells its codes, so that the token reaches what is recorded so.
    const issued = await ok('/access/tokens', { principalId: 'sup-upper', role: 'supervisor', departments: ['DEPT-A'], reason: 'limited' });
    expect(issued.body.departments).toEqual(['dept-a']);
    expect((await app().request('GET', `/complaints/${id}`, { token: issued.body.token as string })).status).toBe(200);
  });

  // The read filters checked the scope with a local scope.includes: the same check as a command's now, its 403 saying what to do.
  it.each([
    ['/sla/breaches?department=DEPT-B', 'supervisorOfDeptA', 'DEPT-B', 'dept-a'],
    ['/stats/surveys?department=dept-b', 'supervisorOfDeptA', 'dept-b', 'dept-a'],
    ['/stats/stations?station=Station-B', 'supervisorOfStationA', 'Station-B', 'station-a'],
  ])('a filter outside the token\'s departments (%s) is a 403 naming both and what to ask for instead', async (path, token, asked, own) => {
    const out = await app().request('GET', path, { token: tokens[token] });
    refusedNaming(out, asked, own);
    expect(out.body.detail).toContain('leave it out');
  });

  // The documents named role refusals only: a client could not tell that a limited token gets 403 for a unit outside its departments.
  it.each([['/complaints/{id}/assign', 'department'], ['/work-orders/{id}/dispatch', 'stationCode'], ['/work-orders/{id}/redispatch', 'stationCode']])(
    'documents the 403 of POST %s for a unit outside a limited token\'s departments', async (path, field) => {
      const document = (await app().request('GET', '/docs-json', { role: null })).body;
      const forbidden: string = document.paths[path].post.responses['403'].description;
      expect(forbidden).toContain('limited to departments');
      expect(forbidden).toContain(`\`${field}\` is not one of them`);
    },
  );

  it('a filter within the token\'s departments, in any case, is read as the directory spells it', async () => {
    expect((await app().request('GET', '/stats/stations?station=STATION-A', { token: tokens['supervisorOfStationA'] })).status).toBe(200);
    expect((await app().request('GET', '/sla/breaches?department=Dept-A', { token: tokens['supervisorOfDeptA'] })).status).toBe(200);
  });
});
