import { customerFileDecider } from './customer-file.decider';
import { customerFileDecisionWords } from './customer-file.decision-words';
import type { CustomerFileEvent } from './customer-file.events';
import { foldCustomerFile } from './customer-file.evolve';
import { CUSTOMER_FILE_EVENT_TYPES } from './customer-file.upcasters';
import {
  customerCommand, decidedHistory, erased, figureRecorded, madeKeyCustomer, mergedInto, openFixed, openedAtIntake, recordFigure, supervisor, T0,
} from './testing/customer-file.fixtures';

/** Personal values the commands below give: none may show in the words. */
const PERSONAL = ['顺达物流', '建国路', '王立', '13800138000', '13900139000', 'zhao.min', '每周一', '排队久', '走访车队', '报方案', '院内'];

const events = [
  ...decidedHistory([], [
    openFixed({ contacts: [{ name: '王立', phone: '13800138000' }] }),
    customerCommand('ReclassifyCustomer', { category: 'floating', reason: 'buys elsewhere now' }),
    customerCommand('SetNotificationOptOut', { channel: 'sms', optedOut: true, reason: 'asked for no texts' }),
    customerCommand('UpdateCustomerBasics', { reason: 'checked', creditRating: 'b', address: '建国路 99 号' }),
    customerCommand('AddCustomerContact', { reason: 'new accountant', name: '赵敏', email: 'zhao.min@shunda.cn' }),
    customerCommand('ChangeCustomerContact', { reason: 'new phone', contactId: 'contact-1', phone: '13900139000' }),
    customerCommand('RemoveCustomerContact', { reason: 'left', contactId: 'contact-2' }),
    customerCommand('UpdateCustomerConsumptionProfile', { reason: 'asked', monthlyVolume: { amount: 12000, unit: 'litre' }, refuellingCycleDays: 3, habits: '每周一' }),
    customerCommand('UpdateCustomerContract', { reason: 'extended', signed: true, validUntil: '2028-01-31', renewalConditions: '提前通知', amendedOn: '2026-03-01' }),
    customerCommand('UpdateCustomerFacilities', { reason: 'visit', storageTanks: 2, description: '院内两罐' }),
    customerCommand('UpdateCustomerOtherChannels', { reason: 'visit', channels: [{ supplier: '中石化', share: 0.2 }] }),
    customerCommand('UpdateCustomerImportance', { reason: 'volume', key: true, level: 'a' }),
    customerCommand('UpdateCustomerSegments', { reason: 'review', locality: 'non-local', settlement: 'ic-card', driverType: null }),
    customerCommand('RecordCustomerEvaluation', { rating: 3, comment: '排队久' }),
    customerCommand('LogCustomerVisit', { visitedAt: T0, channel: 'in-person', summary: '走访车队', nextStep: '报方案', nextStepDue: '2026-03-09' }),
  ]),
  madeKeyCustomer,
  figureRecorded('2026-01', 12000),
  figureRecorded('2026-02', 11000),
];
const withAlert = [...events, ...customerFileDecider.decide(recordFigure('2026-03', 5000), foldCustomerFile(events))];
const cleared = customerFileDecider.decide(recordFigure('2026-03', 11200, { reason: 'typo' }), foldCustomerFile(withAlert));
const absorbed: CustomerFileEvent = {
  type: 'CustomerFileAbsorbed', data: { customerId: 'cust-10086', absorbedAt: T0, by: supervisor, reason: 'duplicate', absorbedId: 'cust-20010', personal: null },
};
const everyEvent = [...withAlert, ...cleared, openedAtIntake, mergedInto('cust-20010'), absorbed, erased];

describe('customer-file decision words', () => {
  it('has an event of every type in this sample', () => {
    expect(new Set(everyEvent.map((event) => event.type))).toEqual(new Set(CUSTOMER_FILE_EVENT_TYPES));
  });

  it.each(everyEvent.map((event) => [event.type, event] as const))('words %s in Chinese and English without quoting personal data', (_type, event) => {
    const words = customerFileDecisionWords(event);
    expect(words['zh-CN']).toMatch(/\S/);
    expect(words.en).toMatch(/\S/);
    for (const value of PERSONAL) {
      expect(words['zh-CN']).not.toContain(value);
      expect(words.en).not.toContain(value);
    }
  });

  it('says which fields changed, with the new clear values, and names the personal ones without their values', () => {
    const update = withAlert.find((event) => event.type === 'CustomerFileBasicsUpdated')!;
    expect(customerFileDecisionWords(update)).toEqual({
      'zh-CN': '更新基本情况（信用等级 → B 级（信用良好）；详细地址（个人信息））：checked',
      en: 'Updated the basic facts (credit rating → B (good); address (personal data)): checked',
    });
  });

  it('says when the contract itself changed', () => {
    const update = withAlert.find((event) => event.type === 'CustomerFileContractUpdated')!;
    expect(customerFileDecisionWords(update).en).toBe(
      'Updated the supply contract (signed → yes, end of term → 2028-01-31, renewal conditions); the contract was amended on 2026-03-01: extended',
    );
  });

  it('explains a consumption drop alert with the figures and the policy it applied', () => {
    const alert = withAlert.find((event) => event.type === 'CustomerFileConsumptionDropDetected')!;
    expect(customerFileDecisionWords(alert)).toEqual({
      'zh-CN': '重点客户用油量异常下降：2026-03 为 5000 升，比 2026-01、2026-02 的平均 11500 升 低 56.5%（阈值 30%，政策 seed-default-v1）',
      en: "A key customer's volume dropped: 5000 litres in 2026-03, 56.5% below the average of 11500 litres over 2026-01, 2026-02 (threshold 30%, policy seed-default-v1)",
    });
  });

  it('says which correction cleared a drop alert, and why', () => {
    const clearance = cleared.find((event) => event.type === 'CustomerFileConsumptionDropCleared')!;
    expect(customerFileDecisionWords(clearance)).toEqual({
      'zh-CN': '撤销 2026-03 用油量异常下降预警（2026-03 消费量更正为 11200 升，按政策 seed-default-v1 不再属于异常下降）：typo',
      en: 'Cleared the volume-drop alert of 2026-03 (the figure of 2026-03 corrected to 11200 litres: no longer a drop under policy seed-default-v1): typo',
    });
  });

  it('names the complaint whose intake opened a file, and the ground of an erasure', () => {
    expect(customerFileDecisionWords(openedAtIntake).en).toBe('Opened the customer file at the intake of complaint 7d4c2a8e-0b6f-4c1a-9f3e-2a1b3c4d5e6f (Floating customer)');
    expect(customerFileDecisionWords(erased)['zh-CN']).toBe('删除客户个人信息（依据：个人撤回同意，申请编号 PIPL-2026-007）：written request');
  });
});
