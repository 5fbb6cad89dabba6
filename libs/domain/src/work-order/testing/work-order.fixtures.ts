import type { Money } from '../../money';
import type { Actor } from '../../principal';
import { decideWarranty, type ProductState } from '../../product';
import { product } from '../../product/testing/product.fixtures';
import { network } from '../../service-network/testing/service-network.fixtures';
import { DEFAULT_SLA_POLICY } from '../../sla-policy';
import { agent, at, supervisor, T0 } from '../../testing/complaint.fixtures';
import type { WorkOrderCommand } from '../work-order.commands';
import type { WorkOrderEvent } from '../work-order.events';
import { workOrderSlaTermsAt } from '../work-order.sla-terms';

/**
 * One repair of the fuel dispenser of the product fixtures, reported at T0 (the complaint fixtures'
 * clock) under the default policy, dispatched to 丹东服务站 and 王工 of the service-network fixtures.
 */
export const workOrderId = '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00';
export const engineer: Actor = { id: 'eng-wang', role: 'agent' };
export { agent, at, network, supervisor, T0 };

export const cny = (minorUnits: number): Money => ({ currency: 'CNY', minorUnits });

/** The registered dispenser, with its warranty covering everything (the usual free repair) … */
export const coveredProduct: ProductState = product.status === 'registered' ? { ...product, warranty: { ...product.warranty, covers: ['parts', 'labour', 'on-site'] } } : product;
/** … covering parts and labour only (the call-out is charged) … */
export const partlyCoveredProduct: ProductState = product;
/** … and out of its warranty. */
export const expiredProduct: ProductState = product.status === 'registered' ? { ...product, installedOn: '2024-01-15', warranty: { ...product.warranty, startsOn: '2024-01-15' } } : product;

type CommandOf<T extends WorkOrderCommand['type']> = Extract<WorkOrderCommand, { type: T }>;
export function command<T extends WorkOrderCommand['type']>(type: T, data: CommandOf<T>['data'], minutes = 10, actor: Actor = engineer): CommandOf<T> {
  return { type, workOrderId, at: at(minutes), actor, data } as CommandOf<T>;
}

export const reportFault = (overrides: Partial<CommandOf<'ReportFault'>['data']> = {}) =>
  command('ReportFault', {
    customerId: 'cust-001', contact: { name: '李先生', phone: '+86 415 000 0000' }, address: '丹东市振兴区 加油站 3 号岛', region: '210600',
    product: { model: 'TQ-2240 税控加油机', serialNumber: 'TQ2240-000731' }, faultDescription: 'Nozzle 2 stops after 20 litres.', channel: 'phone',
    policy: DEFAULT_SLA_POLICY, ...overrides,
  }, 0, agent);

export const reported: WorkOrderEvent = {
  type: 'WorkOrderReported',
  data: {
    workOrderId, reportedAt: T0, reportedBy: agent, customerId: 'cust-001',
    personal: { contact: { name: '李先生', phone: '+86 415 000 0000' }, address: '丹东市振兴区 加油站 3 号岛' }, region: '210600', product: { model: 'TQ-2240 税控加油机', serialNumber: 'TQ2240-000731' },
    faultDescription: 'Nozzle 2 stops after 20 litres.', channel: 'phone', priority: 'medium', linkedComplaintId: null,
    sla: workOrderSlaTermsAt(DEFAULT_SLA_POLICY, 'medium', T0), repeatRepairWindow: 'P30D',
  },
};

export const dispatch = (overrides: Partial<CommandOf<'DispatchWorkOrder'>['data']> = {}) =>
  command('DispatchWorkOrder', { stationCode: 'dandong-station', engineerId: 'eng-wang', network, ...overrides }, 20, supervisor);

export const dispatched: WorkOrderEvent = {
  type: 'WorkOrderDispatched',
  data: {
    workOrderId, dispatchedAt: at(20), by: supervisor, station: { code: 'dandong-station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' } },
    engineer: { id: 'eng-wang', name: '王工' }, reason: null, previous: null,
  },
};
export const diagnosedOnSiteNeeded: WorkOrderEvent = {
  type: 'WorkOrderRemotelyDiagnosed', data: { workOrderId, diagnosedAt: at(40), by: engineer, outcome: 'on-site-needed', findings: 'Pulser does not count past 20 L.' },
};
export const fixedRemotely: WorkOrderEvent = {
  type: 'WorkOrderRemotelyDiagnosed', data: { workOrderId, diagnosedAt: at(40), by: engineer, outcome: 'fixed-remotely', findings: 'Preset limit reset over the network.' },
};
export const visitScheduled: WorkOrderEvent = {
  type: 'WorkOrderVisitScheduled',
  data: { workOrderId, scheduledAt: at(45), by: engineer, visitNumber: 1, scheduledFor: at(18 * 60), rescheduled: false, reason: null },
};
export const arrived: WorkOrderEvent = {
  type: 'WorkOrderEngineerArrived',
  data: { workOrderId, arrivedAt: at(18 * 60), by: engineer, visitNumber: 1, scheduledFor: at(18 * 60), engineerId: 'eng-wang', notes: null },
};

