import { join } from 'node:path';
import { DEFAULT_SLA_POLICY } from '@app/domain';
import { newComplaint, removeDataDir, startApp, type RunningApp } from './support/test-app';
import { buildAsOf } from './support/as-of';

describe('read models over HTTP', () => {
  let app: RunningApp;
  beforeAll(async () => {
    // A policy of seconds: first reply within 1 s, so the SLA monitor records breaches while the test runs.
    app = await startApp(undefined, { slaPolicy: { ...DEFAULT_SLA_POLICY, version: 'seconds-test', firstReply: 'PT1S', answer: 'PT1H', callback: 'PT1H', bySeverity: {} }, slaMonitorIntervalMs: 200 });
  });
  afterAll(async () => {
    await app.stop();
    removeDataDir(app.dataDir);
  });

  async function receive(overrides: object = {}) {
    const response = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, ...overrides } });
    expect(response.status).toBe(201);
    return response.body as { id: string; revision: number; position: number };
  }

  it('reads its own writes with minPosition and says where the read models are', async () => {
    const { id, position } = await receive({ customerId: 'cust-ryw' });
    const list = await app.request('GET', `/complaints?customerId=cust-ryw&minPosition=${position}`, { role: 'agent' });
    expect(list.status).toBe(200);
    expect(Number(list.headers.get('x-read-model-position'))).toBeGreaterThanOrEqual(position);
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
    expect(list.body.items[0]).toMatchObject({ status: 'received', customerId: 'cust-ryw', severity: 'high' });
  });

  it('takes minPosition only as a decimal integer of digits, on every route that reads a read model, and says how to give it', async () => {
    const { position } = await receive({ customerId: 'cust-ryw-form' });
    const document = (await app.request('GET', '/docs-json', { role: null })).body as { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>> };
    const reads = Object.entries(document.paths).flatMap(([path, operations]) => Object.entries(operations)
      .filter(([method, operation]) => method === 'get' && (operation.parameters ?? []).some((parameter) => parameter.in === 'query' && parameter.name === 'minPosition'))
      .map(() => path));
    expect(reads).toEqual(expect.arrayContaining(['/complaints', '/customers/{id}', '/surveys', '/sla/breaches', '/stats/complaints']));
    for (const path of reads) {
      // Path parameters as any caller could type them: the query is refused before anything is looked up.
      const url = path.replace(/\{[^}]+\}/g, 'cust-ryw-form');
      for (const form of ['1e3', '0x10', '%205', '5.0', '+5', '-1', '']) {
        const response = await app.request('GET', `${url}?minPosition=${form}`, { role: 'admin' });
        expect([path, form, response.status, response.body.code, response.body.errors?.[0]?.field]).toEqual([path, form, 400, 'validation-failed', 'minPosition']);
        expect(response.body.errors[0].message).toMatch(/digits/);
      }
    }
    const digits = await app.request('GET', `/complaints?customerId=cust-ryw-form&minPosition=${String(position).padStart(6, '0')}`, { role: 'agent' });
    expect([digits.status, digits.body.items.length]).toEqual([200, 1]);
  });

  it('lists newest first with filters and cursor paging', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) ids.push((await receive({ customerId: 'cust-paging', cause: index % 2 === 0 ? 'price' : 'service' })).id);
    const { position } = await receive({ customerId: 'cust-other' });
    const first = await app.request('GET', `/complaints?customerId=cust-paging&limit=2&minPosition=${position}`);
    const second = await app.request('GET', `/complaints?customerId=cust-paging&limit=2&cursor=${first.body.nextCursor}`);
    const third = await app.request('GET', `/complaints?customerId=cust-paging&limit=2&cursor=${second.body.nextCursor}`);
    const seen = [...first.body.items, ...second.body.items, ...third.body.items].map((item: { id: string }) => item.id);
    expect(seen).toEqual([...ids].reverse());
    expect(third.body.nextCursor).toBeNull();
    const prices = await app.request('GET', '/complaints?customerId=cust-paging&cause=price');
    expect(prices.body.items).toHaveLength(3);
  });

  it('records a breach of a deadline of seconds as an event and shows it in the SLA read model', async () => {
    const { id } = await receive({ customerId: 'cust-sla', severity: 'medium' });
    let breaches: { body: { items: Array<{ complaintId: string; clock: string; open: boolean; overdueMs: number }> } } | undefined;
    for (let attempt = 0; attempt < 50; attempt += 1) {
      breaches = await app.request('GET', '/sla/breaches?open=true&clock=first-reply', { role: 'analyst' });
      if (breaches.body.items.some((item) => item.complaintId === id)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const breach = breaches!.body.items.find((item) => item.complaintId === id);
    expect(breach).toMatchObject({ clock: 'first-reply', open: true });
    expect(breach!.overdueMs).toBeGreaterThanOrEqual(0);
    const events = await app.request('GET', `/complaints/${id}/events`);
    const breached = events.body.events.filter((event: { type: string }) => event.type === 'SlaBreached');
    expect(breached).toHaveLength(1);
    expect(breached[0].metadata.actor).toEqual({ id: 'system:sla-monitor', role: 'system' });

    const apology = await app.request('POST', `/complaints/${id}/apologise`, { role: 'agent', body: { statement: '抱歉', channel: 'phone' } });
    const late = await app.request('GET', `/sla/breaches?open=false&clock=first-reply&minPosition=${apology.body.position}`, { role: 'analyst' });
    expect(late.body.items.find((item: { complaintId: string }) => item.complaintId === id)).toMatchObject({ open: false });
    const compliance = await app.request('GET', `/sla/compliance?by=clock&minPosition=${apology.body.position}`, { role: 'analyst' });
    expect(compliance.body.rows.find((row: { value: string }) => row.value === 'first-reply').breached).toBeGreaterThanOrEqual(1);
  });

  it('lists running clocks at risk', async () => {
    const { position } = await receive({ customerId: 'cust-risk' });
    const risk = await app.request('GET', `/sla/at-risk?within=PT2H&minPosition=${position}`, { role: 'supervisor' });
    expect(risk.status).toBe(200);
    expect(risk.body.items.some((item: { clock: string; customerId: string }) => item.clock === 'answer' && item.customerId === 'cust-risk')).toBe(true);
  });

  it('serves complaint-type statistics and the customer file', async () => {
    const { id } = await receive({ customerId: 'cust-file', cause: 'integrity' });
    for (const [verb, body, role] of [
      ['apologise', { statement: 's', channel: 'phone' }, 'agent'], ['validate', { reason: 'r' }, 'supervisor'],
      ['assign', { department: 'quality', assignee: 'zhao' }, 'supervisor'], ['resolve', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true }, 'agent'],
    ] as const) expect((await app.request('POST', `/complaints/${id}/${verb}`, { role, body })).status).toBe(200);
    const last = await app.request('POST', `/complaints/${id}/callback`, { role: 'agent', body: { outcome: 'satisfied', satisfaction: 5 } });

    const stats = await app.request('GET', `/stats/complaints?by=cause&interval=day&minPosition=${last.body.position}`, { role: 'analyst' });
    expect(stats.status).toBe(200);
    expect(stats.body.rows.find((row: { value: string }) => row.value === 'integrity')).toMatchObject({ received: 1, validated: 1, resolved: 1, wellFoundedPercent: 100, meanSatisfaction: 5 });
    // By quarter and by year: one period each; the totals add up every row; durations also in hours with one decimal.
    for (const interval of ['quarter', 'year'] as const) {
      const grouped = await app.request('GET', `/stats/complaints?by=cause&interval=${interval}`, { role: 'analyst' });
      expect(grouped.status).toBe(200);
      const day = stats.body.rows[0].period as string;
      expect(new Set(grouped.body.rows.map((row: { period: string }) => row.period))).toEqual(new Set([
        interval === 'year' ? `${day.slice(0, 4)}-01-01` : `${day.slice(0, 5)}${String(Math.floor((Number(day.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`,
      ]));
      const sum = (field: string) => grouped.body.rows.reduce((total: number, row: Record<string, number>) => total + row[field]!, 0);
      expect(grouped.body.totals).toMatchObject({ received: sum('received'), validated: sum('validated'), resolved: sum('resolved') });
    }
    // By department: an assigned complaint under its department; one not yet assigned under 'unassigned', and no
    // empty 'unassigned' row left behind by the one that moved (every dimension adds up to the same totals).
    const unassigned = await receive({ customerId: 'cust-waiting', cause: 'integrity' });
    const departments = await app.request('GET', `/stats/complaints?by=department&interval=year&minPosition=${unassigned.position}`, { role: 'analyst' });
    const byCause = await app.request('GET', '/stats/complaints?by=cause&interval=year', { role: 'analyst' });
    expect(departments.body.rows.every((row: { received: number }) => row.received > 0)).toBe(true);
    expect(departments.body.rows.find((row: { value: string }) => row.value === 'unassigned')?.received).toBeGreaterThanOrEqual(1);
    expect(departments.body.totals.received).toBe(byCause.body.totals.received);
    const resolution = stats.body.rows.find((row: { value: string }) => row.value === 'integrity');
    expect(resolution.timeToResolutionHours.mean).toBe(Math.round(resolution.timeToResolutionMs.mean / 360_000) / 10);

    const file = await app.request('GET', `/customers/cust-file?minPosition=${last.body.position}`, { role: 'auditor' });
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({ id: 'cust-file', complaints: { total: 1, open: 0 }, modelVersion: 2, stageLabels: { 'zh-CN': expect.any(String) } });
    expect(file.body.factors.find((factor: { code: string }) => factor.code === 'callback-satisfaction').contribution).toBe(8);
    const customers = await app.request('GET', '/customers?sort=-score&limit=5', { role: 'analyst' });
    const scores = customers.body.items.map((customer: { score: number }) => customer.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('takes from and to with an offset as the moment they name, not as text', async () => {
    const { id, position } = await receive({ customerId: 'cust-offset' });
    const receivedAt = Date.parse((await app.request('GET', `/complaints?customerId=cust-offset&minPosition=${position}`)).body.items[0].receivedAt);
    // The same instants written in Beijing time (UTC+8), whose text sorts 8 hours later than UTC's.
    const inBeijing = (ms: number) => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 23)}%2B08:00`;
    const list = async (query: string) => (await app.request('GET', `/complaints?customerId=cust-offset&${query}`)).body.items.map((item: { id: string }) => item.id);
    expect(await list(`from=${inBeijing(receivedAt)}`)).toEqual([id]);
    expect(await list(`from=${inBeijing(receivedAt + 1)}`)).toEqual([]);
    expect(await list(`to=${inBeijing(receivedAt + 1)}`)).toEqual([id]);
    expect(await list(`to=${inBeijing(receivedAt)}`)).toEqual([]);
  });

  it('lets only readers of analytics see SLA, statistics and customers, and asks for a token', async () => {
    for (const path of ['/sla/breaches', '/sla/at-risk', '/sla/compliance', '/stats/complaints', '/customers', '/customers/cust-file']) {
      expect({ path, status: (await app.request('GET', path, { role: 'agent' })).status }).toEqual({ path, status: 403 });
      expect({ path, status: (await app.request('GET', path, { role: null })).status }).toEqual({ path, status: 401 });
    }
    expect((await app.request('GET', '/complaints', { role: null })).status).toBe(401);
  });

  it.each([
    '/complaints?limit=0', '/complaints?limit=abc', '/complaints?cursor=%27%3B--', '/complaints?status=lost', '/complaints?from=yesterday',
    '/complaints?minPosition=-1', '/complaints?unknown=1', '/sla/compliance?by=planet', '/stats/complaints?interval=decade', '/sla/at-risk?within=2h',
    '/sla/breaches?open=maybe', '/complaints?cursor=WyJ4Il0',
  ])('refuses %s with a problem', async (path) => {
    const response = await app.request('GET', path, { role: 'admin' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it.each(['/complaints?cursor=abc', '/work-orders?cursor=abc', '/complaints?cursor=WyJ4Il0'])('refuses %s saying what a cursor is, as /customers/files does', async (path) => {
    const response = await app.request('GET', path, { role: 'admin' });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/cursor must be the nextCursor of a previous page/);
  });

  it('answers 404 for a customer without a file', async () => {
    const response = await app.request('GET', '/customers/nobody-here', { role: 'analyst' });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('customer-not-found');
  });
});

describe('read models with an external projector', () => {
  it('answers empty lists before the projector has run, and says the read models are at position 0', async () => {
    const app = await startApp(undefined, { projections: 'external' });
    try {
      await app.request('POST', '/complaints', { role: 'agent', body: newComplaint });
      const list = await app.request('GET', '/complaints', { role: 'analyst' });
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([]);
      expect(list.headers.get('x-read-model-position')).toBe('0');
      expect((await app.request('GET', '/sla/compliance', { role: 'analyst' })).body.rows).toEqual([]);
    } finally {
      await app.stop();
      removeDataDir(app.dataDir);
    }
  });
});

describe('read models as of a moment', () => {
  // asOf=<a date-time> was refused with the name rule only (a LOW): it is told the names built and how to build one as of it.
  it('tells asOf given a moment where a name is expected the names built and how to build one as of that moment; an unknown name the names too', async () => {
    const app = await startApp();
    try {
      const { body } = await app.request('POST', '/complaints', { role: 'agent', body: newComplaint });
      await buildAsOf(app, 'june-close', body.position);
      await buildAsOf(app, 'audit_2026', body.position);
      for (const moment of ['2026-03-01T00:00:00Z', '2026-03-01T08:00:00+08:00']) {
        const response = await app.request('GET', `/stats/complaints?asOf=${encodeURIComponent(moment)}`, { role: 'analyst' });
        expect([response.status, response.body.code]).toEqual([400, 'validation-failed']);
        expect(response.body.errors).toEqual([{
          field: 'asOf',
          message: `asOf takes the name of a read model built as of a moment, not the moment itself (${moment}): the ones built are audit_2026, june-close (GET /analytics/as-of lists them); `
            + `to read as of ${moment}, build one with POST /analytics/as-of {"until": "${moment}", "name": "<a name of letters, digits, - and _>"} and ask with asOf=<that name>`,
        }]);
      }
      const unknown = await app.request('GET', '/stats/complaints?asOf=never-built', { role: 'analyst' });
      expect([unknown.status, unknown.body.code]).toEqual([404, 'as-of-not-found']);
      expect(unknown.body.detail).toContain('the ones built are audit_2026, june-close (GET /analytics/as-of lists them)');
      // An agent reads with asOf too, but may not read the catalogue (a reviewer's MEDIUM: every name was listed to it).
      for (const path of [`/complaints?asOf=${encodeURIComponent('2026-03-01T00:00:00Z')}`, '/complaints?asOf=never-built']) {
        const refused = await app.request('GET', path, { role: 'agent' });
        expect([path, refused.status]).toEqual([path, path.endsWith('never-built') ? 404 : 400]);
        expect(JSON.stringify(refused.body)).not.toMatch(/june-close|audit_2026/);
        expect(JSON.stringify(refused.body)).toContain('GET /analytics/as-of lists the ones built, to a supervisor, an analyst, an auditor or an admin');
      }
      // Not a moment and not a name: the name rule, as before.
      expect((await app.request('GET', '/stats/complaints?asOf=../x', { role: 'analyst' })).body.errors).toEqual([{ field: 'asOf', message: expect.stringMatching(/^asOf must be the name of a read model/) }]);
    } finally {
      await app.stop();
      removeDataDir(app.dataDir);
    }
  });

  it('serves a read model built as of a past position with asOf, beside the live one', async () => {
    const app = await startApp();
    try {
      const first = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, cause: 'price' } });
      await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, cause: 'price' } });
      const { replayUntil } = await import('../../apps/cli/src/commands');
      const { SqliteEventStore } = await import('@app/event-store');
      const { SqliteReadStore } = await import('@app/read-store');
      const events = new SqliteEventStore({ filename: join(app.dataDir, 'events.sqlite') });
      const readStore = new SqliteReadStore({ filename: join(app.dataDir, 'read.sqlite') });
      await replayUntil(events, readStore, { position: first.body.position }, 'first-only');
      await events.close();
      await readStore.close();

      const live = await app.request('GET', '/stats/complaints?by=cause&interval=month&minPosition=2', { role: 'analyst' });
      const past = await app.request('GET', '/stats/complaints?by=cause&interval=month&asOf=first-only', { role: 'analyst' });
      expect(live.body.rows.find((row: { value: string }) => row.value === 'price').received).toBe(2);
      expect(past.body).toMatchObject({ asOf: 'first-only' });
      expect(past.body.rows.find((row: { value: string }) => row.value === 'price').received).toBe(1);
      expect((await app.request('GET', '/complaints?asOf=first-only', { role: 'analyst' })).body.items).toHaveLength(1);
      const unknown = await app.request('GET', '/stats/complaints?asOf=never-built', { role: 'analyst' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('as-of-not-found');
      expect((await app.request('GET', '/sla/breaches?asOf=first-only', { role: 'analyst' })).status).toBe(400);
      expect((await app.request('GET', '/stats/complaints?asOf=../x', { role: 'analyst' })).status).toBe(400);
    } finally {
      await app.stop();
      removeDataDir(app.dataDir);
    }
  });
});
