import { assertNever } from '../assert-never';
import { isTaxonomyCode, taxonomyCodes, type CustomerSegment } from '../taxonomy';
import type {
  AddCustomerContact, ChangeCustomerContact, ContactInput, CustomerFileCommand, EraseCustomerPersonalData, ErasureNamedBy, LogCustomerVisit, MergeCustomerFile,
  OpenCustomerFile, OpenCustomerFileAtIntake, RecordAbsorbedCustomerFile, RecordCustomerConsumption, RecordCustomerEvaluation, ReclassifyCustomer,
  RemoveCustomerContact, SetNotificationOptOut, NotificationOptOutChannel,
} from './customer-file.commands';
import { NOTIFICATION_OPT_OUT_CHANNELS } from './customer-file.commands';
import { consumptionDrop, consumptionPolicyProblem, figureBearsOn, recentAverage, roundVolume } from './customer-file.consumption';
import {
  CustomerFileAlreadyExistsError, CustomerFileConflictError, CustomerFileErasedError, CustomerFileMergedError, CustomerFileNotFoundError,
  InvalidCustomerFileCommandError, NothingToChangeError, type InvalidCustomerFileCommand,
} from './customer-file.errors';
import type {
  CustomerFileAbsorbed, CustomerFileConsumptionRecorded, CustomerFileContactAdded, CustomerFileContactChanged, CustomerFileContactRemoved, CustomerFileEvaluationRecorded, CustomerFileEvent,
  CustomerFileMerged, CustomerFileNotificationOptOutChanged, CustomerFileOpened, CustomerFilePersonalDataErased, CustomerFileReclassified, CustomerFileVisitLogged,
} from './customer-file.events';
import { updateSection, checkSegments, checkSegmentsAgree } from './customer-file.section-updates';
import { CONTACT_FIELDS, CUSTOMER_FILE_PERSONAL_FIELDS, EMPTY_SECTIONS, type ContactDetails, type SectionClear } from './customer-file.sections';
import { standingOf, type ActiveCustomerFile, type ContactPerson, type CustomerFileState, type ErasedCustomerFile } from './customer-file.state';
import { dimensionsOfComplaintSegment } from './customer-file.taxonomy';
import {
  TEXT_LIMITS, checkChannel, checkCode, checkCustomerId, checkDay, checkDayAhead, checkEmail, checkOptionalCode, checkOptionalText, checkPastInstant, checkPeriod,
  checkPhone, checkRating, checkReason, checkText, checkVolume, patchField,
} from './customer-file.validation';

const invalid = (code: InvalidCustomerFileCommand, field: string, message: string) => new InvalidCustomerFileCommandError(code, field, message);
const MAX_CONTACTS = 20;

/**
 * decide(command, state) → events. Pure: the time, the actor and looked-up facts (the alert
 * policy, the other file of a merge) come in with the command. A rule break throws one of the
 * customer-file errors and yields no event. Every command but intake either records something or
 * is refused; intake on a file that exists decides nothing (an empty list).
 */
export function decideCustomerFile(command: CustomerFileCommand, state: CustomerFileState): CustomerFileEvent[] {
  switch (state.status) {
    case 'none':
      if (command.type === 'OpenCustomerFile') return [open(command)];
      if (command.type === 'OpenCustomerFileAtIntake') return [openAtIntake(command)];
      if (command.type === 'EraseCustomerPersonalData' && command.data.namedBy) return eraseWithoutFile(command, command.data.namedBy);
      throw new CustomerFileNotFoundError(command.customerId);
    case 'merged':
      // Intake too: the caller learns the survivor from the error and takes the complaint there.
      throw new CustomerFileMergedError(state.id, state.survivorId, state.mergedAt);
    case 'erased':
      if (command.type === 'OpenCustomerFileAtIntake') return [];
      if (command.type === 'EraseCustomerPersonalData') return [eraseAgain(command, state)];
      // No personal datum, and the customer's own wish: a customer erased and come back may still say stop.
      if (command.type === 'SetNotificationOptOut') return [setNotificationOptOut(command, state)];
      throw new CustomerFileErasedError(state.id, state.erasedAt);
    case 'active':
      return decideOnActiveFile(command, state);
    default:
      return assertNever(state);
  }
}

