import type { WorkOrderEvent } from '@app/domain';
import { generationOf, type Projection } from '@app/projections';
import { project, recordedEvents, type InMemoryProjectionContext } from '@app/projections/testing';
import { InvalidQueryError, SqliteReadStore, generationCollection } from '@app/read-store';
import { auditDecisionsProjection, decisionOf, streamOfStored, type StoredDecision } from './decisions/audit-decisions.projection';
import { ReadModelReader } from './read-model-reader';
import { REPAIR_FEES, repairFeesProjection, type RepairFeesBucket } from './repair-fees/repair-fees.projection';
import { RepairFeesQuery } from './repair-fees/repair-fees.query';
import { REPAIR_HISTORY, repairHistoryProjection, type CustomerRepairSummary, type RepairRecord } from './repair-history/repair-history.projection';
import { RepairHistoryQuery } from './repair-history/repair-history.query';
import { REPAIR_STATS, repairStatsProjection, type RepairStatsBucket } from './repair-stats/repair-stats.projection';
import { RepairStatsQuery } from './repair-stats/repair-stats.query';
import { WorkOrderSlaMonitor, type WorkOrderBreachRecorder } from './work-order-sla/work-order-sla.monitor';
import { WORK_ORDER_SLA, workOrderSlaProjection, type WorkOrderClockDocument } from './work-order-sla/work-order-sla.projection';
import { WorkOrderSlaQuery } from './work-order-sla/work-order-sla.query';
import { WORK_ORDER_LIST, workOrderListProjection, type StoredWorkOrder } from './work-orders/work-order-list.projection';
import { WorkOrderListQuery } from './work-orders/work-order-list.query';
import {
  at, cny, coveredProduct, expiredProduct, freeRepair, partlyCoveredProduct, productRegistered, serviceNetworkHistory, workOrder,
} from './testing';

const A = 'a0000000-0000-4000-8000-000000000001';
const B = 'b0000000-0000-4000-8000-000000000002';
const C = 'c0000000-0000-4000-8000-000000000003';
const DAY = at(0).slice(0, 10);

/** The documents of projections, committed into an in-memory SQLite read store as their live generations: what their queries read. */
async function storeOf(projections: Projection | Projection[], events: ReadonlyArray<{ type: string; data: object }>): Promise<{ reader: ReadModelReader; close: () => Promise<void> }> {
  const list = Array.isArray(projections) ? projections : [projections];
  const store = new SqliteReadStore({ filename: ':memory:' });
  for (const projection of list) {
    const context = await project(projection, events);
    const generation = generationOf(projection);
    await store.ensureCollections(projection.collections.map((spec) => ({ ...spec, name: generationCollection(generation, spec.name) })));
    const changes = projection.collections.flatMap((spec) => context.all(spec.name).map((document) => ({ kind: 'put' as const, collection: generationCollection(generation, spec.name), document })));
    await store.commit(generation, changes, 1);
    await store.activateGeneration(projection.name, generation);
  }
  return { reader: new ReadModelReader(store, list), close: () => store.close() };
}

const order = async (events: WorkOrderEvent[], id = A) => (await project(workOrderListProjection, events)).get<StoredWorkOrder>('orders', id);

