import { INSTANT_RULE, isInstant, isMonth, utcInstantOf } from '../dates';
import { addMonthsToDate, isLocalDate, latestLocalDayAt } from '../local-date';
import { isTaxonomyCode, taxonomyCodes, type Channel } from '../taxonomy';
import { isMeaningfulText } from '../visible-text';
import { InvalidCustomerFileCommandError, unknownCodeOf, type InvalidCustomerFileCommand } from './customer-file.errors';
import type { Volume } from './customer-file.sections';
import { customerFileCodes, isCustomerFileCode, type CustomerFileCode, type CustomerFileTaxonomyName } from './customer-file.taxonomy';

/*
 * Checks of the values a command brings. Each returns the value as the file stores it (trimmed,
 * normalised) or throws InvalidCustomerFileCommandError naming the field and saying how to fix it.
 * The HTTP edge checks shapes and sizes too; these hold for every caller (CLI, import, intake).
 */

const invalid = (code: InvalidCustomerFileCommand, field: string, message: string) => new InvalidCustomerFileCommandError(code, field, message);

/** Customer ids name streams (customer-<id>): the same plain identifiers complaints use. */
export const CUSTOMER_ID_PATTERN = '^[A-Za-z0-9._@:-]{1,100}$';
const CUSTOMER_ID = new RegExp(CUSTOMER_ID_PATTERN);

export function checkCustomerId(field: string, value: unknown): string {
  if (typeof value !== 'string' || !CUSTOMER_ID.test(value)) {
    throw invalid('invalid-customer-id', field, `${field} must be 1–100 letters, digits or . _ - @ : (e.g. cust-10086)`);
  }
  return value;
}

export const TEXT_LIMITS = { name: 200, short: 100, address: 500, text: 2000 } as const;

export function checkText(field: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string') throw invalid('invalid-text', field, `${field} must be text`);
  const text = value.trim();
  if (!isMeaningfulText(text)) throw invalid('blank-text', field, `${field} must not be blank (spaces or invisible characters alone); write something or leave the field out`);
  if (text.length > maxLength) throw invalid('text-too-long', field, `${field} must be at most ${maxLength} characters (it has ${text.length}); shorten it`);
  return text;
}

export const checkReason = (value: unknown): string => checkText('reason', value, TEXT_LIMITS.text);

/** Optional text: null (or nothing) stays null. */
export const checkOptionalText = (field: string, value: unknown, maxLength: number): string | null =>
  value === null || value === undefined ? null : checkText(field, value, maxLength);

const PHONE_SEPARATORS = /[\s\-()]/g;
const PHONE = /^\+?\d{7,15}$/;

/**
 * A phone number as dialled: 7–15 digits, optionally after + and a country code. Spaces, hyphens
 * and brackets are dropped, so the same number is stored (and found, and compared) one way.
 */
export function checkPhone(field: string, value: unknown): string {
  const phone = typeof value === 'string' ? value.replace(PHONE_SEPARATORS, '') : '';
  if (!PHONE.test(phone)) {
    throw invalid('invalid-phone', field, `${field} must be a phone number of 7–15 digits, optionally starting with + and the country code; spaces, hyphens and brackets are allowed (e.g. 138 0013 8000, 010-6552 9988, +86 10 6552 9988)`);
  }
  if (/^1\d{10}$/.test(phone) && !/^1[3-9]/.test(phone)) {
    throw invalid('invalid-phone', field, `${field} looks like a mainland mobile number, which starts with 13–19 (e.g. 138 0013 8000); check the second digit, or write a foreign number with + and its country code`);
  }
  return phone;
}

const EMAIL = /^[^\s@]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** name@domain.tld, at most 254 characters; the domain is stored in lower case. */
export function checkEmail(field: string, value: unknown): string {
  const email = typeof value === 'string' ? value.trim() : '';
  const at = email.lastIndexOf('@');
  if (email.length > 254 || !EMAIL.test(email) || email.indexOf('@') !== at || at > 64) {
    throw invalid('invalid-email', field, `${field} must be an e-mail address such as wang.li@example.com: one @, no spaces, and a domain with a dot`);
  }
  return `${email.slice(0, at)}@${email.slice(at + 1).toLowerCase()}`;
}

export function checkCode<N extends CustomerFileTaxonomyName>(field: string, name: N, value: unknown): CustomerFileCode<N> {
  if (!isCustomerFileCode(name, value)) {
    throw invalid(unknownCodeOf(name), field, `${field} must be one of the ${name} codes: ${customerFileCodes(name).join(', ')}`);
  }
  return value;
}

export const checkOptionalCode = <N extends CustomerFileTaxonomyName>(field: string, name: N, value: unknown): CustomerFileCode<N> | null =>
  value === null || value === undefined ? null : checkCode(field, name, value);

