import type { SectionUpdateCommand } from './customer-file.commands';
import { InvalidCustomerFileCommandError, NothingToChangeError, type InvalidCustomerFileCommand } from './customer-file.errors';
import type { CustomerFileSectionUpdated } from './customer-file.events';
import { SECTION_FIELDS, type OtherChannel, type SectionClear, type SectionName } from './customer-file.sections';
import type { ActiveCustomerFile } from './customer-file.state';
import { DRIVER_TYPE_KIND, USAGE_KIND } from './customer-file.taxonomy';
import {
  TEXT_LIMITS, checkBoolean, checkCode, checkCount, checkDay, checkDayAhead, checkOptionalText, checkReason, checkShare, checkText, checkVolume, hasBegun, patchField,
} from './customer-file.validation';

type Values = Readonly<Record<string, unknown>>;

interface SectionUpdateRule {
  readonly section: SectionName;
  readonly event: CustomerFileSectionUpdated['type'];
  /** What the section is called in a refusal. */
  readonly what: string;
  /** The fields the command gives, checked and normalised; left-out fields are absent. */
  readonly patch: (data: Values, now: string) => Values;
  /** Rules between the fields, on the section as it would be after the update. */
  readonly check?: (section: Values, now: string) => void;
}

const invalid = (code: InvalidCustomerFileCommand, field: string, message: string) => new InvalidCustomerFileCommandError(code, field, message);
const MAX_OTHER_CHANNELS = 20;
/** How far ahead a supply contract's term may start or end: long supply agreements run for years, 2999 or 9999 is a typing slip. */
const MAX_TERM_LEAD_MONTHS = 20 * 12;

const RULES: { readonly [C in SectionUpdateCommand['type']]: SectionUpdateRule } = {
  UpdateCustomerBasics: {
    section: 'basics',
    event: 'CustomerFileBasicsUpdated',
    what: 'basic facts',
    patch: (data) => ({
      ...patchField(data, 'name', (value) => checkText('name', value, TEXT_LIMITS.name), false),
      ...patchField(data, 'customerType', (value) => checkCode('customerType', 'customerType', value)),
      ...patchField(data, 'address', (value) => checkText('address', value, TEXT_LIMITS.address)),
      ...patchField(data, 'creditRating', (value) => checkCode('creditRating', 'creditRating', value)),
    }),
  },
  UpdateCustomerConsumptionProfile: {
    section: 'consumption',
    event: 'CustomerFileConsumptionProfileUpdated',
    what: 'consumption profile',
    patch: (data) => ({
      ...patchField(data, 'monthlyVolume', (value) => checkVolume('monthlyVolume', value)),
      ...patchField(data, 'refuellingCycleDays', (value) => checkCount('refuellingCycleDays', value, 1)),
      ...patchField(data, 'habits', (value) => checkText('habits', value, TEXT_LIMITS.text)),
      ...patchField(data, 'qualityRequirements', (value) => checkText('qualityRequirements', value, TEXT_LIMITS.text)),
      ...patchField(data, 'meteringRequirements', (value) => checkText('meteringRequirements', value, TEXT_LIMITS.text)),
      ...patchField(data, 'otherNeeds', (value) => checkText('otherNeeds', value, TEXT_LIMITS.text)),
    }),
  },
  UpdateCustomerContract: {
    section: 'contract',
    event: 'CustomerFileContractUpdated',
    what: 'supply contract',
    patch: (data, now) => ({
      ...patchField(data, 'signed', (value) => checkBoolean('signed', value)),
      ...patchField(data, 'signedOn', (value) => checkDay('signedOn', value)),
      ...patchField(data, 'validFrom', (value) => checkDayAhead('validFrom', value, now, MAX_TERM_LEAD_MONTHS, 'a contract\'s term starts and ends at most twenty years ahead')),
      ...patchField(data, 'validUntil', (value) => checkDayAhead('validUntil', value, now, MAX_TERM_LEAD_MONTHS, 'a contract\'s term starts and ends at most twenty years ahead')),
      ...patchField(data, 'renewalConditions', (value) => checkText('renewalConditions', value, TEXT_LIMITS.text)),
    }),
    check: (contract, now) => {
      const { signed, signedOn, validFrom, validUntil } = contract as SectionClear['contract'];
      if (signed === false && signedOn !== null) {
        throw invalid('unsigned-contract-dated', 'signedOn', 'A contract that is not signed has no signing day: clear signedOn, or set signed to true');
      }
      if (signedOn !== null && !hasBegun(signedOn, now)) throw invalid('date-in-future', 'signedOn', `signedOn ${signedOn} is still to come; record the signing once it has happened`);
      if (validFrom !== null && validUntil !== null && validUntil < validFrom) {
        throw invalid('term-ends-before-it-starts', 'validUntil', `validUntil (${validUntil}) is before validFrom (${validFrom}); a contract's term ends on or after the day it starts`);
      }
    },
  },
  UpdateCustomerFacilities: {
    section: 'facilities',
    event: 'CustomerFileFacilitiesUpdated',
    what: 'storage and transport facilities',
    patch: (data) => ({
      ...patchField(data, 'storageTanks', (value) => checkCount('storageTanks', value)),
      ...patchField(data, 'storageCapacity', (value) => checkVolume('storageCapacity', value)),
      ...patchField(data, 'tankerVehicles', (value) => checkCount('tankerVehicles', value)),
      ...patchField(data, 'description', (value) => checkText('description', value, TEXT_LIMITS.text)),
    }),
  },
  UpdateCustomerOtherChannels: {
    section: 'otherChannels',
    event: 'CustomerFileOtherChannelsUpdated',
    what: 'purchases from other channels',
    patch: (data) => ({ channels: checkOtherChannels(data['channels']) }),
  },
  UpdateCustomerImportance: {
    section: 'importance',
    event: 'CustomerFileImportanceUpdated',
    what: 'importance',
    patch: (data) => ({
      ...patchField(data, 'key', (value) => checkBoolean('key', value), false),
      ...patchField(data, 'level', (value) => checkCode('level', 'importanceLevel', value)),
    }),
  },
  UpdateCustomerSegments: {
    section: 'segments',
    event: 'CustomerFileSegmentsUpdated',
    what: 'segments',
    patch: (data) => checkSegments(data),
    check: (segments) => checkSegmentsAgree(segments as SectionClear['segments']),
  },
};

