import type { CustomerFileEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { DocumentKey, Projection, ProjectionContext } from '@app/projections';
import { customerFileEventOf, customerFileEventTime } from './customer-file-event';

export const CUSTOMER_FILES = 'customer-files';

/**
 * One customer file for the lists (客户档案): its basic facts, importance and segments, and what the
 * seed's analysis needs — the latest visit, the latest monthly figure, the months with a drop alert.
 * Its personal fields (name, address) are those of the events' personal parts: null after an
 * erasure, and null when a replay can no longer read them.
 */
export interface CustomerFileSummary {
  readonly id: string;
  readonly status: 'active' | 'merged' | 'erased';
  readonly category: string;
  readonly name: string | null;
  readonly address: string | null;
  readonly customerType: string | null;
  readonly creditRating: string | null;
  readonly importance: { readonly key: boolean; readonly level: string | null };
  readonly segments: {
    readonly consumerKind: string | null;
    readonly usage: string | null;
    readonly driverType: string | null;
    readonly locality: string | null;
    readonly settlement: string | null;
  };
  readonly contacts: number;
  readonly openedAt: string;
  readonly openedBy: string;
  readonly openedForComplaint: string | null;
  readonly visits: number;
  readonly lastVisitAt: string | null;
  /** The next step's day of the latest visit, if it set one. */
  readonly nextStepDue: string | null;
  readonly rating: number | null;
  readonly ratedAt: string | null;
  readonly lastPeriod: string | null;
  readonly lastVolume: number | null;
  readonly volumeUnit: string | null;
  readonly alertPeriods: string[];
  readonly contractSigned: boolean | null;
  readonly contractValidUntil: string | null;
  readonly survivorId: string | null;
  readonly mergedAt: string | null;
  readonly absorbed: string[];
  readonly erasedAt: string | null;
  readonly revision: number;
  readonly updatedAt: string;
  readonly [key: string]: unknown;
}

/** As stored: the summary and its sort key for "not visited since" (never visited sorts first). */
/**
 * As stored: the summary, the key of "due a visit", and the contacts' phone numbers (digits only, by
 * contact id, and as a list to search). The phones are personal data: an erasure clears them.
 */
export type StoredCustomerFile = CustomerFileSummary & { readonly visitKey: string; readonly phones: Readonly<Record<string, string>>; readonly phoneDigits: readonly string[] };

/** What a search of the files looks in: the customer id, the name, the address and the contacts' phones (digits only). */
export const CUSTOMER_FILE_SEARCH_FIELDS = ['id', 'name', 'address', 'phoneDigits'] as const;

export const digitsOf = (phone: string | null | undefined): string => (phone ?? '').replace(/\D/g, '');

function withPhones(file: StoredCustomerFile, phones: Record<string, string>): StoredCustomerFile {
  return { ...file, ...phonesOf(phones) };
}

/** A key customer's monthly volume that fell by more than the policy's share (seed 003: 客户加油量异常). */
export interface ConsumptionAlertDocument {
  readonly id: string;
  readonly customerId: string;
  readonly category: string;
  readonly importanceLevel: string | null;
  readonly period: string;
  readonly volume: { readonly amount: number; readonly unit: string };
  readonly recentAverage: { readonly amount: number; readonly unit: string };
  /** How much lower than the average, as a share (0.4 = 40 % lower). */
  readonly drop: number;
  readonly comparedPeriods: string[];
  readonly policyVersion: string;
  readonly dropShare: number;
  readonly detectedAt: string;
  readonly detectedBy: string;
  readonly [key: string]: unknown;
}

/** A merge whose survivor has not recorded it yet: what the merge monitor completes (ADR 0013). */
export interface PendingMergeDocument {
  readonly id: string;
  readonly survivorId: string;
  readonly reason: string;
  readonly commandId: string;
  readonly correlationId: string;
  readonly mergedAt: string;
  readonly [key: string]: unknown;
}

export const alertIdOf = (customerId: string, period: string): string => `${customerId}|${period}`;

/** The files, the consumption alerts and the merges still to complete. */
export const customerFilesProjection: Projection = {
  name: CUSTOMER_FILES,
  version: 2,
  collections: [
    {
      name: 'files',
      indexes: [['openedAt'], ['status', 'openedAt'], ['category', 'openedAt'], ['importance.key', 'status', 'visitKey'], ['importance.level', 'openedAt']],
      text: CUSTOMER_FILE_SEARCH_FIELDS,
    },
    { name: 'alerts', indexes: [['detectedAt'], ['customerId', 'detectedAt'], ['period', 'detectedAt']] },
    { name: 'pendingMerges', indexes: [['mergedAt']] },
  ],
  reads(recorded: RecordedEvent): readonly DocumentKey[] {
    const event = customerFileEventOf(recorded);
    if (!event || event.type === 'CustomerFileOpened') return [];
    const own = ['files', event.data.customerId] as const;
    return event.type === 'CustomerFilePersonalDataErased' ? event.data.coveredFileIds.map((id) => ['files', id] as const) : [own];
  },
  apply(recorded: RecordedEvent, context: ProjectionContext): void {
    const event = customerFileEventOf(recorded);
    if (!event) return;
    const at = customerFileEventTime(event);
    if (event.type === 'CustomerFileOpened') {
      context.put('files', opened(event, recorded.revision));
      return;
    }
    const current = context.get<StoredCustomerFile>('files', event.data.customerId);
    if (!current) return;
    const next = { ...changed(current, event, recorded, context), revision: recorded.revision, updatedAt: at } as StoredCustomerFile;
    context.put('files', { ...next, visitKey: next.lastVisitAt ?? '' });
  },
};

function opened(event: Extract<CustomerFileEvent, { type: 'CustomerFileOpened' }>, revision: number): StoredCustomerFile {
  const data = event.data;
  return {
    id: data.customerId, status: 'active', category: data.category, name: data.personal?.name ?? null, address: data.personal?.address ?? null,
    customerType: data.customerType, creditRating: data.creditRating, importance: { key: false, level: null }, segments: { ...data.segments },
    contacts: data.contactIds.length, openedAt: data.openedAt, openedBy: data.by.id, openedForComplaint: data.complaintId,
    visits: 0, lastVisitAt: null, nextStepDue: null, rating: null, ratedAt: null, lastPeriod: null, lastVolume: null, volumeUnit: null, alertPeriods: [],
    contractSigned: null, contractValidUntil: null, survivorId: null, mergedAt: null, absorbed: [], erasedAt: null,
    revision, updatedAt: data.openedAt, visitKey: '',
    ...phonesOf(Object.fromEntries(data.contactIds.map((id, index) => [id, digitsOf(data.personal?.contacts[index]?.phone)]))),
  };
}

function phonesOf(phones: Record<string, string>): { phones: Record<string, string>; phoneDigits: string[] } {
  return { phones, phoneDigits: [...new Set(Object.values(phones).filter((digits) => digits !== ''))] };
}

/** The summary after one event (its revision and time are set by the caller). */
function changed(file: StoredCustomerFile, event: Exclude<CustomerFileEvent, { type: 'CustomerFileOpened' }>, recorded: RecordedEvent, context: ProjectionContext): StoredCustomerFile {
  switch (event.type) {
    case 'CustomerFileReclassified':
      return { ...file, category: event.data.to };
    case 'CustomerFileNotificationOptOutChanged':
      // Not in the list's summary: the notifier reads it from the file itself.
      return file;
    case 'CustomerFileBasicsUpdated': {
      const { changes, personal, changed: fields } = event.data;
      const personalValue = (field: 'name' | 'address') => (fields.includes(field) ? personal?.[field] ?? null : file[field]);
      return { ...file, ...changes, name: personalValue('name'), address: personalValue('address') };
    }
    case 'CustomerFileImportanceUpdated':
      return { ...file, importance: { ...file.importance, ...event.data.changes } };
    case 'CustomerFileSegmentsUpdated':
      return { ...file, segments: { ...file.segments, ...event.data.changes } };
    case 'CustomerFileContractUpdated': {
      const { changes } = event.data;
      return {
        ...file,
        contractSigned: changes.signed === undefined ? file.contractSigned : changes.signed,
        contractValidUntil: changes.validUntil === undefined ? file.contractValidUntil : changes.validUntil,
      };
    }
    case 'CustomerFileConsumptionProfileUpdated':
    case 'CustomerFileFacilitiesUpdated':
    case 'CustomerFileOtherChannelsUpdated':
      return file;
    case 'CustomerFileContactChanged':
      return event.data.changed.includes('phone') ? withPhones(file, { ...file.phones, [event.data.contactId]: digitsOf(event.data.personal?.phone) }) : file;
    case 'CustomerFileContactAdded':
      return withPhones({ ...file, contacts: file.contacts + 1 }, { ...file.phones, [event.data.contactId]: digitsOf(event.data.personal?.phone) });
    case 'CustomerFileContactRemoved': {
      const { [event.data.contactId]: _removed, ...phones } = file.phones;
      return withPhones({ ...file, contacts: Math.max(0, file.contacts - 1) }, phones);
    }
    case 'CustomerFileEvaluationRecorded':
      return { ...file, rating: event.data.rating, ratedAt: event.data.recordedAt };
    case 'CustomerFileVisitLogged': {
      // A visit logged late (visitedAt before the latest) counts, but does not move "last visited" back.
      const latest = file.lastVisitAt === null || event.data.visitedAt >= file.lastVisitAt;
      return {
        ...file, visits: file.visits + 1,
        ...(latest ? { lastVisitAt: event.data.visitedAt, nextStepDue: event.data.nextStepDue } : {}),
      };
    }
    case 'CustomerFileConsumptionRecorded': {
      const { period, volume } = event.data;
      return file.lastPeriod !== null && period < file.lastPeriod ? file : { ...file, lastPeriod: period, lastVolume: volume.amount, volumeUnit: volume.unit };
    }
    case 'CustomerFileConsumptionDropDetected': {
      const data = event.data;
      const alert: ConsumptionAlertDocument = {
        id: alertIdOf(data.customerId, data.period), customerId: data.customerId, category: file.category, importanceLevel: file.importance.level,
        period: data.period, volume: { ...data.volume }, recentAverage: { ...data.recentAverage }, drop: data.drop, comparedPeriods: [...data.comparedPeriods],
        policyVersion: data.policy.version, dropShare: data.policy.dropShare, detectedAt: data.detectedAt, detectedBy: data.by.id,
      };
      context.put('alerts', alert);
      return file.alertPeriods.includes(data.period) ? file : { ...file, alertPeriods: [...file.alertPeriods, data.period].sort() };
    }
    case 'CustomerFileConsumptionDropCleared':
      // A correction showed there was no drop: the alert leaves the open list (its event stays in the file's history and trail).
      context.delete('alerts', alertIdOf(event.data.customerId, event.data.period));
      return { ...file, alertPeriods: file.alertPeriods.filter((period) => period !== event.data.period) };
    case 'CustomerFileMerged': {
      const metadata = recorded.metadata;
      const pending: PendingMergeDocument = {
        id: file.id, survivorId: event.data.survivorId, reason: event.data.reason, mergedAt: event.data.mergedAt,
        commandId: typeof metadata['commandId'] === 'string' ? metadata['commandId'] : '',
        correlationId: typeof metadata['correlationId'] === 'string' ? metadata['correlationId'] : '',
      };
      context.put('pendingMerges', pending);
      return { ...file, status: 'merged', survivorId: event.data.survivorId, mergedAt: event.data.mergedAt };
    }
    case 'CustomerFileAbsorbed':
      context.delete('pendingMerges', event.data.absorbedId);
      return file.absorbed.includes(event.data.absorbedId) ? file : { ...file, absorbed: [...file.absorbed, event.data.absorbedId] };
    case 'CustomerFilePersonalDataErased':
      // The files it covers (merged into this one: the same person) forget the personal fields too.
      for (const covered of event.data.coveredFileIds) {
        const other = covered === file.id ? undefined : context.get<StoredCustomerFile>('files', covered);
        if (other) context.put('files', { ...other, name: null, address: null, phones: {}, phoneDigits: [] });
      }
      return { ...file, status: 'erased', erasedAt: event.data.erasedAt, name: null, address: null, phones: {}, phoneDigits: [] };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