describe('work-order list and dispatch board', () => {
  it('follows a free repair from the report to the hand-over', async () => {
    const stored = await order(freeRepair(A));
    expect(stored).toMatchObject({
      status: 'closed', open: false, stationCode: 'dandong-station', stationName: { 'zh-CN': '丹东服务站' }, engineerId: 'eng-wang', engineerName: '王工',
      firstContactAt: at(45), arrivedAt: at(18 * 60), warrantyVerdict: 'in-warranty', outcome: 'repaired', closedAt: at(20 * 60), fee: null, breaches: [],
      // After the hand-over only the survey clock waits: 48 h.
      nextDeadlineClock: 'survey', nextDeadlineAt: at(20 * 60 + 48 * 60), revision: 9, visibleTo: 'department:dandong-station',
    });
  });

  it('puts an open order on the board with its next deadline, takes it off at the hand-over and back on at a reopen', async () => {
    const o = workOrder(A);
    const reported = await project(workOrderListProjection, [o.reported]);
    expect(reported.get<StoredWorkOrder>('board', A)).toMatchObject({ status: 'reported', nextDeadlineClock: 'first-contact', nextDeadlineAt: at(120), visibleTo: 'received-by:agent-1' });
    const contacted = await project(workOrderListProjection, [o.reported, o.dispatched(20), o.contacted(30)]);
    expect(contacted.get<StoredWorkOrder>('board', A)).toMatchObject({ status: 'dispatched', nextDeadlineClock: 'on-site', nextDeadlineAt: at(24 * 60), visibleTo: 'department:dandong-station' });
    const closed = await project(workOrderListProjection, freeRepair(A));
    expect(closed.get('board', A)).toBeUndefined();
    const reopened = await project(workOrderListProjection, [...freeRepair(A), o.reopened(5 * 24 * 60, 2, 20 * 60)]);
    expect(reopened.get<StoredWorkOrder>('board', A)).toMatchObject({
      status: 'dispatched', cycle: 2, reopenCount: 1, arrivedAt: null, closedAt: null, outcome: null, warrantyVerdict: null,
      nextDeadlineClock: 'on-site', nextDeadlineAt: at(6 * 24 * 60),
    });
  });

  it('takes a cancelled order off the board with no deadline left', async () => {
    const o = workOrder(A);
    const context = await project(workOrderListProjection, [o.reported, o.dispatched(20), o.cancelled(30)]);
    expect(context.get('board', A)).toBeUndefined();
    expect(context.get<StoredWorkOrder>('orders', A)).toMatchObject({ status: 'cancelled', open: false, cancelledAt: at(30), nextDeadlineAt: null, nextDeadlineClock: null });
  });

  it('marks a late arrival and a recorded breach, and keeps the overdue clock as the next deadline until its step comes', async () => {
    const o = workOrder(A);
    const late = await order([o.reported, o.dispatched(20), o.breached('first-contact', 121), o.arrived(30 * 60)]);
    expect(late).toMatchObject({ breaches: ['first-contact', 'on-site'], nextDeadlineClock: 'completion', firstContactAt: at(30 * 60) });
    const waiting = await project(workOrderListProjection, [o.reported, o.breached('first-contact', 121)]);
    expect(waiting.get<StoredWorkOrder>('board', A)).toMatchObject({ breaches: ['first-contact'], nextDeadlineClock: 'first-contact', nextDeadlineAt: at(120) });
  });

  it('keeps the quote, the chargeable work and the fee of a repair out of warranty', async () => {
    const o = workOrder(A);
    const stored = await order([
      o.reported, o.dispatched(20), o.arrived(600), ...o.findings(630, 'product-defect', expiredProduct()), o.quoted(640, cny(78_000)), o.confirmed(650, cny(78_000)),
      o.work(700, true), o.fee(720, cny(70_000)),
    ]);
    expect(stored).toMatchObject({ status: 'on-site', warrantyVerdict: 'expired', quote: { number: 1, total: cny(78_000), status: 'confirmed' }, chargeableWork: true, fee: cny(70_000) });
  });

  it('lists newest first with filters, a product serial in any case, and a reader limited to stations; the board soonest first with markers', async () => {
    const a = workOrder(A, { customerId: 'cust-a' });
    const b = workOrder(B, { customerId: 'cust-b', minutes: 60, serialNumber: 'TQ2240-000999' });
    const c = workOrder(C, { customerId: 'cust-c', minutes: 120, reportedBy: { id: 'ops.agent', role: 'agent' } });
    const { reader, close } = await storeOf(workOrderListProjection, [
      a.reported, a.dispatched(20), b.reported, b.dispatched(70, 'dalian-station', 'eng-liu'), b.arrived(100, 1, 'eng-liu'), c.reported,
    ]);
    const query = new WorkOrderListQuery(reader);
    const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id);
    expect(ids(await query.list({}, { limit: 10 }))).toEqual([C, B, A]);
    expect(ids(await query.list({ productSerial: ' tq2240-000999 ' }, { limit: 10 }))).toEqual([B]);
    expect(ids(await query.list({ stationCode: 'dandong-station' }, { limit: 10 }))).toEqual([A]);
    expect(ids(await query.list({ from: at(60), to: at(120) }, { limit: 10 }))).toEqual([B]);
    const first = await query.list({}, { limit: 2 });
    expect(ids(await query.list({}, { limit: 2, cursor: first.nextCursor! }))).toEqual([A]);
    // ops.agent of Dandong sees Dandong's order and the one it reported, not yet dispatched.
    expect(ids(await query.list({}, { limit: 10 }, undefined, { actorId: 'ops.agent', scope: ['dandong-station'] }))).toEqual([C, A]);
    expect((await query.list({}, { limit: 10 })).items[0]).not.toHaveProperty('clocks');

    const now = new Date(at(150));
    const board = await query.board({}, { limit: 10 }, now, 2 * 3_600_000);
    // C waits for its first contact (due at 240), A for its (due at 120: overdue), B arrived: its completion is due at 60 + 72 h.
    expect(board.items.map((item) => [item.id, item.nextDeadlineClock, item.overdue, item.atRisk, item.breached])).toEqual([
      [A, 'first-contact', true, false, true], [C, 'first-contact', false, true, false], [B, 'completion', false, false, false],
    ]);
    expect(board.items[0]!.deadlines.map((deadline) => deadline.clock)).toEqual(['first-contact', 'on-site', 'completion']);
    expect(board.items[0]!.dueInMs).toBe(-30 * 60_000);
    // The same in hours, one decimal, as the statistics give theirs; null where there is no deadline.
    expect(board.items.map((item) => [item.dueInMs, item.dueInHours])).toEqual([[-30 * 60_000, -0.5], [90 * 60_000, 1.5], [(60 + 72 * 60 - 150) * 60_000, 70.5]]);
    expect(ids(await query.board({ due: 'overdue' }, { limit: 10 }, now, 2 * 3_600_000))).toEqual([A]);
    expect(ids(await query.board({ due: 'at-risk' }, { limit: 10 }, now, 2 * 3_600_000))).toEqual([C]);
    expect(ids(await query.board({ engineerId: 'eng-liu' }, { limit: 10 }, now, 2 * 3_600_000))).toEqual([B]);
    await close();
  });

  // ?station=unassigned (and ?engineer=) was compared with the stored value, which is null until the dispatch: an empty page.
  it('finds the orders not yet dispatched by the word unassigned, in the list and on the board, within what a limited reader sees', async () => {
    const a = workOrder(A, { customerId: 'cust-a' });
    const b = workOrder(B, { customerId: 'cust-b', minutes: 60 });
    const c = workOrder(C, { customerId: 'cust-c', minutes: 120, reportedBy: { id: 'ops.agent', role: 'agent' } });
    const { reader, close } = await storeOf(workOrderListProjection, [a.reported, a.dispatched(20), b.reported, c.reported]);
    try {
      const query = new WorkOrderListQuery(reader);
      const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id);
      const now = new Date(at(150));
      expect(ids(await query.list({ stationCode: 'unassigned' }, { limit: 10 }))).toEqual([C, B]);
      expect(ids(await query.list({ engineerId: 'unassigned' }, { limit: 10 }))).toEqual([C, B]);
      expect(ids(await query.board({ stationCode: 'unassigned' }, { limit: 10 }, now, 2 * 3_600_000)).sort()).toEqual([B, C]);
      expect(ids(await query.board({ engineerId: 'unassigned' }, { limit: 10 }, now, 2 * 3_600_000)).sort()).toEqual([B, C]);
      const first = await query.list({ stationCode: 'unassigned' }, { limit: 1 });
      expect(ids(await query.list({ stationCode: 'unassigned' }, { limit: 1, cursor: first.nextCursor! }))).toEqual([B]);
      // ops.agent of Dandong: among the orders not yet dispatched, only the one it reported; its station's dispatched order is not one of them.
      const opsAgent = { actorId: 'ops.agent', scope: ['dandong-station'] };
      expect(ids(await query.list({ stationCode: 'unassigned' }, { limit: 10 }, undefined, opsAgent))).toEqual([C]);
      expect(ids(await query.board({ engineerId: 'unassigned' }, { limit: 10 }, now, 2 * 3_600_000, undefined, opsAgent))).toEqual([C]);
    } finally {
      await close();
    }
  });
});