export function checkChannel(field: string, value: unknown): Channel {
  if (!isTaxonomyCode('channel', value)) throw invalid('unknown-channel', field, `${field} must be one of the channel codes: ${taxonomyCodes('channel').join(', ')}`);
  return value;
}

/** A day that exists, YYYY-MM-DD, from 1900 on. */
export function checkDay(field: string, value: unknown): string {
  if (!isLocalDate(value)) throw invalid('invalid-date', field, `${field} must be a day that exists, written YYYY-MM-DD (e.g. 2026-03-01), from 1900 on`);
  return value;
}

export const checkOptionalDay = (field: string, value: unknown): string | null => (value === null || value === undefined ? null : checkDay(field, value));

/**
 * A day from 1900 on, at most `months` calendar months after the latest day that may have begun at
 * `now`: a day that far ahead is a mistyped year (2999 for 2026, 9999 for "open-ended").
 */
export function checkDayAhead(field: string, value: unknown, now: string, months: number, what: string): string {
  const day = checkDay(field, value);
  const latest = addMonthsToDate(latestLocalDayAt(now), months);
  if (day > latest) throw invalid('date-too-far-ahead', field, `${field} ${day} is too far ahead: ${what} (${latest} at the latest); check the year`);
  return day;
}

/** A moment from 1900 on and not after `now`, stored as a UTC instant. */
export function checkPastInstant(field: string, value: unknown, now: string): string {
  // The year as written: 0001-03-02 is a day that exists, but no customer was visited on it.
  if (!isInstant(value) || value < '1900') {
    throw invalid('invalid-date', field, `${field} must be a day YYYY-MM-DD or a date-time with its offset (from -12:00 to +14:00, or Z), such as 2026-03-01T16:00:00+08:00 (${INSTANT_RULE}; from 1900 on)`);
  }
  const instant = utcInstantOf(value);
  if (Date.parse(instant) > Date.parse(now)) throw invalid('date-in-future', field, `${field} (${instant}) is after now (${now}); a visit is logged once it has taken place`);
  return instant;
}

/**
 * A calendar day or month is local to the business, whose time zone the domain does not know: it
 * has begun somewhere once its midnight UTC is less than 14 hours away (UTC+14 is the earliest).
 */
const EARLIEST_OFFSET_MS = 14 * 3_600_000;
export const hasBegun = (day: string, now: string): boolean => Date.parse(`${day}T00:00:00Z`) - EARLIEST_OFFSET_MS <= Date.parse(now);

export function checkPeriod(field: string, value: unknown, now: string): string {
  if (!isMonth(value) || value < '1900') throw invalid('invalid-period', field, `${field} must be a calendar month written YYYY-MM (e.g. 2026-03), from 1900 on`);
  if (!hasBegun(`${value}-01`, now)) throw invalid('period-in-future', field, `${field} ${value} has not begun; record a month's volume once the month has begun`);
  return value;
}

/** A whole number from 0 (a count of tanks or vehicles, days of a cycle from 1). */
export function checkCount(field: string, value: unknown, minimum = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw invalid('invalid-count', field, `${field} must be a whole number from ${minimum} (e.g. ${minimum + 2})`);
  }
  return value;
}

export function checkShare(field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw invalid('invalid-share', field, `${field} must be a share from 0 to 1 (0.25 = a quarter)`);
  return value;
}

/** A volume: an amount from 0 with at most three decimals, in a known unit. */
export function checkVolume(field: string, value: unknown): Volume {
  const volume = (typeof value === 'object' && value !== null ? value : {}) as { amount?: unknown; unit?: unknown };
  const { amount } = volume;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0 || amount > 1e12) {
    throw invalid('invalid-volume', `${field}.amount`, `${field}.amount must be a number from 0 (a volume cannot be negative) to 1000000000000, e.g. 12000`);
  }
  if (Math.round(amount * 1000) / 1000 !== amount) throw invalid('invalid-volume', `${field}.amount`, `${field}.amount may have at most three decimals (e.g. 12000.5)`);
  return { amount, unit: checkCode(`${field}.unit`, 'volumeUnit', volume.unit) };
}

export function checkRating(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 5) {
    throw invalid('invalid-rating', field, `${field} must be a whole number from 1 (very poor) to 5 (very good)`);
  }
  return value;
}

export function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalid('invalid-flag', field, `${field} must be true or false`);
  return value;
}

/** Runs `check` on a field only when the patch has it: left out stays left out, null clears. */
export function patchField<T>(patch: object, field: string, check: (value: unknown) => T, nullable = true): { readonly [field: string]: T | null } {
  const value = (patch as Record<string, unknown>)[field];
  if (value === undefined) return {};
  if (value === null) {
    if (!nullable) throw invalid('required', field, `${field} cannot be removed; give the right value instead`);
    return { [field]: null };
  }
  return { [field]: check(value) };
}
