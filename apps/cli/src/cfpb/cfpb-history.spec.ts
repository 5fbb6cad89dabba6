import { verifyChain } from '@app/event-sourcing';
import type { RecordedEvent } from '@app/event-store';
import { CFPB_IMPORTER, complaintIdOfCfpb, historyOfCfpbRow } from './cfpb-history';
import { causeOf, purposeOf } from './cfpb-mapping';
import { dayOf, rowOf, schemaOf, type CfpbRow } from './cfpb-row';

const row = (overrides: Partial<CfpbRow> = {}): CfpbRow => ({
  complaintId: '3571115', receivedOn: '2020-03-02', sentOn: '2020-03-04', submittedVia: 'Web', product: 'Mortgage', subProduct: 'Conventional home mortgage',
  issue: 'Trouble during payment process', subIssue: '', narrative: '', company: 'EXAMPLE BANK, N.A.', state: 'CA', zip: '940XX',
  companyResponse: 'Closed with explanation', timely: 'Yes', disputed: null, ...overrides,
});
const history = (overrides: Partial<CfpbRow> = {}, customerKey: 'complaint' | 'zip' | 'state' = 'complaint') => historyOfCfpbRow(row(overrides), { customerKey });
const types = (overrides: Partial<CfpbRow> = {}) => history(overrides).events.map((event) => event.type);
const dataOf = (overrides: Partial<CfpbRow>, type: string) => history(overrides).events.find((event) => event.type === type)?.data as Record<string, unknown>;

describe('CFPB columns', () => {
  it('reads ISO and M/D/YYYY days and refuses impossible ones', () => {
    expect(dayOf('2019-09-24')).toBe('2019-09-24');
    expect(dayOf('3/9/2015')).toBe('2015-03-09');
    expect(dayOf('2019-02-30')).toBeUndefined();
    expect(dayOf('13/1/2015')).toBeUndefined();
    expect(dayOf('')).toBeUndefined();
  });

  it('knows the three schemas, whose date columns carry different names', () => {
    expect(schemaOf(['Complaint ID', 'Date submitted', 'Date received', 'Company response to consumer'])).toEqual({ received: 'Date submitted', sent: 'Date received', response: 'Company response to consumer' });
    expect(schemaOf(['Complaint ID', 'Date received', 'Date sent to company', 'Company response'])).toEqual({ received: 'Date received', sent: 'Date sent to company', response: 'Company response' });
    expect(schemaOf(['id', 'date'])).toMatch(/Complaint ID/);
  });

  it('names what is wrong with a row', () => {
    const schema = { received: 'Date received', sent: 'Date sent to company', response: 'Company response' };
    expect(rowOf({ 'Complaint ID': '', 'Date received': '2019-01-01', 'Date sent to company': '2019-01-01' }, schema)).toEqual({ problem: 'no Complaint ID' });
    expect(rowOf({ 'Complaint ID': '1', 'Date received': 'yesterday', 'Date sent to company': '2019-01-01' }, schema)).toEqual({ problem: 'Date received is not a date: "yesterday"' });
    expect(rowOf({ 'Complaint ID': '1', 'Date received': '2019-01-05', 'Date sent to company': '2019-01-01' }, schema)).toMatchObject({ problem: expect.stringMatching(/before/) });
  });
});

describe('CFPB taxonomy mapping', () => {
  it('takes the first matching rule: fraud is integrity, identity-theft protection is safety, fees are price', () => {
    expect(causeOf('Fraud or scam')).toBe('integrity');
    expect(causeOf('Identity theft protection or other monitoring services')).toBe('safety');
    expect(causeOf('Charged fees or interest you didn\'t expect')).toBe('price');
    expect(causeOf('Billing disputes')).toBe('quantity-metering');
    expect(causeOf('Incorrect information on your report')).toBe('product-quality');
    expect(causeOf('Managing an account')).toBe('service');
    expect(causeOf('Other')).toBeUndefined();
    expect(purposeOf('integrity')).toBe('accusation');
    expect(purposeOf('service')).toBe('criticism');
  });
});

