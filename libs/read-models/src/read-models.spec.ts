import { DEFAULT_CONSUMPTION_ALERT_POLICY, DEFAULT_SLA_POLICY, SHANGHAI_OFFICE_CALENDAR } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { ProjectionRunner, generationOf } from '@app/projections';
import { project, recordedEvents } from '@app/projections/testing';
import { SqliteReadStore, generationCollection } from '@app/read-store';
import { NO_DUE_KEY, complaintListProjection, visibilityKeys, type ComplaintSummary } from './complaint-list/complaint-list.projection';
import { ComplaintListQuery, type ComplaintListFilter } from './complaint-list/complaint-list.query';
import { CUSTOMER_LOYALTY, customerLoyaltyProjection, customerView, type StoredCustomer } from './loyalty/customer-loyalty.projection';
import { CustomerLoyaltyQuery } from './loyalty/customer-loyalty.query';
import { factorsOf, scoreOf, stageOf, ZERO_COUNTERS } from './loyalty/loyalty-model';
import { slaProjection, type ComplianceDocument, type SlaClockDocument } from './sla/sla.projection';
import { complianceTotals } from './sla/sla.query';
import { addToSketch, emptySketch, mergeSketchInto, mergeSketches, ownSketch, quantile } from './sketch';
import { COMPLAINT_STATS, complaintStatsProjection, type StatsBucket } from './stats/complaint-stats.projection';
import { ComplaintStatsQuery, periodOf } from './stats/complaint-stats.query';
import { ReadModelReader } from './read-model-reader';
import { auditDecisionsProjection, decisionOf, type StoredDecision } from './decisions/audit-decisions.projection';
import { ALL_PROJECTIONS } from './index';
import { at, complaint, customerFile } from './testing-fixtures';
import { cny, expiredProduct, freeRepair, productRegistered, serviceNetworkHistory, workOrder } from './testing';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const R1 = '33333333-3333-4333-8333-333333333333';
const R2 = '44444444-4444-4444-8444-444444444444';
const R3 = '55555555-5555-4555-8555-555555555555';

describe('complaint list', () => {
  it('follows a complaint through its lifecycle', async () => {
    const c = complaint(A);
    const context = await project(complaintListProjection, [c.received, c.apologised(10), c.validated(20), c.assigned(30), c.resolved(60), c.calledBack(120, 5)]);
    expect(await context.get<ComplaintSummary>('complaints', A)).toMatchObject({
      status: 'closed', customerId: 'cust-1', department: 'station-ops', assignee: 'zhang', firstReplyAt: at(10), resolvedAt: at(60), closedAt: at(120), revision: 5,
    });
  });

  it('shows a description marked personal until the customer is erased, then null; an unmarked one and another customer\'s stay', async () => {
    const [marked, plain, other] = [complaint(A), complaint(B, { minutes: 1 }), complaint(R1, { customerId: 'cust-2', minutes: 2 })];
    const personal = (event: typeof marked.received) => ({ ...event, data: { ...event.data, description: null, personal: { description: '王女士说她丈夫被多收了钱' } } });
    const erasure = {
      stream: 'customer-cust-1', type: 'CustomerFilePersonalDataErased',
      data: { customerId: 'cust-1', erasedAt: at(60), by: { id: 'admin-1', role: 'admin' }, ground: 'consent-withdrawn', reason: 'r', requestReference: null, personalFields: [], coveredFileIds: ['cust-1'], keyIds: [] },
    };
    const events = [personal(marked.received), plain.received, personal(other.received)];
    const before = await project(complaintListProjection, events);
    expect([A, B, R1].map((id) => before.get<ComplaintSummary>('complaints', id))).toMatchObject([
      { description: '王女士说她丈夫被多收了钱', descriptionIsPersonal: true }, { description: 'd', descriptionIsPersonal: false }, { description: '王女士说她丈夫被多收了钱', descriptionIsPersonal: true },
    ]);
    const after = await project(complaintListProjection, [...events, erasure]);
    expect([A, B, R1].map((id) => after.get<ComplaintSummary>('complaints', id)?.description)).toEqual([null, 'd', '王女士说她丈夫被多收了钱']);
  });

  it('sends a reopened rejection back to be judged and a reopened solution back to its handler', async () => {
    const a = complaint(A);
    const b = complaint(B);
    const context = await project(complaintListProjection, [a.received, a.rejected(10), a.reopened(20, 'rejected'), b.received, b.validated(1), b.assigned(2), b.resolved(3), b.reopened(4, 'resolved')]);
    expect((await context.get<ComplaintSummary>('complaints', A))).toMatchObject({ status: 'received', reopenCount: 1, closedAt: null });
    expect((await context.get<ComplaintSummary>('complaints', B))).toMatchObject({ status: 'assigned', department: 'station-ops' });
  });

  it('keeps "received by me" apart from every department name, even one written before department codes were checked', async () => {
    const a = complaint(A);
    const b = complaint(B);
    // B was assigned to a department named like the marker of what agent-1 received.
    const context = await project(complaintListProjection, [a.received, b.received, b.validated(1), b.assigned(2, 'received-by:agent-1')]);
    const unassigned = (await context.get<ComplaintSummary>('complaints', A))!.visibleTo;
    const forged = (await context.get<ComplaintSummary>('complaints', B))!.visibleTo;
    const mallory = visibilityKeys({ actorId: 'mallory', scope: ['received-by:agent-1'] });
    expect(mallory).toContain(forged);
    expect(mallory).not.toContain(unassigned);
    const receiver = visibilityKeys({ actorId: 'agent-1', scope: ['station-ops'] });
    expect(receiver).toContain(unassigned);
    expect(receiver).not.toContain(forged);
  });

  // ?department=unassigned (and ?assignee=unassigned) was compared with the stored value, null until the assignment: an empty page.
  it('finds the complaints not yet assigned by the word unassigned, department or assignee, within what a limited reader sees', async () => {
    const [a, b, c] = [complaint(A), complaint(B, { minutes: 1 }), complaint(R1, { minutes: 2 })];
    const store = new SqliteReadStore({ filename: ':memory:' });
    try {
      const context = await project(complaintListProjection, [a.received, b.received, b.validated(3), c.received, c.validated(4), c.assigned(5)]);
      const generation = generationOf(complaintListProjection);
      await store.ensureCollections(complaintListProjection.collections.map((spec) => ({ ...spec, name: generationCollection(generation, spec.name) })));
      await store.commit(generation, complaintListProjection.collections.flatMap((spec) => context.all(spec.name).map((document) => ({ kind: 'put' as const, collection: generationCollection(generation, spec.name), document }))), 1);
      await store.activateGeneration(complaintListProjection.name, generation);
      const query = new ComplaintListQuery(new ReadModelReader(store, [complaintListProjection]));
      const ids = async (filter: ComplaintListFilter, reader?: { actorId: string; scope: string[] }, limit = 10) => (await query.list(filter, { limit }, undefined, reader)).items.map((item) => item.id);
      expect(await ids({ department: 'unassigned' })).toEqual([B, A]);
      expect(await ids({ assignee: 'unassigned' })).toEqual([B, A]);
      expect(await ids({ department: 'unassigned', status: 'validated' })).toEqual([B]);
      expect(await ids({ department: 'station-ops' })).toEqual([R1]);
      const first = await query.list({ assignee: 'unassigned' }, { limit: 1 });
      expect((await query.list({ assignee: 'unassigned' }, { limit: 1, cursor: first.nextCursor! })).items.map((item) => item.id)).toEqual([A]);
      // The filter narrows what a limited reader sees: agent-1 received both; another reader of station-ops sees none of them.
      expect(await ids({ department: 'unassigned' }, { actorId: 'Agent-1', scope: ['billing'] })).toEqual([B, A]);
      expect(await ids({ assignee: 'unassigned' }, { actorId: 'mallory', scope: ['station-ops'] })).toEqual([]);
      expect(await ids({}, { actorId: 'mallory', scope: ['station-ops'] })).toEqual([R1]);
    } finally {
      await store.close();
    }
  });
});