describe('work-order SLA clocks', () => {
  const clocks = async (events: WorkOrderEvent[]) => (await project(workOrderSlaProjection, events)).all<WorkOrderClockDocument>('clocks');
  const clock = async (events: WorkOrderEvent[], id: string) => (await project(workOrderSlaProjection, events)).get<WorkOrderClockDocument>('clocks', id);

  it('starts first contact, on-site and completion at the report from the captured terms', async () => {
    const o = workOrder(A);
    expect((await clocks([o.reported])).map((document) => [document.id, document.status, document.deadline])).toEqual([
      [`${A}:first-contact:1`, 'running', at(120)], [`${A}:on-site:1`, 'running', at(24 * 60)], [`${A}:completion:1`, 'running', at(72 * 60)],
    ]);
  });

  it('counts an arrival exactly at the deadline as met and a later one as breached, with how late', async () => {
    const o = workOrder(A);
    expect(await clock([o.reported, o.dispatched(20), o.arrived(24 * 60)], `${A}:on-site:1`)).toMatchObject({ status: 'met', breached: false, metAt: at(24 * 60), overdueMs: null });
    expect(await clock([o.reported, o.dispatched(20), o.arrived(25 * 60)], `${A}:on-site:1`)).toMatchObject({ status: 'breached', breached: true, overdueMs: 60 * 60_000 });
  });

  it('meets the on-site clock with a remote fix, and first contact with the diagnosis', async () => {
    const o = workOrder(A);
    const documents = await clocks([o.reported, o.dispatched(20), o.diagnosed(40, 'fixed-remotely')]);
    expect(documents.find((document) => document.clock === 'on-site')).toMatchObject({ status: 'met', metAt: at(40) });
    expect(documents.find((document) => document.clock === 'first-contact')).toMatchObject({ status: 'met', metAt: at(40) });
  });

  it('marks a clock breached when the monitor records it, keeps it breached when the step comes, and ignores a breach of another cycle', async () => {
    const o = workOrder(A);
    const recorded = [o.reported, o.dispatched(20), o.breached('on-site', 24 * 60 + 1)];
    expect(await clock(recorded, `${A}:on-site:1`)).toMatchObject({ status: 'breached', metAt: null, breachRecordedAt: at(24 * 60 + 1) });
    expect(await clock([...recorded, o.arrived(26 * 60)], `${A}:on-site:1`)).toMatchObject({ status: 'breached', metAt: at(26 * 60), overdueMs: 2 * 60 * 60_000 });
    expect(await clock([o.reported, o.breached('on-site', 24 * 60 + 1, 2)], `${A}:on-site:1`)).toMatchObject({ status: 'running', breachRecordedAt: null });
  });

  it('starts the survey clock at the hand-over, none after a refused quote, and cancels every running clock of a cancelled order', async () => {
    const o = workOrder(A);
    expect(await clock(freeRepair(A), `${A}:survey:1`)).toMatchObject({ status: 'running', startedAt: at(20 * 60), deadline: at(20 * 60 + 48 * 60) });
    expect(await clock([...freeRepair(A), o.surveySent(21 * 60)], `${A}:survey:1`)).toMatchObject({ status: 'met', metAt: at(21 * 60) });
    const refused = [o.reported, o.dispatched(20), o.arrived(600), ...o.findings(630, 'product-defect', expiredProduct()), o.quoted(640, cny(1000)), o.refused(650, cny(1000)), o.closed(651, 'quote-refused')];
    expect((await clocks(refused)).map((document) => document.clock)).not.toContain('survey');
    const cancelled = await clocks([o.reported, o.dispatched(20), o.cancelled(30)]);
    expect(cancelled.map((document) => [document.clock, document.status])).toEqual([['first-contact', 'cancelled'], ['on-site', 'cancelled'], ['completion', 'cancelled']]);
  });

  it('gives a repeat repair clocks of its own cycle and retires the survey clock still running', async () => {
    const o = workOrder(A);
    const documents = await clocks([...freeRepair(A), o.reopened(3 * 24 * 60, 2, 20 * 60)]);
    expect(documents.map((document) => [document.id, document.status])).toEqual([
      [`${A}:first-contact:1`, 'met'], [`${A}:on-site:1`, 'met'], [`${A}:completion:1`, 'met'], [`${A}:survey:1`, 'cancelled'],
      [`${A}:on-site:2`, 'running'], [`${A}:completion:2`, 'running'],
    ]);
    expect(documents.find((document) => document.id === `${A}:on-site:2`)).toMatchObject({ startedAt: at(3 * 24 * 60), deadline: at(4 * 24 * 60), cycle: 2 });
  });

  it('moves every running clock to the station and engineer of a redispatch', async () => {
    const o = workOrder(A);
    const documents = await clocks([o.reported, o.dispatched(20), o.dispatched(30, 'dalian-station', 'eng-liu', { stationCode: 'dandong-station', engineerId: 'eng-wang' })]);
    expect(new Set(documents.map((document) => `${document.stationCode}/${document.engineerId}/${document.visibleTo}`))).toEqual(new Set(['dalian-station/eng-liu/department:dalian-station']));
  });

  it('finds the running clocks past their deadline for the monitor, oldest first', async () => {
    const a = workOrder(A);
    const b = workOrder(B, { minutes: 30 });
    const { reader, close } = await storeOf(workOrderSlaProjection, [a.reported, b.reported, b.contacted(40), a.breached('first-contact', 121)]);
    const query = new WorkOrderSlaQuery(reader);
    // At 25 h: A's on-site (due 24 h) and B's (due 24.5 h) have passed; A's first contact is already recorded as breached.
    expect((await query.overdue(new Date(at(25 * 60)), 10)).map((document) => [document.workOrderId, document.clock])).toEqual([[A, 'on-site'], [B, 'on-site']]);
    expect((await query.atRisk(2 * 3_600_000, { limit: 10 }, new Date(at(23 * 60)))).items.map((document) => [document.workOrderId, document.clock])).toEqual([[A, 'on-site'], [B, 'on-site']]);
    expect((await query.breaches({ open: true }, { limit: 10 })).items.map((document) => document.id)).toEqual([`${A}:first-contact:1`]);
    expect((await query.clocksOf(B)).map((document) => document.clock)).toEqual(['first-contact', 'on-site', 'completion']);
    await close();
  });
});