describe('a CFPB row as a complaint history', () => {
  it('receives at the CFPB date, validates and assigns the product\'s department on the day it was sent, and resolves a timely response that day', () => {
    const { events, complaintId, stream } = history();
    expect(events.map((event) => event.type)).toEqual(['ComplaintReceived', 'ComplaintValidated', 'ComplaintAssigned', 'ComplaintResolved']);
    expect(complaintId).toBe(complaintIdOfCfpb('3571115'));
    expect(events[0]!.data).toMatchObject({
      receivedAt: '2020-03-02T00:00:00.000Z', channel: 'web', cause: 'service', purpose: 'criticism', customer: { id: 'cfpb-3571115' },
      sla: { policyVersion: 'cfpb-company-response-15d-v1', answerDue: '2020-03-17T00:00:00.000Z' },
    });
    expect(events[2]!.data).toMatchObject({ assignedAt: '2020-03-04T00:00:00.000Z', department: 'mortgages', assignee: 'example-bank-n-a' });
    expect(events[3]!.data).toMatchObject({ resolvedAt: '2020-03-04T00:00:00.000Z', remedy: 'explanation', callbackDue: null });
    for (const event of events) {
      expect(event.metadata).toMatchObject({ actor: CFPB_IMPORTER, reason: expect.stringMatching(/^CFPB complaint 3571115: /) });
    }
    const recorded = events.map((event, revision): RecordedEvent => ({ ...event, stream, revision, position: revision + 1, recordedAt: '2026-01-01T00:00:00.000Z' }));
    expect(verifyChain(stream, recorded).ok).toBe(true);
  });

  it('places a late response on the first day after the 15 days, and maps each kind of relief to a remedy', () => {
    expect(dataOf({ timely: 'No' }, 'ComplaintResolved')).toMatchObject({ resolvedAt: '2020-03-20T00:00:00.000Z' });
    expect(dataOf({ companyResponse: 'Closed with monetary relief' }, 'ComplaintResolved')).toMatchObject({ remedy: 'compensation' });
    expect(dataOf({ companyResponse: 'Closed with non-monetary relief' }, 'ComplaintResolved')).toMatchObject({ remedy: 'repair' });
    expect(dataOf({ companyResponse: 'Closed' }, 'ComplaintResolved')).toMatchObject({ remedy: 'none' });
  });

  it('leaves "In progress" open, and records both clocks breached for "Untimely response"', () => {
    expect(types({ companyResponse: 'In progress' })).toEqual(['ComplaintReceived', 'ComplaintValidated', 'ComplaintAssigned']);
    const untimely = history({ companyResponse: 'Untimely response', timely: 'No' }).events.filter((event) => event.type === 'SlaBreached');
    expect(untimely.map((event) => event.data)).toEqual([
      expect.objectContaining({ clock: 'first-reply', deadline: '2020-03-17T00:00:00.000Z', detectedAt: '2020-03-17T00:00:00.000Z' }),
      expect.objectContaining({ clock: 'answer', deadline: '2020-03-17T00:00:00.000Z' }),
    ]);
  });

  it('turns a dispute into an unsatisfied callback and a reopening', () => {
    expect(types({ disputed: 'Yes' }).slice(3)).toEqual(['ComplaintResolved', 'CallbackDone', 'ComplaintReopened']);
    expect(dataOf({ disputed: 'Yes' }, 'CallbackDone')).toMatchObject({ outcome: 'unsatisfied', satisfied: false });
    expect(types({ disputed: 'No' })).toHaveLength(4);
  });

  it('groups complaints into customers by ZIP code or state only when asked', () => {
    expect(history({}, 'zip').events[0]!.data).toMatchObject({ customer: { id: 'zip-940XX' } });
    expect(history({}, 'state').events[0]!.data).toMatchObject({ customer: { id: 'state-CA' } });
    expect(history({ zip: '' }, 'zip').events[0]!.data).toMatchObject({ customer: { id: 'cfpb-3571115' } });
  });

  it('maps what it does not know to "other" and says so', () => {
    const { events, notes } = history({ submittedVia: 'Carrier pigeon', issue: 'Other', product: 'Gold bars' });
    expect(events[0]!.data).toMatchObject({ channel: 'other', cause: 'other' });
    expect(events[2]!.data).toMatchObject({ department: 'other' });
    expect(notes).toMatchObject({ unmappedChannel: 'Carrier pigeon', unmappedIssue: 'Other', unmappedProduct: 'Gold bars' });
  });

  it('gives the same ids and hashes on every run', () => {
    expect(history().events).toEqual(history().events);
  });
});