function decideOnActiveFile(command: CustomerFileCommand, file: ActiveCustomerFile): CustomerFileEvent[] {
  switch (command.type) {
    case 'OpenCustomerFile':
      throw new CustomerFileAlreadyExistsError(file.id);
    case 'OpenCustomerFileAtIntake':
      return [];
    case 'ReclassifyCustomer':
      return [reclassify(command, file)];
    case 'SetNotificationOptOut':
      return [setNotificationOptOut(command, file)];
    case 'UpdateCustomerBasics':
    case 'UpdateCustomerConsumptionProfile':
    case 'UpdateCustomerContract':
    case 'UpdateCustomerFacilities':
    case 'UpdateCustomerOtherChannels':
    case 'UpdateCustomerImportance':
    case 'UpdateCustomerSegments':
      return [updateSection(command, file)];
    case 'AddCustomerContact':
      return [addContact(command, file)];
    case 'ChangeCustomerContact':
      return [changeContact(command, file)];
    case 'RemoveCustomerContact':
      return [removeContact(command, file)];
    case 'RecordCustomerEvaluation':
      return [recordEvaluation(command, file)];
    case 'LogCustomerVisit':
      return [logVisit(command, file)];
    case 'RecordCustomerConsumption':
      return recordConsumption(command, file);
    case 'MergeCustomerFile':
      return [merge(command, file)];
    case 'RecordAbsorbedCustomerFile':
      return [recordAbsorbed(command, file)];
    case 'EraseCustomerPersonalData':
      return [erase(command, file)];
    default:
      return assertNever(command);
  }
}

/**
 * Both halves of a merge, for a handler that has loaded both files: the absorbed file records
 * that it is closed and where it went, the survivor that it now stands for the absorbed one.
 * Append the absorbed file's events first: its pointer is the fact every reader follows.
 */
export function decideMerge(
  command: Omit<MergeCustomerFile, 'data'> & { readonly data: Omit<MergeCustomerFile['data'], 'survivor'> },
  absorbed: CustomerFileState,
  survivor: CustomerFileState,
): { readonly absorbed: CustomerFileEvent[]; readonly survivor: CustomerFileEvent[] } {
  const merged = decideCustomerFile({ ...command, data: { ...command.data, survivor: standingOf(survivor) } }, absorbed);
  const recorded = decideCustomerFile({
    type: 'RecordAbsorbedCustomerFile',
    customerId: command.data.survivorId,
    at: command.at,
    actor: command.actor,
    data: { absorbedId: command.customerId, reason: command.data.reason },
  }, survivor);
  return { absorbed: merged, survivor: recorded };
}

function open(command: OpenCustomerFile): CustomerFileOpened {
  const data = command.data;
  checkCustomerId('customerId', command.customerId);
  if (data.category !== 'fixed' && data.category !== 'potential') {
    throw invalid('invalid-category', 'category', "category must be fixed or potential; a floating customer's file is opened by its first complaint");
  }
  const reason = checkReason(data.reason);
  const contacts = data.contacts ?? [];
  if (!Array.isArray(contacts)) throw invalid('invalid-contacts', 'contacts', 'contacts must be a list of { name, role?, phone?, email? }');
  if (contacts.length > MAX_CONTACTS) throw invalid('too-many-contacts', 'contacts', `contacts may list at most ${MAX_CONTACTS} people; add the others later if they are needed`);
  const segments = { ...EMPTY_SECTIONS.segments, ...checkSegments(data.segments ?? {}) } as SectionClear['segments'];
  checkSegmentsAgree(segments);
  return {
    type: 'CustomerFileOpened',
    data: {
      customerId: command.customerId,
      openedAt: command.at,
      by: command.actor,
      category: data.category,
      complaintId: null,
      reason,
      customerType: checkOptionalCode('customerType', 'customerType', data.customerType),
      creditRating: checkOptionalCode('creditRating', 'creditRating', data.creditRating),
      segments,
      contactIds: contacts.map((_, index) => contactId(index + 1)),
      personal: {
        name: checkText('name', data.name, TEXT_LIMITS.name),
        address: checkOptionalText('address', data.address, TEXT_LIMITS.address),
        contacts: contacts.map((contact, index) => checkContact(`contacts[${index}]`, contact)),
      },
    },
  };
}

