import { DEFAULT_CONSUMPTION_ALERT_POLICY, type Actor } from '@app/domain';
import { generationOf, type Projection } from '@app/projections';
import { project, recordedEvents, type InMemoryProjectionContext } from '@app/projections/testing';
import { SqliteReadStore, generationCollection, type ReadDocument } from '@app/read-store';
import { customerLoyaltyProjection } from '../loyalty/customer-loyalty.projection';
import { ReadModelReader } from '../read-model-reader';
import { at, complaint, customerFile } from '../testing-fixtures';
import {
  alertIdOf, customerFilesProjection, type ConsumptionAlertDocument, type PendingMergeDocument, type StoredCustomerFile,
} from './customer-files.projection';
import { CustomerFilesQuery } from './customer-files.query';
import { auditDecisionsProjection, decisionOf, type StoredDecision } from '../decisions/audit-decisions.projection';

const supervisor: Actor = { id: 'supervisor-1', role: 'supervisor' };
const admin: Actor = { id: 'admin-1', role: 'admin' };
const litres = (amount: number) => ({ amount, unit: 'litre' as const });
const policy = DEFAULT_CONSUMPTION_ALERT_POLICY;

/** A fixed file of a fleet company, opened by a supervisor at T0. */
function fleet(customerId = 'cust-fleet') {
  const file = customerFile(customerId);
  file.step('OpenCustomerFile', {
    category: 'fixed', reason: 'signed a supply agreement', name: '顺达物流有限公司', customerType: 'organisation', address: '北京市朝阳区建国路 88 号',
    contacts: [{ name: '王立', phone: '138 0013 8000' }], segments: { consumerKind: 'vehicle', driverType: 'fleet' },
  }, 0, supervisor);
  return file;
}

const files = async (events: Parameters<typeof project>[1]) => project(customerFilesProjection, events);

