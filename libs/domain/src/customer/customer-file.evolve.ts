import { assertNever } from '../assert-never';
import { SECTION_OF_EVENT, type CustomerFileEvent, type CustomerFileOpened, type CustomerFileSectionUpdated } from './customer-file.events';
import { EMPTY_SECTIONS, SECTION_FIELDS, type ContactDetails } from './customer-file.sections';
import type { ActiveCustomerFile, CustomerFileState } from './customer-file.state';

// evolve() is total: history is fact. An event that would not be decided today still folds into
// the closest sensible state, and a personal part that cannot be read (null) folds as unknown.
const UNKNOWN_CONTACT: ContactDetails = { name: null, role: null, phone: null, email: null };

export function evolveCustomerFile(state: CustomerFileState, event: CustomerFileEvent): CustomerFileState {
  if (event.type === 'CustomerFileOpened') return opened(event.data);
  // A repeated erasure (docs/adr/0019): the file says when it was last erased, and every file erased with it.
  if (state.status === 'erased' && event.type === 'CustomerFilePersonalDataErased') {
    return { ...state, erasedAt: event.data.erasedAt, ground: event.data.ground, coveredFileIds: [...new Set([...state.coveredFileIds, ...event.data.coveredFileIds])] };
  }
  // The one change an erased file takes: the customer who came back may still opt out (or in).
  if (state.status === 'erased' && event.type === 'CustomerFileNotificationOptOutChanged') return { ...state, notificationOptOut: [...event.data.optedOut] };
  // A merged or erased file is closed: nothing after that changes what it says.
  if (state.status !== 'active') return state;

  switch (event.type) {
    case 'CustomerFileReclassified':
      return { ...state, category: event.data.to };
    case 'CustomerFileNotificationOptOutChanged':
      return { ...state, notificationOptOut: [...event.data.optedOut] };
    case 'CustomerFileBasicsUpdated':
    case 'CustomerFileConsumptionProfileUpdated':
    case 'CustomerFileContractUpdated':
    case 'CustomerFileFacilitiesUpdated':
    case 'CustomerFileOtherChannelsUpdated':
    case 'CustomerFileImportanceUpdated':
    case 'CustomerFileSegmentsUpdated':
      return sectionUpdated(state, event);
    case 'CustomerFileContactAdded':
      return {
        ...state,
        contacts: [...state.contacts, { id: event.data.contactId, ...(event.data.personal ?? UNKNOWN_CONTACT) }],
        contactsAdded: state.contactsAdded + 1,
      };
    case 'CustomerFileContactChanged': {
      const { contactId, changed, personal } = event.data;
      const values = Object.fromEntries(changed.map((field) => [field, personal?.[field] ?? null]));
      return { ...state, contacts: state.contacts.map((contact) => (contact.id === contactId ? { ...contact, ...values } : contact)) };
    }
    case 'CustomerFileContactRemoved':
      return { ...state, contacts: state.contacts.filter((contact) => contact.id !== event.data.contactId) };
    case 'CustomerFileEvaluationRecorded':
      return { ...state, evaluation: { rating: event.data.rating, comment: event.data.personal?.comment ?? null, recordedAt: event.data.recordedAt } };
    case 'CustomerFileVisitLogged': {
      const data = event.data;
      return {
        ...state,
        visits: [...state.visits, {
          id: data.visitId, visitedAt: data.visitedAt, channel: data.channel, staff: data.staff, contactId: data.contactId,
          summary: data.personal?.summary ?? null, nextStep: data.personal?.nextStep ?? null, nextStepDue: data.nextStepDue,
          loggedAt: data.loggedAt, loggedBy: data.by,
        }],
      };
    }
    case 'CustomerFileConsumptionRecorded': {
      const { period, volume } = event.data;
      const figures = [...state.figures.filter((figure) => figure.period !== period), { period, volume }];
      return { ...state, figures: figures.sort((a, b) => (a.period < b.period ? -1 : 1)) };
    }
    case 'CustomerFileConsumptionDropDetected': {
      const { period, policy } = event.data;
      if (state.alertedPeriods.includes(period)) return state;
      return {
        ...state, alertedPeriods: [...state.alertedPeriods, period], openAlerts: [...state.openAlerts, { period, policy }],
        clearedAlertPeriods: state.clearedAlertPeriods.filter((month) => month !== period),
      };
    }
    case 'CustomerFileConsumptionDropCleared': {
      const { period } = event.data;
      return {
        ...state, alertedPeriods: state.alertedPeriods.filter((month) => month !== period), openAlerts: state.openAlerts.filter((alert) => alert.period !== period),
        clearedAlertPeriods: state.clearedAlertPeriods.includes(period) ? state.clearedAlertPeriods : [...state.clearedAlertPeriods, period].sort(),
      };
    }
    case 'CustomerFileMerged':
      return { status: 'merged', id: state.id, survivorId: event.data.survivorId, mergedAt: event.data.mergedAt, absorbed: state.absorbed };
    case 'CustomerFileAbsorbed':
      return state.absorbed.includes(event.data.absorbedId) ? state : { ...state, absorbed: [...state.absorbed, event.data.absorbedId] };
    case 'CustomerFilePersonalDataErased':
      return {
        status: 'erased', id: state.id, category: state.category, erasedAt: event.data.erasedAt, ground: event.data.ground, coveredFileIds: event.data.coveredFileIds,
        notificationOptOut: state.notificationOptOut ?? [],
      };
    default:
      return assertNever(event);
  }
}

export function foldCustomerFile(events: Iterable<CustomerFileEvent>, state: CustomerFileState = { status: 'none' }): CustomerFileState {
  let current = state;
  for (const event of events) current = evolveCustomerFile(current, event);
  return current;
}

function opened(data: CustomerFileOpened['data']): ActiveCustomerFile {
  const personal = data.personal;
  return {
    status: 'active',
    id: data.customerId,
    category: data.category,
    openedAt: data.openedAt,
    openedBy: data.by,
    openedForComplaint: data.complaintId,
    openedForWorkOrder: data.workOrderId ?? null,
    ...EMPTY_SECTIONS,
    basics: { customerType: data.customerType, creditRating: data.creditRating, name: personal?.name ?? null, address: personal?.address ?? null },
    segments: data.segments,
    contacts: data.contactIds.map((id, index) => ({ id, ...(personal?.contacts[index] ?? UNKNOWN_CONTACT) })),
    contactsAdded: data.contactIds.length,
    contract: { ...EMPTY_SECTIONS.contract, amendments: [] },
    evaluation: null,
    visits: [],
    figures: [],
    alertedPeriods: [],
    openAlerts: [],
    clearedAlertPeriods: [],
    absorbed: [],
    notificationOptOut: [],
  };
}

function sectionUpdated(state: ActiveCustomerFile, event: CustomerFileSectionUpdated): ActiveCustomerFile {
  const section = SECTION_OF_EVENT[event.type];
  const personalFields: readonly string[] = SECTION_FIELDS[section].personal;
  const personal = (event.data.personal ?? {}) as Readonly<Record<string, unknown>>;
  const values: Record<string, unknown> = { ...event.data.changes };
  for (const field of event.data.changed as readonly string[]) {
    if (personalFields.includes(field)) values[field] = personal[field] ?? null;
  }
  const next = { ...state, [section]: { ...state[section], ...values } };
  if (event.type === 'CustomerFileContractUpdated' && event.data.amendedOn !== null) {
    const amendment = { amendedOn: event.data.amendedOn, changed: event.data.changed, reason: event.data.reason };
    return { ...next, contract: { ...next.contract, amendments: [...state.contract.amendments, amendment] } };
  }
  return next;
}