function openAtIntake(command: OpenCustomerFileAtIntake): CustomerFileOpened {
  const data = command.data;
  checkCustomerId('customerId', command.customerId);
  // A complaint's intake or a repair's report (报修): the file names the one that opened it.
  if (data.complaintId !== undefined && data.workOrderId !== undefined) throw invalid('required', 'workOrderId', 'An intake names a complaint or a work order, not both.');
  if (data.complaintId === undefined && data.workOrderId === undefined) throw invalid('required', 'complaintId', 'An intake names the complaint (or the work order) that opens the file.');
  const complaintId = data.complaintId === undefined ? null : checkText('complaintId', data.complaintId, TEXT_LIMITS.short);
  const workOrderId = data.workOrderId === undefined ? undefined : checkText('workOrderId', data.workOrderId, TEXT_LIMITS.short);
  if (data.segment !== undefined && !isTaxonomyCode('customerSegment', data.segment)) {
    throw invalid('unknown-customerSegment', 'segment', `segment must be one of the customerSegment codes: ${taxonomyCodes('customerSegment').join(', ')}`);
  }
  // A blank name is no name: the intake must not fail for what the complaint leaves out.
  const name = typeof data.name === 'string' && data.name.trim() === '' ? null : checkOptionalText('name', data.name, TEXT_LIMITS.name);
  return minimalFileOpened(command, { complaintId, workOrderId, reason: null, segment: data.segment ?? null, name });
}

/**
 * A file opened by the desk rather than by an agent's form: for an intake (a complaint or a repair
 * that names a customer without a file) or an erasure that finds none. It holds what the record
 * said of the customer (the segment, a name) and nothing else.
 */
function minimalFileOpened(
  command: OpenCustomerFileAtIntake | EraseCustomerPersonalData,
  opened: { complaintId: string | null; workOrderId: string | undefined; reason: string | null; segment: CustomerSegment | null; name: string | null },
): CustomerFileOpened {
  const { category, driverType, consumerKind } = dimensionsOfComplaintSegment(opened.segment);
  return {
    type: 'CustomerFileOpened',
    data: {
      customerId: command.customerId,
      openedAt: command.at,
      by: command.actor,
      category,
      complaintId: opened.complaintId,
      ...(opened.workOrderId === undefined ? {} : { workOrderId: opened.workOrderId }),
      reason: opened.reason,
      customerType: null,
      creditRating: null,
      segments: { ...EMPTY_SECTIONS.segments, driverType, consumerKind },
      contactIds: [],
      personal: opened.name === null ? null : { name: opened.name, address: null, contacts: [] },
    },
  };
}

function reclassify(command: ReclassifyCustomer, file: ActiveCustomerFile): CustomerFileReclassified {
  const to = command.data.category;
  if (to !== 'fixed' && to !== 'floating') {
    throw invalid('invalid-category', 'category', 'category must be fixed or floating: a customer on file does not become potential again');
  }
  const reason = checkReason(command.data.reason);
  if (to === file.category) throw new NothingToChangeError(file.id, 'category');
  return { type: 'CustomerFileReclassified', data: { customerId: file.id, reclassifiedAt: command.at, by: command.actor, reason, from: file.category, to, personal: null } };
}

function setNotificationOptOut(command: SetNotificationOptOut, file: ActiveCustomerFile | ErasedCustomerFile): CustomerFileNotificationOptOutChanged {
  const { channel, optedOut: optOut } = command.data;
  if (channel !== 'all' && !(NOTIFICATION_OPT_OUT_CHANNELS as readonly string[]).includes(channel)) {
    throw invalid('unknown-channel', 'channel', `channel must be all or one of ${NOTIFICATION_OPT_OUT_CHANNELS.join(', ')}`);
  }
  const reason = checkReason(command.data.reason);
  const named: readonly NotificationOptOutChannel[] = channel === 'all' ? NOTIFICATION_OPT_OUT_CHANNELS : [channel];
  const before = file.notificationOptOut ?? [];
  const after = NOTIFICATION_OPT_OUT_CHANNELS.filter((each) => (named.includes(each) ? optOut : before.includes(each)));
  if (after.length === before.length && after.every((each) => before.includes(each))) throw new NothingToChangeError(file.id, 'optedOut');
  return {
    type: 'CustomerFileNotificationOptOutChanged',
    data: { customerId: file.id, changedAt: command.at, by: command.actor, reason, channel, optedOutOf: optOut, optedOut: after, personal: null },
  };
}

