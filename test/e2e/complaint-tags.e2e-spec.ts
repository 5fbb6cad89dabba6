import { newComplaint, useApp } from './support/test-app';

/**
 * Tags and links between complaints (issue 19): POST /complaints/{id}/tags (free tags, folded to one
 * form, the list filtered by one) and POST /complaints/{id}/related (duplicate-of, related), shown in
 * the complaint, the list and the trail; every refusal a clear problem, nothing written.
 */
describe('tags and links between complaints', () => {
  jest.setTimeout(60_000);
  const app = useApp();
  let position = 0;
  const receive = async (customerId: string) => {
    const created = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId } });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const post = async (id: string, verb: 'tags' | 'related' | 'unrelate', body: object, role: 'agent' | 'supervisor' | 'analyst' = 'agent', headers: Record<string, string> = {}) => {
    const answer = await app().request('POST', `/complaints/${id}/${verb}`, { role, body, headers });
    if (typeof answer.body?.position === 'number') position = Math.max(position, answer.body.position);
    return answer;
  };
  const eventCount = async (id: string) => (await app().request('GET', `/complaints/${id}/events`, { role: 'auditor' })).body.events.length as number;

  it('adds and removes tags in one form, shows them in the complaint, and filters the list by one in any form', async () => {
    const id = await receive('cust-tags-1');
    const other = await receive('cust-tags-2');
    expect((await post(id, 'tags', { add: [' Metering ', 'ＶＩＰ', '油品'] })).status).toBe(200);
    expect((await post(other, 'tags', { add: ['metering'] })).status).toBe(200);
    const removed = await post(id, 'tags', { remove: ['vip'], add: ['repeat-caller'], reason: 'Not a VIP after all.' });
    expect(removed.status).toBe(200);
    expect((await app().request('GET', `/complaints/${id}`, { role: 'agent' })).body).toMatchObject({ status: 'received', tags: ['metering', '油品', 'repeat-caller'] });
    const byTag = async (tag: string) => (await app().request('GET', `/complaints?tag=${encodeURIComponent(tag)}&minPosition=${position}`, { role: 'supervisor' })).body.items.map((item: { id: string }) => item.id).sort();
    expect(await byTag('METERING')).toEqual([id, other].sort());
    expect(await byTag('油品')).toEqual([id]);
    expect(await byTag('vip')).toEqual([]);
    const listed = (await app().request('GET', `/complaints?tag=metering&minPosition=${position}`, { role: 'supervisor' })).body.items.find((item: { id: string }) => item.id === id);
    expect(listed).toMatchObject({ tags: ['metering', '油品', 'repeat-caller'], duplicateOf: null });
    expect(listed).not.toHaveProperty('tagKeys');
  });

  it('refuses a tag that is not a word, a change that changes nothing, and a bad tag filter, writing nothing', async () => {
    const id = await receive('cust-tags-3');
    expect((await post(id, 'tags', { add: ['vip'] })).status).toBe(200);
    const before = await eventCount(id);
    const space = await post(id, 'tags', { add: ['ok', 'two words'] });
    expect(space.status).toBe(400);
    expect(space.body).toMatchObject({ code: 'invalid-tag', errors: [{ field: 'add[1]' }] });
    expect(space.body.detail).toContain('letters');
    const same = await post(id, 'tags', { add: ['VIP'] });
    expect(same.status).toBe(409);
    expect(same.body).toMatchObject({ code: 'nothing-changed' });
    expect((await post(id, 'tags', {})).body).toMatchObject({ code: 'nothing-to-change' });
    expect((await post(id, 'tags', { add: 'vip' })).status).toBe(400);
    expect((await post(id, 'tags', { add: ['vip'] }, 'analyst')).status).toBe(403);
    expect(await eventCount(id)).toBe(before);
    const filter = await app().request('GET', '/complaints?tag=a.b', { role: 'agent' });
    expect(filter.status).toBe(400);
    expect(filter.body.detail ?? JSON.stringify(filter.body.errors)).toContain('letters');
  });

  it('answers a repeated ?tag= (tag=a&tag=b) 400 saying the list filters by one tag, not that a tag must be a word', async () => {
    for (const query of ['tag=metering&tag=vip', 'tag=metering&tag=metering&tag=vip']) {
      const response = await app().request('GET', `/complaints?${query}`, { role: 'agent' });
      expect({ status: response.status, code: response.body.code, errors: response.body.errors }).toEqual({
        status: 400, code: 'validation-failed', errors: [{ field: 'tag', message: expect.stringMatching(/^tag takes one tag, and was given [23] \(tag=… more than once\): the list filters by one tag; send tag once/) }],
      });
    }
    expect((await app().request('GET', '/complaints?tag=metering', { role: 'agent' })).status).toBe(200);
  });

  it('links a duplicate to its original and a related complaint, shown in the complaint, the list and the trail', async () => {
    const original = await receive('cust-dup');
    const duplicate = await receive('cust-dup');
    const related = await receive('cust-dup-other');
    expect((await post(duplicate, 'related', { complaintId: original, relation: 'duplicate-of', reason: 'Same fill-up, called twice.' }, 'supervisor')).status).toBe(200);
    expect((await post(duplicate, 'related', { complaintId: related, relation: 'related', reason: 'Same pump, another driver.' })).status).toBe(200);
    const view = (await app().request('GET', `/complaints/${duplicate}`, { role: 'agent' })).body;
    expect(view.related).toEqual([
      { complaintId: original, relation: 'duplicate-of', at: expect.any(String), by: { id: 'supervisor-e2e', role: 'supervisor' } },
      { complaintId: related, relation: 'related', at: expect.any(String), by: { id: 'agent-e2e', role: 'agent' } },
    ]);
    const listed = (await app().request('GET', `/complaints?customerId=cust-dup&minPosition=${position}`, { role: 'agent' })).body.items;
    expect(listed.find((item: { id: string }) => item.id === duplicate)).toMatchObject({ duplicateOf: original });
    const trail = (await app().request('GET', `/complaints/${duplicate}/trail`, { role: 'auditor' })).body;
    expect(trail.entries.filter((entry: { type: string }) => entry.type === 'ComplaintRelated').map((entry: { decision: { en: string }; reason: string }) => [entry.decision.en, entry.reason])).toEqual([
      [`Marked as a duplicate of complaint ${original}: Same fill-up, called twice.`, 'Same fill-up, called twice.'],
      [`Linked to related complaint ${related}: Same pump, another driver.`, 'Same pump, another driver.'],
    ]);
    expect(trail.verification).toMatchObject({ ok: true });
  });

  it('refuses a link to itself, to no complaint, a second original and a duplicate of a duplicate, each saying what to do', async () => {
    const original = await receive('cust-dup-2');
    const first = await receive('cust-dup-2');
    const second = await receive('cust-dup-2');
    expect((await post(first, 'related', { complaintId: original, relation: 'duplicate-of', reason: 'Same case.' })).status).toBe(200);
    const before = await eventCount(second);
    const cases = [
      [second, { complaintId: second, relation: 'related', reason: 'r' }, 400, 'relation-to-itself'],
      [second, { complaintId: '00000000-0000-4000-8000-000000000000', relation: 'related', reason: 'r' }, 400, 'unknown-related-complaint'],
      [second, { complaintId: first, relation: 'duplicate-of', reason: 'r' }, 409, 'duplicate-of-a-duplicate'],
      [second, { complaintId: original, relation: 'sibling', reason: 'r' }, 400, 'validation-failed'],
      [second, { complaintId: 'not-a-uuid', relation: 'related', reason: 'r' }, 400, 'validation-failed'],
      [first, { complaintId: second, relation: 'duplicate-of', reason: 'r' }, 409, 'already-duplicate'],
      [first, { complaintId: original, relation: 'duplicate-of', reason: 'r' }, 409, 'nothing-changed'],
    ] as const;
    for (const [id, body, status, code] of cases) {
      const refused = await post(id, 'related', body);
      expect([code, refused.status, refused.body.code]).toEqual([code, status, code]);
    }
    const chain = await post(second, 'related', { complaintId: first, relation: 'duplicate-of', reason: 'r' });
    expect(chain.body.detail).toContain(`${first} is itself a duplicate of ${original}: mark this complaint a duplicate of ${original}`);
    expect(await eventCount(second)).toBe(before);
  });

  it('treats a complaint outside a scoped token\'s departments as no complaint', async () => {
    const mine = await receive('cust-scope-1');
    const theirs = await receive('cust-scope-2');
    expect((await app().request('POST', `/complaints/${theirs}/validate`, { body: { reason: 'ok' } })).status).toBe(200);
    expect((await app().request('POST', `/complaints/${theirs}/assign`, { body: { department: 'billing', assignee: 'wu.lei' } })).status).toBe(200);
    const token = (await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'agent-e2e', role: 'agent', departments: ['station-ops'], reason: 'desk' } })).body.token as string;
    const refused = await app().request('POST', `/complaints/${mine}/related`, { token, body: { complaintId: theirs, relation: 'related', reason: 'r' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'unknown-related-complaint' });
  });

  it('refuses a tag that mixes scripts (a Cyrillic а among Latin letters), naming the character, and keeps Chinese with Latin and digits', async () => {
    const id = await receive('cust-tags-script');
    expect((await post(id, 'tags', { add: ['valve', '加油机A3'] })).status).toBe(200);
    const before = await eventCount(id);
    const mixed = await post(id, 'tags', { add: ['v\u0430lve'] });
    expect(mixed.status).toBe(400);
    expect(mixed.body).toMatchObject({ code: 'mixed-script-tag', errors: [{ field: 'add[0]', message: expect.stringContaining('"\u0430" (U+0430) is Cyrillic among Latin letters') }] });
    expect((await post(id, 'tags', { add: ['ＶＡＬＶＥ'] })).body).toMatchObject({ code: 'nothing-changed' });
    expect(await eventCount(id)).toBe(before);
    expect((await app().request('GET', `/complaints/${id}`, { role: 'agent' })).body.tags).toEqual(['valve', '加油机a3']);
  });

  it('removes a link (If-Match, Idempotency-Key), so the duplicate has no original in the list, says so in the trail, and refuses a link that is not there', async () => {
    const original = await receive('cust-unlink');
    const duplicate = await receive('cust-unlink');
    const related = await receive('cust-unlink-other');
    const actions = async (id: string, role: 'agent' | 'analyst' = 'agent') => Object.fromEntries(
      (await app().request('GET', `/complaints/${id}`, { role })).body.allowedActions
        .filter((entry: { action: string }) => ['tags', 'related', 'unrelate'].includes(entry.action))
        .map((entry: { action: string; allowed: boolean; reason: { code: string } | null }) => [entry.action, entry.reason?.code ?? entry.allowed]),
    );
    expect(await actions(duplicate)).toEqual({ tags: true, related: true, unrelate: 'not-linked' });
    expect(await actions(duplicate, 'analyst')).toEqual({ tags: 'role-not-allowed', related: 'role-not-allowed', unrelate: 'role-not-allowed' });
    expect((await post(duplicate, 'related', { complaintId: original, relation: 'duplicate-of', reason: 'Same fill-up, called twice.' })).status).toBe(200);
    const linked = await post(duplicate, 'related', { complaintId: related, relation: 'related', reason: 'Same pump.' });
    expect(await actions(duplicate)).toEqual({ tags: true, related: true, unrelate: true });

    const stale = await post(duplicate, 'unrelate', { complaintId: original, reason: 'Another fill-up after all.' }, 'agent', { 'if-match': `"${linked.body.revision - 1}"` });
    expect(stale.status).toBe(412);
    const removed = await post(duplicate, 'unrelate', { complaintId: original, reason: 'Another fill-up after all.' }, 'agent', { 'if-match': `"${linked.body.revision}"`, 'idempotency-key': 'unlink-dup-1' });
    expect(removed.status).toBe(200);
    const replayed = await post(duplicate, 'unrelate', { complaintId: original, reason: 'Another fill-up after all.' }, 'agent', { 'idempotency-key': 'unlink-dup-1' });
    expect([replayed.status, replayed.body.revision]).toEqual([200, removed.body.revision]);

    expect((await app().request('GET', `/complaints/${duplicate}`, { role: 'agent' })).body.related).toEqual([
      { complaintId: related, relation: 'related', at: expect.any(String), by: { id: 'agent-e2e', role: 'agent' } },
    ]);
    const listed = (await app().request('GET', `/complaints?customerId=cust-unlink&minPosition=${position}`, { role: 'agent' })).body.items;
    expect(listed.find((item: { id: string }) => item.id === duplicate)).toMatchObject({ duplicateOf: null });
    const trail = (await app().request('GET', `/complaints/${duplicate}/trail`, { role: 'auditor' })).body;
    expect(trail.entries.filter((entry: { type: string }) => entry.type === 'ComplaintUnrelated').map((entry: { decision: Record<string, string>; reason: string }) => [entry.decision, entry.reason])).toEqual([
      [{ 'zh-CN': `取消标记为投诉 ${original} 的重复投诉：Another fill-up after all.`, en: `No longer a duplicate of complaint ${original}: Another fill-up after all.` }, 'Another fill-up after all.'],
    ]);
    expect(trail.verification).toMatchObject({ ok: true });

    const before = await eventCount(duplicate);
    const again = await post(duplicate, 'unrelate', { complaintId: original, reason: 'r' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'not-linked' });
    expect(again.body.detail).toContain(`its links: ${related} (related)`);
    const cases = [
      [{ complaintId: related, reason: '  ' }, 400, 'blank-text'],
      [{ complaintId: duplicate, reason: 'r' }, 400, 'relation-to-itself'],
      [{ complaintId: 'not-a-uuid', reason: 'r' }, 400, 'validation-failed'],
      [{ complaintId: related }, 400, 'validation-failed'],
    ] as const;
    for (const [body, status, code] of cases) {
      const refused = await post(duplicate, 'unrelate', body);
      expect([code, refused.status, refused.body.code]).toEqual([code, status, code]);
    }
    expect((await post(duplicate, 'unrelate', { complaintId: related, reason: 'r' }, 'analyst')).status).toBe(403);
    expect(await eventCount(duplicate)).toBe(before);
    // The original freed, it may be marked a duplicate of another.
    expect((await post(duplicate, 'related', { complaintId: related, relation: 'duplicate-of', reason: 'This one it repeats.' })).status).toBe(200);
  });
});