describe('work-order SLA monitor', () => {
  const overdue = [
    { workOrderId: A, clock: 'on-site' as const, cycle: 1, deadline: at(24 * 60) },
    { workOrderId: B, clock: 'first-contact' as const, cycle: 1, deadline: at(120) },
  ];

  it('records a breach of every overdue clock through the recorder, and counts only those it recorded', async () => {
    const calls: string[] = [];
    const recorder: WorkOrderBreachRecorder = {
      record: async (workOrderId, clock, deadline, cycle) => {
        calls.push(`${workOrderId}:${clock}:${cycle}@${deadline}`);
        return workOrderId === B ? 'refused' : 'recorded';
      },
    };
    let asked: Date | undefined;
    const monitor = new WorkOrderSlaMonitor({ overdue: async (now) => ((asked = now), overdue) }, recorder, () => new Date(at(25 * 60)), { intervalMs: 1000 });
    expect(await monitor.check()).toBe(1);
    expect(asked?.toISOString()).toBe(at(25 * 60));
    expect(calls).toEqual([`${A}:on-site:1@${at(24 * 60)}`, `${B}:first-contact:1@${at(120)}`]);
  });

  it('passes a failure of the recorder on, and reports it when it runs on its timer', async () => {
    const failing: WorkOrderBreachRecorder = { record: async () => Promise.reject(new Error('store down')) };
    const monitor = new WorkOrderSlaMonitor({ overdue: async () => overdue }, failing, () => new Date(), { intervalMs: 5 });
    await expect(monitor.check()).rejects.toThrow('store down');
    const errors: unknown[] = [];
    const timed = new WorkOrderSlaMonitor({ overdue: async () => overdue }, failing, () => new Date(), { intervalMs: 5, onError: (error) => errors.push(error) });
    timed.start();
    await new Promise((resolve) => setTimeout(resolve, 40));
    await timed.stop();
    expect(errors.length).toBeGreaterThan(0);
  });
});