const contactId = (number: number): string => `contact-${number}`;

/** A contact one can reach: a name, and a phone or an e-mail. `prefix` places its fields in the command. */
function checkContact(prefix: string, input: ContactInput): ContactDetails {
  const contact = (typeof input === 'object' && input !== null ? input : {}) as Partial<ContactInput>;
  const field = (name: string) => (prefix === '' ? name : `${prefix}.${name}`);
  const details: ContactDetails = {
    name: checkText(field('name'), contact.name, TEXT_LIMITS.name),
    role: checkOptionalText(field('role'), contact.role, TEXT_LIMITS.short),
    phone: contact.phone === undefined ? null : checkPhone(field('phone'), contact.phone),
    email: contact.email === undefined ? null : checkEmail(field('email'), contact.email),
  };
  requireWayToReach(prefix === '' ? 'phone' : prefix, details);
  return details;
}

function requireWayToReach(field: string, contact: ContactDetails): void {
  if (contact.phone === null && contact.email === null) {
    throw invalid('contact-unreachable', field, 'A contact needs a phone or an e-mail (or both): a contact is someone the station can reach');
  }
}

function findContact(file: ActiveCustomerFile, id: unknown, field = 'contactId'): ContactPerson {
  const contact = file.contacts.find((candidate) => candidate.id === id);
  if (!contact) {
    const known = file.contacts.map((candidate) => candidate.id);
    throw invalid('unknown-contact', field, `${field} ${String(id)} is not a contact of customer file ${file.id}; its contacts are ${known.length > 0 ? known.join(', ') : 'none yet'}`);
  }
  return contact;
}

function addContact(command: AddCustomerContact, file: ActiveCustomerFile): CustomerFileContactAdded {
  const reason = checkReason(command.data.reason);
  const details = checkContact('', command.data);
  if (file.contacts.length >= MAX_CONTACTS) {
    throw new CustomerFileConflictError('too-many-contacts', command.type, `Customer file ${file.id} already has ${MAX_CONTACTS} contacts; remove one that is no longer right first`);
  }
  return {
    type: 'CustomerFileContactAdded',
    data: { customerId: file.id, addedAt: command.at, by: command.actor, reason, contactId: contactId(file.contactsAdded + 1), personal: details },
  };
}

function changeContact(command: ChangeCustomerContact, file: ActiveCustomerFile): CustomerFileContactChanged {
  const reason = checkReason(command.data.reason);
  const contact = findContact(file, command.data.contactId);
  const patch: Partial<ContactDetails> = {
    ...patchField(command.data, 'name', (value) => checkText('name', value, TEXT_LIMITS.name), false),
    ...patchField(command.data, 'role', (value) => checkText('role', value, TEXT_LIMITS.short)),
    ...patchField(command.data, 'phone', (value) => checkPhone('phone', value)),
    ...patchField(command.data, 'email', (value) => checkEmail('email', value)),
  };
  requireWayToReach('phone', { ...contact, ...patch });
  const changed = CONTACT_FIELDS.filter((field) => field in patch && patch[field] !== contact[field]);
  if (changed.length === 0) throw new NothingToChangeError(file.id, `contact ${contact.id}`);
  return {
    type: 'CustomerFileContactChanged',
    data: {
      customerId: file.id, changedAt: command.at, by: command.actor, reason, contactId: contact.id, changed,
      personal: Object.fromEntries(changed.map((field) => [field, patch[field]])),
    },
  };
}