const findings = (faultCause: 'product-defect' | 'customer-damage', productState: ProductState, damageReason: string | null = null): WorkOrderEvent[] => [
  {
    type: 'WorkOrderFindingsRecorded',
    data: { workOrderId, recordedAt: at(18 * 60 + 30), by: engineer, findings: 'Pulser encoder worn.', faultCause, damageReason },
  },
  {
    type: 'WorkOrderWarrantyAssessed',
    data: { workOrderId, assessedAt: at(18 * 60 + 30), by: engineer, decision: decideWarranty(productState, '2026-03-02', faultCause, damageReason) },
  },
];
/** Findings of a defect on a fully covered product: everything free. */
export const findingsInWarranty = findings('product-defect', coveredProduct);
/** Findings of a defect on a product whose call-out is not covered. */
export const findingsPartlyCovered = findings('product-defect', partlyCoveredProduct);
/** Findings of a defect after the warranty ended. */
export const findingsExpired = findings('product-defect', expiredProduct);
/** Damage caused by the customer, within the warranty period. */
export const findingsCustomerDamage = findings('customer-damage', coveredProduct, 'Nozzle hose torn off by a lorry.');

export const quoted: WorkOrderEvent = {
  type: 'WorkOrderQuoted',
  data: {
    workOrderId, quotedAt: at(18 * 60 + 40), by: engineer, quoteNumber: 1,
    lines: [
      { kind: 'parts', description: 'Pulser encoder', amount: cny(48_000) },
      { kind: 'labour', description: '2 h', amount: cny(20_000) },
      { kind: 'on-site', description: 'Call-out', amount: cny(10_000) },
    ],
    total: cny(78_000), replaces: null,
  },
};
export const quoteConfirmed: WorkOrderEvent = {
  type: 'WorkOrderQuoteConfirmed',
  data: { workOrderId, confirmedAt: at(18 * 60 + 50), by: engineer, quoteNumber: 1, total: cny(78_000), personal: { confirmedBy: '李先生' }, channel: 'in-person' },
};
export const freeWork: WorkOrderEvent = {
  type: 'WorkOrderRepairWorkRecorded',
  data: {
    workOrderId, recordedAt: at(19 * 60), by: engineer, description: 'Replaced the pulser encoder, calibrated nozzle 2.',
    parts: [{ partNumber: 'PUL-2240-07', name: 'Pulser encoder', quantity: 1 }], chargeable: false, quoteNumber: null,
  },
};
export const chargeableWork: WorkOrderEvent = {
  type: 'WorkOrderRepairWorkRecorded',
  data: { ...(freeWork.data as Extract<WorkOrderEvent, { type: 'WorkOrderRepairWorkRecorded' }>['data']), chargeable: true, quoteNumber: 1 },
};
export const feeCharged: WorkOrderEvent = {
  type: 'WorkOrderFeeCharged',
  data: { workOrderId, chargedAt: at(19 * 60 + 30), by: engineer, quoteNumber: 1, amount: cny(78_000), method: 'mobile-payment', receiptNumber: 'R-0001' },
};
export const testPassed: WorkOrderEvent = {
  type: 'WorkOrderTested', data: { workOrderId, testedAt: at(19 * 60 + 40), by: engineer, passed: true, notes: '20 L test measure within tolerance' },
};
export const testFailed: WorkOrderEvent = {
  type: 'WorkOrderTested', data: { workOrderId, testedAt: at(19 * 60 + 40), by: engineer, passed: false, notes: 'still stops at 20 L' },
};
export const signedOff: WorkOrderEvent = {
  type: 'WorkOrderSignedOff', data: { workOrderId, signedOffAt: at(19 * 60 + 50), by: engineer, personal: { signedBy: '李先生' }, remarks: null },
};
export const closed: WorkOrderEvent = {
  type: 'WorkOrderClosed',
  data: { workOrderId, closedAt: at(20 * 60), by: engineer, outcome: 'repaired', notes: null, cycle: 1, surveyDue: at(20 * 60 + 48 * 60) },
};
export const surveySent: WorkOrderEvent = {
  type: 'WorkOrderSurveySent',
  data: {
    workOrderId, sentAt: at(21 * 60), by: agent, surveyId: 'repair-2026', channel: 'phone',
    questions: [{ id: 'speed', text: '维修是否及时？' }, { id: 'quality', text: '维修质量是否满意？' }, { id: 'attitude', text: '工程师服务态度如何？' }],
  },
};

/** Histories at the main stages of a repair. */
export const onSiteHistory: WorkOrderEvent[] = [reported, dispatched, visitScheduled, arrived];
export const freeRepairHistory: WorkOrderEvent[] = [...onSiteHistory, ...findingsInWarranty, freeWork];
export const chargeableRepairHistory: WorkOrderEvent[] = [...onSiteHistory, ...findingsExpired, quoted, quoteConfirmed, chargeableWork];
export const signedOffHistory: WorkOrderEvent[] = [...freeRepairHistory, testPassed, signedOff];
export const closedHistory: WorkOrderEvent[] = [...signedOffHistory, closed];
