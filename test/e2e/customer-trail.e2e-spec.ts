import { newComplaint, useApp } from './support/test-app';

/**
 * The auditor's view of a customer file (issue 19): GET /customers/{id}/trail, as the complaint's
 * trail — every decision with who, when, why and its hash, in zh-CN and English words, and the
 * verdict on the chain; a survivor's trail holds the files merged into it; personal values never.
 */
describe('the customer file\'s audit trail', () => {
  jest.setTimeout(60_000);
  const app = useApp();
  const post = async (path: string, body: object, role: 'agent' | 'supervisor' | 'admin' = 'agent') => {
    const answer = await app().request('POST', path, { role, body });
    expect([path, answer.status]).toEqual([path, path === '/customers' || path === '/complaints' ? 201 : 200]);
    return answer.body;
  };
  let mergedAt = 0;
  const trail = (id: string, role: 'auditor' | 'admin' | 'agent' | 'analyst' = 'auditor') => app().request('GET', `/customers/${id}/trail`, { role });

  beforeAll(async () => {
    await post('/customers', {
      customerId: 'cust-trail-1', category: 'fixed', reason: 'Signed a supply agreement.', name: '顺达物流有限公司', customerType: 'organisation',
      address: '北京市朝阳区建国路 88 号', contacts: [{ name: '王立', role: '车队长', phone: '138 0013 8000' }],
    }, 'supervisor');
    await post('/customers/cust-trail-1/contacts', { reason: 'New fleet manager.', name: '张三', email: 'zhang.san@example.com' });
    await post('/customers/cust-trail-1/contacts/change', { contactId: 'contact-2', reason: 'Mobile number given.', phone: '139 0013 9000' });
    await post('/customers/cust-trail-1/contacts/remove', { contactId: 'contact-1', reason: 'Left the company.' });
    await post('/customers/cust-trail-1/basics', { reason: 'Moved to a new depot.', address: '北京市海淀区中关村大街 1 号', creditRating: 'b' });
    // A second file for the same company, opened at a complaint's intake, then merged into the first.
    await post('/complaints', { ...newComplaint, customerId: 'cust-trail-dup', customerName: '顺达物流' });
    mergedAt = (await post('/customers/cust-trail-dup/merge', { survivorId: 'cust-trail-1', reason: 'Same company: opened under the driver\'s phone number.' }, 'supervisor')).position;
  });

  it('lists every decision in log order with who, when, why, hash and words in both languages, and the chain\'s verdict', async () => {
    const answer = await trail('cust-trail-1');
    expect(answer.status).toBe(200);
    const own = answer.body.entries.filter((entry: { stream: string }) => entry.stream === 'customer-cust-trail-1');
    expect(own.map((entry: { type: string }) => entry.type)).toEqual([
      'CustomerFileOpened', 'CustomerFileContactAdded', 'CustomerFileContactChanged', 'CustomerFileContactRemoved', 'CustomerFileBasicsUpdated', 'CustomerFileAbsorbed',
    ]);
    expect(own.map((entry: { revision: number }) => entry.revision)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(own[0]).toMatchObject({
      customerId: 'cust-trail-1', actor: { id: 'supervisor-e2e', role: 'supervisor' }, reason: 'Signed a supply agreement.', hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      decision: { 'zh-CN': expect.stringContaining('建立客户档案'), en: expect.stringContaining('Opened the customer file') },
      occurredAt: expect.any(String), recordedAt: expect.any(String), commandId: expect.any(String), policyVersion: null,
    });
    expect(own[3]).toMatchObject({ actor: { role: 'agent' }, reason: 'Left the company.', decision: { 'zh-CN': '删除联系人 contact-1：Left the company.', en: 'Removed contact contact-1: Left the company.' } });
    expect(own[4].decision.en).toContain('address (personal data)');
    expect(answer.body.verification).toMatchObject({ ok: true, stream: 'customer-cust-trail-1', events: 6, head: own[5].hash });
    const positions = answer.body.entries.map((entry: { position: number }) => entry.position);
    expect(positions).toEqual([...positions].sort((a: number, b: number) => a - b));
  });

  it('shows the merge on both files: the survivor\'s trail holds the absorbed file\'s history, each chain verified, the absorption caused by the merge', async () => {
    const survivor = (await trail('cust-trail-1')).body;
    expect(survivor.absorbed).toEqual([{ customerId: 'cust-trail-dup', verification: expect.objectContaining({ ok: true, stream: 'customer-cust-trail-dup', events: 2 }) }]);
    const absorbed = survivor.entries.filter((entry: { stream: string }) => entry.stream === 'customer-cust-trail-dup');
    expect(absorbed.map((entry: { type: string }) => entry.type)).toEqual(['CustomerFileOpened', 'CustomerFileMerged']);
    expect(absorbed[0].decision['zh-CN']).toMatch(/^受理投诉 .+ 时建立客户档案/);
    expect(absorbed[1]).toMatchObject({ customerId: 'cust-trail-dup', actor: { role: 'supervisor' }, decision: { en: expect.stringContaining('Merged into customer file cust-trail-1') } });
    const absorption = survivor.entries.find((entry: { type: string }) => entry.type === 'CustomerFileAbsorbed');
    expect(absorption.causedBy).toEqual({ stream: 'customer-cust-trail-dup', revision: 1, type: 'CustomerFileMerged' });
    const merged = (await trail('cust-trail-dup')).body;
    expect(merged).toMatchObject({ customerId: 'cust-trail-dup', verification: { ok: true }, absorbed: [] });
    expect(merged.entries.at(-1)).toMatchObject({ type: 'CustomerFileMerged', data: { survivorId: 'cust-trail-1' } });
  });

  it('never quotes a personal value, before or after an erasure, and the erasure is a decision of the trail', async () => {
    const before = (await trail('cust-trail-1')).body;
    const text = JSON.stringify(before);
    for (const personal of ['顺达物流有限公司', '北京市', '王立', '张三', 'zhang.san@example.com', '13900139000']) expect([personal, text.includes(personal)]).toEqual([personal, false]);
    await post('/customers/cust-trail-1/erase', { ground: 'consent-withdrawn', reason: 'Written request received at the station.', requestReference: 'PIPL-2026-011' }, 'admin');
    const after = (await trail('cust-trail-1', 'admin')).body;
    expect(after.entries.at(-1)).toMatchObject({
      type: 'CustomerFilePersonalDataErased', actor: { role: 'admin' }, reason: 'Written request received at the station.',
      decision: { 'zh-CN': expect.stringContaining('删除客户个人信息'), en: expect.stringContaining('Erased the customer\'s personal data') },
    });
    // What was decided before reads the same after: the words never depended on the erased values.
    expect(after.entries.slice(0, before.entries.length).map((entry: { decision: unknown }) => entry.decision)).toEqual(before.entries.map((entry: { decision: unknown }) => entry.decision));
    expect(after.verification).toMatchObject({ ok: true, events: 7 });
  });

  it('lists the customer files\' decisions in GET /audit/decisions too, by type and actor', async () => {
    const merges = await app().request('GET', `/audit/decisions?type=CustomerFileMerged&minPosition=${mergedAt}`, { role: 'auditor' });
    expect(merges.status).toBe(200);
    expect(merges.body.items).toEqual([expect.objectContaining({
      stream: 'customer-cust-trail-dup', type: 'CustomerFileMerged', role: 'supervisor', complaintId: null, workOrderId: null,
      reason: 'Same company: opened under the driver\'s phone number.', decision: expect.objectContaining({ 'zh-CN': expect.stringContaining('并入客户档案 cust-trail-1') }),
    })]);
  });

  it('is for auditors and admins, and answers 404 for a file that does not exist', async () => {
    expect((await trail('cust-trail-1', 'agent')).status).toBe(403);
    expect((await trail('cust-trail-1', 'analyst')).status).toBe(403);
    const missing = await trail('nobody-here');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'customer-file-not-found' });
  });
});