function removeContact(command: RemoveCustomerContact, file: ActiveCustomerFile): CustomerFileContactRemoved {
  const reason = checkReason(command.data.reason);
  const contact = findContact(file, command.data.contactId);
  return { type: 'CustomerFileContactRemoved', data: { customerId: file.id, removedAt: command.at, by: command.actor, reason, contactId: contact.id, personal: null } };
}

function recordEvaluation(command: RecordCustomerEvaluation, file: ActiveCustomerFile): CustomerFileEvaluationRecorded {
  const rating = checkRating('rating', command.data.rating);
  const comment = checkOptionalText('comment', command.data.comment, TEXT_LIMITS.text);
  return {
    type: 'CustomerFileEvaluationRecorded',
    data: { customerId: file.id, recordedAt: command.at, by: command.actor, rating, personal: comment === null ? null : { comment } },
  };
}

function logVisit(command: LogCustomerVisit, file: ActiveCustomerFile): CustomerFileVisitLogged {
  const data = command.data;
  const visitedAt = checkPastInstant('visitedAt', data.visitedAt, command.at);
  const channel = checkChannel('channel', data.channel);
  const staff = data.staff === undefined ? command.actor.id : checkText('staff', data.staff, TEXT_LIMITS.short);
  const contactId = data.contactId === undefined ? null : findContact(file, data.contactId).id;
  const summary = checkText('summary', data.summary, TEXT_LIMITS.text);
  const nextStep = checkOptionalText('nextStep', data.nextStep, TEXT_LIMITS.text);
  const nextStepDue = data.nextStepDue === undefined ? null : checkDayAhead('nextStepDue', data.nextStepDue, command.at, 12, 'a next step is due at most a year ahead');
  // The visit's day as it was written (its own offset's date): a next step comes after it, never before.
  const visitDay = String(data.visitedAt).slice(0, 10);
  if (nextStepDue !== null && nextStepDue < visitDay) {
    throw invalid('invalid-date', 'nextStepDue', `nextStepDue ${nextStepDue} is before the visit (visitedAt ${String(data.visitedAt)}): a next step is due on the visit's day or later; check both dates`);
  }
  return {
    type: 'CustomerFileVisitLogged',
    data: {
      customerId: file.id, loggedAt: command.at, by: command.actor, visitId: `visit-${file.visits.length + 1}`,
      visitedAt, channel, staff, contactId, nextStepDue, personal: { summary, nextStep },
    },
  };
}

function recordConsumption(command: RecordCustomerConsumption, file: ActiveCustomerFile): CustomerFileEvent[] {
  const data = command.data;
  const problem = consumptionPolicyProblem(data.policy);
  if (problem !== null) throw invalid('invalid-policy', 'policy', `The consumption alert policy is not usable: ${problem}`);
  const period = checkPeriod('period', data.period, command.at);
  const volume = checkVolume('volume', data.volume);
  const unit = file.figures[0]?.volume.unit;
  if (unit !== undefined && volume.unit !== unit) {
    throw invalid('volume-unit-mismatch', 'volume.unit', `customer file ${file.id} records its monthly figures in ${unit} (the unit of its first figure); give this one in ${unit} too`);
  }
  const previous = file.figures.find((figure) => figure.period === period)?.volume ?? null;
  if (previous !== null && previous.amount === volume.amount) throw new NothingToChangeError(file.id, `consumption figure of ${period}`);
  if (previous !== null && data.reason === undefined) {
    throw invalid('reason-required', 'reason', `${period} already has a figure (${previous.amount} ${previous.unit}); say why it is corrected`);
  }
  const reason = previous === null ? checkOptionalText('reason', data.reason, TEXT_LIMITS.text) : checkReason(data.reason);
  const recorded: CustomerFileConsumptionRecorded = {
    type: 'CustomerFileConsumptionRecorded',
    data: { customerId: file.id, recordedAt: command.at, by: command.actor, period, volume, previous, reason, personal: null },
  };
  return [recorded, ...consumptionAlertChanges(command, file, recorded.data)];
}