describe('repair statistics per engineer and station', () => {
  const bucket = async (events: ReadonlyArray<{ type: string; data: object }>, id: string) => (await project(repairStatsProjection, events)).get<RepairStatsBucket>('buckets', id);

  it('counts a repair fixed on the first visit, with its times, on-site compliance and satisfaction', async () => {
    const o = workOrder(A);
    const events = [...freeRepair(A), o.surveySent(21 * 60), o.surveyAnswered(22 * 60, [5, 4])];
    const engineer = await bucket(events, `engineer|dandong-station|eng-wang|${DAY}`);
    expect(engineer).toMatchObject({
      orders: 1, open: 0, completed: 1, firstTimeFix: 1, repeatRepairs: 0, visits: 1, onSiteMet: 1, onSiteBreached: 0, slaMet: 4, slaBreached: 0,
      surveysSent: 1, surveysAnswered: 1, satisfactionSum: 9, satisfactionCount: 2, arrival: { count: 1, sum: 18 * 3_600_000 }, completion: { count: 1, sum: 20 * 3_600_000 },
    });
    expect(await bucket(events, `station|dandong-station|dandong-station|${DAY}`)).toMatchObject({ orders: 1, firstTimeFix: 1 });
  });

  it('takes back the first-time fix of a repair that needed a second visit or came back within 30 days, and counts the repeat', async () => {
    const o = workOrder(A);
    const twoVisits = [o.reported, o.dispatched(20), o.failed(600, 1, 1200), o.arrived(1200, 2), ...o.findings(1230, 'product-defect', coveredProduct()), o.work(1260), o.tested(1270), o.signedOff(1280), o.closed(1290)];
    expect(await bucket(twoVisits, `engineer|dandong-station|eng-wang|${DAY}`)).toMatchObject({ completed: 1, firstTimeFix: 0, failedVisits: 1, visits: 1 });
    const repeat = [...freeRepair(A), o.reopened(10 * 24 * 60, 2, 20 * 60)];
    expect(await bucket(repeat, `engineer|dandong-station|eng-wang|${DAY}`)).toMatchObject({ completed: 1, firstTimeFix: 0, repeatRepairs: 1, open: 1 });
    const muchLater = [...freeRepair(A), o.reopened(40 * 24 * 60, 2, 20 * 60)];
    expect(await bucket(muchLater, `engineer|dandong-station|eng-wang|${DAY}`)).toMatchObject({ firstTimeFix: 0, repeatRepairs: 0 });
  });

  it('counts a remote fix as fixed the first time, with no time to arrive', async () => {
    const o = workOrder(A);
    const events = [o.reported, o.dispatched(20), o.diagnosed(40, 'fixed-remotely'), o.signedOff(50), o.closed(60, 'fixed-remotely')];
    expect(await bucket(events, `engineer|dandong-station|eng-wang|${DAY}`)).toMatchObject({ completed: 1, firstTimeFix: 1, fixedRemotely: 1, visits: 0, arrival: { count: 0 }, onSiteMet: 1 });
  });

  it('moves an order\'s whole contribution to the engineer of a redispatch, and keeps undispatched orders as unassigned', async () => {
    const o = workOrder(A);
    const context = await project(repairStatsProjection, [o.reported, o.dispatched(20), o.dispatched(30, 'dalian-station', 'eng-liu', { stationCode: 'dandong-station', engineerId: 'eng-wang' })]);
    expect(context.get<RepairStatsBucket>('buckets', `engineer|unassigned|unassigned|${DAY}`)).toMatchObject({ orders: 0, open: 0 });
    expect(context.get<RepairStatsBucket>('buckets', `engineer|dandong-station|eng-wang|${DAY}`)).toMatchObject({ orders: 0 });
    expect(context.get<RepairStatsBucket>('buckets', `engineer|dalian-station|eng-liu|${DAY}`)).toMatchObject({ orders: 1, open: 1 });
    expect(context.get<RepairStatsBucket>('buckets', `station|dalian-station|dalian-station|${DAY}`)).toMatchObject({ orders: 1 });
  });

  it('credits a visit, a failed visit and the time to arrive to the engineer who made them, whoever holds the order after a redispatch (v3)', async () => {
    const o = workOrder(A);
    const events = [
      o.reported, o.dispatched(20), o.failed(600, 1, 1200), o.arrived(1200, 2),
      o.dispatched(1300, 'dalian-station', 'eng-liu', { stationCode: 'dandong-station', engineerId: 'eng-wang' }), o.arrived(2000, 3, 'eng-liu'),
    ];
    const context = await project(repairStatsProjection, events);
    // Wang failed once and arrived once, first (1,200 minutes after the report); the order and its outcome moved to Liu.
    expect(context.get<RepairStatsBucket>('buckets', `engineer|dandong-station|eng-wang|${DAY}`)).toMatchObject({
      orders: 0, open: 0, visits: 1, failedVisits: 1, arrival: { count: 1, sum: 1200 * 60_000 },
    });
    expect(context.get<RepairStatsBucket>('buckets', `engineer|dalian-station|eng-liu|${DAY}`)).toMatchObject({ orders: 1, open: 1, visits: 1, failedVisits: 0, arrival: { count: 0 } });
    // A station's figures still move whole with the order.
    expect(context.get<RepairStatsBucket>('buckets', `station|dalian-station|dalian-station|${DAY}`)).toMatchObject({ orders: 1, visits: 2, failedVisits: 1, arrival: { count: 1 } });
    expect(context.get<RepairStatsBucket>('buckets', `station|dandong-station|dandong-station|${DAY}`)).toMatchObject({ orders: 0, visits: 0, failedVisits: 0, arrival: { count: 0 } });
    expect(context.snapshot()).toBe((await project(repairStatsProjection, events)).snapshot());
    // The engineer whose orders all moved on still has a row for the visits he made; the totals count each once.
    const { reader, close } = await storeOf(repairStatsProjection, [...serviceNetworkHistory(), ...events]);
    const engineers = await new RepairStatsQuery(reader).engineers({ interval: 'week' });
    expect(engineers.rows.map((row) => [row.engineerId, row.orders, row.visits, row.failedVisits])).toEqual([['eng-liu', 1, 1, 0], ['eng-wang', 0, 1, 1]]);
    expect(engineers.totals).toMatchObject({ orders: 1, visits: 2, failedVisits: 1 });
    await close();
  });

  it('counts the surveys of an order sent with POST /surveys (the survey aggregate) beside its own, and no complaint\'s survey', async () => {
    const o = workOrder(A);
    const desk = { id: 'agent-li', role: 'agent' };
    const sent = (surveyId: string, subject: { kind: string; id: string }, minutes: number) => ({
      stream: `survey-${surveyId}`, type: 'SatisfactionSurveySent',
      data: { surveyId, subject, customerId: 'cust-10086', channel: 'phone', questions: [], sentAt: at(minutes), expiresAt: at(minutes + 30 * 24 * 60), by: desk, department: null, stationCode: null, engineerId: null, cause: null, reason: null },
    });
    const answered = (surveyId: string, minutes: number, scores: number[]) => ({
      stream: `survey-${surveyId}`, type: 'SatisfactionSurveyAnswered',
      data: { surveyId, answeredAt: at(minutes), by: desk, answers: scores.map((score, index) => ({ questionId: `q${index}`, score, comment: null })), comment: null },
    });
    const cancelled = (surveyId: string, minutes: number) => ({ stream: `survey-${surveyId}`, type: 'SatisfactionSurveyCancelled', data: { surveyId, cancelledAt: at(minutes), by: desk, reason: '重复发送' } });
    const events = [
      ...freeRepair(A), o.surveySent(21 * 60), o.surveyAnswered(22 * 60, [5]),
      sent('s-1', { kind: 'work-order', id: A }, 23 * 60), answered('s-1', 24 * 60, [2, 3]),
      sent('s-2', { kind: 'work-order', id: A }, 25 * 60), cancelled('s-2', 26 * 60),
      sent('s-3', { kind: 'complaint', id: 'c-1' }, 27 * 60), answered('s-3', 28 * 60, [1]),
    ];
    const expected = { surveysSent: 3, surveysAnswered: 2, satisfactionSum: 10, satisfactionCount: 3 };
    expect(await bucket(events, `engineer|dandong-station|eng-wang|${DAY}`)).toMatchObject(expected);
    expect(await bucket(events, `station|dandong-station|dandong-station|${DAY}`)).toMatchObject(expected);
    // The same events twice give the same documents.
    expect((await project(repairStatsProjection, events)).snapshot()).toBe((await project(repairStatsProjection, events)).snapshot());
    // A redispatch afterwards moves the aggregate's surveys with the rest of the order.
    const moved = await project(repairStatsProjection, [...events, o.dispatched(30 * 60, 'dalian-station', 'eng-liu', { stationCode: 'dandong-station', engineerId: 'eng-wang' })]);
    expect(moved.get<RepairStatsBucket>('buckets', `engineer|dalian-station|eng-liu|${DAY}`)).toMatchObject(expected);
    expect(moved.get<RepairStatsBucket>('buckets', `engineer|dandong-station|eng-wang|${DAY}`)).toMatchObject({ surveysSent: 0, surveysAnswered: 0, satisfactionSum: 0 });
  });

  it('answers rows per period with the service network\'s names, the totals, and only the stations a reader may see', async () => {
    const a = workOrder(A);
    const b = workOrder(B, { minutes: 24 * 60 });
    const c = workOrder(C, { minutes: 2 * 24 * 60 });
    const { reader, close } = await storeOf(repairStatsProjection, [
      ...serviceNetworkHistory(), ...freeRepair(A), a.surveySent(21 * 60), a.surveyAnswered(22 * 60, [4]),
      b.reported, b.dispatched(24 * 60 + 10), b.arrived(24 * 60 + 30 * 60), c.reported, c.dispatched(2 * 24 * 60 + 5, 'dalian-station', 'eng-liu'),
    ]);
    const query = new RepairStatsQuery(reader);
    const engineers = await query.engineers({ interval: 'week' });
    expect(engineers.rows.map((row) => [row.period, row.engineerId, row.engineerName, row.station, row.orders, row.open, row.completed, row.firstTimeFixPercent, row.onSiteCompliancePercent]))
      .toEqual([['2026-03-02', 'eng-liu', '刘工', 'dalian-station', 1, 1, 0, null, null], ['2026-03-02', 'eng-wang', '王工', 'dandong-station', 2, 1, 1, 100, 50]]);
    const wang = engineers.rows[1]!;
    expect(wang.timeToArriveHours).toEqual({ mean: 24, p50: expect.any(Number), p90: expect.any(Number) });
    expect(Math.abs(wang.timeToArriveMs.p90! - 30 * 3_600_000) / (30 * 3_600_000)).toBeLessThan(0.01);
    expect(wang).toMatchObject({ surveysSent: 1, surveysAnswered: 1, surveyResponsePercent: 100, meanSatisfaction: 4 });
    expect(engineers.totals).toMatchObject({ orders: 3, open: 2, completed: 1 });
    const days = await query.stations({ interval: 'day' });
    expect(days.rows.map((row) => [row.period, row.station, row.stationName?.en, row.orders])).toEqual([
      ['2026-03-02', 'dandong-station', 'Dandong service station', 1], ['2026-03-03', 'dandong-station', 'Dandong service station', 1], ['2026-03-04', 'dalian-station', 'Dalian service station', 1],
    ]);
    expect((await query.stations({ interval: 'month', stations: ['dalian-station'] })).rows.map((row) => [row.station, row.orders])).toEqual([['dalian-station', 1]]);
    expect((await query.engineers({ interval: 'year', engineerId: 'eng-wang' })).rows.map((row) => row.orders)).toEqual([2]);
    expect((await query.stations({ interval: 'day', from: '2026-03-03', to: '2026-03-04' })).totals).toMatchObject({ orders: 1 });
    await close();
  });
});