/** The segment dimensions a command gives, each checked against its code list. */
export function checkSegments(data: Values): Values {
  return Object.assign({}, ...SECTION_FIELDS.segments.clear.map((dimension) =>
    patchField(data, dimension, (value) => checkCode(dimension, dimension, value))));
}

/** A usage or a driver type belongs to a consumer kind; the three must not contradict each other. */
export function checkSegmentsAgree(segments: Partial<SectionClear['segments']>): void {
  const { consumerKind, usage, driverType } = segments;
  const usageKind = usage ? USAGE_KIND[usage] : null;
  const driverKind = driverType ? DRIVER_TYPE_KIND[driverType] : null;
  if (usage && usageKind && consumerKind && usageKind !== consumerKind) {
    throw invalid('segments-disagree', 'usage', `usage ${usage} is a ${usageKind} use, but consumerKind is ${consumerKind}: change one of them`);
  }
  if (driverType && driverKind && consumerKind && driverKind !== consumerKind) {
    throw invalid('segments-disagree', 'driverType', `driverType ${driverType} drives a vehicle, but consumerKind is ${consumerKind}: change one of them`);
  }
  if (usage && driverType && usageKind && driverKind && usageKind !== driverKind) {
    throw invalid('segments-disagree', 'driverType', `driverType ${driverType} drives a vehicle, but usage ${usage} is a ${usageKind} use: change one of them`);
  }
}

function checkOtherChannels(value: unknown): OtherChannel[] {
  if (!Array.isArray(value)) throw invalid('invalid-channels', 'channels', 'channels must be a list of { supplier, products?, share? } (an empty list when there are none)');
  if (value.length > MAX_OTHER_CHANNELS) throw invalid('too-many-channels', 'channels', `channels may list at most ${MAX_OTHER_CHANNELS} other sellers`);
  const channels = value.map((entry: unknown, index): OtherChannel => {
    const field = `channels[${index}]`;
    const channel = (typeof entry === 'object' && entry !== null ? entry : {}) as Values;
    return {
      supplier: checkText(`${field}.supplier`, channel['supplier'], TEXT_LIMITS.name),
      products: checkOptionalText(`${field}.products`, channel['products'], TEXT_LIMITS.name),
      share: channel['share'] === undefined || channel['share'] === null ? null : checkShare(`${field}.share`, channel['share']),
    };
  });
  const suppliers = channels.map((channel) => channel.supplier.toLowerCase());
  const twice = suppliers.findIndex((supplier, index) => suppliers.indexOf(supplier) !== index);
  if (twice >= 0) throw invalid('duplicate-channel', `channels[${twice}].supplier`, `${channels[twice]?.supplier} is listed twice; give each seller once`);
  const total = channels.reduce((sum, channel) => sum + (channel.share ?? 0), 0);
  if (total > 1 + 1e-9) throw invalid('shares-above-whole', 'channels', `the shares add up to ${total}, more than the whole (1); they are shares of all the customer's purchases`);
  return channels;
}

/** The values are plain data (codes, numbers, volumes, lists), so equal JSON is equal meaning. */
const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A partial update of one section: only what changes is recorded; nothing changing is refused. */
export function updateSection(command: SectionUpdateCommand, file: ActiveCustomerFile): CustomerFileSectionUpdated {
  const rule = RULES[command.type];
  const data = command.data as Values;
  const reason = checkReason(data['reason']);
  const patch = rule.patch(data, command.at);
  const current = file[rule.section] as Values;
  rule.check?.({ ...current, ...patch }, command.at);
  const amendedOn = command.type === 'UpdateCustomerContract' && command.data.amendedOn !== undefined ? checkAmendmentDay(command.data.amendedOn, command.at) : null;

  const { clear, personal } = SECTION_FIELDS[rule.section] as { readonly clear: readonly string[]; readonly personal: readonly string[] };
  const changed = [...clear, ...personal].filter((field) => field in patch && !sameValue(current[field], patch[field]));
  if (changed.length === 0) throw new NothingToChangeError(file.id, rule.what);
  const pick = (fields: readonly string[]) => Object.fromEntries(fields.filter((field) => changed.includes(field)).map((field) => [field, patch[field]]));
  const personalValues = pick(personal);
  return {
    type: rule.event,
    data: {
      customerId: file.id,
      updatedAt: command.at,
      by: command.actor,
      reason,
      changed,
      changes: pick(clear),
      personal: Object.keys(personalValues).length > 0 ? personalValues : null,
      ...(rule.section === 'contract' ? { amendedOn } : {}),
    },
  } as CustomerFileSectionUpdated;
}

function checkAmendmentDay(value: unknown, now: string): string {
  const day = checkDay('amendedOn', value);
  if (!hasBegun(day, now)) throw invalid('date-in-future', 'amendedOn', `amendedOn ${day} is still to come; record the change of the contract once it has been agreed`);
  return day;
}
