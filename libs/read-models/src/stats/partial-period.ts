import type { StatsInterval } from './complaint-stats.query';
import { parseAsOfUntil } from '../as-of/as-of-until';

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

/** What partialPeriodsClock reads of an as-of generation's catalogue entry (AsOfEntry); any of it may be missing or, edited by hand, of another type. */
export type AsOfCutEntry = {
  readonly until?: unknown;
  readonly lastOccurredAt?: unknown;
  readonly builtAt?: unknown;
};

/** A moment an entry names, or undefined for anything that is not one. */
function momentOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const moment = Date.parse(value);
  return Number.isFinite(moment) ? moment : undefined;
}

/**
 * The `now` a period statistic marks its rows by (isPartialPeriod): the clock, or, read with asOf, the generation's cut when that is
 * earlier: a generation holds only what had happened by its cut, so a period not over then is partial however long ago it ended.
 * The cut, from the generation's catalogue entry (`entry`; undefined without asOf, or for a generation with no entry):
 * - `until` a date or date-time: the moment after the one it names as the build read it (parseAsOfUntil: a date is the end of that
 *   day), since the generation holds that moment inclusive; as of 2026-03-31, March is whole, as of 2026-03-15 it is partial;
 * - `until` a position: the latest moment its events happened (`lastOccurredAt`: occurredAt, else recordedAt); a generation built by a version that did
 *   not record it is marked by when it was built (`builtAt`), an upper bound: at or after its last event.
 * An entry that names none of these (edited by hand) leaves the clock.
 */
export function partialPeriodsClock(clock: Date, entry: AsOfCutEntry | undefined): Date {
  const until = typeof entry?.until === 'string' ? parseAsOfUntil(entry.until) : undefined;
  const cut = until?.time !== undefined ? Date.parse(until.time) + 1
    : until?.position !== undefined ? momentOf(entry?.lastOccurredAt) ?? momentOf(entry?.builtAt)
      : undefined;
  return cut !== undefined && cut < clock.getTime() ? new Date(cut) : clock;
}
