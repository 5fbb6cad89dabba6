import { Clock } from '@app/complaints';
import { ErasureCompletion } from '@app/customers';
import { ReadStore } from '@app/read-store';
import { newComplaint, newWorkOrder, useApp, type TestResponse } from './support/test-app';

/** YYYY-MM of the month `months` before this one (UTC): figures of months that have begun. */
function monthsAgo(months: number): string {
  const now = new Date();
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  return date.toISOString().slice(0, 7);
}

const openFleet = (customerId: string, overrides: object = {}) => ({
  customerId, category: 'fixed', reason: 'Signed a supply agreement for the fleet.', name: '顺达物流有限公司', customerType: 'organisation',
  address: '北京市朝阳区建国路 88 号', contacts: [{ name: '王立', role: '车队长', phone: '138 0013 8000' }], segments: { consumerKind: 'vehicle', driverType: 'fleet' },
  ...overrides,
});

describe('customer files over HTTP (客户档案)', () => {
  const app = useApp();
  let position = 0;
  const seen = (response: TestResponse) => {
    if (typeof response.body?.position === 'number') position = Math.max(position, response.body.position);
    return response;
  };
  const open = async (customerId: string, overrides: object = {}, role: 'agent' | 'supervisor' = 'supervisor') => {
    const response = seen(await app().request('POST', '/customers', { role, body: openFleet(customerId, overrides) }));
    expect(response.status).toBe(201);
    return response;
  };
  const command = async (customerId: string, verb: string, body: object, options: { role?: 'agent' | 'supervisor' | 'admin' | 'analyst' | 'auditor'; token?: string; headers?: Record<string, string> } = {}) =>
    seen(await app().request('POST', `/customers/${customerId}/${verb}`, { role: options.role ?? 'agent', body, ...(options.token ? { token: options.token } : {}), ...(options.headers ? { headers: options.headers } : {}) }));
  const file = (customerId: string, role: 'agent' | 'analyst' | 'auditor' | 'supervisor' | 'admin' = 'agent') => app().request('GET', `/customers/${customerId}/file`, { role });
  const receive = async (body: object, options: { token?: string } = {}) => {
    const response = seen(await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, ...body }, ...options }));
    expect(response.status).toBe(201);
    return response.body.id as string;
  };

  it('opens a fixed file with a reason, and shows it folded from its events, personal fields included', async () => {
    const opened = await open('cust-fleet-1');
    expect(opened.body).toEqual({ id: 'cust-fleet-1', revision: 0, position: expect.any(Number) });
    expect(opened.headers.get('location')).toBe('/customers/cust-fleet-1/file');
    expect(opened.headers.get('etag')).toBe('"0"');

    const shown = await file('cust-fleet-1', 'analyst');
    expect(shown.status).toBe(200);
    expect(shown.headers.get('etag')).toBe('"0"');
    expect(shown.body).toMatchObject({
      id: 'cust-fleet-1', status: 'active', category: 'fixed', revision: 0, openedBy: { id: 'supervisor-e2e', role: 'supervisor' },
      basics: { name: '顺达物流有限公司', address: '北京市朝阳区建国路 88 号', customerType: 'organisation', creditRating: null },
      contacts: [{ id: 'contact-1', name: '王立', role: '车队长', phone: '13800138000', email: null }],
      segments: { consumerKind: 'vehicle', driverType: 'fleet', usage: null, locality: null, settlement: null },
    });
    const events = await app().request('GET', '/customers/cust-fleet-1/events', { role: 'auditor' });
    expect(events.body.events.map((event: { type: string }) => event.type)).toEqual(['CustomerFileOpened']);
    expect(events.body.events[0].metadata).toMatchObject({ commandType: 'OpenCustomerFile', reason: 'Signed a supply agreement for the fleet.', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(events.body.events[0].data.personal).toMatchObject({ name: '顺达物流有限公司' });
    expect((await app().request('GET', '/audit/verify?stream=customer-cust-fleet-1', { role: 'auditor' })).body).toMatchObject({ ok: true, events: 1 });
  });

  it('gives a file opened without an id one of its own, and refuses a second file under an id that has one', async () => {
    const { customerId: _customerId, ...withoutId } = openFleet('unused');
    const opened = seen(await app().request('POST', '/customers', { role: 'agent', body: withoutId }));
    expect(opened.status).toBe(201);
    expect(opened.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await file(opened.body.id)).body.category).toBe('fixed');
    await open('cust-twice');
    const again = await app().request('POST', '/customers', { role: 'agent', body: openFleet('cust-twice') });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('customer-file-already-exists');
  });

  it('records each edit with its reason, only what changed, and refuses an edit that changes nothing', async () => {
    await open('cust-edit');
    const moved = await command('cust-edit', 'basics', { reason: 'Moved to a new depot.', address: '北京市海淀区中关村大街 1 号', creditRating: 'b', customerType: 'organisation' });
    expect(moved.status).toBe(200);
    expect(moved.body.revision).toBe(1);
    const events = (await app().request('GET', '/customers/cust-edit/events', { role: 'auditor' })).body.events;
    expect(events[1]).toMatchObject({
      type: 'CustomerFileBasicsUpdated',
      data: { changed: ['creditRating', 'address'], changes: { creditRating: 'b' }, personal: { address: '北京市海淀区中关村大街 1 号' }, reason: 'Moved to a new depot.' },
      metadata: { reason: 'Moved to a new depot.', actor: { id: 'agent-e2e', role: 'agent' } },
    });

    const same = await command('cust-edit', 'basics', { reason: 'Again.', creditRating: 'b' });
    expect(same.status).toBe(409);
    expect(same.body).toMatchObject({ code: 'nothing-changed', type: expect.stringContaining('nothing-changed') });
    const withoutReason = await command('cust-edit', 'importance', { key: true });
    expect(withoutReason.status).toBe(400);
    expect(withoutReason.body.errors).toEqual([{ field: 'reason', message: expect.stringContaining('reason is required') }]);
    const badPhone = await command('cust-edit', 'contacts', { reason: 'New manager.', name: '张三', phone: '12345' });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body).toMatchObject({ code: 'invalid-phone', errors: [{ field: 'phone' }] });
    const cleared = await command('cust-edit', 'basics', { reason: 'Rating withdrawn.', creditRating: null });
    expect(cleared.status).toBe(200);
    expect((await file('cust-edit')).body.basics.creditRating).toBeNull();
    expect((await app().request('GET', '/customers/unknown-file/file')).status).toBe(404);
    expect((await command('unknown-file', 'importance', { reason: 'r', key: true })).body.code).toBe('customer-file-not-found');
  });

  it('keeps contacts, the contract, facilities and other channels, and refuses a stale revision with 412', async () => {
    await open('cust-sections');
    expect((await command('cust-sections', 'contacts', { reason: 'New fleet manager.', name: '张三', email: 'Zhang@Example.COM' })).status).toBe(200);
    expect((await command('cust-sections', 'contacts/change', { contactId: 'contact-2', reason: 'Mobile number given.', phone: '139 0013 9000' })).status).toBe(200);
    expect((await command('cust-sections', 'contacts/remove', { contactId: 'contact-1', reason: 'Left the company.' })).status).toBe(200);
    expect((await command('cust-sections', 'contract', { reason: 'Signed.', signed: true, signedOn: '2026-01-05', validFrom: '2026-01-01', validUntil: '2026-12-31' })).status).toBe(200);
    expect((await command('cust-sections', 'facilities', { reason: 'Site visit.', storageTanks: 2, storageCapacity: { amount: 40, unit: 'tonne' } })).status).toBe(200);
    expect((await command('cust-sections', 'other-channels', { reason: 'Interview.', channels: [{ supplier: '中石化朝阳站', share: 0.3 }] })).status).toBe(200);
    expect((await command('cust-sections', 'consumption-profile', { reason: 'Interview.', monthlyVolume: { amount: 30000, unit: 'litre' }, refuellingCycleDays: 7 })).status).toBe(200);
    expect((await command('cust-sections', 'segments', { reason: 'Pays by card.', settlement: 'ic-card', locality: 'local' })).status).toBe(200);
    expect((await command('cust-sections', 'reclassify', { category: 'floating', reason: 'Contract ended.' })).status).toBe(200);
    expect((await command('cust-sections', 'evaluations', { rating: 4, comment: '排队时间长' })).status).toBe(200);
    const shown = await file('cust-sections');
    expect(shown.body).toMatchObject({
      category: 'floating', revision: 10,
      contacts: [{ id: 'contact-2', name: '张三', email: 'Zhang@example.com', phone: '13900139000' }],
      contract: { signed: true, signedOn: '2026-01-05', validUntil: '2026-12-31' }, facilities: { storageTanks: 2, storageCapacity: { amount: 40, unit: 'tonne' } },
      otherChannels: { channels: [{ supplier: '中石化朝阳站', products: null, share: 0.3 }] }, consumption: { monthlyVolume: { amount: 30000, unit: 'litre' }, refuellingCycleDays: 7 },
      segments: { settlement: 'ic-card', locality: 'local' }, evaluation: { rating: 4, comment: '排队时间长' },
    });

    const stale = await command('cust-sections', 'importance', { reason: 'Key account.', key: true }, { headers: { 'if-match': '"3"' } });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'revision-mismatch', expectedRevision: 3, currentRevision: 10 });
    expect(stale.body.detail).toContain('customer file');
    const current = await command('cust-sections', 'importance', { reason: 'Key account.', key: true }, { headers: { 'if-match': '"10"' } });
    expect(current.status).toBe(200);
    expect(current.headers.get('etag')).toBe('"11"');
  });

  it('refuses a visit logged in year 0001, a next step in year 9999 or before the visit, and a contract term in year 9999 (400, field by field, nothing written)', async () => {
    await open('cust-far-dates');
    const visitedAt = new Date(Date.now() - 3_600_000).toISOString();
    for (const [verb, body, code, field, says] of [
      ['visits', { visitedAt: '0001-03-02T10:00:00+08:00', channel: 'phone', summary: '电话' }, 'invalid-date', 'visitedAt', 'from 1900 on'],
      ['visits', { visitedAt: '0099-03-02', channel: 'phone', summary: '电话' }, 'invalid-date', 'visitedAt', 'from 1900 on'],
      ['visits', { visitedAt, channel: 'phone', summary: '电话', nextStepDue: '9999-12-31' }, 'date-too-far-ahead', 'nextStepDue', 'at most a year ahead'],
      // A next step due before the visit itself (the visit's day as its offset dates it), naming both.
      ['visits', { visitedAt: '2026-03-02T10:00:00+08:00', channel: 'phone', summary: '电话', nextStepDue: '2026-03-01' }, 'invalid-date', 'nextStepDue', 'nextStepDue 2026-03-01 is before the visit (visitedAt 2026-03-02T10:00:00+08:00)'],
      ['contract', { reason: 'Signed.', validFrom: '2026-01-01', validUntil: '9999-12-31' }, 'date-too-far-ahead', 'validUntil', 'at most twenty years ahead'],
      ['contract', { reason: 'Signed.', validFrom: '0001-01-01' }, 'invalid-date', 'validFrom', 'from 1900 on'],
    ] as const) {
      const response = await command('cust-far-dates', verb, body);
      expect({ body, status: response.status, code: response.body.code }).toEqual({ body, status: 400, code });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors).toEqual([{ field, message: expect.stringContaining(says) }]);
    }
    const events = await app().request('GET', '/customers/cust-far-dates/events', { role: 'auditor' });
    expect(events.body.events.map((event: { type: string }) => event.type)).toEqual(['CustomerFileOpened']);
  });

  it('answers a retried command with the same Idempotency-Key as the first time, and writes it once', async () => {
    await open('cust-retry');
    const body = { visitedAt: new Date(Date.now() - 3_600_000).toISOString(), channel: 'phone', summary: '电话回访' };
    const headers = { 'idempotency-key': 'visit-cust-retry-1' };
    const first = await command('cust-retry', 'visits', body, { headers });
    const again = await command('cust-retry', 'visits', body, { headers });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await file('cust-retry')).body.visits).toHaveLength(1);
    const otherBody = await command('cust-retry', 'visits', { ...body, summary: '另一次' }, { headers });
    expect(otherBody.status).toBe(422);
  });

  it('lists key customers due a visit, and a key customer\'s consumption drop in the alerts', async () => {
    await open('cust-key-visited');
    await open('cust-key-unvisited');
    for (const id of ['cust-key-visited', 'cust-key-unvisited']) expect((await command(id, 'importance', { reason: 'Key account.', key: true, level: 'a' }, { role: 'supervisor' })).status).toBe(200);
    expect((await command('cust-key-visited', 'visits', { visitedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(), channel: 'in-person', summary: '季度拜访', nextStep: '报价', nextStepDue: '2027-01-15' })).status).toBe(200);

    const due = await app().request('GET', `/customers/files?dueVisitDays=7&minPosition=${position}`, { role: 'agent' });
    expect(due.status).toBe(200);
    const dueIds = due.body.items.map((item: { id: string }) => item.id);
    expect(dueIds).toContain('cust-key-unvisited');
    expect(dueIds).not.toContain('cust-key-visited');
    const recent = await app().request('GET', `/customers/files?dueVisitDays=1&importance=a&minPosition=${position}`, { role: 'agent' });
    expect(recent.body.items.map((item: { id: string }) => item.id)).toEqual(expect.arrayContaining(['cust-key-unvisited', 'cust-key-visited']));
    const fleets = await app().request('GET', `/customers/files?segment.driverType=fleet&category=fixed&limit=200&minPosition=${position}`, { role: 'analyst' });
    expect(fleets.body.items.length).toBeGreaterThan(2);
    expect(fleets.body.items.every((item: { segments: { driverType: string } }) => item.segments.driverType === 'fleet')).toBe(true);

    for (const [months, amount] of [[4, 10000], [3, 12000], [2, 11000]] as const) {
      expect((await command('cust-key-unvisited', 'consumption', { period: monthsAgo(months), volume: { amount, unit: 'litre' } })).status).toBe(200);
    }
    const dropped = await command('cust-key-unvisited', 'consumption', { period: monthsAgo(1), volume: { amount: 5000, unit: 'litre' } });
    expect(dropped.status).toBe(200);
    const alerts = await app().request('GET', `/customers/alerts?minPosition=${dropped.body.position}`, { role: 'supervisor' });
    expect(alerts.status).toBe(200);
    expect(alerts.body.items).toEqual([expect.objectContaining({
      id: `cust-key-unvisited|${monthsAgo(1)}`, customerId: 'cust-key-unvisited', period: monthsAgo(1), importanceLevel: 'a',
      volume: { amount: 5000, unit: 'litre' }, recentAverage: { amount: 11000, unit: 'litre' }, drop: 0.5455, policyVersion: 'seed-default-v1',
    })]);
    const correction = await command('cust-key-unvisited', 'consumption', { period: monthsAgo(1), volume: { amount: 5500, unit: 'litre' } });
    expect(correction.status).toBe(400);
    expect(correction.body.code).toBe('reason-required');

    const csv = await app().request('GET', `/customers/alerts?format=csv&minPosition=${position}`, { role: 'analyst' });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(String(csv.body).split('\r\n')[0]).toBe('id,customerId,category,importanceLevel,period,volume.amount,volume.unit,recentAverage.amount,recentAverage.unit,drop,comparedPeriods,policyVersion,dropShare,detectedAt,detectedBy');
  });

  it('clears a drop alert when a correction removes the drop, and raises one when a correction makes it (issue 18)', async () => {
    await open('cust-typo');
    expect((await command('cust-typo', 'importance', { reason: 'Key account.', key: true, level: 'a' }, { role: 'supervisor' })).status).toBe(200);
    for (const [months, amount] of [[4, 30000], [3, 32000], [2, 31000]] as const) {
      expect((await command('cust-typo', 'consumption', { period: monthsAgo(months), volume: { amount, unit: 'litre' } })).status).toBe(200);
    }
    const alertsOf = async (minPosition: number) => (await app().request('GET', `/customers/alerts?minPosition=${minPosition}&limit=200`, { role: 'supervisor' })).body.items
      .filter((alert: { customerId: string }) => alert.customerId === 'cust-typo');
    const typo = await command('cust-typo', 'consumption', { period: monthsAgo(1), volume: { amount: 1.5, unit: 'litre' } });
    expect(await alertsOf(typo.body.position)).toEqual([expect.objectContaining({ period: monthsAgo(1), volume: { amount: 1.5, unit: 'litre' } })]);

    const corrected = await command('cust-typo', 'consumption', { period: monthsAgo(1), volume: { amount: 31000, unit: 'litre' }, reason: '录入错误，按送货单更正' });
    expect(corrected.status).toBe(200);
    expect(await alertsOf(corrected.body.position)).toEqual([]);
    expect((await file('cust-typo')).body.alertedPeriods).toEqual([]);
    const listed = await app().request('GET', `/customers/files?importance=a&limit=200&minPosition=${corrected.body.position}`, { role: 'agent' });
    expect(listed.body.items.find((item: { id: string }) => item.id === 'cust-typo')).toMatchObject({ alertPeriods: [], lastVolume: 31000 });
    const trail = await app().request('GET', '/customers/cust-typo/trail', { role: 'auditor' });
    const clearance = trail.body.entries.find((entry: { type: string }) => entry.type === 'CustomerFileConsumptionDropCleared');
    expect(clearance).toMatchObject({
      policyVersion: 'seed-default-v1',
      data: { period: monthsAgo(1), volume: { amount: 31000, unit: 'litre' }, cause: { period: monthsAgo(1), previous: { amount: 1.5, unit: 'litre' }, reason: '录入错误，按送货单更正' } },
    });
    expect(clearance.decision.en).toContain('Cleared the volume-drop alert');

    const wrongAgain = await command('cust-typo', 'consumption', { period: monthsAgo(1), volume: { amount: 100, unit: 'litre' }, reason: '送货单有误' });
    expect(await alertsOf(wrongAgain.body.position)).toEqual([expect.objectContaining({ period: monthsAgo(1), volume: { amount: 100, unit: 'litre' } })]);
    expect((await file('cust-typo')).body.alertedPeriods).toEqual([monthsAgo(1)]);
  });

  it('opens a minimal file at intake, for an unknown customer only, and shows the customer view', async () => {
    const complaintId = await receive({ customerId: 'cust-walk-in', customerName: '李女士', segment: 'taxi' });
    const opened = await file('cust-walk-in');
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({
      category: 'floating', openedForComplaint: complaintId, openedBy: { id: 'agent-e2e', role: 'agent' }, basics: { name: '李女士' },
      segments: { driverType: 'taxi', consumerKind: 'vehicle' }, revision: 0,
    });
    const events = await app().request('GET', '/customers/cust-walk-in/events', { role: 'auditor' });
    const complaintEvents = await app().request('GET', `/complaints/${complaintId}/events`, { role: 'auditor' });
    expect(events.body.events[0].metadata).toMatchObject({ commandType: 'OpenCustomerFileAtIntake', causationId: complaintEvents.body.events[0].metadata.commandId });
    const second = await receive({ customerId: 'cust-walk-in', customerName: '李女士', segment: 'taxi' });
    expect((await file('cust-walk-in')).body.revision).toBe(0);

    const view = await app().request('GET', `/customers/cust-walk-in?minPosition=${position}`, { role: 'analyst' });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      id: 'cust-walk-in', name: '李女士', segment: 'taxi', score: expect.any(Number), tier: expect.any(String), tierLabels: expect.any(Object), factors: expect.any(Array),
      complaints: { total: 2, open: 2 }, modelVersion: expect.any(Number),
      file: { status: 'active', category: 'floating', name: '李女士', importance: { key: false, level: null }, segments: { driverType: 'taxi' }, revision: 0 },
    });
    expect(view.body.complaintList.map((entry: { id: string }) => entry.id)).toEqual([second, complaintId]);
    expect(view.body.complaintList[0]).toEqual({ id: second, customerId: 'cust-walk-in', status: 'received', receivedAt: expect.any(String), cause: 'quantity-metering', severity: 'high', department: null });

    await open('cust-no-complaint');
    const fileOnly = await app().request('GET', `/customers/cust-no-complaint?minPosition=${position}`, { role: 'analyst' });
    expect(fileOnly.body).toMatchObject({ id: 'cust-no-complaint', score: null, tier: null, complaints: { total: 0 }, file: { category: 'fixed', name: '顺达物流有限公司' }, complaintList: [] });
    expect((await app().request('GET', '/customers/cust-nobody', { role: 'analyst' })).status).toBe(404);
  });

  it('writes the complaint and the new file together, answers the file\'s position, and a retry with the same Idempotency-Key writes nothing new', async () => {
    const headers = { 'idempotency-key': 'intake-atomic-retry-1' };
    const body = { ...newComplaint, customerId: 'cust-intake-retry', customerName: '赵先生' };
    const first = seen(await app().request('POST', '/complaints', { role: 'agent', body, headers }));
    expect(first.status).toBe(201);
    const fileEvents = async () => (await app().request('GET', '/customers/cust-intake-retry/events', { role: 'auditor' })).body.events as Array<{ type: string; position: number; metadata: Record<string, unknown> }>;
    const complaintEvents = async () => (await app().request('GET', `/complaints/${first.body.id}/events`, { role: 'auditor' })).body.events as Array<{ type: string; position: number }>;
    const [opened] = await fileEvents();
    const [received] = await complaintEvents();
    expect(opened).toMatchObject({ type: 'CustomerFileOpened', position: first.body.position, metadata: { commandType: 'OpenCustomerFileAtIntake' } });
    expect(received!.type).toBe('ComplaintReceived');
    expect(received!.position).toBeLessThan(first.body.position);
    expect((await file('cust-intake-retry')).body).toMatchObject({ openedForComplaint: first.body.id, basics: { name: '赵先生' }, revision: 0 });

    const again = await app().request('POST', '/complaints', { role: 'agent', body, headers });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await fileEvents()).toEqual([opened]);
    expect(await complaintEvents()).toEqual([received]);
  });

  it('merges a file into its survivor: the absorbed file refuses commands naming the survivor, and its complaints appear in the survivor\'s view', async () => {
    const earlier = await receive({ customerId: 'cust-dup-phone', customerName: '王立' });
    await open('cust-dup-company');
    const byAgent = await command('cust-dup-phone', 'merge', { survivorId: 'cust-dup-company', reason: 'Same company.' });
    expect(byAgent.status).toBe(403);
    const merged = await command('cust-dup-phone', 'merge', { survivorId: 'cust-dup-company', reason: 'Same company: opened at intake under the driver\'s phone.' }, { role: 'supervisor' });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: 'cust-dup-phone', revision: 1 });
    expect((await file('cust-dup-phone')).body).toEqual({ status: 'merged', id: 'cust-dup-phone', survivorId: 'cust-dup-company', mergedAt: expect.any(String), absorbed: [], revision: 1 });
    expect((await file('cust-dup-company')).body.absorbed).toEqual(['cust-dup-phone']);

    const refused = await command('cust-dup-phone', 'importance', { reason: 'Key account.', key: true });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'customer-file-merged', survivorId: 'cust-dup-company', lastSurvivorId: 'cust-dup-company', detail: expect.stringContaining('send this to cust-dup-company instead') });
    const intoMissing = await command('cust-dup-company', 'merge', { survivorId: 'cust-nowhere', reason: 'r' }, { role: 'supervisor' });
    expect(intoMissing.status).toBe(400);
    expect(intoMissing.body).toMatchObject({ code: 'unknown-survivor', errors: [{ field: 'survivorId' }] });

    // A complaint for the absorbed file is still received, under the id it was given.
    const later = await receive({ customerId: 'cust-dup-phone', customerName: '王立' });
    expect((await file('cust-dup-phone')).body.revision).toBe(1);
    const view = await app().request('GET', `/customers/cust-dup-company?minPosition=${position}`, { role: 'supervisor' });
    expect(view.body.file).toMatchObject({ status: 'active', absorbed: ['cust-dup-phone'] });
    expect(view.body.complaintList.map((entry: { id: string; customerId: string }) => [entry.id, entry.customerId])).toEqual([[later, 'cust-dup-phone'], [earlier, 'cust-dup-phone']]);
    const absorbedView = await app().request('GET', `/customers/cust-dup-phone?minPosition=${position}`, { role: 'supervisor' });
    expect(absorbedView.body.file).toMatchObject({ status: 'merged', survivorId: 'cust-dup-company' });
  });

  it('refuses a merge that would close a circle (back into a file that absorbed this one, directly or down a chain), naming the file that stays and what to do', async () => {
    for (const id of ['cust-ring-a', 'cust-ring-b', 'cust-ring-c', 'cust-ring-d']) expect((await open(id)).status).toBe(201);
    const merge = (from: string, into: string) => command(from, 'merge', { survivorId: into, reason: 'Same customer.' }, { role: 'supervisor' });
    expect((await merge('cust-ring-b', 'cust-ring-a')).status).toBe(200);
    // A into B, B having been merged into A.
    const back = await merge('cust-ring-a', 'cust-ring-b');
    expect([back.status, back.body.code]).toEqual([409, 'survivor-merged']);
    expect(back.body.detail).toBe('Customer file cust-ring-b was already merged into cust-ring-a, so cust-ring-a is the file that stays for both: there is nothing left to merge. Send what was meant for cust-ring-b to cust-ring-a.');
    expect(back.body.detail).not.toContain('merge cust-ring-a into cust-ring-a');
    // A longer chain: C into D, D into A; then A into C.
    expect((await merge('cust-ring-c', 'cust-ring-d')).status).toBe(200);
    expect((await merge('cust-ring-d', 'cust-ring-a')).status).toBe(200);
    const round = await merge('cust-ring-a', 'cust-ring-c');
    expect([round.status, round.body.code]).toEqual([409, 'survivor-merged']);
    expect(round.body.detail).toBe('Customer file cust-ring-c was already merged into cust-ring-a (through cust-ring-d), so cust-ring-a is the file that stays for both: there is nothing left to merge. Send what was meant for cust-ring-c to cust-ring-a.');
    // Not a circle: a file merged down a chain into another one names the end of the chain.
    expect((await open('cust-ring-e')).status).toBe(201);
    const chained = await merge('cust-ring-e', 'cust-ring-c');
    expect([chained.status, chained.body.code]).toEqual([409, 'survivor-merged']);
    expect(chained.body.detail).toBe('Customer file cust-ring-c was itself merged into cust-ring-d, and the file that stays for it now is cust-ring-a: merge cust-ring-e into cust-ring-a instead.');
    expect((await file('cust-ring-a')).body.status).toBe('active');
  });

  it('erases a customer\'s personal data by an admin only, and closes the file', async () => {
    await open('cust-erase');
    const body = { ground: 'consent-withdrawn', reason: 'Written request received at the station.', requestReference: 'PIPL-2026-007' };
    for (const role of ['agent', 'supervisor', 'analyst', 'auditor'] as const) expect((await command('cust-erase', 'erase', body, { role })).status).toBe(403);
    const erased = await command('cust-erase', 'erase', body, { role: 'admin' });
    expect(erased.status).toBe(200);
    expect((await file('cust-erase')).body).toMatchObject({ status: 'erased', ground: 'consent-withdrawn', coveredFileIds: ['cust-erase'] });
    const events = (await app().request('GET', '/customers/cust-erase/events', { role: 'auditor' })).body.events;
    expect(events[1]).toMatchObject({ type: 'CustomerFilePersonalDataErased', data: { requestReference: 'PIPL-2026-007', personalFields: expect.arrayContaining(['basics.name']) }, metadata: { actor: { role: 'admin' } } });
    const after = await command('cust-erase', 'basics', { reason: 'r', name: '新名字' });
    expect(after.status).toBe(409);
    expect(after.body.code).toBe('customer-file-erased');
    const listed = await app().request('GET', `/customers/files?status=erased&minPosition=${position}`, { role: 'analyst' });
    expect(listed.body.items).toEqual([expect.objectContaining({ id: 'cust-erase', status: 'erased', name: null, address: null })]);
  });

  it('finds files by name, address, id or a contact\'s phone (written any way), and forgets an erased customer', async () => {
    await open('cust-search-1', { name: '宏达运输公司', address: '沈阳市和平区南京北街 12 号', contacts: [{ name: '赵敏', phone: '+86 138-0024-5566' }] });
    await open('cust-search-2', { name: 'Northern Freight Ltd', address: '大连市中山区人民路 5 号', contacts: [] });
    await command('cust-search-2', 'contacts', { reason: 'Dispatcher.', name: 'Li Ming', phone: '(0411) 8888 1234' });
    const found = async (q: string) => {
      const response = await app().request('GET', `/customers/files?q=${encodeURIComponent(q)}&minPosition=${position}`, { role: 'analyst' });
      expect(response.status).toBe(200);
      return response.body.items.map((item: { id: string }) => item.id).sort();
    };
    expect(await found('宏达')).toEqual(['cust-search-1']);
    expect(await found('沈阳')).toEqual(['cust-search-1']);
    expect(await found('northern freight')).toEqual(['cust-search-2']);
    expect(await found('0024 5566')).toEqual(['cust-search-1']);
    expect(await found('138-0024')).toEqual(['cust-search-1']);
    expect(await found('8888-1234')).toEqual(['cust-search-2']);
    expect(await found('cust-search-')).toEqual(['cust-search-1', 'cust-search-2']);
    // A phone changed: the old number no longer finds the file, the new one does.
    await command('cust-search-2', 'contacts/change', { contactId: 'contact-1', reason: 'New number.', phone: '0411 6666 7777' });
    expect(await found('8888')).toEqual([]);
    expect(await found('6666 7777')).toEqual(['cust-search-2']);
    // With the country code or without it, as a person reads the number out.
    expect(await found('+86 0411 6666 7777')).toEqual(['cust-search-2']);
    expect(await found('138 0024 5566')).toEqual(['cust-search-1']);
    // Erased: neither the name nor the phone finds it any more.
    await command('cust-search-1', 'erase', { ground: 'consent-withdrawn', reason: 'Written request.', requestReference: 'PIPL-2026-099' }, { role: 'admin' });
    expect(await found('宏达')).toEqual([]);
    expect(await found('0024 5566')).toEqual([]);
    expect(await found('cust-search-1')).toEqual(['cust-search-1']);
    const erased = await app().request('GET', `/customers/files?q=cust-search-1&minPosition=${position}`, { role: 'analyst' });
    expect(erased.body.items).toEqual([expect.objectContaining({ id: 'cust-search-1', status: 'erased', name: null, address: null })]);
    expect(erased.body.items[0]).not.toHaveProperty('phones');
    expect((await app().request('GET', '/customers/files?q=', { role: 'analyst' })).status).toBe(400);
  });

  describe('a token limited to departments', () => {
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      for (const [name, principalId] of [['opsAgent', 'ops.agent'], ['opsSupervisor', 'ops.supervisor']] as const) {
        const role = name === 'opsAgent' ? 'agent' : 'supervisor';
        tokens[name] = (await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId, role, departments: ['station-ops'], reason: 'customer files e2e' } })).body.token;
      }
    });

    it('sees a file when it opened it or sees one of the customer\'s complaints, and nothing else', async () => {
      const opsComplaint = await receive({ customerId: 'cust-ops-only' });
      const billingComplaint = await receive({ customerId: 'cust-billing-only' });
      for (const [id, department] of [[opsComplaint, 'station-ops'], [billingComplaint, 'billing']] as const) {
        expect(seen(await app().request('POST', `/complaints/${id}/validate`, { body: { reason: 'ok' } })).status).toBe(200);
        expect(seen(await app().request('POST', `/complaints/${id}/assign`, { body: { department, assignee: `${department}-handler` } })).status).toBe(200);
      }
      // The assignment reaches the complaint list read model the scope is checked against.
      await app().request('GET', `/complaints?minPosition=${position}`, { role: 'analyst' });
      const token = tokens['opsSupervisor']!;
      expect((await app().request('GET', '/customers/cust-ops-only/file', { token })).status).toBe(200);
      const hidden = await app().request('GET', '/customers/cust-billing-only/file', { token });
      expect(hidden.status).toBe(404);
      expect(hidden.body.code).toBe('customer-file-not-found');
      expect((await app().request('GET', '/customers/cust-billing-only/events', { token })).status).toBe(404);
      expect((await command('cust-billing-only', 'importance', { reason: 'r', key: true }, { token })).status).toBe(404);
      expect((await command('cust-ops-only', 'importance', { reason: 'Key account.', key: true }, { token })).status).toBe(200);
      // The survivor of a merge must be visible too.
      expect((await command('cust-ops-only', 'merge', { survivorId: 'cust-billing-only', reason: 'r' }, { token })).status).toBe(404);

      const agent = tokens['opsAgent']!;
      const own = seen(await app().request('POST', '/customers', { token: agent, body: openFleet('cust-opened-by-ops-agent') }));
      expect(own.status).toBe(201);
      expect((await app().request('GET', '/customers/cust-opened-by-ops-agent/file', { token: agent })).status).toBe(200);
      expect((await command('cust-opened-by-ops-agent', 'visits', { visitedAt: new Date().toISOString(), channel: 'phone', summary: '电话' }, { token: agent })).status).toBe(200);
      expect((await app().request('GET', '/customers/cust-opened-by-ops-agent/file', { token: tokens['opsSupervisor']! })).status).toBe(404);
      // A complaint the agent received (not assigned yet) shows its customer's file to the agent.
      await receive({ customerId: 'cust-received-by-ops-agent' }, { token: agent });
      expect((await app().request('GET', '/customers/cust-received-by-ops-agent/file', { token: agent })).status).toBe(200);

      for (const path of ['/customers/files', '/customers/alerts', '/customers/importance-loyalty', '/customers/cust-ops-only']) {
        const refused = await app().request('GET', path, { token });
        expect({ path, status: refused.status }).toEqual({ path, status: 403 });
      }
    });

    it('follows merges at any depth (A into B, then B into C): C\'s view, the access to C and C\'s erasure all reach A', async () => {
      await open('cust-chain-a', { name: '链式甲物流公司', address: '营口市站前区渤海大街 7 号', contacts: [{ name: '孙强', phone: '139 4170 5522' }] });
      await open('cust-chain-b', { name: '链式乙物流公司' });
      await open('cust-chain-c', { name: '链式丙物流公司' });
      const complaint = await receive({ customerId: 'cust-chain-a', customerName: '孙强' });
      const repair = seen(await app().request('POST', '/work-orders', { role: 'agent', body: { ...newWorkOrder, customerId: 'cust-chain-a', contact: { name: '孙强', phone: '13941705522' }, address: '营口市站前区渤海大街 7 号' } }));
      expect(repair.status).toBe(201);
      expect(seen(await app().request('POST', `/complaints/${complaint}/validate`, { body: { reason: 'ok' } })).status).toBe(200);
      expect(seen(await app().request('POST', `/complaints/${complaint}/assign`, { body: { department: 'station-ops', assignee: 'station-ops-handler' } })).status).toBe(200);
      expect((await command('cust-chain-a', 'merge', { survivorId: 'cust-chain-b', reason: 'Same company.' }, { role: 'supervisor' })).status).toBe(200);
      expect((await command('cust-chain-b', 'merge', { survivorId: 'cust-chain-c', reason: 'Same company.' }, { role: 'supervisor' })).status).toBe(200);
      // A command for A is sent on to the end of the chain, C; the file it was merged into, B, is named too.
      const refused = await command('cust-chain-a', 'importance', { reason: 'Key account.', key: true });
      expect(refused.body).toMatchObject({ code: 'customer-file-merged', survivorId: 'cust-chain-b', lastSurvivorId: 'cust-chain-c' });
      expect(refused.body.detail).toMatch(/^Customer file cust-chain-a was merged into cust-chain-b at \S+ and is closed; cust-chain-b was since merged on, and the file that stays for it now is cust-chain-c: send this to cust-chain-c instead\.$/);

      const view = await app().request('GET', `/customers/cust-chain-c?minPosition=${position}`, { role: 'supervisor' });
      expect(view.body.complaintList.map((entry: { id: string; customerId: string }) => [entry.id, entry.customerId])).toEqual([[complaint, 'cust-chain-a']]);
      const trail = await app().request('GET', '/customers/cust-chain-c/trail', { role: 'auditor' });
      expect(trail.body.absorbed.map((each: { customerId: string }) => each.customerId)).toEqual(['cust-chain-b', 'cust-chain-a']);
      const agent = tokens['opsAgent']!;
      expect((await app().request('GET', '/customers/cust-chain-b/file', { token: agent })).status).toBe(200);
      expect((await app().request('GET', '/customers/cust-chain-c/file', { token: agent })).status).toBe(200);

      expect((await command('cust-chain-c', 'erase', { ground: 'consent-withdrawn', reason: 'Written request.', requestReference: 'PIPL-2026-123' }, { role: 'admin' })).status).toBe(200);
      expect((await file('cust-chain-c')).body).toMatchObject({ status: 'erased', coveredFileIds: ['cust-chain-c', 'cust-chain-b', 'cust-chain-a'] });
      const found = async (q: string) => (await app().request('GET', `/customers/files?q=${encodeURIComponent(q)}&minPosition=${position}`, { role: 'analyst' })).body.items;
      expect(await found('链式甲')).toEqual([]);
      expect(await found('4170 5522')).toEqual([]);
      expect(await found('cust-chain-a')).toEqual([expect.objectContaining({ id: 'cust-chain-a', name: null, address: null })]);
      const events = (await app().request('GET', '/customers/cust-chain-a/events', { role: 'auditor' })).body.events;
      expect(events[0]).toMatchObject({ type: 'CustomerFileOpened', data: { personal: null } });
      expect(JSON.stringify(events)).not.toContain('链式甲');
      expect((await app().request('GET', `/work-orders/${repair.body.id}`, { role: 'agent' })).body).toMatchObject({ customerId: 'cust-chain-a', contact: null, address: null });
      // The completion (what finishes an erasure a crash cut short) has the app's read store forget what was replaced.
      const forget = jest.spyOn(app().get(ReadStore), 'forgetDeleted');
      expect(await app().get(ErasureCompletion).complete('cust-chain-c')).toMatchObject({ erasures: 1 });
      expect(forget).toHaveBeenCalled();
      forget.mockRestore();
    });

    it('is answered 404, as on a read, when it opens a file under the id of one it may not see', async () => {
      await open('cust-hidden-taken');
      await open('cust-hidden-survivor');
      expect((await command('cust-hidden-taken', 'merge', { survivorId: 'cust-hidden-survivor', reason: 'Same company.' }, { role: 'supervisor' })).status).toBe(200);
      const token = tokens['opsSupervisor']!;
      for (const id of ['cust-hidden-taken', 'cust-hidden-survivor']) {
        const read = await app().request('GET', `/customers/${id}/file`, { token });
        const opened = await app().request('POST', '/customers', { token, body: openFleet(id) });
        expect({ id, status: opened.status, body: opened.body }).toEqual({ id, status: 404, body: expect.objectContaining({ code: 'customer-file-not-found', detail: read.body.detail }) });
        expect(opened.body.detail).toContain('that you may see');
        expect(opened.body.detail).not.toMatch(/open it first|merged|cust-hidden-survivor.*cust-hidden-taken/);
      }
      // A file it may see is still a 409; a new id is opened.
      expect((await app().request('POST', '/customers', { role: 'supervisor', body: openFleet('cust-hidden-taken') })).status).toBe(409);
      expect((await app().request('POST', '/customers', { token, body: openFleet('cust-hidden-new') })).status).toBe(201);
    });

    it('is answered a retried command only for a file it may still see', async () => {
      const agent = tokens['opsAgent']!;
      const headers = { 'idempotency-key': 'scoped-retry-1' };
      await open('cust-scoped-retry');
      // The same principal (ops.agent) retries through a token limited to a department, for a file it cannot see.
      const unlimited = (await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'ops.agent', role: 'agent', reason: 'unlimited token of the same principal' } })).body.token;
      const body = { reason: 'Key account.', key: true };
      expect((await command('cust-scoped-retry', 'importance', body, { token: unlimited, headers })).status).toBe(200);
      expect((await command('cust-scoped-retry', 'importance', body, { token: agent, headers })).status).toBe(404);
    });
  });

  it('counts the files by importance and loyalty, and exports the files as CSV', async () => {
    const matrix = await app().request('GET', `/customers/importance-loyalty?minPosition=${position}`, { role: 'analyst' });
    expect(matrix.status).toBe(200);
    expect(matrix.body.rows).toHaveLength(20);
    expect(matrix.body.rows.find((row: { importance: string; tier: string }) => row.importance === 'a' && row.tier === 'no-complaints').customers).toBeGreaterThanOrEqual(2);
    expect(matrix.body.totals.customers).toBe(matrix.body.rows.reduce((sum: number, row: { customers: number }) => sum + row.customers, 0));
    const csv = await app().request('GET', `/customers/importance-loyalty?format=csv&minPosition=${position}`, { role: 'analyst' });
    expect(String(csv.body).split('\r\n').slice(0, 2)).toEqual(['importance,tier,customers,keyCustomers', expect.stringMatching(/^a,loyal,\d+,\d+$/)]);
    const files = await app().request('GET', `/customers/files?format=csv&minPosition=${position}`, { role: 'analyst' });
    expect(files.headers.get('content-disposition')).toMatch(/filename="customer-files-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(String(files.body).split('\r\n')[0]).toContain('id,status,category,name,address,customerType,creditRating,importance.key,importance.level,segments.consumerKind');
  });

  it('serves the codes of the file with their labels, and documents every route with its schemas and an example', async () => {
    const codes = await app().request('GET', '/taxonomy/customer-files', { role: null });
    expect(codes.status).toBe(200);
    expect(codes.body.importanceLevel).toContainEqual({ code: 'a', labels: { 'zh-CN': 'A 类（重点）', en: 'A (key)' } });
    const spec = (await app().request('GET', '/docs-json', { role: null })).body;
    for (const verb of ['reclassify', 'basics', 'consumption-profile', 'contract', 'facilities', 'other-channels', 'importance', 'segments', 'contacts', 'contacts/change',
      'contacts/remove', 'visits', 'evaluations', 'consumption', 'merge', 'erase']) {
      const operation = spec.paths[`/customers/{id}/${verb}`]?.post;
      expect({
        verb, body: operation?.requestBody?.content?.['application/json']?.example !== undefined, answer: operation?.responses?.['200']?.content !== undefined,
        refusals: operation?.responses?.['409']?.description.includes('`customer-file-merged`'),
      }).toEqual({ verb, body: true, answer: true, refusals: true });
    }
    expect(spec.paths['/customers'].post.requestBody.content['application/json'].example.category).toBe('fixed');
    for (const path of ['/customers/{id}/file', '/customers/{id}/events', '/customers/files', '/customers/alerts', '/customers/importance-loyalty', '/customers/{id}', '/taxonomy/customer-files']) {
      expect({ path, answer: spec.paths[path]?.get?.responses?.['200']?.content !== undefined }).toEqual({ path, answer: true });
    }
    expect(spec.components.schemas.LogCustomerVisitDto.properties.channel.example).toBe('in-person');
  });
});