describe('repair fees: warranty against chargeable work', () => {
  it('counts each repair\'s class on its hand-over day, fees on the day they were charged, and money per currency in minor units', async () => {
    const a = workOrder(A);
    const b = workOrder(B);
    const c = workOrder(C);
    const chargeable = [
      b.reported, b.dispatched(20), b.arrived(600), ...b.findings(630, 'product-defect', expiredProduct()), b.quoted(640, cny(78_000)), b.confirmed(650, cny(78_000)),
      b.work(700, true), b.fee(24 * 60 + 10, cny(70_050)), b.tested(24 * 60 + 20), b.signedOff(24 * 60 + 30), b.closed(24 * 60 + 40),
    ];
    const refused = [c.reported, c.dispatched(20), c.arrived(600), ...c.findings(630, 'product-defect', expiredProduct()), c.quoted(640, cny(5000)), c.refused(650, cny(5000)), c.closed(651, 'quote-refused')];
    const context = await project(repairFeesProjection, [...freeRepair(A), ...chargeable, ...refused, a.reopened(3 * 24 * 60, 2, 20 * 60)]);
    // T0 is 08:00 UTC: the free repair's hand-over (20 h later) and B's fee and hand-over fall on the next day.
    expect(context.get<RepairFeesBucket>('buckets', `dandong-station|${DAY}`)).toEqual({
      id: `dandong-station|${DAY}`, station: 'dandong-station', day: DAY, closed: 1, repaired: 0, warranty: 0, chargeable: 0, freeOutOfWarranty: 0, fixedRemotely: 0, quoteRefused: 1,
      verdicts: {}, fees: {}, confirmedQuotes: { CNY: { minorUnits: 78_000, count: 1 } },
    });
    expect(context.get<RepairFeesBucket>('buckets', 'dandong-station|2026-03-03')).toMatchObject({
      closed: 2, repaired: 2, chargeable: 1, warranty: 1, freeOutOfWarranty: 0, verdicts: { expired: 1, 'in-warranty': 1 }, fees: { CNY: { minorUnits: 70_050, count: 1 } }, confirmedQuotes: {},
    });
  });

  it('tells free work outside the warranty apart, and starts each repeat repair without the first one\'s facts', async () => {
    const a = workOrder(A);
    const goodwill = [
      a.reported, a.dispatched(20), a.arrived(600), ...a.findings(630, 'product-defect', expiredProduct()), a.quoted(640, cny(5000)), a.refused(650, cny(5000), true),
      a.work(700), a.tested(710), a.signedOff(720), a.closed(730),
    ];
    const context = await project(repairFeesProjection, [...goodwill, a.reopened(2 * 24 * 60, 2, 730), a.arrived(2 * 24 * 60 + 60, 2), a.signedOff(2 * 24 * 60 + 90), a.closed(2 * 24 * 60 + 100, 'repaired', 2)]);
    expect(context.get<RepairFeesBucket>('buckets', `dandong-station|${DAY}`)).toMatchObject({ repaired: 1, freeOutOfWarranty: 1, verdicts: { expired: 1 } });
    expect(context.get<RepairFeesBucket>('buckets', `dandong-station|2026-03-04`)).toMatchObject({ repaired: 1, freeOutOfWarranty: 1, verdicts: { none: 1 } });
  });

  it('sums per period and station, with decimal amounts beside the minor units, and the totals', async () => {
    const a = workOrder(A);
    const b = workOrder(B, { minutes: 24 * 60 });
    const chargeable = (o: typeof a, m: number, fee: number) => [
      o.reported, o.dispatched(m + 20), o.arrived(m + 600), ...o.findings(m + 630, 'product-defect', expiredProduct()), o.quoted(m + 640, cny(fee)), o.confirmed(m + 650, cny(fee)),
      o.work(m + 700, true), o.fee(m + 710, cny(fee)), o.tested(m + 720), o.signedOff(m + 730), o.closed(m + 740),
    ];
    const usd = workOrder(C, { minutes: 24 * 60 });
    const dollars = { currency: 'USD', minorUnits: 1999 };
    const { reader, close } = await storeOf([repairFeesProjection, repairStatsProjection], [
      ...serviceNetworkHistory(), ...chargeable(a, 0, 10_010), ...chargeable(b, 24 * 60, 20_020),
      usd.reported, usd.dispatched(24 * 60 + 20, 'dalian-station', 'eng-liu'), usd.arrived(24 * 60 + 600, 1, 'eng-liu'), ...usd.findings(24 * 60 + 630, 'customer-damage', partlyCoveredProduct()),
      usd.quoted(24 * 60 + 640, dollars), usd.confirmed(24 * 60 + 650, dollars), usd.work(24 * 60 + 700, true), usd.fee(24 * 60 + 710, dollars),
    ]);
    const query = new RepairFeesQuery(reader);
    const { rows, totals } = await query.fees({ interval: 'month' });
    expect(rows.map((row) => [row.period, row.station, row.repaired, row.chargeable, row.fees])).toEqual([
      ['2026-03-01', 'dalian-station', 0, 0, [{ currency: 'USD', minorUnits: 1999, amount: '19.99', count: 1 }]],
      ['2026-03-01', 'dandong-station', 2, 2, [{ currency: 'CNY', minorUnits: 30_030, amount: '300.30', count: 2 }]],
    ]);
    expect(rows[1]!.verdicts).toEqual({ 'in-warranty': 0, expired: 2, 'not-yet-in-force': 0, 'customer-damage': 0, 'not-registered': 0, none: 0 });
    expect(rows[1]!.chargeablePercent).toBe(100);
    expect(totals!.fees.map((total) => `${total.currency} ${total.amount}`)).toEqual(['CNY 300.30', 'USD 19.99']);
    expect((await query.fees({ interval: 'day', stations: ['dalian-station'] })).rows.map((row) => row.station)).toEqual(['dalian-station']);
    expect(rows[1]!.stationName).toEqual({ 'zh-CN': '丹东服务站', en: 'Dandong service station' });
    await close();
  });

  it('refuses, naming the field, a sum over the rows that would pass 2^53 minor units, and answers exactly the rows that stay below', async () => {
    const max = Number.MAX_SAFE_INTEGER;
    const charged = (o: ReturnType<typeof workOrder>, m: number, amount: number) => [
      o.reported, o.dispatched(m + 20), o.arrived(m + 600), ...o.findings(m + 630, 'product-defect', expiredProduct()), o.quoted(m + 640, cny(amount)), o.confirmed(m + 650, cny(amount)),
      o.work(m + 700, true), o.fee(m + 710, cny(amount)),
    ];
    // Events from before the bound on an amount (10^12 minor units): each day's bucket is still exact.
    const { reader, close } = await storeOf([repairFeesProjection, repairStatsProjection], [
      ...serviceNetworkHistory(), ...charged(workOrder(A), 0, max), ...charged(workOrder(B, { minutes: 24 * 60 }), 24 * 60, 1),
    ]);
    const query = new RepairFeesQuery(reader);
    await expect(query.fees({ interval: 'month' })).rejects.toThrow(InvalidQueryError);
    await expect(query.fees({ interval: 'day' })).rejects.toThrow(/fees in CNY of the rows asked for add up to 9007199254740992 minor units, past 9007199254740991/);
    const firstDay = await query.fees({ interval: 'day', to: '2026-03-03' });
    expect(firstDay.totals!.fees).toEqual([{ currency: 'CNY', minorUnits: max, amount: '90071992547409.91', count: 1 }]);
    await close();
  });
});

