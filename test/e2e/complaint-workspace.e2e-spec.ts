import { join } from 'node:path';
import { newComplaint, useApp } from './support/test-app';

/**
 * The complaint workspace over HTTP: the thread of notes and replies (a reply to the customer meets
 * the first-reply clock), contact details at intake and later, corrections of the classification
 * (the statistics follow; a read model built as of before still shows the old category), and the
 * department narrowing of all three.
 */
describe('the complaint workspace over HTTP', () => {
  // Each test drives several complaints, and one builds an as-of generation: more than jest's 5 s on a loaded machine.
  jest.setTimeout(60_000);
  const app = useApp();
  const receive = async (body: Record<string, unknown> = {}) => {
    const received = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, ...body } });
    expect(received.status).toBe(201);
    return received.body as { id: string; revision: number; position: number };
  };
  const view = async (id: string, role: 'agent' | 'supervisor' | 'auditor' = 'supervisor') => (await app().request('GET', `/complaints/${id}`, { role })).body;
  const eventsOf = async (id: string) => (await app().request('GET', `/complaints/${id}/events`)).body.events as Array<{ type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }>;
  /** Drives a complaint to closed: validated, assigned, resolved and called back satisfied. */
  const close = async (id: string) => {
    for (const [action, body] of [
      ['validate', { reason: 'checked' }], ['assign', { department: 'station-ops', assignee: 'zhang.wei' }],
      ['resolve', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true }], ['callback', { outcome: 'satisfied', satisfaction: 5 }],
    ] as const) expect((await app().request('POST', `/complaints/${id}/${action}`, { body })).status).toBe(200);
  };

  describe('notes and replies', () => {
    it('keeps internal notes and replies as a thread, none changing the status; a reply to the customer meets the first-reply clock', async () => {
      const { id } = await receive();
      const internal = await app().request('POST', `/complaints/${id}/notes`, {
        role: 'agent', headers: { 'if-match': '"0"' }, body: { visibility: 'internal', text: '已联系油站调取加油机记录。' },
      });
      expect(internal.status).toBe(200);
      expect(internal.body).toEqual({ id, revision: 1, position: expect.any(Number) });
      let complaint = await view(id, 'agent');
      expect(complaint).toMatchObject({ status: 'received', firstReplyAt: null });
      expect(complaint.clocks.find((clock: { clock: string }) => clock.clock === 'first-reply')).toMatchObject({ met: false });

      const reply = await app().request('POST', `/complaints/${id}/notes`, {
        role: 'agent', headers: { 'if-match': '"1"' }, body: { visibility: 'customer', text: '您好，我们正在核实，明天上午给您答复。', channel: 'phone' },
      });
      expect(reply.status).toBe(200);
      complaint = await view(id, 'agent');
      expect(complaint.status).toBe('received');
      expect(complaint.firstReplyAt).toEqual(expect.any(String));
      expect(complaint.clocks.find((clock: { clock: string }) => clock.clock === 'first-reply')).toMatchObject({ met: true });
      expect(complaint.notes).toEqual([
        { revision: 1, addedAt: expect.any(String), by: { id: 'agent-e2e', role: 'agent' }, visibility: 'internal', channel: null, text: '已联系油站调取加油机记录。', personal: false, firstReply: false },
        { revision: 2, addedAt: complaint.firstReplyAt, by: { id: 'agent-e2e', role: 'agent' }, visibility: 'customer', channel: 'phone', text: '您好，我们正在核实，明天上午给您答复。', personal: false, firstReply: true },
      ]);
      expect(complaint.allowedActions.find((entry: { action: string }) => entry.action === 'notes')).toEqual({ action: 'notes', allowed: true, reason: null });

      // The list and the SLA views see the reply as the first reply too.
      const listed = await app().request('GET', `/complaints?minPosition=${reply.body.position}&limit=100`, { role: 'analyst' });
      expect(listed.body.items.find((item: { id: string }) => item.id === id)).toMatchObject({ firstReplyAt: complaint.firstReplyAt });

      // The audit trail names the steps and never quotes the note.
      const trail = await app().request('GET', `/complaints/${id}/trail`, { role: 'auditor' });
      expect(trail.status).toBe(200);
      const words = JSON.stringify(trail.body);
      expect(words).toContain('Added an internal note');
      expect(words).toContain('添加内部备注');
      expect(words).toContain('Replied to the customer (Phone), the first reply');
      expect(words).toContain('回复客户（电话），首次回复');
    });

    it('refuses a stale If-Match, answers a replayed Idempotency-Key as the first time, and writes nothing twice', async () => {
      const { id } = await receive();
      const stale = await app().request('POST', `/complaints/${id}/notes`, { role: 'agent', headers: { 'if-match': '"5"' }, body: { visibility: 'internal', text: 'x' } });
      expect(stale.status).toBe(412);
      const key = { 'idempotency-key': 'note-retry-0001' };
      const first = await app().request('POST', `/complaints/${id}/notes`, { role: 'agent', headers: key, body: { visibility: 'internal', text: 'once' } });
      const again = await app().request('POST', `/complaints/${id}/notes`, { role: 'agent', headers: key, body: { visibility: 'internal', text: 'once' } });
      expect(again.body).toEqual(first.body);
      expect((await view(id)).notes).toHaveLength(1);
    });

    it('takes internal notes on a closed complaint but refuses a reply to the customer there (409), and refuses bad bodies with 400s', async () => {
      const { id } = await receive();
      await close(id);
      expect((await app().request('POST', `/complaints/${id}/notes`, { role: 'agent', body: { visibility: 'internal', text: '客户再次来电致谢。' } })).status).toBe(200);
      const refused = await app().request('POST', `/complaints/${id}/notes`, { role: 'agent', body: { visibility: 'customer', text: '您好', channel: 'phone' } });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'not-open', detail: expect.stringMatching(/reopen it first/) });

      const before = (await view(id)).revision;
      for (const [body, field] of [
        [{ visibility: 'public', text: 'x' }, 'visibility'],
        [{ visibility: 'internal' }, 'text'],
        [{ visibility: 'customer', text: 'x', channel: 'carrier-pigeon' }, 'channel'],
        [{ visibility: 'internal', text: 'x'.repeat(5001) }, 'text'],
      ] as const) {
        const bad = await app().request('POST', `/complaints/${id}/notes`, { role: 'agent', body });
        expect(bad.status).toBe(400);
        expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      const channelOnInternal = await app().request('POST', `/complaints/${id}/notes`, { role: 'agent', body: { visibility: 'internal', text: 'x', channel: 'phone' } });
      expect(channelOnInternal.status).toBe(400);
      expect(channelOnInternal.body).toMatchObject({ code: 'channel-not-for-internal-note' });
      const blank = await app().request('POST', `/complaints/${id}/notes`, { role: 'agent', body: { visibility: 'internal', text: '   ' } });
      expect(blank.status).toBe(400);
      expect(blank.body).toMatchObject({ code: 'blank-text' });
      expect((await view(id)).revision).toBe(before);
    });

    it('lets only agents, supervisors and admins write notes', async () => {
      const { id } = await receive();
      for (const role of ['analyst', 'auditor', 'engineer'] as const) {
        expect((await app().request('POST', `/complaints/${id}/notes`, { role, body: { visibility: 'internal', text: 'x' } })).status).toBe(403);
      }
      const auditorView = await view(id, 'auditor');
      expect(auditorView.allowedActions.find((entry: { action: string }) => entry.action === 'notes')).toMatchObject({ allowed: false, reason: { code: 'role-not-allowed' } });
    });
  });

  describe('contact details', () => {
    it('records them at intake, normalised, with the personal values under data.personal, and changes them later with a reason', async () => {
      const { id, revision } = await receive({ phone: '138 0013-8000', email: 'Wang.Li@Example.COM', address: '北京市朝阳区建国路 99 号', preferredChannel: 'phone', preferredTime: '工作日 18:00 以后' });
      expect(revision).toBe(1);
      expect((await view(id)).contact).toEqual({ phone: '13800138000', email: 'Wang.Li@example.com', address: '北京市朝阳区建国路 99 号', preferredChannel: 'phone', preferredTime: '工作日 18:00 以后', language: null });
      const [receivedEvent, contactEvent] = await eventsOf(id);
      expect(JSON.stringify(receivedEvent!.data)).not.toContain('13800138000');
      expect(contactEvent).toMatchObject({
        type: 'ComplaintContactRecorded',
        data: { reason: null, changes: { preferredChannel: 'phone' }, personal: { phone: '13800138000', email: 'Wang.Li@example.com', address: '北京市朝阳区建国路 99 号', preferredTime: '工作日 18:00 以后' } },
      });

      const changed = await app().request('POST', `/complaints/${id}/contact`, {
        role: 'agent', headers: { 'if-match': '"1"' }, body: { phone: '+86 139 0013 9000', address: null, reason: 'The customer gave a new number on the phone.' },
      });
      expect(changed.status).toBe(200);
      expect((await view(id)).contact).toEqual({ phone: '+8613900139000', email: 'Wang.Li@example.com', address: null, preferredChannel: 'phone', preferredTime: '工作日 18:00 以后', language: null });
      const last = (await eventsOf(id)).at(-1)!;
      expect(last).toMatchObject({ data: { changed: ['phone', 'address'], personal: { phone: '+8613900139000', address: null } }, metadata: { reason: 'The customer gave a new number on the phone.' } });

      const same = await app().request('POST', `/complaints/${id}/contact`, { role: 'agent', body: { phone: '+86 13900139000', reason: 'again' } });
      expect(same.status).toBe(409);
      expect(same.body.code).toBe('nothing-changed');
      const empty = await app().request('POST', `/complaints/${id}/contact`, { role: 'agent', body: { reason: 'nothing' } });
      expect(empty.status).toBe(400);
      expect(empty.body.code).toBe('nothing-to-change');
      const noReason = await app().request('POST', `/complaints/${id}/contact`, { role: 'agent', body: { phone: '13700137000' } });
      expect(noReason.status).toBe(400);
      expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    });

    it('refuses bad contact details at intake with a 400 that says how to fix them, recording nothing', async () => {
      for (const [body, code, field] of [
        [{ phone: '12345' }, 'invalid-phone', 'phone'],
        [{ email: 'wang.li@example' }, 'invalid-email', 'email'],
        [{ address: '   ' }, 'blank-text', 'address'],
      ] as const) {
        const refused = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId: 'cust-bad-contact', ...body } });
        expect(refused.status).toBe(400);
        expect(refused.body).toMatchObject({ code, errors: [expect.objectContaining({ field })] });
      }
      const shapes = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, phone: 13800138000, preferredChannel: 'pigeon' } });
      expect(shapes.status).toBe(400);
      expect(shapes.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['phone', 'preferredChannel']);
      const list = await app().request('GET', '/complaints?customerId=cust-bad-contact', { role: 'analyst' });
      expect(list.body.items).toEqual([]);
    });
  });

  describe('corrections', () => {
    it('re-categorises with a reason; the statistics move the complaint, and a read model built as of before still shows the old category', async () => {
      const { id } = await receive({ cause: 'safety', channel: 'fax', customerId: 'cust-correct' });
      const second = await receive({ cause: 'safety', channel: 'fax', customerId: 'cust-correct-2' });
      const before = await app().request('GET', `/complaints/${id}`);
      const statsBefore = await app().request('GET', `/stats/complaints?by=cause&interval=year&minPosition=${second.position}`, { role: 'analyst' });
      const count = (stats: { body: { rows: Array<{ value: string; received: number }> } }, value: string) => stats.body.rows.filter((row) => row.value === value).reduce((sum, row) => sum + row.received, 0);
      const safetyBefore = count(statsBefore, 'safety');
      const priceBefore = count(statsBefore, 'price');
      const headBefore = second.position;
      expect(safetyBefore).toBeGreaterThanOrEqual(2);

      const corrected = await app().request('POST', `/complaints/${id}/correct`, {
        headers: { 'if-match': `"${before.body.revision}"` }, body: { cause: 'price', severity: 'low', channel: 'fax', reason: 'The customer complained about the price, not safety.' },
      });
      expect(corrected.status).toBe(200);
      const complaint = await view(id);
      expect(complaint).toMatchObject({ cause: 'price', severity: 'low', channel: 'fax', corrections: 1, sla: before.body.sla, status: 'received' });
      expect((await eventsOf(id)).at(-1)).toMatchObject({
        type: 'ComplaintCorrected', data: { changed: ['cause', 'severity'], from: { cause: 'safety', severity: 'high' }, to: { cause: 'price', severity: 'low' } },
      });

      const statsAfter = await app().request('GET', `/stats/complaints?by=cause&interval=year&minPosition=${corrected.body.position}`, { role: 'analyst' });
      expect(count(statsAfter, 'safety')).toBe(safetyBefore - 1);
      expect(count(statsAfter, 'price')).toBe(priceBefore + 1);
      const listed = await app().request('GET', `/complaints?cause=price&minPosition=${corrected.body.position}&limit=100`, { role: 'analyst' });
      expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(id);

      // Built as of the position before the correction: the category known then.
      const { replayUntil } = await import('../../apps/cli/src/commands');
      const { SqliteEventStore } = await import('@app/event-store');
      const { SqliteReadStore } = await import('@app/read-store');
      const events = new SqliteEventStore({ filename: join(app().dataDir, 'events.sqlite') });
      const readStore = new SqliteReadStore({ filename: join(app().dataDir, 'read.sqlite') });
      await replayUntil(events, readStore, { position: headBefore }, 'before-correction');
      await events.close();
      await readStore.close();
      const past = await app().request('GET', '/stats/complaints?by=cause&interval=year&asOf=before-correction', { role: 'analyst' });
      expect(past.status).toBe(200);
      expect(count(past, 'safety')).toBe(safetyBefore);
      expect(count(past, 'price')).toBe(priceBefore);

      // The audit trail says what changed, in both languages.
      const trail = await app().request('GET', `/complaints/${id}/trail`, { role: 'auditor' });
      expect(JSON.stringify(trail.body)).toContain('Corrected the classification (cause Safety → Price; severity High → Low): The customer complained about the price, not safety.');
      expect(JSON.stringify(trail.body)).toContain('更正分类（原因 安全 → 价格；严重程度 严重 → 轻微）');
    });

    it('refuses a correction that changes nothing (409), names nothing or clears the cause (400), or comes from an agent (403)', async () => {
      const { id } = await receive();
      const same = await app().request('POST', `/complaints/${id}/correct`, { body: { cause: newComplaint.cause, reason: 'check' } });
      expect(same.status).toBe(409);
      expect(same.body.code).toBe('nothing-changed');
      expect((await app().request('POST', `/complaints/${id}/correct`, { body: { reason: 'nothing' } })).body.code).toBe('nothing-to-change');
      expect((await app().request('POST', `/complaints/${id}/correct`, { body: { cause: null, reason: 'x' } })).body).toMatchObject({ status: 400, code: 'cannot-clear' });
      const unknown = await app().request('POST', `/complaints/${id}/correct`, { body: { cause: 'weather', reason: 'x' } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'cause', message: expect.stringContaining('product-quality') })]);
      expect((await app().request('POST', `/complaints/${id}/correct`, { body: { cause: 'price' } })).status).toBe(400);
      expect((await app().request('POST', `/complaints/${id}/correct`, { role: 'agent', body: { cause: 'price', reason: 'x' } })).status).toBe(403);
      expect((await view(id)).revision).toBe(0);
    });

    it('corrects a closed complaint too', async () => {
      const { id } = await receive();
      await close(id);
      expect((await app().request('POST', `/complaints/${id}/correct`, { body: { purpose: null, reason: 'The purpose was never stated.' } })).status).toBe(200);
      expect(await view(id)).toMatchObject({ status: 'closed', purpose: null });
    });
  });

  describe('department narrowing', () => {
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      for (const [name, body] of Object.entries({
        opsSupervisor: { principalId: 'ops.lead', role: 'supervisor', departments: ['station-ops'] },
        billingSupervisor: { principalId: 'billing.lead', role: 'supervisor', departments: ['billing'] },
      })) {
        const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { ...body, reason: 'workspace scope' } });
        expect(issued.status).toBe(201);
        tokens[name] = issued.body.token;
      }
    });

    it('a supervisor of another department can neither add notes, change contacts nor correct: not found, nothing written', async () => {
      const { id } = await receive();
      await app().request('POST', `/complaints/${id}/validate`, { body: { reason: 'checked' } });
      await app().request('POST', `/complaints/${id}/assign`, { body: { department: 'station-ops', assignee: 'zhang.wei' } });
      const before = (await view(id)).revision;
      for (const [action, body] of [
        ['notes', { visibility: 'internal', text: 'not mine' }], ['contact', { phone: '13800138000', reason: 'x' }], ['correct', { cause: 'price', reason: 'x' }],
      ] as const) {
        const outside = await app().request('POST', `/complaints/${id}/${action}`, { token: tokens['billingSupervisor'], body });
        expect(outside.status).toBe(404);
        expect(outside.body.code).toBe('complaint-not-found');
      }
      expect((await view(id)).revision).toBe(before);
      const inside = await app().request('POST', `/complaints/${id}/notes`, { token: tokens['opsSupervisor'], body: { visibility: 'internal', text: '已转站长处理。' } });
      expect(inside.status).toBe(200);
      expect((await app().request('GET', `/complaints/${id}`, { token: tokens['opsSupervisor'] })).body.notes).toHaveLength(1);
      expect((await app().request('GET', `/complaints/${id}`, { token: tokens['billingSupervisor'] })).status).toBe(404);
    });
  });

  describe('an agent\'s deadlines in the list', () => {
    it('status=open lists every complaint still waiting for a step, each with its next deadline due', async () => {
      const waiting = await receive({ customerId: 'cust-due-1' });
      const rejected = await receive({ customerId: 'cust-due-2' });
      const last = await app().request('POST', `/complaints/${rejected.id}/reject`, { body: { reason: 'Not ours.' } });
      const closedOne = await receive({ customerId: 'cust-due-3' });
      await close(closedOne.id);
      const replied = await receive({ customerId: 'cust-due-4' });
      const reply = await app().request('POST', `/complaints/${replied.id}/notes`, { role: 'agent', body: { visibility: 'customer', text: '正在核实。' } });

      const open = await app().request('GET', `/complaints?status=open&limit=200&minPosition=${reply.body.position}`, { role: 'agent' });
      expect(open.status).toBe(200);
      const ids = open.body.items.map((item: { id: string }) => item.id);
      expect(ids).toEqual(expect.arrayContaining([waiting.id, replied.id]));
      expect(ids).not.toContain(rejected.id);
      expect(ids).not.toContain(closedOne.id);
      for (const item of open.body.items) expect(['received', 'validated', 'assigned', 'resolved', 'follow-up-required']).toContain(item.status);

      // Waiting: the first reply is due first. Replied to: the answer is due next. Rejected or closed: nothing is due.
      const sla = (await view(waiting.id)).sla;
      expect(open.body.items.find((item: { id: string }) => item.id === waiting.id)).toMatchObject({ nextDueAt: sla.firstReplyDue, nextDueClock: 'first-reply' });
      expect(open.body.items.find((item: { id: string }) => item.id === replied.id)).toMatchObject({ nextDueAt: (await view(replied.id)).sla.answerDue, nextDueClock: 'answer' });
      expect(open.body.items[0]).not.toHaveProperty('clocks');
      const all = await app().request('GET', `/complaints?limit=200&minPosition=${last.body.position}`, { role: 'agent' });
      expect(all.body.items.find((item: { id: string }) => item.id === rejected.id)).toMatchObject({ nextDueAt: null, nextDueClock: null });
      expect(all.body.items.find((item: { id: string }) => item.id === closedOne.id)).toMatchObject({ status: 'closed', nextDueAt: null, nextDueClock: null });

      const bad = await app().request('GET', '/complaints?status=unsolved', { role: 'agent' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'status', message: expect.stringContaining('open') })]);
    });

    it('sort=nextDueAt pages through every complaint by its next deadline due, soonest first, nothing due last', async () => {
      const critical = await receive({ customerId: 'cust-sort-1', severity: 'critical' });
      const medium = await receive({ customerId: 'cust-sort-2', severity: 'medium' });
      // Closed by a satisfied callback without the on-site visit it was received with: nothing is due on it.
      const closedWithoutVisit = await receive({ customerId: 'cust-sort-4', onSiteRequired: true });
      await close(closedWithoutVisit.id);
      const done = await receive({ customerId: 'cust-sort-3' });
      const rejected = await app().request('POST', `/complaints/${done.id}/reject`, { body: { reason: 'Not ours.' } });
      const seen: Array<{ id: string; nextDueAt: string | null }> = [];
      let cursor: string | undefined;
      do {
        const page = await app().request('GET', `/complaints?sort=nextDueAt&limit=3&minPosition=${rejected.body.position}${cursor ? `&cursor=${cursor}` : ''}`, { role: 'agent' });
        expect(page.status).toBe(200);
        expect(page.body.items.every((item: object) => !('dueKey' in item))).toBe(true);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor ?? undefined;
      } while (cursor !== undefined);
      // Every complaint once, in deadline order across the pages; those with nothing due after all the others.
      expect(new Set(seen.map((item) => item.id)).size).toBe(seen.length);
      const due = seen.filter((item) => item.nextDueAt !== null).map((item) => item.nextDueAt!);
      expect(due).toEqual([...due].sort());
      expect(seen.findIndex((item) => item.nextDueAt === null)).toBe(due.length);
      const at = (id: string) => seen.findIndex((item) => item.id === id);
      expect(at(critical.id)).toBeLessThan(at(medium.id));
      expect(at(done.id)).toBeGreaterThanOrEqual(due.length);
      expect(seen[at(closedWithoutVisit.id)]).toMatchObject({ status: 'closed', nextDueAt: null, nextDueClock: null });
      expect(at(closedWithoutVisit.id)).toBeGreaterThanOrEqual(due.length);
      expect((await app().request('GET', '/complaints?sort=deadline', { role: 'agent' })).body.errors).toEqual([expect.objectContaining({ field: 'sort', message: expect.stringContaining('nextDueAt') })]);
    });
  });
});
