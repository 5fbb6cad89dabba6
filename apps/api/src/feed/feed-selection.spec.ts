import type { RecordedEvent } from '@app/event-store';
import { FeedSelection, feedEventOf, storeFilterOf, streamTypeOf, type FeedFilter, type FeedLookups, type FeedReader, type ScopeFacts } from './feed-selection';

const COMPLAINT = '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e';
const OTHER = '1d9f4f1f-6b8e-4c2f-8d5f-3a2b4c5d6e7f';

const recorded = (stream: string, type: string, data: Record<string, unknown> = {}, revision = 0): RecordedEvent => ({
  eventId: `${stream}-${revision}`, stream, revision, position: revision + 1, type, data, metadata: { actor: { id: 'agent-1', role: 'agent' } }, recordedAt: '2026-03-01T08:00:00.000Z',
});

/** Complaint COMPLAINT is billing's, received by agent-1, of cust-1; OTHER is unassigned, received by agent-2, of cust-2; every file is visible to agent-1 only. */
const lookups: FeedLookups = {
  facts: async (stream) => {
    const facts: Record<string, ScopeFacts> = {
      [`complaint-${COMPLAINT}`]: { revision: 5, openedBy: { id: 'agent-1', role: 'agent' }, department: 'billing', customerId: 'cust-1' },
      [`complaint-${OTHER}`]: { revision: 0, openedBy: { id: 'agent-2', role: 'agent' }, department: null, customerId: 'cust-2' },
      'work-order-w1': { revision: 3, openedBy: { id: 'agent-2', role: 'agent' }, department: 'dandong-station', customerId: 'cust-1' },
    };
    return facts[stream];
  },
  customerFileVisible: async (_customerId, actorId) => actorId === 'agent-1',
};
const reader = (role: FeedReader['actor']['role'], scope: FeedReader['scope'] = 'all', id = 'agent-1'): FeedReader => ({ actor: { id, role }, scope });
const select = (filter: FeedFilter, who: FeedReader) => new FeedSelection(filter, who, lookups);