describe('the customer\'s repair history', () => {
  it('keeps each order with the outcome of each repair cycle, and the customer\'s counters', async () => {
    const a = workOrder(A, { customerId: 'cust-h' });
    const b = workOrder(B, { customerId: 'cust-h', minutes: 10 * 24 * 60 });
    const events = [
      ...freeRepair(A, { customerId: 'cust-h' }), a.surveySent(21 * 60), a.surveyAnswered(22 * 60, [2, 3]), a.reopened(5 * 24 * 60, 2, 20 * 60), a.dispatched(5 * 24 * 60 + 1),
      a.arrived(6 * 24 * 60 + 60, 2), b.reported, b.cancelled(10 * 24 * 60 + 5, 'reported'),
    ];
    const context = await project(repairHistoryProjection, events);
    expect(context.get<RepairRecord>('repairs', A)).toMatchObject({
      customerId: 'cust-h', status: 'on-site', cycles: [
        { cycle: 1, outcome: 'repaired', onSite: 'met', completion: 'met', warrantyVerdict: 'in-warranty', satisfaction: 2.5, arrivedAt: at(18 * 60) },
        { cycle: 2, outcome: null, onSite: 'breached', completion: null, arrivedAt: at(6 * 24 * 60 + 60) },
      ],
    });
    expect(context.get<CustomerRepairSummary>('customers', 'cust-h')).toEqual({
      id: 'cust-h', orders: 2, open: 1, repaired: 1, repeatRepairs: 1, cancelled: 1, quoteRefused: 0, onSiteBreached: 1, completionBreached: 0,
      surveysAnswered: 1, satisfactionCount: 2, satisfactionSum: 5,
    });

    const { reader, close } = await storeOf(repairHistoryProjection, events);
    const query = new RepairHistoryQuery(reader);
    expect(await query.summary('cust-h')).toMatchObject({ orders: 2, repeatRepairs: 1, meanSatisfaction: 2.5 });
    expect(await query.summary('nobody')).toBeUndefined();
    const repairs = await query.repairs('cust-h', { limit: 10 });
    expect(repairs.items.map((record) => record.id)).toEqual([B, A]);
    expect(repairs.items[0]).not.toHaveProperty('clocks');
    await close();
  });
});