/**
 * The alerts a new figure changes, judged on the series with that figure in it (issue 18): an open
 * alert whose month is no longer a drop under the policy it was raised under is cleared, and the
 * latest month, when the figure bears on it, is alerted if it is a drop now. Only the latest month
 * is alerted: back-filled history is not news; but a month whose alert a correction cleared is alerted
 * again when a correction brings its drop back, latest or not (its alert was news once, and correcting
 * back and forth must not lose it). One open alert per month, so a correction that still shows a drop
 * records nothing more.
 */
function consumptionAlertChanges(command: RecordCustomerConsumption, file: ActiveCustomerFile, changed: CustomerFileConsumptionRecorded['data']): CustomerFileEvent[] {
  const figures = [...file.figures.filter((figure) => figure.period !== changed.period), { period: changed.period, volume: changed.volume }]
    .sort((a, b) => (a.period < b.period ? -1 : 1));
  const figureOf = (period: string) => figures.find((figure) => figure.period === period);
  const othersThan = (period: string) => figures.filter((figure) => figure.period !== period);
  const events: CustomerFileEvent[] = [];
  for (const alert of file.openAlerts) {
    const figure = figureOf(alert.period);
    if (figure === undefined || !figureBearsOn(alert.period, changed.period, alert.policy)) continue;
    if (consumptionDrop(othersThan(alert.period), alert.period, figure.volume.amount, alert.policy) !== null) continue;
    const recent = recentAverage(othersThan(alert.period), alert.period, alert.policy);
    events.push({
      type: 'CustomerFileConsumptionDropCleared',
      data: {
        customerId: file.id, clearedAt: command.at, by: command.actor, period: alert.period, volume: figure.volume,
        recentAverage: recent === null ? null : { amount: roundVolume(recent.average), unit: figure.volume.unit },
        cause: { period: changed.period, volume: changed.volume, previous: changed.previous, reason: changed.reason },
        policyVersion: alert.policy.version, personal: null,
      },
    });
  }
  const latest = figures[figures.length - 1];
  const policy = command.data.policy;
  if (!file.importance.key || latest === undefined) return events;
  const candidates = [...new Set([...file.clearedAlertPeriods, latest.period])].sort();
  for (const period of candidates) {
    const figure = figureOf(period);
    if (figure === undefined || file.alertedPeriods.includes(period) || !figureBearsOn(period, changed.period, policy)) continue;
    const drop = consumptionDrop(othersThan(period), period, figure.volume.amount, policy);
    if (drop === null) continue;
    events.push({
      type: 'CustomerFileConsumptionDropDetected',
      data: {
        customerId: file.id, detectedAt: command.at, by: command.actor, period, volume: figure.volume,
        recentAverage: { amount: drop.recentAverage, unit: figure.volume.unit }, comparedPeriods: drop.comparedPeriods, drop: drop.drop,
        policy, personal: null,
      },
    });
  }
  return events;
}

function merge(command: MergeCustomerFile, file: ActiveCustomerFile): CustomerFileMerged {
  const survivorId = checkCustomerId('survivorId', command.data.survivorId);
  if (survivorId === file.id) throw invalid('merge-into-itself', 'survivorId', 'A file cannot be merged into itself: give the id of the other file, the one that stays');
  const reason = checkReason(command.data.reason);
  const survivor = command.data.survivor;
  switch (survivor.status) {
    case 'none':
      throw invalid('unknown-survivor', 'survivorId', `There is no customer file ${survivorId} to merge into; check the id`);
    case 'merged': {
      const last = survivor.lastSurvivorId ?? survivor.survivorId;
      // A circle: the file named absorbed this one already (directly or down a chain), so this one stays.
      if (last === file.id) {
        const through = survivor.survivorId === file.id ? '' : ` (through ${survivor.survivorId})`;
        throw new CustomerFileConflictError('survivor-merged', command.type, `Customer file ${survivorId} was already merged into ${file.id}${through}, so ${file.id} is the file that stays for both: `
          + `there is nothing left to merge. Send what was meant for ${survivorId} to ${file.id}.`);
      }
      const chain = last === survivor.survivorId ? '' : `, and the file that stays for it now is ${last}`;
      throw new CustomerFileConflictError('survivor-merged', command.type, `Customer file ${survivorId} was itself merged into ${survivor.survivorId}${chain}: merge ${file.id} into ${last} instead.`);
    }
    case 'erased':
      throw new CustomerFileConflictError('survivor-erased', command.type, `Customer file ${survivorId} had its personal data erased and takes no more changes; it cannot absorb ${file.id}`);
    case 'active':
      break;
    default:
      return assertNever(survivor);
  }
  return { type: 'CustomerFileMerged', data: { customerId: file.id, mergedAt: command.at, by: command.actor, reason, survivorId, personal: null } };
}

