import type { CustomerFileEvent } from './customer-file.events';
import { foldCustomerFile } from './customer-file.evolve';
import { EMPTY_SECTIONS, SECTION_FIELDS, SECTION_NAMES } from './customer-file.sections';
import type { CustomerFileState } from './customer-file.state';
import { customerCommand, decidedHistory, figureRecorded, madeKeyCustomer, opened, recordFigure, supervisor, T0 } from './testing/customer-file.fixtures';

const active = (state: CustomerFileState) => {
  if (state.status !== 'active') throw new Error(`expected an active file, not ${state.status}`);
  return state;
};

const workedFile = decidedHistory([opened, madeKeyCustomer], [
  customerCommand('UpdateCustomerBasics', { reason: 'r', creditRating: 'a', address: '北京市朝阳区建国路 99 号' }),
  customerCommand('AddCustomerContact', { reason: 'r', name: '赵敏', email: 'zhao.min@shunda.cn' }),
  customerCommand('ChangeCustomerContact', { reason: 'r', contactId: 'contact-1', phone: '13900139000' }),
  customerCommand('RemoveCustomerContact', { reason: 'r', contactId: 'contact-2' }),
  customerCommand('UpdateCustomerConsumptionProfile', { reason: 'r', monthlyVolume: { amount: 12000, unit: 'litre' }, habits: '每周一加油' }),
  customerCommand('UpdateCustomerContract', { reason: 'signed', signed: true, signedOn: '2026-01-10' }),
  customerCommand('UpdateCustomerContract', { reason: 'extended', validUntil: '2028-01-31', amendedOn: '2026-03-01' }),
  customerCommand('RecordCustomerEvaluation', { rating: 3, comment: '排队久' }),
  customerCommand('LogCustomerVisit', { visitedAt: T0, channel: 'in-person', contactId: 'contact-1', summary: '走访车队', nextStepDue: '2026-03-09' }, 10, supervisor),
  recordFigure('2026-02', 11000),
  recordFigure('2026-01', 12000),
  recordFigure('2026-02', 10000, { reason: 'statement' }),
]);

describe('folding a customer file', () => {
  it('folds every kind of change into what the file says', () => {
    const file = active(foldCustomerFile(workedFile));
    expect(file.basics).toEqual({ customerType: 'organisation', creditRating: 'a', name: '顺达物流有限公司', address: '北京市朝阳区建国路 99 号' });
    expect(file.contacts).toEqual([{ id: 'contact-1', name: '王立', role: '车队长', phone: '13900139000', email: null }]);
    expect(file.contactsAdded).toBe(2);
    expect(file.consumption).toMatchObject({ monthlyVolume: { amount: 12000, unit: 'litre' }, habits: '每周一加油', otherNeeds: null });
    expect(file.contract).toMatchObject({ signed: true, signedOn: '2026-01-10', validUntil: '2028-01-31', amendments: [{ amendedOn: '2026-03-01', changed: ['validUntil'], reason: 'extended' }] });
    expect(file.importance).toEqual({ key: true, level: 'a' });
    expect(file.evaluation).toMatchObject({ rating: 3, comment: '排队久' });
    expect(file.visits).toEqual([expect.objectContaining({ id: 'visit-1', contactId: 'contact-1', summary: '走访车队', nextStepDue: '2026-03-09', loggedBy: supervisor })]);
    expect(file.figures).toEqual([{ period: '2026-01', volume: { amount: 12000, unit: 'litre' } }, { period: '2026-02', volume: { amount: 10000, unit: 'litre' } }]);
  });

  it('folds a history whose personal parts cannot be read (an erased customer replayed) into unknown personal fields and intact facts', () => {
    const unreadable = workedFile.map((event) => ({ ...event, data: { ...event.data, personal: null } }) as CustomerFileEvent);
    const file = active(foldCustomerFile(unreadable));
    expect(file.basics).toEqual({ customerType: 'organisation', creditRating: 'a', name: null, address: null });
    expect(file.contacts).toEqual([{ id: 'contact-1', name: null, role: null, phone: null, email: null }]);
    expect(file.consumption).toMatchObject({ monthlyVolume: { amount: 12000, unit: 'litre' }, habits: null });
    expect(file.evaluation).toMatchObject({ rating: 3, comment: null });
    expect(file.visits[0]).toMatchObject({ summary: null, nextStep: null, nextStepDue: '2026-03-09' });
    expect(file.figures).toHaveLength(2);
  });

  it('ignores anything recorded after the file was merged', () => {
    const merged: CustomerFileEvent = { type: 'CustomerFileMerged', data: { customerId: 'cust-10086', mergedAt: T0, by: supervisor, reason: 'r', survivorId: 'cust-2', personal: null } };
    expect(foldCustomerFile([opened, merged, figureRecorded('2026-02', 1)])).toEqual({ status: 'merged', id: 'cust-10086', survivorId: 'cust-2', mergedAt: T0, absorbed: [] });
  });

  it('describes every field of every section once, and starts each section empty', () => {
    for (const section of SECTION_NAMES) {
      const { clear, personal } = SECTION_FIELDS[section];
      expect([...clear, ...personal].sort()).toEqual(Object.keys(EMPTY_SECTIONS[section]).sort());
    }
  });
});
