import type { StatsInterval } from './complaint-stats.query';

/** The first day after a period (its exclusive end, YYYY-MM-DD, UTC), from its first day as `periodOf` gives it. */
export function periodEnd(period: string, interval: StatsInterval): string {
  const date = new Date(`${period}T00:00:00.000Z`);
  if (interval === 'day') date.setUTCDate(date.getUTCDate() + 1);
  else if (interval === 'week') date.setUTCDate(date.getUTCDate() + 7);
  else date.setUTCMonth(date.getUTCMonth() + (interval === 'month' ? 1 : interval === 'quarter' ? 3 : 12));
  return date.toISOString().slice(0, 10);
}

/** What a period row was counted over: days from inclusive, to exclusive (YYYY-MM-DD, UTC), at the moment `now`. */
export interface PeriodRange {
  readonly from?: string;
  readonly to?: string;
  readonly now: Date;
}

/**
 * Whether a period row holds only part of its period (`partial`): the period starts before `from`,
 * ends after `to`, or has not ended by `now` (the current day, week, month… is incomplete, with or
 * without a `to`). A period from its first day to its last, ended, is whole.
 */
export function isPartialPeriod(period: string, interval: StatsInterval, range: PeriodRange): boolean {
  const end = periodEnd(period, interval);
  if (range.from !== undefined && period < range.from) return true;
  if (range.to !== undefined && end > range.to) return true;
  return Date.parse(`${end}T00:00:00.000Z`) > range.now.getTime();
}