function recordAbsorbed(command: RecordAbsorbedCustomerFile, file: ActiveCustomerFile): CustomerFileAbsorbed {
  const absorbedId = checkCustomerId('absorbedId', command.data.absorbedId);
  if (absorbedId === file.id) throw invalid('merge-into-itself', 'absorbedId', 'A file cannot absorb itself: give the id of the file merged into this one');
  const reason = checkReason(command.data.reason);
  if (file.absorbed.includes(absorbedId)) throw new NothingToChangeError(file.id, `merged files (${absorbedId} is already one)`);
  return { type: 'CustomerFileAbsorbed', data: { customerId: file.id, absorbedAt: command.at, by: command.actor, reason, absorbedId, personal: null } };
}

function erase(command: EraseCustomerPersonalData, file: ActiveCustomerFile): CustomerFilePersonalDataErased {
  return erasureOf(command, file.id, coverage(file.id, file.absorbed, command));
}

/**
 * Erasure is repeatable (docs/adr/0019): a customer who came back after an erasure has new records
 * (a complaint, its contact details, an attachment) under a new data key, and may ask again. With
 * nothing recorded since (no live key, no stored file left), there is nothing to erase: 409.
 */
function eraseAgain(command: EraseCustomerPersonalData, file: ErasedCustomerFile): CustomerFilePersonalDataErased {
  const event = erasureOf(command, file.id, coverage(file.id, file.coveredFileIds, command));
  if ((event.data.keyIds ?? []).length === 0 && (command.data.storedFiles ?? 0) === 0) {
    throw new CustomerFileErasedError(file.id, file.erasedAt, 'nothing-left');
  }
  return event;
}

/**
 * A customer that complaints (or repairs) name but that has no file, because an intake was cut
 * short between the complaint and its file: the file is opened with the erasure, in the same
 * append, holding nothing personal; the reason says why it was opened then.
 */
function eraseWithoutFile(command: EraseCustomerPersonalData, namedBy: ErasureNamedBy): CustomerFileEvent[] {
  checkCustomerId('customerId', command.customerId);
  const erasure = erasureOf(command, command.customerId, [command.customerId]);
  const record = namedBy.kind === 'complaint' ? `complaint ${namedBy.id}` : `work order ${namedBy.id}`;
  const opened = minimalFileOpened(command, {
    complaintId: namedBy.kind === 'complaint' ? namedBy.id : null, workOrderId: undefined,
    reason: `Opened to record an erasure: ${record} names this customer, whose file was never opened`, segment: null, name: null,
  });
  return [opened, erasure];
}

/** The file, the files it names, and those the handler found merged into it at any depth, each once. */
function coverage(customerId: string, named: readonly string[], command: EraseCustomerPersonalData): string[] {
  return [...new Set([customerId, ...named, ...(command.data.mergedFileIds ?? [])])];
}

function erasureOf(command: EraseCustomerPersonalData, customerId: string, coveredFileIds: readonly string[]): CustomerFilePersonalDataErased {
  const ground = checkCode('ground', 'erasureGround', command.data.ground);
  const reason = checkReason(command.data.reason);
  return {
    type: 'CustomerFilePersonalDataErased',
    data: {
      customerId,
      erasedAt: command.at,
      by: command.actor,
      ground,
      reason,
      requestReference: checkOptionalText('requestReference', command.data.requestReference, TEXT_LIMITS.short),
      personalFields: CUSTOMER_FILE_PERSONAL_FIELDS,
      coveredFileIds,
      keyIds: [...new Set(command.data.keyIds ?? [])],
      personal: null,
    },
  };
}