describe('customer files read model', () => {
  describe('given a file opened by hand, then updated', () => {
    it('lists its basic facts, importance and segments, with the revision of the latest change', async () => {
      const file = fleet();
      file.step('UpdateCustomerBasics', { reason: 'moved', address: '北京市海淀区中关村大街 1 号', creditRating: 'a' }, 5, supervisor);
      file.step('UpdateCustomerImportance', { reason: 'largest fleet in the district', key: true, level: 'a' }, 6, supervisor);
      file.step('UpdateCustomerSegments', { reason: 'settles monthly by card', locality: 'local', settlement: 'ic-card' }, 7);
      file.step('ReclassifyCustomer', { category: 'floating', reason: 'contract ended' }, 8, supervisor);
      file.step('AddCustomerContact', { reason: 'new fleet manager', name: '张三', email: 'zhang@example.com' }, 9);
      const summary = (await files(file.events)).get<StoredCustomerFile>('files', 'cust-fleet');
      expect(summary).toMatchObject({
        status: 'active', category: 'floating', name: '顺达物流有限公司', address: '北京市海淀区中关村大街 1 号', customerType: 'organisation', creditRating: 'a',
        importance: { key: true, level: 'a' }, segments: { consumerKind: 'vehicle', driverType: 'fleet', locality: 'local', settlement: 'ic-card', usage: null },
        contacts: 2, openedBy: 'supervisor-1', openedForComplaint: null, revision: 5, updatedAt: at(9), visitKey: '',
      });
    });
  });

  describe('given visits', () => {
    it('keeps the latest visit and its next step; a visit logged late does not move it back', async () => {
      const file = fleet();
      file.step('LogCustomerVisit', { visitedAt: at(60), channel: 'in-person', summary: '了解用油需求', nextStep: '报价', nextStepDue: '2026-03-10' }, 70);
      file.step('LogCustomerVisit', { visitedAt: at(30), channel: 'phone', summary: '电话预约' }, 80);
      expect((await files(file.events)).get<StoredCustomerFile>('files', 'cust-fleet')).toMatchObject({
        visits: 2, lastVisitAt: at(60), nextStepDue: '2026-03-10', visitKey: at(60),
      });
    });
  });

  describe('given monthly figures of a key customer', () => {
    it('lists a drop alert with its figures and the policy in force, and marks the month on the file', async () => {
      const file = fleet();
      file.step('UpdateCustomerImportance', { reason: 'key account', key: true, level: 'a' }, 5, supervisor);
      for (const [period, amount] of [['2025-12', 10_000], ['2026-01', 12_000], ['2026-02', 11_000]] as const) {
        file.step('RecordCustomerConsumption', { period, volume: litres(amount), policy }, 10);
      }
      file.step('RecordCustomerConsumption', { period: '2026-03', volume: litres(6_000), policy }, 20);
      const context = await files(file.events);
      expect(context.get<ConsumptionAlertDocument>('alerts', alertIdOf('cust-fleet', '2026-03'))).toEqual({
        id: 'cust-fleet|2026-03', customerId: 'cust-fleet', category: 'fixed', importanceLevel: 'a', period: '2026-03',
        volume: litres(6_000), recentAverage: litres(11_000), drop: 0.4545, comparedPeriods: ['2025-12', '2026-01', '2026-02'],
        policyVersion: policy.version, dropShare: 0.3, detectedAt: at(20), detectedBy: 'agent-1',
      });
      expect(context.get<StoredCustomerFile>('files', 'cust-fleet')).toMatchObject({ alertPeriods: ['2026-03'], lastPeriod: '2026-03', lastVolume: 6_000, volumeUnit: 'litre' });
    });

    it('takes the alert off the list and the month off the file when a correction clears it', async () => {
      const file = fleet();
      file.step('UpdateCustomerImportance', { reason: 'key account', key: true, level: 'a' }, 5, supervisor);
      for (const [period, amount] of [['2025-12', 30_000], ['2026-01', 32_000], ['2026-02', 31_000], ['2026-03', 1.5]] as const) {
        file.step('RecordCustomerConsumption', { period, volume: litres(amount), policy }, 10);
      }
      expect((await files(file.events)).get<ConsumptionAlertDocument>('alerts', alertIdOf('cust-fleet', '2026-03'))).toBeDefined();
      file.step('RecordCustomerConsumption', { period: '2026-03', volume: litres(31_000), reason: 'typo', policy }, 20);
      expect(file.events.at(-1)?.type).toBe('CustomerFileConsumptionDropCleared');
      const context = await files(file.events);
      expect(context.all<ConsumptionAlertDocument>('alerts')).toEqual([]);
      expect(context.get<StoredCustomerFile>('files', 'cust-fleet')).toMatchObject({ alertPeriods: [], lastPeriod: '2026-03', lastVolume: 31_000, updatedAt: at(20) });
    });

    it('keeps the latest month when an earlier one is back-filled', async () => {
      const file = fleet();
      file.step('RecordCustomerConsumption', { period: '2026-02', volume: litres(9_000), policy }, 10);
      file.step('RecordCustomerConsumption', { period: '2025-11', volume: litres(8_000), policy }, 11);
      expect((await files(file.events)).get<StoredCustomerFile>('files', 'cust-fleet')).toMatchObject({ lastPeriod: '2026-02', lastVolume: 9_000 });
    });
  });

  describe('given a merge', () => {
    const merged = () => {
      const absorbed = fleet('cust-a');
      const survivor = fleet('cust-b');
      absorbed.step('MergeCustomerFile', { survivorId: 'cust-b', reason: 'same company, two files', survivor: { status: 'active' } }, 30, supervisor);
      return { absorbed, survivor };
    };

    it('points the absorbed file to the survivor, and keeps the merge pending until the survivor records it', async () => {
      const { absorbed, survivor } = merged();
      const half = await files([...absorbed.events, ...survivor.events]);
      expect(half.get<StoredCustomerFile>('files', 'cust-a')).toMatchObject({ status: 'merged', survivorId: 'cust-b', mergedAt: at(30) });
      expect(half.get<PendingMergeDocument>('pendingMerges', 'cust-a')).toMatchObject({ survivorId: 'cust-b', reason: 'same company, two files', mergedAt: at(30) });
      survivor.step('RecordAbsorbedCustomerFile', { absorbedId: 'cust-a', reason: 'same company, two files' }, 31, supervisor);
      const whole = await files([...absorbed.events, ...survivor.events]);
      expect(whole.get('pendingMerges', 'cust-a')).toBeUndefined();
      expect(whole.get<StoredCustomerFile>('files', 'cust-b')).toMatchObject({ status: 'active', absorbed: ['cust-a'] });
    });

    it('forgets the personal fields of the erased file and of the files it absorbed', async () => {
      const { absorbed, survivor } = merged();
      survivor.step('RecordAbsorbedCustomerFile', { absorbedId: 'cust-a', reason: 'same company' }, 31, supervisor);
      survivor.step('EraseCustomerPersonalData', { ground: 'consent-withdrawn', reason: 'written request' }, 40, admin);
      const context = await files([...absorbed.events, ...survivor.events]);
      expect(context.get<StoredCustomerFile>('files', 'cust-b')).toMatchObject({ status: 'erased', erasedAt: at(40), name: null, address: null });
      expect(context.get<StoredCustomerFile>('files', 'cust-a')).toMatchObject({ status: 'merged', name: null, address: null });
    });
  });

  it('opens a floating file at intake with the complaint that opened it', async () => {
    const file = customerFile('cust-walk-in');
    file.step('OpenCustomerFileAtIntake', { complaintId: 'c-1', name: '李女士', segment: 'taxi' }, 0);
    expect((await files(file.events)).get<StoredCustomerFile>('files', 'cust-walk-in')).toMatchObject({
      category: 'floating', name: '李女士', openedForComplaint: 'c-1', openedBy: 'agent-1', segments: { driverType: 'taxi', consumerKind: 'vehicle' },
    });
  });

  it('ignores complaint events', async () => {
    expect((await files([complaint('11111111-1111-4111-8111-111111111111').received])).snapshot()).toBe('[]');
  });
});

