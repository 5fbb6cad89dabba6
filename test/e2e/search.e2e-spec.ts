import { newComplaint, useApp } from './support/test-app';

/**
 * GET /complaints?q=: a search of the complaint list by the complaint's id (or its start), the
 * customer id, the customer's name and what the customer said, in Chinese and English, combined
 * with the list's filters and paging, and narrowed by the caller's departments like the list.
 */
describe('searching complaints', () => {
  const app = useApp();
  const received: Record<string, { id: string; position: number }> = {};
  let opsAgent = '';
  let position = 0;

  const ids = (response: { body: { items: Array<{ id: string }> } }) => response.body.items.map((item) => item.id).sort();
  const search = (q: string, options: { token?: string; extra?: string } = {}) =>
    app().request('GET', `/complaints?q=${encodeURIComponent(q)}&minPosition=${position}${options.extra ?? ''}`, options.token ? { token: options.token } : { role: 'analyst' });

  beforeAll(async () => {
    const complaints = {
      invoice: { customerId: 'search-li', customerName: '李女士', description: '收银员态度恶劣，拒绝开具发票。' },
      meter: { customerId: 'search-zhang', customerName: '张伟', description: '加油机显示 40 升，实际不足，怀疑计量有问题。' },
      english: { customerId: 'search-wang', customerName: 'Mr. Wang Li', description: 'The INVOICE was wrong and the cashier was rude.' },
    };
    for (const [name, body] of Object.entries(complaints)) {
      const response = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, ...body } });
      expect(response.status).toBe(201);
      received[name] = response.body;
      position = Math.max(position, response.body.position);
    }
    // The meter complaint goes to station-ops; the others stay unassigned (visible to those who received them, and to everyone unscoped).
    await app().request('POST', `/complaints/${received['meter']!.id}/validate`, { role: 'supervisor', body: { reason: 'meter log' } });
    const assigned = await app().request('POST', `/complaints/${received['meter']!.id}/assign`, { role: 'supervisor', body: { department: 'station-ops', assignee: 'zhang.wei' } });
    position = Math.max(position, assigned.body.position);
    const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'ops.searcher', role: 'agent', departments: ['station-ops'], reason: 'search test' } });
    opsAgent = issued.body.token;
  });

  it('finds words of what the customer said, in Chinese of one character or more and in English in any letter case', async () => {
    expect(ids(await search('发票'))).toEqual([received['invoice']!.id]);
    expect(ids(await search('态度恶劣'))).toEqual([received['invoice']!.id]);
    expect(ids(await search('升'))).toEqual([received['meter']!.id]);
    expect(ids(await search('invoice'))).toEqual([received['english']!.id]);
    expect(ids(await search('CASHIER WAS RUDE'))).toEqual([received['english']!.id]);
    expect((await search('退款')).body.items).toEqual([]);
  });

  it('finds a customer by name or id, and a complaint by the start of its id', async () => {
    expect(ids(await search('李女士'))).toEqual([received['invoice']!.id]);
    expect(ids(await search('张伟'))).toEqual([received['meter']!.id]);
    expect(ids(await search('wang li'))).toEqual([received['english']!.id]);
    expect(ids(await search('search-'))).toEqual(Object.values(received).map((complaint) => complaint.id).sort());
    const prefix = received['meter']!.id.slice(0, 8);
    expect(ids(await search(prefix))).toContain(received['meter']!.id);
    const found = await search(prefix);
    expect(found.body.items.find((item: { id: string }) => item.id === received['meter']!.id)).toMatchObject({ customerName: '张伟', description: expect.stringContaining('计量') });
  });

  it('combines the search with the list\'s filters and pages through the results', async () => {
    expect(ids(await search('search-', { extra: '&status=assigned' }))).toEqual([received['meter']!.id]);
    const first = await search('search-', { extra: '&limit=2' });
    expect(first.body.items).toHaveLength(2);
    const second = await search('search-', { extra: `&limit=2&cursor=${first.body.nextCursor}` });
    expect([...ids(first), ...ids(second)].sort()).toEqual(Object.values(received).map((complaint) => complaint.id).sort());
    expect(second.body.nextCursor).toBeNull();
  });

  it('narrows the search to the caller\'s departments, as the list', async () => {
    expect(ids(await search('search-', { token: opsAgent }))).toEqual([received['meter']!.id]);
    expect((await search('发票', { token: opsAgent })).body.items).toEqual([]);
  });

  it('refuses an empty, overlong or control-character search with a 400 that says what a search may hold', async () => {
    for (const q of ['', 'x'.repeat(201), 'line\nbreak', 'tab\there']) {
      const response = await app().request('GET', `/complaints?q=${encodeURIComponent(q)}`, { role: 'analyst' });
      expect([q, response.status]).toEqual([q, 400]);
      expect(response.body.detail ?? JSON.stringify(response.body)).toMatch(/q must/);
    }
  });
});
