import type { Filter } from '@app/read-store';
import type { ReadModelReader } from '../read-model-reader';
import { mean, mergeSketches, quantile } from '../sketch';
import { COMPLAINT_STATS, type StatsBucket, type StatsDimension } from './complaint-stats.projection';

export type StatsInterval = 'day' | 'week' | 'month';

export interface StatsRow {
  readonly period: string;
  readonly value: string;
  readonly received: number;
  readonly validated: number;
  readonly rejected: number;
  readonly resolved: number;
  readonly reopened: number;
  /** validated ÷ (validated + rejected), in %. */
  readonly wellFoundedPercent: number | null;
  readonly timeToFirstReplyMs: { readonly mean: number | null; readonly p50: number | null; readonly p90: number | null };
  readonly timeToResolutionMs: { readonly mean: number | null; readonly p50: number | null; readonly p90: number | null };
  readonly slaCompliancePercent: number | null;
  readonly meanSatisfaction: number | null;
}

/** First day of the period a day belongs to: the day itself, its ISO week's Monday, or the 1st of its month. */
export function periodOf(day: string, interval: StatsInterval): string {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

const percent = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

export class ComplaintStatsQuery {
  constructor(private readonly reader: ReadModelReader) {}

  /** Buckets of received complaints (cohorts by day of receipt, UTC); from inclusive, to exclusive (YYYY-MM-DD). */
  async complaints(by: StatsDimension, interval: StatsInterval, from?: string, to?: string, asOf?: string): Promise<StatsRow[]> {
    const collection = await this.reader.collection(COMPLAINT_STATS, 'buckets', asOf);
    const where: Record<string, Filter[string]> = { dimension: by };
    if (from !== undefined || to !== undefined) where['day'] = { ...(from === undefined ? {} : { gte: from }), ...(to === undefined ? {} : { lt: to }) };
    const merged = new Map<string, StatsBucket>();
    let cursor: string | undefined;
    do {
      const page = await this.reader.store.find<StatsBucket>(collection, { filter: where, sort: [{ field: 'day', direction: 'asc' }], limit: 1000, cursor });
      for (const bucket of page.items) {
        const period = periodOf(bucket.day, interval);
        const key = `${period}\u0000${bucket.value}`;
        const previous = merged.get(key);
        merged.set(key, previous ? {
          ...previous,
          received: previous.received + bucket.received, validated: previous.validated + bucket.validated, rejected: previous.rejected + bucket.rejected,
          resolved: previous.resolved + bucket.resolved, reopened: previous.reopened + bucket.reopened, slaMet: previous.slaMet + bucket.slaMet,
          slaBreached: previous.slaBreached + bucket.slaBreached, satisfactionSum: previous.satisfactionSum + bucket.satisfactionSum,
          satisfactionCount: previous.satisfactionCount + bucket.satisfactionCount,
          firstReply: mergeSketches(previous.firstReply, bucket.firstReply), resolution: mergeSketches(previous.resolution, bucket.resolution),
        } : { ...bucket, day: period });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return [...merged.values()]
      .sort((a, b) => a.day.localeCompare(b.day) || a.value.localeCompare(b.value))
      .map((bucket) => ({
        period: bucket.day, value: bucket.value, received: bucket.received, validated: bucket.validated, rejected: bucket.rejected,
        resolved: bucket.resolved, reopened: bucket.reopened, wellFoundedPercent: percent(bucket.validated, bucket.validated + bucket.rejected),
        timeToFirstReplyMs: { mean: mean(bucket.firstReply), p50: quantile(bucket.firstReply, 0.5), p90: quantile(bucket.firstReply, 0.9) },
        timeToResolutionMs: { mean: mean(bucket.resolution), p50: quantile(bucket.resolution, 0.5), p90: quantile(bucket.resolution, 0.9) },
        slaCompliancePercent: percent(bucket.slaMet, bucket.slaMet + bucket.slaBreached),
        meanSatisfaction: bucket.satisfactionCount === 0 ? null : Math.round((bucket.satisfactionSum / bucket.satisfactionCount) * 100) / 100,
      }));
  }
}