describe('customer files queries', () => {
  let store: SqliteReadStore;
  let query: CustomerFilesQuery;

  /** The documents of each projection committed as their live generation. */
  async function load(projected: ReadonlyArray<readonly [Projection, InMemoryProjectionContext]>) {
    for (const [projection, context] of projected) {
      const generation = generationOf(projection);
      const changes = projection.collections.flatMap((spec) => context.all<ReadDocument>(spec.name).map((document) => ({ kind: 'put' as const, collection: generationCollection(generation, spec.name), document })));
      await store.ensureCollections(projection.collections.map((spec) => ({ ...spec, name: generationCollection(generation, spec.name) })));
      await store.commit(generation, changes, 1);
      await store.activateGeneration(projection.name, generation);
    }
  }

  beforeEach(async () => {
    store = new SqliteReadStore({ filename: ':memory:' });
    query = new CustomerFilesQuery(new ReadModelReader(store, [customerFilesProjection, customerLoyaltyProjection]));
    const key = fleet('cust-key');
    key.step('UpdateCustomerImportance', { reason: 'key account', key: true, level: 'a' }, 5, supervisor);
    const visited = fleet('cust-visited');
    visited.step('UpdateCustomerImportance', { reason: 'key account', key: true, level: 'a' }, 5, supervisor);
    visited.step('LogCustomerVisit', { visitedAt: at(60 * 24 * 10), channel: 'in-person', summary: '拜访' }, 60 * 24 * 10);
    const ordinary = customerFile('cust-hotel');
    ordinary.step('OpenCustomerFile', { category: 'potential', reason: 'boiler user nearby', name: '锦江宾馆', segments: { consumerKind: 'non-vehicle', usage: 'hotel-boiler' } }, 1, supervisor);
    ordinary.step('UpdateCustomerImportance', { reason: 'small', level: 'c' }, 6, supervisor);
    const events = [...key.events, ...visited.events, ...ordinary.events];
    const unhappy = complaint('22222222-2222-4222-8222-222222222222', { customerId: 'cust-key' });
    const loyalty = [unhappy.received, unhappy.breached('first-reply', at(120), 121), unhappy.breached('answer', at(72 * 60), 72 * 60 + 1)];
    await load([[customerFilesProjection, await files(events)], [customerLoyaltyProjection, await project(customerLoyaltyProjection, loyalty)]]);
  });
  afterEach(async () => {
    await store.close();
  });

  const ids = (page: { items: ReadonlyArray<{ id: string }> }) => page.items.map((item) => item.id);

  it('filters by importance, category and segment dimension, newest first, without the sort key', async () => {
    expect(ids(await query.files({ importance: 'key' }, { limit: 10 }))).toEqual(['cust-visited', 'cust-key']);
    expect(ids(await query.files({ importance: 'c' }, { limit: 10 }))).toEqual(['cust-hotel']);
    expect(ids(await query.files({ category: 'potential' }, { limit: 10 }))).toEqual(['cust-hotel']);
    expect(ids(await query.files({ segments: { consumerKind: 'vehicle', driverType: 'fleet' } }, { limit: 10 }))).toEqual(['cust-visited', 'cust-key']);
    const [first] = (await query.files({}, { limit: 1 })).items;
    expect(first).not.toHaveProperty('visitKey');
  });

  it('lists the key customers not visited since a moment, never visited first', async () => {
    expect(ids(await query.files({ notVisitedSince: at(60 * 24 * 20) }, { limit: 10 }))).toEqual(['cust-key', 'cust-visited']);
    expect(ids(await query.files({ notVisitedSince: at(60 * 24 * 5) }, { limit: 10 }))).toEqual(['cust-key']);
  });

  it('counts the files on record by importance level and loyalty tier, every cell listed', async () => {
    const { rows, totals } = await query.importanceByLoyalty();
    expect(rows).toHaveLength(20);
    expect(rows.filter((row) => row.customers > 0)).toEqual([
      { importance: 'a', tier: 'at-risk', customers: 1, keyCustomers: 1 },
      { importance: 'a', tier: 'no-complaints', customers: 1, keyCustomers: 1 },
      { importance: 'c', tier: 'no-complaints', customers: 1, keyCustomers: 0 },
    ]);
    expect(totals).toEqual({ customers: 3, keyCustomers: 2 });
  });
});