describe('complaint list: one department whatever its letter case', () => {
  // While the directory has no unit a department was recorded as typed: history may hold Billing and billing (or a race may write both).
  it('filters, scopes and names a department by its code letter case aside, with the spelling first recorded', async () => {
    const [a, b, c] = [complaint(A), complaint(B, { minutes: 1 }), complaint(R1, { minutes: 2 })];
    const events = [a.received, a.validated(1), a.assigned(2, 'Billing'), b.received, b.validated(3), b.assigned(4, 'billing'), c.received, c.validated(5), c.assigned(6, 'billing-desk')];
    const store = new SqliteReadStore({ filename: ':memory:' });
    try {
      const context = await project(complaintListProjection, events);
      expect([A, B].map((id) => context.get<ComplaintSummary>('complaints', id)?.visibleTo)).toEqual(['department:billing', 'department:billing']);
      const generation = generationOf(complaintListProjection);
      await store.ensureCollections(complaintListProjection.collections.map((spec) => ({ ...spec, name: generationCollection(generation, spec.name) })));
      await store.commit(generation, complaintListProjection.collections.flatMap((spec) => context.all(spec.name).map((document) => ({ kind: 'put' as const, collection: generationCollection(generation, spec.name), document }))), 1);
      await store.activateGeneration(complaintListProjection.name, generation);
      const query = new ComplaintListQuery(new ReadModelReader(store, [complaintListProjection]));
      const ids = async (filter: ComplaintListFilter, reader?: { actorId: string; scope: string[] }) => (await query.list(filter, { limit: 10 }, undefined, reader)).items.map((item) => item.id);
      for (const spelling of ['billing', 'Billing', 'BILLING']) expect({ spelling, ids: await ids({ department: spelling }) }).toEqual({ spelling, ids: [B, A] });
      expect(await ids({}, { actorId: 'mallory', scope: ['BILLING'] })).toEqual([B, A]);
      expect(await ids({}, { actorId: 'mallory', scope: ['billing-desk'] })).toEqual([R1]);
      // The items keep the department as recorded, without the internal key.
      expect((await query.list({ department: 'billing' }, { limit: 10 })).items.map((item) => [item.department, 'departmentKey' in item])).toEqual([['billing', false], ['Billing', false]]);
      expect(await query.recordedDepartment('BILLING')).toBe('Billing');
      expect(await query.recordedDepartment('billing-desk')).toBe('billing-desk');
      expect(await query.recordedDepartment('support')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('gives the same documents when the same events are applied again from the start', async () => {
    const a = complaint(A);
    const b = complaint(B, { minutes: 1 });
    const events = [a.received, a.validated(1), a.assigned(2, 'Billing'), b.received, b.validated(3), b.assigned(4, 'BILLING')];
    const [first, second] = [await project(complaintListProjection, events), await project(complaintListProjection, events)];
    for (const collection of ['complaints', 'departments']) expect(second.all(collection)).toEqual(first.all(collection));
    expect(first.all('departments')).toEqual([{ id: 'billing', code: 'Billing' }]);
  });
});

describe('SLA clocks', () => {
  const clock = async (events: Parameters<typeof project>[1], id: string) => (await project(slaProjection, events)).get<SlaClockDocument>('clocks', id);

  // While the directory had no unit a department was recorded as typed: Billing and billing are one department to the SLA views.
  it('keys the clocks of a department letter case aside, and counts its compliance in one row named as first recorded', async () => {
    const [a, b] = [complaint(A), complaint(B, { minutes: 1 })];
    const events = [a.received, b.received, a.validated(2), b.validated(3), a.assigned(4, 'Billing'), b.assigned(5, 'billing'), a.resolved(60), b.resolved(61)];
    const context = await project(slaProjection, events);
    expect(new Set(context.all<SlaClockDocument>('clocks').map((clock) => `${clock.department}/${clock.departmentKey}`))).toEqual(new Set(['Billing/billing', 'billing/billing']));
    const departments = context.all<ComplianceDocument>('compliance').filter((counter) => counter.by === 'department');
    expect(new Set(departments.map((counter) => counter.value))).toEqual(new Set(['Billing']));
    const again = await project(slaProjection, events);
    for (const collection of ['clocks', 'compliance', 'departments']) expect(again.all(collection)).toEqual(context.all(collection));
  });

  it('counts a reply exactly at the deadline as met', async () => {
    const c = complaint(A);
    expect(await clock([c.received, c.apologised(120)], `${A}:first-reply`)).toMatchObject({ status: 'met', breached: false, metAt: at(120), overdueMs: null });
  });

  it('counts a late reply as breached, with how late it came', async () => {
    const c = complaint(A);
    expect(await clock([c.received, c.apologised(150)], `${A}:first-reply`)).toMatchObject({ status: 'breached', breached: true, overdueMs: 30 * 60_000 });
  });

  it('marks a clock breached when the monitor records it, and keeps it breached when the step comes later', async () => {
    const c = complaint(A);
    const events = [c.received, c.breached('first-reply', at(120), 121)];
    expect(await clock(events, `${A}:first-reply`)).toMatchObject({ status: 'breached', metAt: null, breachRecordedAt: at(121) });
    expect(await clock([...events, c.apologised(200)], `${A}:first-reply`)).toMatchObject({ status: 'breached', metAt: at(200), overdueMs: 80 * 60_000 });
  });

  it('counts a resolution before any apology as the first reply, as the decider does', async () => {
    const c = complaint(A);
    const context = await project(slaProjection, [c.received, c.validated(5), c.assigned(10), c.resolved(100)]);
    expect(await context.get<SlaClockDocument>('clocks', `${A}:first-reply`)).toMatchObject({ status: 'met', metAt: at(100) });
    const late = await project(slaProjection, [c.received, c.validated(5), c.assigned(10), c.resolved(300)]);
    expect(await late.get<SlaClockDocument>('clocks', `${A}:first-reply`)).toMatchObject({ status: 'breached', overdueMs: 180 * 60_000 });
    const listed = await project(complaintListProjection, [c.received, c.validated(5), c.assigned(10), c.resolved(100)]);
    expect(await listed.get<ComplaintSummary>('complaints', A)).toMatchObject({ firstReplyAt: at(100) });
  });

  it('runs no callback clock when the resolution sets no callback deadline', async () => {
    const c = complaint(A);
    const resolved = c.resolved(100);
    const withoutCallback = { ...resolved, data: { ...resolved.data, callbackDue: null } } as typeof resolved;
    const context = await project(slaProjection, [c.received, c.validated(5), c.assigned(10), withoutCallback]);
    expect(await context.get<SlaClockDocument>('clocks', `${A}:callback`)).toBeUndefined();
    expect(await context.get<SlaClockDocument>('clocks', `${A}:answer`)).toMatchObject({ status: 'met' });
  });

  it('starts the callback clock at the resolution and the on-site clock only for repairs', async () => {
    const c = complaint(A, { onSite: true });
    const context = await project(slaProjection, [c.received, c.validated(5), c.assigned(10), c.visited(600), c.resolved(700)]);
    expect(await context.get<SlaClockDocument>('clocks', `${A}:on-site`)).toMatchObject({ status: 'met', deadline: at(24 * 60) });
    expect(await context.get<SlaClockDocument>('clocks', `${A}:callback`)).toMatchObject({ status: 'running', deadline: at(700 + 48 * 60), department: 'station-ops' });
    expect(await (await project(slaProjection, [complaint(B).received])).get('clocks', `${B}:on-site`)).toBeUndefined();
  });

  it('pauses clocks outside business hours across a weekend and a holiday', async () => {
    const policy = { ...DEFAULT_SLA_POLICY, calendar: SHANGHAI_OFFICE_CALENDAR };
    // Received Thursday 2026-04-30 18:00 Shanghai: 30 min left that day, then May 1 (holiday), the weekend, May 4–5 (holidays).
    const c = complaint(A, { policy, minutes: (Date.parse('2026-04-30T10:00:00.000Z') - Date.parse(at(0))) / 60_000 });
    const firstReply = await clock([c.received], `${A}:first-reply`);
    expect(firstReply?.deadline).toBe('2026-05-06T02:30:00.000Z');
    expect(firstReply?.calendar).toBe('cn-office-hours@2026.1');
  });

  it('keeps each complaint on the policy it was received under', async () => {
    const strict = { ...DEFAULT_SLA_POLICY, version: 'strict-2026', firstReply: 'PT30M', bySeverity: {} };
    const before = complaint(A);
    const after = complaint(B, { policy: strict, minutes: 5 });
    const context = await project(slaProjection, [before.received, after.received]);
    expect(await context.get<SlaClockDocument>('clocks', `${A}:first-reply`)).toMatchObject({ deadline: at(120), policyVersion: 'seed-default-v1' });
    expect(await context.get<SlaClockDocument>('clocks', `${B}:first-reply`)).toMatchObject({ deadline: at(35), policyVersion: 'strict-2026' });
  });

  it('counts each clock once in the compliance of its deadline day, under the department at that time', async () => {
    const c = complaint(A);
    const context = await project(slaProjection, [c.received, c.apologised(10), c.validated(20), c.assigned(30), c.breached('answer', at(72 * 60), 72 * 60 + 1), c.resolved(80 * 60)]);
    const counters = context.all<ComplianceDocument>('compliance');
    expect(counters.find((counter) => counter.id === `clock|first-reply|${at(120).slice(0, 10)}`)).toMatchObject({ met: 1, breached: 0 });
    expect(counters.find((counter) => counter.id === `clock|answer|${at(72 * 60).slice(0, 10)}`)).toMatchObject({ met: 0, breached: 1 });
    expect(counters.find((counter) => counter.id === `department|station-ops|${at(72 * 60).slice(0, 10)}`)).toMatchObject({ met: 0, breached: 1 });
    expect(counters.find((counter) => counter.id === `department|unassigned|${at(120).slice(0, 10)}`)).toMatchObject({ met: 1, breached: 0 });
    expect(counters.reduce((sum, counter) => sum + (counter.by === 'clock' ? counter.met + counter.breached : 0), 0)).toBe(2);
  });

  it('totals the compliance rows from their summed counts, never from their percents', () => {
    const rows = [
      { period: '2026-01-01', value: 'quality', met: 9, breached: 1, compliancePercent: 90 },
      { period: '2026-04-01', value: 'station-ops', met: 0, breached: 2, compliancePercent: 0 },
      { period: '2026-04-01', value: 'unassigned', met: 0, breached: 0, compliancePercent: null },
    ];
    // 9 of 12, not the mean of 90 and 0.
    expect(complianceTotals(rows)).toEqual({ met: 9, breached: 3, compliancePercent: 75 });
    expect(complianceTotals([{ value: 'quality', met: 1, breached: 2, compliancePercent: 33.3 }])).toEqual({ met: 1, breached: 2, compliancePercent: 33.3 });
    expect(complianceTotals([])).toBeNull();
  });
});

describe('the complaint workspace in the read models', () => {
  it('counts a reply to the customer as the first reply in the list, the SLA clocks and the statistics; an internal note counts for nothing', async () => {
    const a = complaint(A);
    const list = await project(complaintListProjection, [a.received, a.noted(5, 'internal'), a.noted(30, 'customer')]);
    expect(await list.get<ComplaintSummary>('complaints', A)).toMatchObject({ status: 'received', firstReplyAt: at(30), updatedAt: at(30), nextDueClock: 'answer' });
    const sla = await project(slaProjection, [a.received, a.noted(5, 'internal'), a.noted(30, 'customer')]);
    expect(await sla.get<SlaClockDocument>('clocks', `${A}:first-reply`)).toMatchObject({ status: 'met', metAt: at(30) });
    const stats = await project(complaintStatsProjection, [a.received, a.noted(5, 'internal'), a.noted(30, 'customer')]);
    const bucket = await stats.get<StatsBucket>('buckets', `cause|service|${at(0).slice(0, 10)}`);
    expect(Math.abs(quantile(bucket!.firstReply, 0.5)! - 30 * 60_000) / (30 * 60_000)).toBeLessThan(0.01);
  });

  it('moves a corrected complaint to its new category in the statistics, and shows the new classification in the list', async () => {
    const a = complaint(A);
    const day = at(0).slice(0, 10);
    const events = [a.received, a.validated(1), a.corrected(5, { cause: 'service', purpose: 'criticism', severity: 'medium' }, { cause: 'price', purpose: null, severity: 'high' })];
    const stats = await project(complaintStatsProjection, events);
    expect(await stats.get<StatsBucket>('buckets', `cause|service|${day}`)).toMatchObject({ received: 0, validated: 0 });
    expect(await stats.get<StatsBucket>('buckets', `cause|price|${day}`)).toMatchObject({ received: 1, validated: 1 });
    expect(await stats.get<StatsBucket>('buckets', `purpose|criticism|${day}`)).toMatchObject({ received: 0 });
    expect(await stats.get<StatsBucket>('buckets', `purpose|unspecified|${day}`)).toMatchObject({ received: 1 });
    // Channel and department did not change: their buckets keep the complaint.
    expect(await stats.get<StatsBucket>('buckets', `channel|phone|${day}`)).toMatchObject({ received: 1, validated: 1 });
    const list = await project(complaintListProjection, events);
    expect(await list.get<ComplaintSummary>('complaints', A)).toMatchObject({ cause: 'price', purpose: null, severity: 'high', updatedAt: at(5) });
  });

  it('gives each listed complaint its next deadline due: the earliest step still missing, overdue ones included, none once closed or rejected', async () => {
    const a = complaint(A);
    const b = complaint(B);
    const received = a.received as Extract<typeof a.received, { type: 'ComplaintReceived' }>;
    const list = await project(complaintListProjection, [
      a.received, a.breached('first-reply', received.data.sla.firstReplyDue, 200),
      b.received, b.rejected(10),
    ]);
    expect(await list.get<ComplaintSummary>('complaints', A)).toMatchObject({ nextDueAt: received.data.sla.firstReplyDue, nextDueClock: 'first-reply' });
    expect(await list.get<ComplaintSummary>('complaints', B)).toMatchObject({ status: 'rejected', nextDueAt: null, nextDueClock: null });
    const closed = await project(complaintListProjection, [a.received, a.apologised(10), a.validated(20), a.assigned(30), a.resolved(60), a.calledBack(120, 5)]);
    expect(await closed.get<ComplaintSummary>('complaints', A)).toMatchObject({ status: 'closed', nextDueAt: null });
    const resolved = await project(complaintListProjection, [a.received, a.apologised(10), a.validated(20), a.assigned(30), a.resolved(60)]);
    expect(await resolved.get<ComplaintSummary>('complaints', A)).toMatchObject({ nextDueAt: at(60 + 48 * 60), nextDueClock: 'callback' });
  });

  it('lists nothing due on a closed or rejected complaint, even a visit never made; the clock keeps its breach, and is due again once reopened', async () => {
    // Closing asks for no visit (a satisfied callback closes), and a closed complaint takes none: its on-site clock waits for nothing.
    const a = complaint(A, { onSite: true });
    const onSiteDue = (a.received as Extract<typeof a.received, { type: 'ComplaintReceived' }>).data.sla.onSiteDue!;
    const resolved = [a.received, a.apologised(10), a.validated(20), a.assigned(30), a.resolved(60)];
    // Resolved, it still waits for the visit (it may still come), due before the callback.
    expect(await (await project(complaintListProjection, resolved)).get<ComplaintSummary>('complaints', A)).toMatchObject({ status: 'resolved', nextDueAt: onSiteDue, nextDueClock: 'on-site' });
    const closed = [...resolved, a.calledBack(120, 5), a.breached('on-site', onSiteDue, 24 * 60 + 1)];
    const list = await project(complaintListProjection, closed);
    expect(await list.get<ComplaintSummary>('complaints', A)).toMatchObject({ status: 'closed', nextDueAt: null, nextDueClock: null, dueKey: NO_DUE_KEY, breaches: ['on-site'] });
    // The SLA view keeps the clock as it was: breached, counted once.
    const sla = await project(slaProjection, closed);
    expect(await sla.get<SlaClockDocument>('clocks', `${A}:on-site`)).toMatchObject({ status: 'breached', metAt: null });
    expect(sla.all<ComplianceDocument>('compliance').find((counter) => counter.id === `clock|on-site|${onSiteDue.slice(0, 10)}`)).toMatchObject({ met: 0, breached: 1 });
    // Reopened, the visit is due again.
    const reopened = await project(complaintListProjection, [...closed, a.reopened(25 * 60, 'closed')]);
    expect(await reopened.get<ComplaintSummary>('complaints', A)).toMatchObject({ status: 'assigned', nextDueAt: onSiteDue, nextDueClock: 'on-site' });

    // Rejected after the monitor recorded the missed visit: nothing is due either.
    const b = complaint(B, { onSite: true });
    const rejected = await project(complaintListProjection, [b.received, b.breached('on-site', onSiteDue, 24 * 60 + 1), b.rejected(24 * 60 + 10)]);
    expect(await rejected.get<ComplaintSummary>('complaints', B)).toMatchObject({ status: 'rejected', nextDueAt: null, nextDueClock: null, dueKey: NO_DUE_KEY, breaches: ['on-site'] });
  });
});

describe('complaint-type statistics', () => {
  it('counts a cohort by day of receipt, with rates, times and satisfaction', async () => {
    const a = complaint(A);
    const b = complaint(B, { minutes: 30 });
    const context = await project(complaintStatsProjection, [
      a.received, a.apologised(60), a.validated(70), a.assigned(80), a.resolved(600), a.calledBack(700, 4),
      b.received, b.apologised(30 + 180), b.rejected(30 + 200),
    ]);
    const bucket = await context.get<StatsBucket>('buckets', `cause|service|${at(0).slice(0, 10)}`);
    expect(bucket).toMatchObject({ received: 2, validated: 1, rejected: 1, resolved: 1, satisfactionSum: 4, satisfactionCount: 1 });
    // The sketch answers within ±1 % of the exact value.
    expect(Math.abs(quantile(bucket!.firstReply, 0.5)! - 60 * 60_000) / (60 * 60_000)).toBeLessThan(0.01);
    expect(Math.abs(quantile(bucket!.firstReply, 1)! - 180 * 60_000) / (180 * 60_000)).toBeLessThan(0.01);
    // a: first reply, answer and callback met; b: first reply late (breached), answer met by the rejection.
    expect({ met: bucket!.slaMet, breached: bucket!.slaBreached }).toEqual({ met: 4, breached: 1 });
  });

  it('moves a complaint\'s whole contribution when it is reassigned to another department', async () => {
    const a = complaint(A);
    const day = at(0).slice(0, 10);
    const context = await project(complaintStatsProjection, [a.received, a.validated(1), a.assigned(2, 'ops'), a.assigned(3, 'quality')]);
    expect(await context.get<StatsBucket>('buckets', `department|ops|${day}`)).toMatchObject({ received: 0, validated: 0 });
    expect(await context.get<StatsBucket>('buckets', `department|quality|${day}`)).toMatchObject({ received: 1, validated: 1 });
  });

  // While the directory had no unit a department was recorded as typed: Billing and billing are one department, one row.
  it('counts a department\'s complaints in one row whatever the letter case they were assigned under, in the spelling first recorded', async () => {
    const [a, b] = [complaint(A), complaint(B, { minutes: 1 })];
    const day = at(0).slice(0, 10);
    const events = [a.received, b.received, a.validated(2), b.validated(3), a.assigned(4, 'Billing'), b.assigned(5, 'billing'), b.assigned(6, 'BILLING')];
    const context = await project(complaintStatsProjection, events);
    const departments = context.all<StatsBucket>('buckets').filter((bucket) => bucket.dimension === 'department' && bucket.received > 0);
    expect(departments.map((bucket) => [bucket.value, bucket.received, bucket.validated])).toEqual([['Billing', 2, 2]]);
    expect(await context.get<StatsBucket>('buckets', `department|Billing|${day}`)).toMatchObject({ received: 2 });
    const again = await project(complaintStatsProjection, events);
    expect(again.all('buckets')).toEqual(context.all('buckets'));
  });

  it('keeps in each bucket the sketches addToSketch makes of its complaints\' durations, after a reassignment moved them', async () => {
    const a = complaint(A);
    const b = complaint(B, { minutes: 30 });
    const day = at(0).slice(0, 10);
    const context = await project(complaintStatsProjection, [
      a.received, b.received, a.apologised(60), b.apologised(30 + 0.5), a.validated(70), b.validated(71), a.assigned(80, 'ops'), b.assigned(81, 'ops'),
      a.resolved(600), a.assigned(610, 'quality'), b.resolved(30 + 900),
    ]);
    const sketchOf = (...minutes: number[]) => minutes.reduce((sketch, value) => addToSketch(sketch, value * 60_000), emptySketch());
    // Whole buckets (toEqual, not toMatchObject): an amount too many or missing in a sketch, or a count, fails it.
    // Each complaint met its first reply (within 2 h) and its answer (within 72 h): two clocks met each.
    const bucket = (dimension: string, value: string, complaints: number, firstReply: number[], resolution: number[]) => ({
      id: `${dimension}|${value}|${day}`, dimension, value, day,
      received: complaints, validated: complaints, rejected: 0, resolved: complaints, reopened: 0,
      satisfactionSum: 0, satisfactionCount: 0, slaMet: 2 * complaints, slaBreached: 0,
      firstReply: sketchOf(...firstReply), resolution: sketchOf(...resolution),
    });
    expect(await context.get<StatsBucket>('buckets', `department|quality|${day}`)).toEqual(bucket('department', 'quality', 1, [60], [600]));
    expect(await context.get<StatsBucket>('buckets', `department|ops|${day}`)).toEqual(bucket('department', 'ops', 1, [0.5], [900]));
    expect(await context.get<StatsBucket>('buckets', `cause|service|${day}`)).toEqual(bucket('cause', 'service', 2, [60, 0.5], [600, 900]));
  });

  it('answers no row for a department whose complaints all moved on, and the same totals as any other dimension', async () => {
    const a = complaint(A);
    const context = await project(complaintStatsProjection, [a.received, a.validated(1), a.assigned(2, 'ops'), a.assigned(3, 'quality')]);
    const store = new SqliteReadStore({ filename: ':memory:' });
    const generation = generationOf(complaintStatsProjection);
    const collection = generationCollection(generation, 'buckets');
    await store.ensureCollections([{ name: collection, indexes: [['dimension', 'day']] }]);
    await store.commit(generation, context.all<StatsBucket>('buckets').map((document) => ({ kind: 'put' as const, collection, document })), 1);
    await store.activateGeneration(COMPLAINT_STATS, generation);
    const query = new ComplaintStatsQuery(new ReadModelReader(store, [complaintStatsProjection]));
    const byDepartment = await query.complaints('department', 'year');
    // Buckets of zeros are left for 'unassigned' and 'ops': neither is a row.
    expect(byDepartment.rows.map((row) => [row.value, row.received])).toEqual([['quality', 1]]);
    expect(byDepartment.totals?.received).toBe((await query.complaints('cause', 'year')).totals?.received);
    await store.close();
  });

  it('gives each period its figures over every value: the percentiles of all its complaints, not of one value', async () => {
    // March: a (service) replied after 1 h, b (price) after 5 h; April: c (price) after 2 h.
    const a = complaint(A);
    const b = complaint(B, { cause: 'price', minutes: 30 });
    const c = complaint(R1, { cause: 'price', minutes: 60 * 24 * 31 });
    const context = await project(complaintStatsProjection, [a.received, b.received, a.apologised(60), b.apologised(30 + 300), c.received, c.apologised(60 * 24 * 31 + 120)]);
    const store = new SqliteReadStore({ filename: ':memory:' });
    const generation = generationOf(complaintStatsProjection);
    const collection = generationCollection(generation, 'buckets');
    await store.ensureCollections([{ name: collection, indexes: [['dimension', 'day']] }]);
    await store.commit(generation, context.all<StatsBucket>('buckets').map((document) => ({ kind: 'put' as const, collection, document })), 1);
    await store.activateGeneration(COMPLAINT_STATS, generation);
    const query = new ComplaintStatsQuery(new ReadModelReader(store, [complaintStatsProjection]));
    const { rows, periods, totals } = await query.complaints('cause', 'month');
    expect(rows).toHaveLength(3);
    const [march, april] = [at(0).slice(0, 7), at(60 * 24 * 31).slice(0, 7)];
    expect(periods.map((period) => [period.period, period.received])).toEqual([[`${march}-01`, 2], [`${april}-01`, 1]]);
    const near = (value: number | null, hours: number) => Math.abs(value! - hours) <= hours * 0.011;
    // Of the two March replies (1 h and 5 h) the median is the first, the 90th percentile the second: neither is a row's.
    expect(near(periods[0]!.timeToFirstReplyHours.p50, 1) && near(periods[0]!.timeToFirstReplyHours.p90, 5)).toBe(true);
    expect(near(periods[1]!.timeToFirstReplyHours.p50, 2)).toBe(true);
    expect(periods.reduce((sum, period) => sum + period.received, 0)).toBe(totals?.received);
    // The same periods whatever the dimension.
    expect((await query.complaints('channel', 'month')).periods).toEqual(periods);
    await store.close();
  });

  it('groups days into ISO weeks and months', () => {
    expect(periodOf('2026-03-08', 'week')).toBe('2026-03-02');
    expect(periodOf('2026-03-09', 'week')).toBe('2026-03-09');
    expect(periodOf('2026-03-31', 'month')).toBe('2026-03-01');
  });

  it.each([
    ['2026-01-01', '2026-01-01'], ['2026-03-31', '2026-01-01'], ['2026-04-01', '2026-04-01'], ['2026-06-30', '2026-04-01'],
    ['2026-07-15', '2026-07-01'], ['2026-09-30', '2026-07-01'], ['2026-10-01', '2026-10-01'], ['2026-12-31', '2026-10-01'],
  ])('puts %s in the quarter starting %s, and in its year', (day, quarter) => {
    expect(periodOf(day, 'quarter')).toBe(quarter);
    expect(periodOf(day, 'year')).toBe('2026-01-01');
  });

  it('keeps percentiles within 1 % and merges sketches of two periods', () => {
    let first = emptySketch();
    let second = emptySketch();
    for (let value = 1; value <= 1000; value += 1) first = addToSketch(first, value * 1000);
    for (let value = 1001; value <= 2000; value += 1) second = addToSketch(second, value * 1000);
    const merged = mergeSketches(first, second);
    expect(Math.abs(quantile(merged, 0.5)! - 1_000_000) / 1_000_000).toBeLessThan(0.01);
    expect(Math.abs(quantile(merged, 0.9)! - 1_800_000) / 1_800_000).toBeLessThan(0.01);
    expect(quantile(addToSketch(merged, 5000, -1), 0)).toBeGreaterThan(0);
  });

  it('adds sketches in place into one it owns as mergeSketches does, leaving the ones added unchanged', () => {
    const parts = [[0, 3, 50_000], [7, 50_000, 120_000, 3_600_000], [], [0.5, 86_400_000]].map((values) => values.reduce((sketch, value) => addToSketch(sketch, value), emptySketch()));
    const before = JSON.stringify(parts);
    const sum = ownSketch(parts[0]!);
    for (const part of parts.slice(1)) mergeSketchInto(sum, part);
    expect(sum).toEqual(parts.slice(1).reduce((merged, part) => mergeSketches(merged, part), parts[0]!));
    expect(JSON.stringify(parts)).toBe(before);
  });
});

describe('customer loyalty', () => {
  const customer = async (events: Parameters<typeof project>[1], id = 'cust-1') => {
    const stored = (await project(customerLoyaltyProjection, events)).get<StoredCustomer>('customers', id);
    return stored && customerView(stored);
  };

  it('raises loyalty above a complaint-free customer when a complaint is handled well', async () => {
    const c = complaint(A);
    const file = await customer([c.received, c.apologised(30), c.validated(40), c.assigned(50), c.resolved(600), c.calledBack(700, 5)]);
    expect(file).toMatchObject({ score: 84, tier: 'loyal', complaints: { total: 1, open: 0 } });
    expect(Object.fromEntries(file!.factors.map((factor) => [factor.code, factor.contribution]))).toEqual({
      complaints: -6, 'apology-in-time': 4, 'sla-kept': 4, 'resolution-accepted': 4, 'callback-satisfaction': 8,
    });
  });

  it('lowers loyalty when a complaint goes unanswered', async () => {
    const c = complaint(A);
    const file = await customer([c.received, c.breached('first-reply', at(120), 121), c.breached('answer', at(72 * 60), 72 * 60 + 1)]);
    expect(file).toMatchObject({ score: 57, tier: 'at-risk', complaints: { open: 1 } });
    expect(file!.factors.map((factor) => [factor.code, factor.contribution])).toEqual([['complaints', -6], ['apology-late', -3], ['sla-broken', -4]]);
  });

  it('counts repeat complaints about the same cause and complaints close together', async () => {
    const a = complaint(A, { cause: 'price' });
    const b = complaint(B, { cause: 'price', minutes: 60 * 24 * 10 });
    const file = await customer([a.received, b.received]);
    expect(Object.fromEntries(file!.factors.map((factor) => [factor.code, factor.contribution]))).toEqual({ complaints: -12, 'repeat-complaints': -4, 'recent-complaints': -3 });
    expect(file!.score).toBe(51);
  });

  it('adds up factors as documented and bounds the score to 0–100', () => {
    const counters = { ...ZERO_COUNTERS, complaints: 1, severityWeight: 4, escalations: 2, reopens: 1, resolutionsRefused: 1, satisfactionPoints: -2 };
    const factors = factorsOf(counters, 0);
    expect(factors.map((factor) => factor.contribution)).toEqual([-12, -6, -5, -4, -8]);
    expect(scoreOf(factors)).toBe(35);
    expect(scoreOf(factorsOf({ ...ZERO_COUNTERS, severityWeight: 100 }, 0))).toBe(0);
  });

  it('counts the customers of every tier and stage in full, past any page size, 0 where there are none', async () => {
    const store = new SqliteReadStore({ filename: ':memory:' });
    const generation = generationOf(customerLoyaltyProjection);
    const collection = generationCollection(generation, 'customers');
    await store.ensureCollections([{ name: collection, indexes: [['tier', 'score'], ['stage', 'score']] }]);
    const customers = Array.from({ length: 450 }, (_, index) => ({
      id: `cust-${index}`, score: index % 100, tier: index < 300 ? 'satisfied' : 'at-risk', stage: index % 3 === 0 ? 'decline' : 'formation',
    }));
    await store.commit(generation, customers.map((document) => ({ kind: 'put' as const, collection, document })), 1);
    await store.activateGeneration(CUSTOMER_LOYALTY, generation);
    const { customers: total, rows } = await new CustomerLoyaltyQuery(new ReadModelReader(store, [customerLoyaltyProjection])).distribution();
    expect(total).toBe(450);
    expect(rows.map((row) => `${row.dimension}:${row.value}=${row.customers}`)).toEqual([
      'tier:loyal=0', 'tier:satisfied=300', 'tier:at-risk=150', 'tier:detractor=0', 'stage:exploration=0', 'stage:formation=300', 'stage:stability=0', 'stage:decline=150',
    ]);
    expect(rows[2]!.labels).toEqual({ 'zh-CN': '流失风险', en: 'At risk' });
    await store.close();
  });

  it('places the customer in a lifecycle stage', () => {
    expect(stageOf({ ...ZERO_COUNTERS, complaints: 1 }, 70, [])).toBe('exploration');
    expect(stageOf({ ...ZERO_COUNTERS, complaints: 2, resolved: 1 }, 70, [70])).toBe('formation');
    expect(stageOf({ ...ZERO_COUNTERS, complaints: 3, resolved: 2 }, 78, [70, 75])).toBe('stability');
    expect(stageOf({ ...ZERO_COUNTERS, complaints: 3, resolved: 2 }, 66, [80, 76])).toBe('decline');
    expect(stageOf({ ...ZERO_COUNTERS, complaints: 1 }, 30, [])).toBe('decline');
  });
});

describe('every projection', () => {
  const history = () => {
    const a = complaint(A, { onSite: true });
    const b = complaint(B, { customerId: 'cust-2', segment: null });
    // The log holds every aggregate's events: the customers' files, opened at intake and worked on, among the complaints.
    const fileA = customerFile('cust-1');
    const fileB = customerFile('cust-2');
    const openedA = fileA.step('OpenCustomerFileAtIntake', { complaintId: A, name: '王先生', segment: 'private-car' }, 0);
    const openedB = fileB.step('OpenCustomerFileAtIntake', { complaintId: B }, 0);
    const keyAccount = fileA.step('UpdateCustomerImportance', { reason: 'key account', key: true, level: 'a' }, 15);
    const visit = fileA.step('LogCustomerVisit', { visitedAt: at(20), channel: 'in-person', summary: '回访' }, 25);
    const figures = ([['2025-12', 900], ['2026-01', 1000], ['2026-02', 1100], ['2026-03', 300]] as const)
      .flatMap(([period, amount]) => fileA.step('RecordCustomerConsumption', { period, volume: { amount, unit: 'litre' }, policy: DEFAULT_CONSUMPTION_ALERT_POLICY }, 35));
    const merged = fileB.step('MergeCustomerFile', { survivorId: 'cust-1', reason: 'same person', survivor: { status: 'active' } }, 95);
    const absorbed = fileA.step('RecordAbsorbedCustomerFile', { absorbedId: 'cust-2', reason: 'same person' }, 96);
    // A merge whose survivor's half is not recorded yet: the pending merges hold it.
    const fileC = customerFile('cust-3');
    const halfMerged = [
      ...fileC.step('OpenCustomerFile', { category: 'potential', reason: 'boiler user nearby', name: '锦江宾馆' }, 97),
      ...fileC.step('MergeCustomerFile', { survivorId: 'cust-1', reason: 'same company', survivor: { status: 'active' } }, 98),
    ];
    const complaints = [a.received, ...openedA, b.received, ...openedB, a.apologised(5), a.validated(10), ...keyAccount, b.rejected(20), ...visit, a.assigned(30), ...figures,
      a.visited(40), b.reopened(50, 'rejected'), a.resolved(60, false), a.escalated(70), a.calledBack(80, 2), a.reopened(90, 'follow-up-required'), ...merged, ...absorbed, ...halfMerged,
      b.breached('first-reply', at(120), 130), a.resolved(200), a.calledBack(300, 5)];
    // Repairs beside them: the service network, a product, a free repair reopened, one charged, one cancelled.
    const repair = workOrder(R1, { customerId: 'cust-1', linkedComplaintId: A });
    const charged = workOrder(R2, { customerId: 'cust-2', minutes: 30 });
    const cancelled = workOrder(R3, { minutes: 60 });
    const repairs = [
      ...serviceNetworkHistory(), productRegistered('TQ2240-000731', 'cust-1'), ...freeRepair(R1, { customerId: 'cust-1', linkedComplaintId: A }),
      repair.surveySent(21 * 60), repair.surveyAnswered(22 * 60, [4, 5]), repair.reopened(3 * 24 * 60, 2, 20 * 60), repair.breached('on-site', 4 * 24 * 60 + 1, 2),
      charged.reported, charged.dispatched(40, 'dalian-station', 'eng-liu'), charged.contacted(50), charged.arrived(600, 1, 'eng-liu'),
      ...charged.findings(630, 'product-defect', expiredProduct()), charged.quoted(640, cny(78_000)), charged.confirmed(650, cny(78_000)), charged.work(700, true),
      charged.fee(710, cny(78_000)), charged.tested(720), charged.signedOff(730), charged.closed(740), charged.linked(750, B),
      cancelled.reported, cancelled.breached('first-contact', 181), cancelled.cancelled(200, 'reported'),
    ];
    // A satisfaction survey of the free repair, sent after its hand-over and answered; one of the complaint, cancelled.
    const S1 = '66666666-6666-4666-8666-666666666666';
    const S2 = '77777777-7777-4777-8777-777777777777';
    const desk = { id: 'agent-li', role: 'agent' };
    const questions = [{ id: 'overall', label: { 'zh-CN': '总体满意度', en: 'Overall satisfaction' } }];
    const sent = (surveyId: string, subject: { kind: string; id: string }, minutes: number) => ({
      stream: `survey-${surveyId}`, type: 'SatisfactionSurveySent',
      data: {
        surveyId, subject, customerId: 'cust-1', channel: 'phone', questions, sentAt: at(minutes), expiresAt: at(minutes + 30 * 24 * 60), by: desk,
        department: 'dandong-station', stationCode: 'dandong-station', engineerId: 'eng-wang', cause: 'product-defect', reason: null,
      },
    });
    const surveys = [
      sent(S1, { kind: 'work-order', id: R1 }, 21 * 60 + 5),
      { stream: `survey-${S1}`, type: 'SatisfactionSurveyAnswered', data: { surveyId: S1, answeredAt: at(22 * 60 + 5), by: desk, answers: [{ questionId: 'overall', score: 4, comment: null }], comment: '请回电' } },
      sent(S2, { kind: 'complaint', id: A }, 310),
      { stream: `survey-${S2}`, type: 'SatisfactionSurveyCancelled', data: { surveyId: S2, cancelledAt: at(320), by: desk, reason: '重复发送' } },
    ];
    return [...complaints, ...repairs, ...surveys];
  };

  it.each(ALL_PROJECTIONS.map((projection) => [projection.name, projection] as const))('%s gives byte-identical documents when the same events are applied again from scratch', async (_name, projection) => {
    const first = await project(projection, history());
    const second = await project(projection, history());
    expect(first.snapshot()).toBe(second.snapshot());
    expect(first.snapshot().length).toBeGreaterThan(100);
  });

  it('records the survey decisions of the history in the audit trail, the sending under its subject', async () => {
    const decisions = JSON.parse((await project(auditDecisionsProjection, history())).snapshot()) as unknown[];
    const surveyDecisions = JSON.stringify(decisions).match(/SatisfactionSurvey(Sent|Answered|Cancelled)/g) ?? [];
    expect(new Set(surveyDecisions)).toEqual(new Set(['SatisfactionSurveySent', 'SatisfactionSurveyAnswered', 'SatisfactionSurveyCancelled']));
    expect(JSON.stringify(decisions)).toContain(`"workOrderId":"${R1}"`);
    // The words are worked out from each decision's event when read (docs/adr/0011, sixth step).
    const context = await project(auditDecisionsProjection, history());
    const events = recordedEvents(history());
    const words = context.all<StoredDecision>('decisions').map((decision) => decisionOf(events.find((event) => event.position === decision.position)!)!.words);
    expect(JSON.stringify(words)).toContain('Cancelled satisfaction survey 77777777-7777-4777-8777-777777777777. Reason: 重复发送');
  });

  it('writes the same documents through the runner whatever the batch size (what it reads, it names or loads again)', async () => {
    const events = new SqliteEventStore({ filename: ':memory:' });
    for (const recorded of recordedEvents(history())) {
      await events.append(recorded.stream, [{ eventId: recorded.eventId, type: recorded.type, data: recorded.data, metadata: { occurredAt: recorded.recordedAt } }]);
    }
    const dumps: string[] = [];
    for (const batchSize of [1, 7, 1000]) {
      const store = new SqliteReadStore({ filename: ':memory:' });
      const runner = new ProjectionRunner(events, store, ALL_PROJECTIONS, { batchSize });
      await runner.start();
      await runner.caughtUp();
      await runner.stop();
      const documents: string[] = [];
      for (const projection of ALL_PROJECTIONS) {
        for (const spec of projection.collections) {
          const found = await store.find(generationCollection(generationOf(projection), spec.name), { sort: [{ field: 'id', direction: 'asc' }], limit: 1000 });
          documents.push(`${projection.name}/${spec.name}: ${JSON.stringify(found.items)}`);
          if (batchSize === 1) expect({ collection: `${projection.name}/${spec.name}`, empty: found.items.length === 0 }).toEqual({ collection: `${projection.name}/${spec.name}`, empty: false });
        }
      }
      dumps.push(documents.join('\n'));
      await store.close();
    }
    expect(dumps[1]).toBe(dumps[0]);
    expect(dumps[2]).toBe(dumps[0]);
    await events.close();
  });

  it.each(ALL_PROJECTIONS.map((projection) => [projection.name, projection] as const))('%s ignores event types it does not know', async (_name, projection) => {
    const context = await project(projection, [{ type: 'TokenGranted', data: { complaintId: 'not-a-complaint-stream' } }, { type: 'ComplaintArchived', data: { complaintId: A } }]);
    expect(context.snapshot()).toBe('[]');
  });
});