describe('the feed\'s selection', () => {
  it('knows each kind of stream by its name, and no other', () => {
    expect([
      `complaint-${COMPLAINT}`, 'work-order-w1', 'customer-cust-1', 'product-TQ2240-000731', 'service-network', 'access-control', 'log-seals', 'counter-1', 'service-networks',
    ].map(streamTypeOf)).toEqual(['complaint', 'work-order', 'customer-file', 'product', 'service-network', 'access', 'audit', undefined, undefined]);
  });

  it('lets the store filter by stream prefix and event type where the client narrowed them', () => {
    expect(storeFilterOf({})).toBeUndefined();
    expect(storeFilterOf({ streamTypes: ['complaint', 'access'], eventTypes: ['ComplaintReceived'] })).toEqual({ streamPrefixes: ['complaint-', 'access-control'], eventTypes: ['ComplaintReceived'] });
    expect(storeFilterOf({ streamTypes: ['work-order'], complaintId: COMPLAINT })).toEqual({ streamPrefixes: [`complaint-${COMPLAINT}`] });
  });

  describe('selects', () => {
    it('the access and seal streams for admins and auditors only', () => {
      const issued = recorded('access-control', 'AccessTokenIssued');
      expect(['agent', 'supervisor', 'engineer', 'analyst', 'auditor', 'admin'].map((role) => select({}, reader(role as 'agent')).selects(issued)))
        .toEqual([false, false, false, false, true, true]);
      expect(select({}, reader('analyst')).selects(recorded('log-seals', 'TamperFindingsAcknowledged'))).toBe(false);
    });

    it('by stream type, event type, complaint and customer', () => {
      const received = recorded(`complaint-${COMPLAINT}`, 'ComplaintReceived');
      const admin = reader('admin');
      expect(select({ streamTypes: ['work-order'] }, admin).selects(received)).toBe(false);
      expect(select({ streamTypes: ['complaint'] }, admin).selects(received)).toBe(true);
      expect(select({ eventTypes: ['ComplaintAssigned'] }, admin).selects(received)).toBe(false);
      expect(select({ complaintId: OTHER }, admin).selects(received)).toBe(false);
      expect(select({ complaintId: COMPLAINT }, admin).selects(received)).toBe(true);
      expect(select({ customerId: 'cust-1' }, admin).selects(recorded('customer-cust-1', 'CustomerFileOpened'))).toBe(true);
      expect(select({ customerId: 'cust-1' }, admin).selects(recorded('customer-cust-2', 'CustomerFileOpened'))).toBe(false);
      expect(select({ customerId: 'cust-1' }, admin).selects(recorded('service-network', 'ServiceUnitOpened'))).toBe(false);
    });

    it('never a stream of a kind it does not know', () => {
      expect(select({}, reader('admin')).selects(recorded('counter-1', 'Counted'))).toBe(false);
    });
  });

  describe('sees, for a principal limited to departments, what the lists show it', () => {
    const billing = reader('agent', ['billing']);
    const elsewhere = reader('agent', ['station-ops'], 'agent-3');

    it('a complaint of its departments, or an unassigned one it received', async () => {
      expect(await select({}, billing).sees(recorded(`complaint-${COMPLAINT}`, 'ComplaintReceived'))).toBe(true);
      expect(await select({}, elsewhere).sees(recorded(`complaint-${COMPLAINT}`, 'ComplaintReceived'))).toBe(false);
      expect(await select({}, billing).sees(recorded(`complaint-${OTHER}`, 'ComplaintReceived'))).toBe(false);
      expect(await select({}, reader('agent', ['station-ops'], 'agent-2')).sees(recorded(`complaint-${OTHER}`, 'ComplaintReceived'))).toBe(true);
    });

    it('a work order of its service points, a customer file it may see, reference data always', async () => {
      expect(await select({}, reader('engineer', ['dandong-station'], 'eng-1')).sees(recorded('work-order-w1', 'WorkOrderDispatched'))).toBe(true);
      expect(await select({}, billing).sees(recorded('work-order-w1', 'WorkOrderDispatched'))).toBe(false);
      expect(await select({}, billing).sees(recorded('customer-cust-1', 'CustomerFileOpened'))).toBe(true);
      expect(await select({}, elsewhere).sees(recorded('customer-cust-1', 'CustomerFileOpened'))).toBe(false);
      expect(await select({}, elsewhere).sees(recorded('product-TQ2240-000731', 'ProductRegistered'))).toBe(true);
    });

    it('the customer\'s complaints and work orders only, when asked for one customer (whatever the scope)', async () => {
      const admin = reader('admin');
      expect(await select({ customerId: 'cust-1' }, admin).sees(recorded(`complaint-${COMPLAINT}`, 'ComplaintReceived'))).toBe(true);
      expect(await select({ customerId: 'cust-1' }, admin).sees(recorded(`complaint-${OTHER}`, 'ComplaintReceived'))).toBe(false);
      expect(await select({ customerId: 'cust-1' }, admin).sees(recorded('work-order-w1', 'WorkOrderReported'))).toBe(true);
    });

    it('nothing of a stream whose facts cannot be read', async () => {
      expect(await select({}, billing).sees(recorded('complaint-00000000-0000-4000-8000-000000000000', 'ComplaintReceived'))).toBe(false);
    });
  });

  describe('sends', () => {
    it('a customer file\'s event without its personal values', () => {
      const event = recorded('customer-cust-1', 'CustomerFileOpened', { customerId: 'cust-1', category: 'fixed', personal: { name: '王先生' } });
      expect(feedEventOf(event)).toMatchObject({ streamType: 'customer-file', data: { customerId: 'cust-1', category: 'fixed', personal: null } });
      expect(JSON.stringify(feedEventOf(event))).not.toContain('王先生');
    });

    it('a complaint\'s contact details without their personal values', () => {
      const event = recorded('complaint-00000000-0000-4000-8000-000000000001', 'ComplaintContactRecorded', {
        complaintId: '00000000-0000-4000-8000-000000000001', changed: ['phone'], changes: {}, personal: { phone: '13800138000' },
      });
      expect(feedEventOf(event)).toMatchObject({ streamType: 'complaint', data: { changed: ['phone'], personal: null } });
      expect(JSON.stringify(feedEventOf(event))).not.toContain('13800138000');
    });

    it('a repair\'s report without the customer\'s contact and address (they are not under personal there)', () => {
      const event = recorded('work-order-00000000-0000-4000-8000-000000000002', 'WorkOrderReported', {
        workOrderId: '00000000-0000-4000-8000-000000000002', customerId: 'cust-1', contact: { name: '李先生', phone: '+86 415 999 8877' }, address: '丹东市振兴区 3 号岛', region: '210600',
      });
      expect(feedEventOf(event)).toMatchObject({ streamType: 'work-order', data: { customerId: 'cust-1', contact: null, address: null, region: '210600' } });
      expect(JSON.stringify(feedEventOf(event))).not.toMatch(/李先生|8877|振兴区/);
    });

    it('an access event without the token\'s hash', () => {
      const event = recorded('access-control', 'AccessTokenIssued', { tokenId: 't-1', tokenHash: 'ab'.repeat(32) });
      expect(feedEventOf(event)['data']).toEqual({ tokenId: 't-1' });
    });

    it('every other event as its stream\'s events route shows it', () => {
      const event = recorded(`complaint-${COMPLAINT}`, 'ComplaintReceived', { complaintId: COMPLAINT });
      expect(feedEventOf(event)).toEqual({
        position: 1, stream: `complaint-${COMPLAINT}`, streamType: 'complaint', revision: 0, type: 'ComplaintReceived', recordedAt: event.recordedAt, data: event.data, metadata: event.metadata,
      });
    });
  });
});