describe('audit decisions of repairs', () => {
  it('records work-order, product and service-network decisions with their words and the work order', async () => {
    const o = workOrder(A);
    const network = serviceNetworkHistory();
    const events = [network[1]!, productRegistered('TQ2240-000731', 'cust-001'), o.reported, o.dispatched(20)];
    const context = await project(auditDecisionsProjection, events);
    const decisions = context.all<StoredDecision>('decisions').sort((x, y) => x.position - y.position);
    // The words are worked out from the event when read (docs/adr/0011, sixth step): the query's words of each stored decision.
    const recorded = recordedEvents(events);
    const words = decisions.map((decision) => decisionOf(recorded.find((event) => event.position === decision.position)!)!.words);
    // A work order's stream is not stored (version 12, docs/adr/0011 eighth step): streamOfStored tells it from the work order.
    expect(decisions.map((decision) => [decision.type, decision.stream, streamOfStored(decision), decision.workOrderId, decision.complaintId])).toEqual([
      ['ServiceUnitRegistered', 'service-network', 'service-network', null, null], ['ProductRegistered', 'product-TQ2240-000731', 'product-TQ2240-000731', null, null],
      ['WorkOrderReported', null, `work-order-${A}`, A, null], ['WorkOrderDispatched', null, `work-order-${A}`, A, null],
    ]);
    expect(words[3]).toEqual({ 'zh-CN': expect.stringContaining('派单至 丹东服务站'), en: expect.stringContaining('Dispatched to 王工 at Dandong service station') });
    expect(words[1]!.en).toMatch(/TQ2240-000731/);
    for (const decision of decisions) expect(decision).not.toHaveProperty('decision');
  });
});

describe('after-sales projections', () => {
  const projections = [workOrderListProjection, workOrderSlaProjection, repairStatsProjection, repairFeesProjection, repairHistoryProjection];

  it('are named and live beside the complaint read models', () => {
    expect(projections.map((projection) => projection.name)).toEqual([WORK_ORDER_LIST, WORK_ORDER_SLA, REPAIR_STATS, REPAIR_FEES, REPAIR_HISTORY]);
  });

  it.each(projections.map((projection) => [projection.name, projection] as const))('%s ignores events of an order it never saw reported', async (_name, projection) => {
    const o = workOrder(A);
    const context: InMemoryProjectionContext = await project(projection, [o.dispatched(20), o.arrived(600), o.closed(700)]);
    expect(context.snapshot()).toBe('[]');
  });
});
