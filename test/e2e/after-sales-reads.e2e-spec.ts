import { join } from 'node:path';
import { Clock } from '@app/complaints';
import type { Role } from '@app/domain';
import { EventStore } from '@app/event-store';
import { WorkOrderSlaQuery } from '@app/read-models';
import { at, cny, expiredProduct, freeRepair, productRegistered, serviceNetworkHistory, workOrder } from '@app/read-models/testing';
import { ReadModelPosition } from '../../apps/api/src/read-models/read-model-position';
import { appendAfterSalesEvents } from './support/after-sales-history';
import { newComplaint, useApp } from './support/test-app';

/** Three days after the first report: the board's markers are measured against this moment. */
class FixedClock extends Clock {
  override now(): Date {
    return new Date(at(3 * 24 * 60));
  }
}

const A = 'a1000000-0000-4000-8000-000000000001';
const B = 'b1000000-0000-4000-8000-000000000002';
const C = 'c1000000-0000-4000-8000-000000000003';
const D = 'd1000000-0000-4000-8000-000000000004';
const E = 'e1000000-0000-4000-8000-000000000005';
const F = 'f1000000-0000-4000-8000-000000000006';

describe('after-sales read models over HTTP', () => {
  const app = useApp(undefined, {}, { clock: new FixedClock() });
  const tokens: Record<string, string> = {};
  let position = 0;
  let beforeD = 0;
  const ids = (body: { items: Array<{ id: string }> }) => body.items.map((item) => item.id);
  const get = async (path: string, options: { role?: Role; token?: string } = {}) => {
    const response = await app().request('GET', `${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`, { role: options.role ?? 'supervisor', ...(options.token ? { token: options.token } : {}) });
    return response;
  };

  beforeAll(async () => {
    for (const [name, body] of Object.entries({
      dalianAgent: { principalId: 'dalian.agent', role: 'agent', departments: ['dalian-station'] },
      dalianSupervisor: { principalId: 'dalian.supervisor', role: 'supervisor', departments: ['dalian-station'] },
    })) tokens[name] = (await app().request('POST', '/access/tokens', { role: 'admin', body: { ...body, reason: 'after-sales scope' } })).body.token;

    const b = workOrder(B, { customerId: 'cust-b', minutes: 60, serialNumber: 'TQ2240-000002' });
    const c = workOrder(C, { customerId: 'cust-c', minutes: 24 * 60, serialNumber: 'TQ2240-000003' });
    const d = workOrder(D, { customerId: 'cust-d', minutes: 3 * 24 * 60 - 20, priority: 'high', reportedBy: { id: 'dalian.agent', role: 'agent' } });
    const e = workOrder(E, { customerId: 'cust-e', minutes: 30 });
    const f = workOrder(F, { customerId: 'cust-f', minutes: 100 });
    const a = workOrder(A, { customerId: 'cust-a' });
    await appendAfterSalesEvents(app(), [
      ...serviceNetworkHistory(), productRegistered('TQ2240-000731', 'cust-a'), productRegistered('TQ2240-000002', 'cust-b', { installedOn: '2024-01-15' }),
      // A: a free repair in warranty at Dandong by 王工, surveyed; B: charged out of warranty by 赵工; E: fixed remotely at Dalian; F: cancelled.
      ...freeRepair(A, { customerId: 'cust-a' }), a.surveySent(21 * 60), a.surveyAnswered(22 * 60, [5, 4]),
      b.reported, b.dispatched(80, 'dandong-station', 'eng-zhao'), b.arrived(600), ...b.findings(630, 'product-defect', expiredProduct('TQ2240-000002')),
      b.quoted(640, cny(78_000)), b.confirmed(650, cny(78_000)), b.work(660, true), b.fee(700, cny(78_000)), b.tested(710), b.signedOff(720), b.closed(760),
      e.reported, e.dispatched(40, 'dalian-station', 'eng-liu'), e.diagnosed(50, 'fixed-remotely'), e.signedOff(60), e.closed(70, 'fixed-remotely'),
      f.reported, f.dispatched(110), f.cancelled(120),
      // C: at Dalian, contacted, nobody on site yet: overdue at the fixed now.
      c.reported, c.dispatched(24 * 60 + 10, 'dalian-station', 'eng-liu'), c.contacted(24 * 60 + 20),
    ]);
    beforeD = await app().get(EventStore).headPosition();
    // D: reported 20 minutes ago by Dalian's agent, not dispatched: its first contact is due within the hour.
    await appendAfterSalesEvents(app(), [d.reported]);
    position = await monitorSettled();
  });

  /**
   * The work-order SLA monitor records the clocks overdue at the fixed now (C's visit, the surveys not
   * answered in time) on its own schedule, every 200 ms: the reads below start where it has nothing left
   * to record, so that all of them see the same log (a breach appended between two reads changed the
   * compliance figures between them on a loaded machine).
   */
  async function monitorSettled(): Promise<number> {
    const events = app().get(EventStore);
    const until = Date.now() + 20_000;
    for (;;) {
      const head = await events.headPosition();
      await app().get(ReadModelPosition).waitFor(head, 5_000);
      const overdue = await app().get(WorkOrderSlaQuery).overdue(new FixedClock().now(), 200);
      if (overdue.length === 0 && (await events.headPosition()) === head) return head;
      if (Date.now() > until) throw new Error(`the work-order SLA monitor left ${overdue.length} overdue clocks unrecorded for 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('lists work orders newest report first with filters and cursor paging, and reads its own writes', async () => {
    const all = await get('/work-orders', { role: 'agent' });
    expect(all.status).toBe(200);
    expect(Number(all.headers.get('x-read-model-position'))).toBeGreaterThanOrEqual(position);
    expect(ids(all.body)).toEqual([D, C, F, B, E, A]);
    expect(all.body.items.find((item: { id: string }) => item.id === B)).toMatchObject({
      status: 'closed', stationCode: 'dandong-station', engineerId: 'eng-zhao', engineerName: '赵工', warrantyVerdict: 'expired', fee: { currency: 'CNY', minorUnits: 78_000 },
      quote: { number: 1, status: 'confirmed', total: { currency: 'CNY', minorUnits: 78_000 } }, outcome: 'repaired',
    });
    expect(all.body.items[0]).not.toHaveProperty('clocks');
    expect(all.body.items[0]).not.toHaveProperty('visibleTo');
    expect(ids((await get('/work-orders?station=dalian-station')).body)).toEqual([C, E]);
    expect(ids((await get('/work-orders?engineer=eng-wang&status=cancelled')).body)).toEqual([F]);
    expect(ids((await get('/work-orders?serialNumber=tq2240-000002')).body)).toEqual([B]);
    expect(ids((await get('/work-orders?customerId=cust-a')).body)).toEqual([A]);
    expect(ids((await get(`/work-orders?from=${encodeURIComponent(at(30))}&to=${encodeURIComponent(at(100))}`)).body)).toEqual([B, E]);
    expect(ids((await get('/work-orders?priority=high')).body)).toEqual([D]);
    const first = await get('/work-orders?limit=4');
    const second = await get(`/work-orders?limit=4&cursor=${first.body.nextCursor}`);
    expect([...ids(first.body), ...ids(second.body)]).toEqual([D, C, F, B, E, A]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('shows the dispatch board: open orders soonest deadline first, with every pending deadline and the markers measured now', async () => {
    const board = await get('/work-orders/board', { role: 'agent' });
    expect(board.status).toBe(200);
    expect(board.body.measuredAt).toBe(at(3 * 24 * 60));
    expect(board.body.items.map((item: Record<string, unknown>) => [item['id'], item['nextDeadlineClock'], item['overdue'], item['atRisk'], item['breached']])).toEqual([
      [C, 'on-site', true, false, true], [D, 'first-contact', false, true, false],
    ]);
    const c = board.body.items[0];
    expect(c).toMatchObject({ status: 'dispatched', stationName: { 'zh-CN': '大连服务站' }, engineerName: '刘工', nextDeadlineAt: at(2 * 24 * 60), dueInMs: -24 * 3_600_000, dueInHours: -24 });
    expect(c.deadlines.map((deadline: { clock: string }) => deadline.clock)).toEqual(['on-site', 'completion']);
    expect(ids((await get('/work-orders/board?due=overdue')).body)).toEqual([C]);
    expect(ids((await get('/work-orders/board?due=at-risk&within=PT30M')).body)).toEqual([]);
    expect(ids((await get('/work-orders/board?due=at-risk&within=PT2H')).body)).toEqual([D]);
    expect(ids((await get('/work-orders/board?station=dandong-station')).body)).toEqual([]);
    expect(ids((await get('/work-orders/board?status=reported')).body)).toEqual([D]);
  });

  it('limits the list and the board to a principal\'s stations, and the orders it reported before any dispatch', async () => {
    const agent = { token: tokens['dalianAgent']! };
    expect(ids((await get('/work-orders', agent)).body)).toEqual([D, C, E]);
    expect(ids((await get('/work-orders/board', agent)).body)).toEqual([C, D]);
    expect(ids((await get('/work-orders?station=dandong-station', agent)).body)).toEqual([]);
    const supervisor = { token: tokens['dalianSupervisor']! };
    // The supervisor of Dalian did not report D: Dalian's orders only.
    expect(ids((await get('/work-orders', supervisor)).body)).toEqual([C, E]);
  });

  it('serves engineer performance per period, with the service network\'s names and the totals', async () => {
    const stats = await get('/stats/engineers?interval=month', { role: 'analyst' });
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ interval: 'month', from: null, to: null, asOf: null });
    expect(stats.body.rows.map((row: Record<string, unknown>) => [row['period'], row['station'], row['engineerId'], row['engineerName'], row['orders'], row['open'], row['completed'], row['firstTimeFixPercent']])).toEqual([
      ['2026-03-01', 'dalian-station', 'eng-liu', '刘工', 2, 1, 1, 100],
      ['2026-03-01', 'dandong-station', 'eng-wang', '王工', 2, 0, 1, 100],
      ['2026-03-01', 'dandong-station', 'eng-zhao', '赵工', 1, 0, 1, 100],
      ['2026-03-01', 'unassigned', 'unassigned', null, 1, 1, 0, null],
    ]);
    const wang = stats.body.rows[1];
    expect(wang).toMatchObject({ cancelled: 1, onSiteMet: 1, onSiteCompliancePercent: 100, surveysSent: 1, surveysAnswered: 1, surveyResponsePercent: 100, meanSatisfaction: 4.5 });
    expect(wang.timeToArriveHours).toEqual({ mean: 18, p50: expect.any(Number), p90: expect.any(Number) });
    expect(stats.body.rows[0]).toMatchObject({ fixedRemotely: 1, visits: 0 });
    expect(stats.body.totals).toMatchObject({ orders: 6, open: 2, completed: 3, cancelled: 1 });
    const one = await get('/stats/engineers?interval=day&engineer=eng-zhao&from=2026-03-02&to=2026-03-03', { role: 'analyst' });
    expect(one.body.rows.map((row: { period: string; orders: number }) => [row.period, row.orders])).toEqual([['2026-03-02', 1]]);
    // An engineer id is the directory's in any letter case (principalKey): the same figures, the id as the directory writes it.
    const shouted = await get('/stats/engineers?interval=day&engineer=ENG-ZHAO&from=2026-03-02&to=2026-03-03', { role: 'analyst' });
    expect(shouted.body.rows).toEqual(one.body.rows);
    expect(shouted.body.rows[0].engineerId).toBe('eng-zhao');
  });

  it('finds an engineer\'s surveys by any letter case of the directory\'s id', async () => {
    const theirs = await get('/surveys?engineer=eng-wang', { role: 'analyst' });
    expect(theirs.status).toBe(200);
    expect(theirs.body.items.length).toBeGreaterThan(0);
    // Full width and invisible characters too: folded (PrincipalIdFilter) before the id is checked.
    for (const spelling of ['ENG-WANG', 'Eng-Wang', 'ＥＮＧ－ＷＡＮＧ', 'ｅｎｇ-ｗａｎｇ\u200b']) {
      const found = await get(`/surveys?engineer=${encodeURIComponent(spelling)}`, { role: 'analyst' });
      expect({ spelling, status: found.status }).toEqual({ spelling, status: 200 });
      expect(found.body.items).toEqual(theirs.body.items);
    }
    expect((await get('/surveys?engineer=ENG-NOBODY', { role: 'analyst' })).body.items).toEqual([]);
  });

  it('finds a station\'s work orders, board, statistics and surveys by its code in any letter case or width, as dispatch reads it', async () => {
    // Each route with a station that has rows in it: Dalian's order is the open one on the board, Dandong's the surveyed one.
    const routes: Array<[string, string]> = [
      ['/work-orders?station=', 'dandong-station'], ['/work-orders/board?station=', 'dalian-station'], ['/stats/engineers?interval=quarter&station=', 'dandong-station'],
      ['/stats/stations?interval=quarter&station=', 'dalian-station'], ['/stats/repair-fees?interval=month&station=', 'dandong-station'], ['/surveys?station=', 'dandong-station'],
    ];
    const fullWidth = (code: string) => code.replace(/[!-~]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
    for (const [path, code] of routes) {
      const exact = await get(`${path}${code}`, { role: 'supervisor' });
      expect({ path, status: exact.status }).toEqual({ path, status: 200 });
      expect({ path, found: (exact.body.items ?? exact.body.rows).length > 0 }).toEqual({ path, found: true });
      for (const spelling of [code.toUpperCase(), `${code[0]!.toUpperCase()}${code.slice(1)}`, fullWidth(code.toUpperCase()), `${code}\u200b`]) {
        const folded = await get(`${path}${encodeURIComponent(spelling)}`, { role: 'supervisor' });
        expect({ path, spelling, status: folded.status }).toEqual({ path, spelling, status: 200 });
        // The SLA monitor may record the open order's on-site breach meanwhile (a busy machine): the folded
        // answer is the exact one as it stood just before or just after it.
        const after = await get(`${path}${code}`, { role: 'supervisor' });
        const same = [exact.body, after.body].some((body) => JSON.stringify(body) === JSON.stringify(folded.body));
        expect({ path, spelling, body: same ? exact.body : folded.body }).toEqual({ path, spelling, body: exact.body });
      }
    }
    // A principal limited to Dalian names its station in any case too, and still not another one.
    const supervisor = { token: tokens['dalianSupervisor']! };
    const mine = await get('/stats/stations?interval=quarter&station=DALIAN-STATION', supervisor);
    expect(mine.status).toBe(200);
    expect(mine.body.rows.map((row: { station: string }) => row.station)).toEqual(['dalian-station']);
    expect(ids((await get('/work-orders?station=Dalian-Station', supervisor)).body)).toEqual([C, E]);
    expect((await get('/stats/stations?station=DANDONG-STATION', supervisor)).status).toBe(403);
    // A code no unit has finds nothing, as before.
    expect(ids((await get('/work-orders?station=NOWHERE-STATION')).body)).toEqual([]);
  });

  it('finds a department\'s complaints, SLA clocks, surveys and survey statistics by its code in any letter case or width, as the station filters do', async () => {
    // Found by the attacker: ?department= compared exactly, while ?station= and dispatch read a unit's code letter case aside.
    const received = await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    await app().request('POST', `/complaints/${received.body.id}/validate`, { role: 'supervisor', body: { reason: '计量有误' } });
    const assigned = await app().request('POST', `/complaints/${received.body.id}/assign`, { role: 'supervisor', body: { department: 'dalian-station', assignee: 'eng-liu' } });
    expect(assigned.status).toBe(200);
    const since = `minPosition=${assigned.body.position}`;
    const routes: Array<[string, string]> = [
      ['/complaints?department=', 'dalian-station'], ['/sla/at-risk?within=P7D&department=', 'dalian-station'], ['/sla/breaches?department=', 'dalian-station'],
      ['/surveys?department=', 'dandong-station'], ['/stats/surveys?interval=quarter&department=', 'dandong-station'],
    ];
    const fullWidth = (code: string) => code.replace(/[!-~]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
    for (const [path, code] of routes) {
      const exact = await app().request('GET', `${path}${code}&${since}`, { role: 'supervisor' });
      expect({ path, status: exact.status }).toEqual({ path, status: 200 });
      if (!path.startsWith('/sla/breaches')) expect({ path, found: (exact.body.items ?? exact.body.rows).length > 0 }).toEqual({ path, found: true });
      for (const spelling of [code.toUpperCase(), `${code[0]!.toUpperCase()}${code.slice(1)}`, fullWidth(code.toUpperCase()), `${code}\u200b`]) {
        const folded = await app().request('GET', `${path}${encodeURIComponent(spelling)}&${since}`, { role: 'supervisor' });
        expect({ path, spelling, status: folded.status }).toEqual({ path, spelling, status: 200 });
        const { measuredAt: _exactAt, ...exactBody } = exact.body;
        const { measuredAt: _foldedAt, ...foldedBody } = folded.body;
        expect({ path, spelling, body: foldedBody }).toEqual({ path, spelling, body: exactBody });
      }
    }
    // A principal limited to Dalian names its department in any case too, and still not another one.
    const supervisor = { token: tokens['dalianSupervisor']! };
    const mine = await app().request('GET', `/sla/at-risk?within=P7D&department=DALIAN-STATION&${since}`, supervisor);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((item: { complaintId: string }) => item.complaintId)).toContain(received.body.id);
    expect((await app().request('GET', `/sla/at-risk?department=DANDONG-STATION&${since}`, supervisor)).status).toBe(403);
    expect((await app().request('GET', `/stats/surveys?department=Dandong-Station&${since}`, supervisor)).status).toBe(403);
    // A code no unit has finds nothing, as before.
    expect((await app().request('GET', `/complaints?department=NOWHERE&${since}`, { role: 'supervisor' })).body.items).toEqual([]);
  });

  it('serves station statistics and warranty against chargeable work with the fees in integer minor units', async () => {
    const stations = await get('/stats/stations?interval=quarter', { role: 'auditor' });
    expect(stations.body.rows.map((row: Record<string, any>) => [row['period'], row['station'], row['stationName']?.en ?? null, row['orders']])).toEqual([ // eslint-disable-line @typescript-eslint/no-explicit-any
      ['2026-01-01', 'dalian-station', 'Dalian service station', 2], ['2026-01-01', 'dandong-station', 'Dandong service station', 3], ['2026-01-01', 'unassigned', null, 1],
    ]);
    const fees = await get('/stats/repair-fees?interval=month', { role: 'analyst' });
    expect(fees.status).toBe(200);
    expect(fees.body.rows.map((row: Record<string, unknown>) => [row['station'], row['closed'], row['repaired'], row['warranty'], row['chargeable'], row['fixedRemotely'], row['fees']])).toEqual([
      ['dalian-station', 1, 0, 0, 0, 1, []],
      ['dandong-station', 2, 2, 1, 1, 0, [{ currency: 'CNY', minorUnits: 78_000, amount: '780.00', count: 1 }]],
    ]);
    expect(fees.body.rows[1]).toMatchObject({ warrantyPercent: 50, chargeablePercent: 50, verdicts: { 'in-warranty': 1, expired: 1, none: 0 }, confirmedQuotes: [{ currency: 'CNY', minorUnits: 78_000 }] });
    expect(fees.body.totals.fees).toEqual([{ currency: 'CNY', minorUnits: 78_000, amount: '780.00', count: 1 }]);
    // By day: the fee and the charged hand-over on the day of the report, the free hand-over the next morning.
    const days = await get('/stats/repair-fees?interval=day&station=dandong-station', { role: 'analyst' });
    expect(days.body.rows.map((row: { period: string; warranty: number; chargeable: number }) => [row.period, row.warranty, row.chargeable])).toEqual([['2026-03-02', 0, 1], ['2026-03-03', 1, 0]]);
  });

  it('limits the statistics to a principal\'s stations and refuses another station', async () => {
    const supervisor = { token: tokens['dalianSupervisor']! };
    for (const path of ['/stats/engineers', '/stats/stations', '/stats/repair-fees']) {
      const mine = await get(path, supervisor);
      expect({ path, status: mine.status }).toEqual({ path, status: 200 });
      expect(new Set(mine.body.rows.map((row: { station: string }) => row.station))).toEqual(new Set(['dalian-station']));
      const other = await get(`${path}?station=dandong-station`, supervisor);
      expect(other.status).toBe(403);
      expect(other.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('lets agents read the list and the board but not the statistics', async () => {
    for (const path of ['/stats/engineers', '/stats/stations', '/stats/repair-fees']) expect({ path, status: (await get(path, { role: 'agent' })).status }).toEqual({ path, status: 403 });
    for (const path of ['/work-orders', '/work-orders/board']) expect({ path, status: (await get(path, { role: 'agent' })).status }).toEqual({ path, status: 200 });
  });

  it('shows who decided what on a repair in the audit decisions, in Chinese and English', async () => {
    const decisions = await app().request('GET', `/audit/decisions?workOrderId=${B}&minPosition=${position}`, { role: 'auditor' });
    expect(decisions.status).toBe(200);
    expect(decisions.body.items.map((decision: { type: string }) => decision.type)).toContain('WorkOrderFeeCharged');
    const dispatched = await app().request('GET', '/audit/decisions?type=WorkOrderDispatched&actor=supervisor-1', { role: 'auditor' });
    expect(dispatched.body.items.length).toBe(5);
    expect(dispatched.body.items[0]).toMatchObject({ stream: `work-order-${C}`, workOrderId: C, complaintId: null, decision: { 'zh-CN': expect.stringContaining('派单至 大连服务站'), en: expect.stringContaining('刘工') } });
    const products = await app().request('GET', '/audit/decisions?type=ProductRegistered', { role: 'auditor' });
    expect(products.body.items.map((decision: { stream: string }) => decision.stream).sort()).toEqual(['product-TQ2240-000002', 'product-TQ2240-000731']);
  });

  it('documents each route in the OpenAPI description with the schema of its answer', async () => {
    const document = (await app().request('GET', '/docs-json', { role: null })).body;
    for (const [path, schema] of [
      ['/work-orders', 'WorkOrderPageDto'], ['/work-orders/board', 'BoardPageDto'], ['/stats/engineers', 'EngineerStatsDto'], ['/stats/stations', 'StationStatsDto'], ['/stats/repair-fees', 'RepairFeesDto'],
    ] as const) {
      expect({ path, schema: document.paths[path].get.responses['200'].content['application/json'].schema.$ref }).toEqual({ path, schema: `#/components/schemas/${schema}` });
    }
    // The schemas name exactly the fields the answers have.
    const fields = (schema: string) => Object.keys(document.components.schemas[schema].properties).sort();
    expect(Object.keys((await get('/work-orders')).body.items[0]).sort()).toEqual(fields('WorkOrderSummaryDto'));
    expect(Object.keys((await get('/work-orders/board')).body.items[0]).sort()).toEqual(fields('BoardItemDto'));
    expect(Object.keys((await get('/work-orders/board')).body).sort()).toEqual(fields('BoardPageDto'));
    for (const [path, row, whole] of [['/stats/engineers', 'EngineerStatsRowDto', 'EngineerStatsDto'], ['/stats/stations', 'StationStatsRowDto', 'StationStatsDto'], ['/stats/repair-fees', 'RepairFeesRowDto', 'RepairFeesDto']] as const) {
      const body = (await get(path, { role: 'analyst' })).body;
      expect({ path, fields: Object.keys(body).sort() }).toEqual({ path, fields: fields(whole) });
      expect({ path, fields: Object.keys(body.rows[0]).sort() }).toEqual({ path, fields: fields(row) });
    }
  });

  it.each([
    '/work-orders?status=lost', '/work-orders?priority=urgent', '/work-orders?serialNumber=%2Fslash-first', '/work-orders?from=yesterday', '/work-orders?limit=500',
    '/work-orders?station=a%20b', '/work-orders/board?due=soon', '/work-orders/board?within=2h', '/work-orders/board?within=P400D', '/work-orders/board?status=closed',
    '/stats/engineers?interval=decade', '/stats/stations?from=2026-02-30', '/stats/repair-fees?from=2026-03-02&to=2026-03-01', '/stats/engineers?unknown=1',
  ])('refuses %s with a problem', async (path) => {
    const response = await app().request('GET', path, { role: 'admin' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('serves every after-sales read model as it stood at a moment with asOf', async () => {
    const { replayUntil } = await import('../../apps/cli/src/commands');
    const { SqliteEventStore } = await import('@app/event-store');
    const { SqliteReadStore } = await import('@app/read-store');
    const events = new SqliteEventStore({ filename: join(app().dataDir, 'events.sqlite') });
    const readStore = new SqliteReadStore({ filename: join(app().dataDir, 'read.sqlite') });
    await replayUntil(events, readStore, { position: beforeD }, 'before-d');
    await events.close();
    await readStore.close();
    expect(ids((await get('/work-orders?asOf=before-d')).body)).toEqual([C, F, B, E, A]);
    expect(ids((await get('/work-orders/board?asOf=before-d')).body)).toEqual([C]);
    expect((await get('/stats/stations?interval=year&asOf=before-d', { role: 'analyst' })).body.totals.orders).toBe(5);
    expect((await get('/stats/engineers?interval=year&asOf=before-d', { role: 'analyst' })).body.rows.map((row: { engineerId: string }) => row.engineerId)).not.toContain('unassigned');
    expect((await get('/stats/repair-fees?interval=year&asOf=before-d', { role: 'analyst' })).body.totals.fees[0].amount).toBe('780.00');
    expect((await get('/stats/repair-fees?asOf=never-built', { role: 'analyst' })).status).toBe(404);
  });
});
