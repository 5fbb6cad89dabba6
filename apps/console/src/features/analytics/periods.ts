import type { Language } from '../../shared/i18n/catalogue';

export const INTERVALS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Interval = (typeof INTERVALS)[number];

/** The first day of the next period (YYYY-MM-DD, UTC): the end (excluded) of the period starting on `period`. */
export function nextPeriod(period: string, interval: Interval): string {
  const date = new Date(`${period}T00:00:00.000Z`);
  if (interval === 'day') date.setUTCDate(date.getUTCDate() + 1);
  else if (interval === 'week') date.setUTCDate(date.getUTCDate() + 7);
  else if (interval === 'month') date.setUTCMonth(date.getUTCMonth() + 1);
  else if (interval === 'quarter') date.setUTCMonth(date.getUTCMonth() + 3);
  else date.setUTCFullYear(date.getUTCFullYear() + 1);
  return date.toISOString().slice(0, 10);
}

/** The received-at range of a period as the list filters it: [its first day, the next period's first day), UTC as the statistics count. */
export const receivedIn = (period: string, interval: Interval) => ({ from: `${period}T00:00:00.000Z`, to: `${nextPeriod(period, interval)}T00:00:00.000Z` });

/** A period (its first day, UTC) in words of the language: 2026年3月 / Mar 2026, 2026 Q1, the week's Monday. */
export function periodLabel(period: string, interval: Interval, language: Language, words: { quarter: (year: string, quarter: number) => string; week: (date: string) => string }): string {
  const date = new Date(`${period}T00:00:00.000Z`);
  const format = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(language, { ...options, timeZone: 'UTC' }).format(date);
  if (interval === 'day') return format({ year: 'numeric', month: 'short', day: 'numeric' });
  if (interval === 'week') return words.week(format({ month: 'short', day: 'numeric' }));
  if (interval === 'month') return format({ year: 'numeric', month: 'short' });
  if (interval === 'quarter') return words.quarter(period.slice(0, 4), Math.floor(date.getUTCMonth() / 3) + 1);
  return format({ year: 'numeric' });
}

/** The words the dashboard names a period with: a quarter, a week, and a partial period's name with its mark (Apr 2026*). */
export interface PeriodWords {
  readonly quarter: (year: string, quarter: number) => string;
  readonly week: (date: string) => string;
  readonly partial: (name: string) => string;
}

/**
 * The periods some row of the answers marks `partial` (cut short by `from`/`to`, or not over yet by the server's clock):
 * a period is named alike in each chart, so one partial row marks it everywhere. A row without the mark is whole.
 */
export function partialPeriods(...answers: ReadonlyArray<ReadonlyArray<{ readonly period?: string; readonly partial?: boolean }>>): ReadonlySet<string> {
  return new Set(answers.flatMap((rows) => rows.filter((row) => row.partial === true && row.period !== undefined).map((row) => row.period!)));
}

/** The one namer of the dashboard's periods (axes, tooltips, text alternatives, the heat map): periodLabel, marked when the period is partial. */
export function periodNamer(interval: Interval, language: Language, words: PeriodWords, partial: ReadonlySet<string>): (period: string) => string {
  return (period) => {
    const name = periodLabel(period, interval, language, words);
    return partial.has(period) ? words.partial(name) : name;
  };
}