describe('an intake\'s Idempotency-Key used again for another customer once its stored answer has expired', () => {
  /** The app's clock, moved past the key's stored answer (IDEMPOTENCY_TTL_HOURS) by the test. */
  let ahead = 0;
  const app = useApp(undefined, { idempotencyTtlHours: 1 }, { clock: new (class extends Clock {
    override now(): Date {
      return new Date(Date.now() + ahead);
    }
  })() });

  it.each([
    ['complaint', '/complaints', newComplaint],
    ['work order', '/work-orders', newWorkOrder],
  ])('refuses a %s for another customer (422 idempotency-key-reused) and opens no file for the first one\'s record', async (kind, path, body) => {
    const key = { 'Idempotency-Key': `intake-expired-${path}` };
    const first = await app().request('POST', path, { role: 'agent', body: { ...body, customerId: `cust-first${path.replace('/', '-')}` }, headers: key });
    expect(first.status).toBe(201);
    ahead += 2 * 3_600_000;
    const other = `cust-second${path.replace('/', '-')}`;
    const refused = await app().request('POST', path, { role: 'agent', body: { ...body, customerId: other }, headers: key });
    expect([refused.status, refused.body.code]).toEqual([422, 'idempotency-key-reused']);
    expect(refused.body.detail).toContain(`already recorded a ${kind} for another customer`);
    expect((await app().request('GET', `/customers/${other}/events`, { role: 'auditor' })).status).toBe(404);
  });
});
