/**
 * Days and instants as people send them. A day is YYYY-MM-DD on the calendar (no zone); an instant
 * is a day (its midnight UTC) or a date-time with its offset. Both must exist: 2026-02-29 does not.
 */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** At most three digits after the seconds: the log and the read models keep milliseconds, and a finer time was cut without a word. */
const INSTANT = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A calendar day that exists: 2026-02-29 and 2026-13-45 do not. */
export function isDay(value: unknown): value is string {
  const match = typeof value === 'string' ? DAY.exec(value) : null;
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * The offsets clocks use run from -12:00 (Baker Island) to +14:00 (Kiribati's Line Islands); +14:01 or
 * -23:59 is a typo that Date.parse would take and move the moment by hours. RFC 3339's -00:00 is in range.
 * A zone designator in range: Z, or ±hh:mm with minutes below 60 in that range (the messages say so).
 */
export function isOffsetInRange(zone: string): boolean {
  if (zone === 'Z') return true;
  const match = /^([+-])(\d{2}):([0-5]\d)$/.exec(zone);
  if (!match) return false;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return minutes <= (match[1] === '+' ? 14 : 12) * 60;
}

/** The first and last milliseconds of the years 0000-9999 in UTC, the instants toISOString writes with a four-digit year. */
const FIRST_MS = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The rule of every date-time the API takes (isInstant), as its messages end: what a value that breaks it must change. */
export const INSTANT_RULE = 'ISO 8601, on a day that exists, at most three digits after the seconds (milliseconds), in the years 0000-9999 once in UTC';

/**
 * A day (midnight UTC) or a date-time with its offset (in range) and at most milliseconds, on a day that exists, whose UTC instant falls in the years
 * 0000-9999 (0000-01-01T00:00:00+01:00 is in year -1 in UTC: its UTC text would have a six-digit signed year).
 */
export function isInstant(value: unknown): value is string {
  if (isDay(value)) return true;
  const match = typeof value === 'string' ? INSTANT.exec(value) : null;
  if (match === null || !isDay(match[1]) || !isOffsetInRange(match[5]!)) return false;
  const ms = Date.parse(value as string);
  return ms >= FIRST_MS && ms <= LAST_MS;
}

/** The UTC instant an `isInstant` value names (2026-03-01T08:00:00+08:00 → 2026-03-01T00:00:00.000Z). */
export function utcInstantOf(value: string): string {
  return new Date(value.length === 10 ? `${value}T00:00:00Z` : value).toISOString();
}

/** A calendar month as YYYY-MM (a period of monthly figures). */
export function isMonth(value: unknown): value is string {
  return typeof value === 'string' && MONTH.test(value) && isDay(`${value}-01`);
}
