import { isDay } from './dates';

/**
 * Local dates (YYYY-MM-DD) with no time and no zone: installation dates, warranty periods. Computed
 * on the date's own fields (a UTC midnight is used only as a carrier), so no time zone or daylight
 * saving change can move a day.
 */

/** Whether the text is a real calendar date written YYYY-MM-DD (2026-02-30 is not), years 1900–9999. */
export function isLocalDate(value: unknown): value is string {
  return isDay(value) && value >= '1900';
}

function carrier(date: string): Date {
  if (!isLocalDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return new Date(`${date}T00:00:00.000Z`);
}

const format = (date: Date): string => date.toISOString().slice(0, 10);

export function addDaysToDate(date: string, days: number): string {
  const result = carrier(date);
  result.setUTCDate(result.getUTCDate() + days);
  return format(result);
}

/**
 * The same day `months` calendar months later; a day the target month lacks becomes its last day
 * (2026-01-31 + 1 month = 2026-02-28), as a contract that runs "one month from 31 January" would.
 */
export function addMonthsToDate(date: string, months: number): string {
  const start = carrier(date);
  const target = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(start.getUTCDate(), lastDay));
  return format(target);
}

/**
 * The latest local day that may have begun at an instant: the day after its UTC day, as a day is
 * local to the business, whose time zone the domain does not know (up to 14 hours ahead of UTC).
 */
export function latestLocalDayAt(instant: string): string {
  return addDaysToDate(new Date(instant).toISOString().slice(0, 10), 1);
}
