import { newComplaint, useApp } from './support/test-app';
import { postOk } from './support/two-stations';

/**
 * One department is one thing whatever its letter case, with a directory that has no unit yet (a new installation) as with
 * one: the directory reads a unit's code letter case aside (`DEPT-A` is dept-a, recorded so), yet while it was empty a
 * complaint kept its department as typed, so `Billing` and `billing` became two departments: two rows of the statistics,
 * two queue filters, and a token for `billing` was told the complaint assigned to `Billing` did not exist (404).
 */
describe('a department is one department whatever its letter case, while the directory has no unit', () => {
  const app = useApp();
  const ok = postOk(app);
  const get = (path: string, options: { role?: 'admin' | 'supervisor' | 'analyst'; token?: string } = { role: 'supervisor' }) => app().request('GET', path, options);
  const assigned = async (department: string) => {
    const id = (await ok('/complaints', newComplaint, { role: 'agent' })).body.id as string;
    await ok(`/complaints/${id}/validate`, { reason: 'checked' }, { role: 'supervisor' });
    const answer = await ok(`/complaints/${id}/assign`, { department, assignee: 'zhao' }, { role: 'supervisor' });
    // Read your own write (README, "minPosition"): the next assignment then knows how this one spelled the department.
    expect((await get(`/complaints?limit=1&minPosition=${answer.body.position}`)).status).toBe(200);
    return { id, position: answer.body.position as number };
  };
  const departmentOf = async (id: string) => (await get(`/complaints/${id}`, { role: 'admin' })).body.assignment.department as string;
  let token = '';
  const ids: string[] = [];
  let since = '';

  beforeAll(async () => {
    // Issued before any complaint names the department: its scope is as given.
    token = (await ok('/access/tokens', { principalId: 'sup-billing', role: 'supervisor', departments: ['billing'], reason: 'billing desk' })).body.token as string;
    for (const department of ['Billing', 'billing', 'BILLING']) {
      const { id, position } = await assigned(department);
      ids.push(id);
      since = `minPosition=${position}`;
    }
  });

  it('records a second spelling of a department as the one first recorded, as the directory records its own spelling of a unit', async () => {
    expect(await Promise.all(ids.map(departmentOf))).toEqual(['Billing', 'Billing', 'Billing']);
    const events = (await get(`/complaints/${ids[1]}/events`, { role: 'admin' })).body.events as Array<{ type: string; data: { department?: string } }>;
    expect(events.find((event) => event.type === 'ComplaintAssigned')?.data.department).toBe('Billing');
  });

  it('finds the department\'s complaints by its code in any letter case, and counts them in one row of the statistics', async () => {
    for (const spelling of ['billing', 'Billing', 'BILLING']) {
      const listed = (await get(`/complaints?department=${spelling}&limit=50&${since}`)).body.items.map((item: { id: string }) => item.id);
      expect({ spelling, listed: [...listed].sort() }).toEqual({ spelling, listed: [...ids].sort() });
    }
    const rows = (await get(`/stats/complaints?by=department&interval=year&${since}`, { role: 'analyst' })).body.rows as Array<{ value: string; received: number }>;
    expect(rows.filter((row) => row.value.toLowerCase() === 'billing').map((row) => [row.value, row.received])).toEqual([['Billing', 3]]);
  });

  it('shows a token for billing the complaints assigned under any spelling of it, and lets it assign within it in any spelling', async () => {
    for (const id of ids) expect({ id, status: (await get(`/complaints/${id}`, { token })).status }).toEqual({ id, status: 200 });
    const listed = (await get(`/complaints?limit=50&${since}`, { token })).body.items.map((item: { id: string }) => item.id);
    expect([...listed].sort()).toEqual([...ids].sort());
    const again = await app().request('POST', `/complaints/${ids[0]}/assign`, { token, body: { department: 'BILLING', assignee: 'qian' } });
    expect(again.status).toBe(200);
    expect(await departmentOf(ids[0]!)).toBe('Billing');
    await ok(`/complaints/${ids[2]}/assign`, { department: 'billing', assignee: 'sun' }, { token });
    expect(await departmentOf(ids[2]!)).toBe('Billing');
    // The SLA views of the token, and of a reader naming the department in any letter case, hold the same complaints.
    const atRisk = async (path: string, options?: { token: string }) => new Set((await get(`${path}&${since}`, options)).body.items.map((item: { complaintId: string }) => item.complaintId));
    expect(await atRisk('/sla/at-risk?within=P30D', { token })).toEqual(new Set(ids));
    for (const spelling of ['billing', 'BILLING']) {
      expect({ spelling, ids: await atRisk(`/sla/at-risk?within=P30D&department=${spelling}`, { token }) }).toEqual({ spelling, ids: new Set(ids) });
      expect({ spelling, ids: await atRisk(`/sla/at-risk?within=P30D&department=${spelling}`) }).toEqual({ spelling, ids: new Set(ids) });
    }
    // Still not another department.
    expect((await app().request('POST', `/complaints/${ids[1]}/assign`, { token, body: { department: 'Billings', assignee: 'zhao' } })).status).toBe(403);
  });
});
