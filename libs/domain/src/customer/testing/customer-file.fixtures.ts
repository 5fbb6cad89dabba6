import type { Actor } from '../../principal';
import { agent, at, supervisor, T0 } from '../../testing/complaint.fixtures';
import type { CustomerFileCommand } from '../customer-file.commands';
import { DEFAULT_CONSUMPTION_ALERT_POLICY } from '../customer-file.consumption';
import { customerFileDecider } from '../customer-file.decider';
import type { CustomerFileEvent } from '../customer-file.events';
import { foldCustomerFile } from '../customer-file.evolve';
import { EMPTY_SECTIONS, type Volume } from '../customer-file.sections';

/** Fixed ids, actors and clock for customer-file specs (the clock and actors of the complaint specs). */
export { agent, at, supervisor, T0 };
export const admin: Actor = { id: 'admin-zhou', role: 'admin' };
export const customerId = 'cust-10086';
export const otherCustomerId = 'cust-20010';

type CommandOf<T extends CustomerFileCommand['type']> = Extract<CustomerFileCommand, { type: T }>;

export function customerCommand<T extends CustomerFileCommand['type']>(
  type: T, data: CommandOf<T>['data'], minutes = 10, actor: Actor = agent, id = customerId,
): CommandOf<T> {
  return { type, customerId: id, at: at(minutes), actor, data } as CommandOf<T>;
}

export const openFixed = (overrides: Partial<CommandOf<'OpenCustomerFile'>['data']> = {}) =>
  customerCommand('OpenCustomerFile', {
    category: 'fixed', reason: 'signed a supply agreement', name: '顺达物流有限公司', customerType: 'organisation', address: '北京市朝阳区建国路 88 号',
    contacts: [{ name: '王立', role: '车队长', phone: '138 0013 8000' }], segments: { consumerKind: 'vehicle', driverType: 'fleet' }, ...overrides,
  }, 0, supervisor);

/** What openFixed() records. */
export const opened: CustomerFileEvent = {
  type: 'CustomerFileOpened',
  data: {
    customerId, openedAt: T0, by: supervisor, category: 'fixed', complaintId: null, reason: 'signed a supply agreement',
    customerType: 'organisation', creditRating: null, segments: { ...EMPTY_SECTIONS.segments, consumerKind: 'vehicle', driverType: 'fleet' },
    contactIds: ['contact-1'],
    personal: {
      name: '顺达物流有限公司', address: '北京市朝阳区建国路 88 号',
      contacts: [{ name: '王立', role: '车队长', phone: '13800138000', email: null }],
    },
  },
};

export const openedPotential: CustomerFileEvent = {
  type: 'CustomerFileOpened',
  data: {
    customerId, openedAt: T0, by: supervisor, category: 'potential', complaintId: null, reason: 'boiler fuel user within the supply radius',
    customerType: 'organisation', creditRating: null, segments: { ...EMPTY_SECTIONS.segments, consumerKind: 'non-vehicle', usage: 'hotel-boiler' },
    contactIds: [], personal: { name: '锦江宾馆', address: null, contacts: [] },
  },
};

export const openedAtIntake: CustomerFileEvent = {
  type: 'CustomerFileOpened',
  data: {
    customerId, openedAt: T0, by: agent, category: 'floating', complaintId: '7d4c2a8e-0b6f-4c1a-9f3e-2a1b3c4d5e6f', reason: null,
    customerType: null, creditRating: null, segments: { ...EMPTY_SECTIONS.segments, consumerKind: 'vehicle', driverType: 'taxi' },
    contactIds: [], personal: { name: '李女士', address: null, contacts: [] },
  },
};

export const madeKeyCustomer: CustomerFileEvent = {
  type: 'CustomerFileImportanceUpdated',
  data: { customerId, updatedAt: at(5), by: supervisor, reason: 'largest fleet in the district', changed: ['key', 'level'], changes: { key: true, level: 'a' }, personal: null },
};

const litres = (amount: number): Volume => ({ amount, unit: 'litre' });

/** The month's figure as recorded (recorded at T0 + minutes). */
export function figureRecorded(period: string, amount: number, minutes = 20): CustomerFileEvent {
  return {
    type: 'CustomerFileConsumptionRecorded',
    data: { customerId, recordedAt: at(minutes), by: agent, period, volume: litres(amount), previous: null, reason: null, personal: null },
  };
}

export const recordFigure = (period: string, amount: number, overrides: Partial<CommandOf<'RecordCustomerConsumption'>['data']> = {}) =>
  customerCommand('RecordCustomerConsumption', { period, volume: litres(amount), policy: DEFAULT_CONSUMPTION_ALERT_POLICY, ...overrides }, 60);

export const mergedInto = (survivorId: string): CustomerFileEvent => ({
  type: 'CustomerFileMerged',
  data: { customerId, mergedAt: at(30), by: supervisor, reason: 'same company, two files', survivorId, personal: null },
});

export const erased: CustomerFileEvent = {
  type: 'CustomerFilePersonalDataErased',
  data: {
    customerId, erasedAt: at(30), by: admin, ground: 'consent-withdrawn', reason: 'written request', requestReference: 'PIPL-2026-007',
    personalFields: [], coveredFileIds: [customerId], personal: null,
  },
};

/** Decides each command on the file as it stands and keeps the events, as a handler would. */
export function decidedHistory(start: readonly CustomerFileEvent[], commands: readonly CustomerFileCommand[]): CustomerFileEvent[] {
  const events = [...start];
  for (const command of commands) events.push(...customerFileDecider.decide(command, foldCustomerFile(events)));
  return events;
}

/** One command of every type but the two that open a file, each fit for openFixed()'s file. */
export const commandsOnAFile: readonly CustomerFileCommand[] = [
  customerCommand('ReclassifyCustomer', { category: 'floating', reason: 'r' }),
  customerCommand('SetNotificationOptOut', { channel: 'all', optedOut: true, reason: 'r' }),
  customerCommand('UpdateCustomerBasics', { reason: 'r', creditRating: 'a' }),
  customerCommand('AddCustomerContact', { reason: 'r', name: '张', phone: '13900139000' }),
  customerCommand('ChangeCustomerContact', { reason: 'r', contactId: 'contact-1', role: '经理' }),
  customerCommand('RemoveCustomerContact', { reason: 'r', contactId: 'contact-1' }),
  customerCommand('UpdateCustomerConsumptionProfile', { reason: 'r', refuellingCycleDays: 7 }),
  customerCommand('UpdateCustomerContract', { reason: 'r', signed: true }),
  customerCommand('UpdateCustomerFacilities', { reason: 'r', storageTanks: 1 }),
  customerCommand('UpdateCustomerOtherChannels', { reason: 'r', channels: [] }),
  customerCommand('UpdateCustomerImportance', { reason: 'r', key: true }),
  customerCommand('UpdateCustomerSegments', { reason: 'r', locality: 'local' }),
  customerCommand('RecordCustomerEvaluation', { rating: 5 }),
  customerCommand('LogCustomerVisit', { visitedAt: T0, channel: 'phone', summary: 's' }),
  recordFigure('2026-02', 100),
  customerCommand('MergeCustomerFile', { survivorId: otherCustomerId, reason: 'r', survivor: { status: 'active' } }),
  customerCommand('RecordAbsorbedCustomerFile', { absorbedId: 'cust-30000', reason: 'r' }),
  customerCommand('EraseCustomerPersonalData', { ground: 'consent-withdrawn', reason: 'r' }),
];