describe('audit decisions of customer files', () => {
  it('records every customer-file decision with its words and stream, quoting no personal value', async () => {
    const file = fleet();
    file.step('AddCustomerContact', { reason: 'new fleet manager', name: '张三', email: 'zhang@example.com' }, 5);
    file.step('RemoveCustomerContact', { contactId: 'contact-1', reason: 'left the company' }, 6);
    file.step('EraseCustomerPersonalData', { ground: 'consent-withdrawn', reason: 'written request', requestReference: 'PIPL-1' }, 7, admin);
    const context = await project(auditDecisionsProjection, file.events);
    const decisions = context.all<StoredDecision>('decisions').sort((x, y) => x.position - y.position);
    // The words are worked out from the event when read (docs/adr/0011, sixth step): the query's words of each stored decision.
    const recorded = recordedEvents(file.events);
    const words = decisions.map((decision) => decisionOf(recorded.find((event) => event.position === decision.position)!)!.words);
    expect(decisions.map((decision) => [decision.type, decision.stream, decision.complaintId, decision.workOrderId])).toEqual([
      ['CustomerFileOpened', 'customer-cust-fleet', null, null], ['CustomerFileContactAdded', 'customer-cust-fleet', null, null],
      ['CustomerFileContactRemoved', 'customer-cust-fleet', null, null], ['CustomerFilePersonalDataErased', 'customer-cust-fleet', null, null],
    ]);
    expect(words[2]).toEqual({ 'zh-CN': '删除联系人 contact-1：left the company', en: 'Removed contact contact-1: left the company' });
    expect(words[3]!.en).toContain('Erased the customer\'s personal data');
    for (const personal of ['顺达物流', '王立', '张三', 'zhang@example.com', '北京市']) expect([personal, JSON.stringify(words).includes(personal)]).toEqual([personal, false]);
    for (const personal of ['顺达物流', '王立', '张三', 'zhang@example.com', '北京市']) expect([personal, context.snapshot().includes(personal)]).toEqual([personal, false]);
  });
});
