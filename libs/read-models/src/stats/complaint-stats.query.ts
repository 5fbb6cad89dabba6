import type { Filter } from '@app/read-store';
import type { ReadModelReader } from '../read-model-reader';
import { bucketSums, mean, quantile } from '../sketch';
import { COMPLAINT_STATS, STATS_COUNTERS, type StatsBucket, type StatsDimension } from './complaint-stats.projection';
import { hours, percent } from '../figures';
import { isPartialPeriod } from './partial-period';

export const STATS_INTERVALS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type StatsInterval = (typeof STATS_INTERVALS)[number];

/** A duration's mean and percentiles, in milliseconds and, for people, in hours with one decimal. */
export interface DurationSummary {
  readonly mean: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
}

export interface StatsRow {
  readonly period: string;
  /** The period holds only part of its days: it starts before `from`, ends after `to`, or has not ended yet (isPartialPeriod). */
  readonly partial: boolean;
  readonly value: string;
  readonly received: number;
  readonly validated: number;
  readonly rejected: number;
  readonly resolved: number;
  readonly reopened: number;
  /** validated ÷ (validated + rejected), in %. */
  readonly wellFoundedPercent: number | null;
  readonly timeToFirstReplyMs: DurationSummary;
  readonly timeToResolutionMs: DurationSummary;
  readonly timeToFirstReplyHours: DurationSummary;
  readonly timeToResolutionHours: DurationSummary;
  readonly slaCompliancePercent: number | null;
  readonly meanSatisfaction: number | null;
}

/** Every figure of a row, over all its periods and values: what an analyst's sheet puts in its last line. */
export type StatsTotals = Omit<StatsRow, 'period' | 'value' | 'partial'>;

/** Every figure of one period, over all the values of the dimension: the complaints received in that period. */
export type StatsPeriod = Omit<StatsRow, 'value'>;

/** First day of the period a day belongs to: the day itself, its ISO week's Monday, or the 1st of its month, quarter or year. */
export function periodOf(day: string, interval: StatsInterval): string {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  if (interval === 'year') return `${day.slice(0, 4)}-01-01`;
  if (interval === 'quarter') return `${day.slice(0, 4)}-${String(Math.floor((Number(day.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}


/** Buckets summed per period in place (no copy of the sum at each bucket). */
const { sumOf, addInto } = bucketSums<StatsBucket>(STATS_COUNTERS, ['firstReply', 'resolution']);

function figuresOf(bucket: StatsBucket): StatsTotals {
  const summary = (sketch: StatsBucket['firstReply']): DurationSummary => ({ mean: mean(sketch), p50: quantile(sketch, 0.5), p90: quantile(sketch, 0.9) });
  const inHours = (ms: DurationSummary): DurationSummary => ({ mean: hours(ms.mean), p50: hours(ms.p50), p90: hours(ms.p90) });
  const [firstReply, resolution] = [summary(bucket.firstReply), summary(bucket.resolution)];
  return {
    received: bucket.received, validated: bucket.validated, rejected: bucket.rejected, resolved: bucket.resolved, reopened: bucket.reopened,
    wellFoundedPercent: percent(bucket.validated, bucket.validated + bucket.rejected),
    timeToFirstReplyMs: firstReply, timeToResolutionMs: resolution, timeToFirstReplyHours: inHours(firstReply), timeToResolutionHours: inHours(resolution),
    slaCompliancePercent: percent(bucket.slaMet, bucket.slaMet + bucket.slaBreached),
    meanSatisfaction: bucket.satisfactionCount === 0 ? null : Math.round((bucket.satisfactionSum / bucket.satisfactionCount) * 100) / 100,
  };
}

export class ComplaintStatsQuery {
  constructor(private readonly reader: ReadModelReader) {}

  /**
   * Buckets of received complaints (cohorts by day of receipt, UTC); from inclusive, to exclusive
   * (YYYY-MM-DD); with the figures of each period over every value, and the totals over every row.
   * Each complaint counts once per dimension, so a period's figures (its percentiles too) are those of
   * the complaints received in it, and the totals those of the complaints received from `from` to `to`.
   * `now` (the server's clock; with asOf, the generation's cut when earlier: periodsCollection) tells the periods not over yet,
   * marked partial as those `from` and `to` cut short.
   */
  async complaints(by: StatsDimension, interval: StatsInterval, from?: string, to?: string, asOf?: string, now = new Date()): Promise<{ rows: StatsRow[]; periods: StatsPeriod[]; totals: StatsTotals | null }> {
    const { collection, now: marksAt } = await this.reader.periodsCollection(COMPLAINT_STATS, 'buckets', asOf, now);
    const where: Record<string, Filter[string]> = { dimension: by };
    if (from !== undefined || to !== undefined) where['day'] = { ...(from === undefined ? {} : { gte: from }), ...(to === undefined ? {} : { lt: to }) };
    const merged = new Map<string, StatsBucket>();
    const perPeriod = new Map<string, StatsBucket>();
    let total: StatsBucket | undefined;
    let cursor: string | undefined;
    do {
      const page = await this.reader.store.find<StatsBucket>(collection, { filter: where, sort: [{ field: 'day', direction: 'asc' }], limit: 1000, cursor });
      for (const bucket of page.items) {
        const period = periodOf(bucket.day, interval);
        const key = `${period}\u0000${bucket.value}`;
        const previous = merged.get(key);
        if (previous) addInto(previous, bucket);
        else merged.set(key, sumOf(bucket, period));
        const periodSoFar = perPeriod.get(period);
        if (periodSoFar) addInto(periodSoFar, bucket);
        else perPeriod.set(period, sumOf(bucket, period));
        if (total) addInto(total, bucket);
        else total = sumOf(bucket, bucket.day);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // A value whose complaints all moved on (a department they were reassigned from) keeps a bucket of zeros: no row.
    const rows = [...merged.values()]
      .filter((bucket) => bucket.received !== 0)
      .sort((a, b) => a.day.localeCompare(b.day) || a.value.localeCompare(b.value))
      .map((bucket): StatsRow => ({ period: bucket.day, partial: isPartialPeriod(bucket.day, interval, { from, to, now: marksAt }), value: bucket.value, ...figuresOf(bucket) }));
    const periods = [...perPeriod.values()]
      .filter((bucket) => bucket.received !== 0)
      .sort((a, b) => a.day.localeCompare(b.day))
      .map((bucket): StatsPeriod => ({ period: bucket.day, partial: isPartialPeriod(bucket.day, interval, { from, to, now: marksAt }), ...figuresOf(bucket) }));
    return { rows, periods, totals: total ? figuresOf(total) : null };
  }
}
