import type { Label } from '@app/domain';
import type { Filter } from '@app/read-store';
import type { ReadModelReader } from '../read-model-reader';
import { bucketSums, mean, quantile, type Sketch } from '../sketch';
import { periodOf, type DurationSummary, type StatsInterval } from '../stats/complaint-stats.query';
import {
  REPAIR_STATS, engineerEntryId, unitEntryId, type DirectoryEntry, type RepairStatsBucket, type RepairStatsDimension,
} from './repair-stats.projection';
import { hours, percent } from '../figures';
import { isPartialPeriod } from '../stats/partial-period';

/** The figures of a row of repair statistics: workload, first-time fix, repeat repairs, times, SLA, satisfaction. */
export interface RepairFigures {
  readonly orders: number;
  /** Still open now (the workload), of the orders reported in the period. */
  readonly open: number;
  /** Handed over repaired or fixed remotely at least once. */
  readonly completed: number;
  readonly firstTimeFix: number;
  /** firstTimeFix ÷ completed, in %. */
  readonly firstTimeFixPercent: number | null;
  /** Reopened within 30 days of the hand-over. */
  readonly repeatRepairs: number;
  /** repeatRepairs ÷ completed, in %. */
  readonly repeatRepairPercent: number | null;
  readonly fixedRemotely: number;
  readonly cancelled: number;
  readonly quoteRefused: number;
  readonly visits: number;
  readonly failedVisits: number;
  readonly timeToArriveMs: DurationSummary;
  readonly timeToCompleteMs: DurationSummary;
  readonly timeToArriveHours: DurationSummary;
  readonly timeToCompleteHours: DurationSummary;
  readonly onSiteMet: number;
  readonly onSiteBreached: number;
  readonly onSiteCompliancePercent: number | null;
  /** Every clock: first contact, on-site, completion, survey. */
  readonly slaCompliancePercent: number | null;
  readonly surveysSent: number;
  readonly surveysAnswered: number;
  readonly surveyResponsePercent: number | null;
  /** Mean of every answered score (1–5). */
  readonly meanSatisfaction: number | null;
}

export interface EngineerStatsRow extends RepairFigures {
  readonly period: string;
  /** The period holds only part of its days: it starts before `from`, ends after `to`, or has not ended yet (isPartialPeriod). */
  readonly partial: boolean;
  readonly engineerId: string;
  /** As the service network names the engineer now (in an as-of view: then); null when it does not. */
  readonly engineerName: string | null;
  readonly station: string;
}

export interface StationStatsRow extends RepairFigures {
  readonly period: string;
  /** The period holds only part of its days: it starts before `from`, ends after `to`, or has not ended yet (isPartialPeriod). */
  readonly partial: boolean;
  readonly station: string;
  readonly stationName: Label | null;
}

export interface RepairStatsOptions {
  readonly interval: StatsInterval;
  /** Days of report, from inclusive, to exclusive (YYYY-MM-DD, UTC). */
  readonly from?: string;
  readonly to?: string;
  /** Only these stations (a reader limited to departments, or a filter); undefined: every one. */
  readonly stations?: readonly string[];
  readonly engineerId?: string;
  readonly asOf?: string;
  /** The server's clock: a period not over by then (with asOf, by the generation's cut when earlier) is partial. Default: the machine's time. */
  readonly now?: Date;
}

const COUNTERS = [
  'orders', 'open', 'completed', 'firstTimeFix', 'fixedRemotely', 'repeatRepairs', 'cancelled', 'quoteRefused', 'visits', 'failedVisits',
  'onSiteMet', 'onSiteBreached', 'slaMet', 'slaBreached', 'surveysSent', 'surveysAnswered', 'satisfactionSum', 'satisfactionCount',
] as const;

/** Buckets summed per period in place (no copy of the sum at each bucket). */
const { sumOf, addInto } = bucketSums<RepairStatsBucket>(COUNTERS, ['arrival', 'completion']);

export function repairFiguresOf(bucket: RepairStatsBucket): RepairFigures {
  const summary = (sketch: Sketch): DurationSummary => ({ mean: mean(sketch), p50: quantile(sketch, 0.5), p90: quantile(sketch, 0.9) });
  const inHours = (ms: DurationSummary): DurationSummary => ({ mean: hours(ms.mean), p50: hours(ms.p50), p90: hours(ms.p90) });
  const [arrival, completion] = [summary(bucket.arrival), summary(bucket.completion)];
  return {
    orders: bucket.orders, open: bucket.open, completed: bucket.completed, firstTimeFix: bucket.firstTimeFix, firstTimeFixPercent: percent(bucket.firstTimeFix, bucket.completed),
    repeatRepairs: bucket.repeatRepairs, repeatRepairPercent: percent(bucket.repeatRepairs, bucket.completed), fixedRemotely: bucket.fixedRemotely,
    cancelled: bucket.cancelled, quoteRefused: bucket.quoteRefused, visits: bucket.visits, failedVisits: bucket.failedVisits,
    timeToArriveMs: arrival, timeToCompleteMs: completion, timeToArriveHours: inHours(arrival), timeToCompleteHours: inHours(completion),
    onSiteMet: bucket.onSiteMet, onSiteBreached: bucket.onSiteBreached, onSiteCompliancePercent: percent(bucket.onSiteMet, bucket.onSiteMet + bucket.onSiteBreached),
    slaCompliancePercent: percent(bucket.slaMet, bucket.slaMet + bucket.slaBreached),
    surveysSent: bucket.surveysSent, surveysAnswered: bucket.surveysAnswered, surveyResponsePercent: percent(bucket.surveysAnswered, bucket.surveysSent),
    meanSatisfaction: bucket.satisfactionCount === 0 ? null : Math.round((bucket.satisfactionSum / bucket.satisfactionCount) * 100) / 100,
  };
}

/** Engineer workload and performance, and station statistics, per period; the totals over every row. */
export class RepairStatsQuery {
  constructor(private readonly reader: ReadModelReader) {}

  async engineers(options: RepairStatsOptions): Promise<{ rows: EngineerStatsRow[]; totals: RepairFigures | null }> {
    const { merged, total, now } = await this.merged('engineer', options);
    const names = await this.directory(options.asOf, [...new Set(merged.map((bucket) => engineerEntryId(bucket.value)))]);
    const range = { from: options.from, to: options.to, now };
    const rows = merged.map((bucket): EngineerStatsRow => {
      const entry = names.get(engineerEntryId(bucket.value));
      return { period: bucket.day, partial: isPartialPeriod(bucket.day, options.interval, range), engineerId: bucket.value, engineerName: typeof entry?.name === 'string' ? entry.name : null, station: bucket.station, ...repairFiguresOf(bucket) };
    });
    return { rows, totals: total ? repairFiguresOf(total) : null };
  }

  async stations(options: RepairStatsOptions): Promise<{ rows: StationStatsRow[]; totals: RepairFigures | null }> {
    const { merged, total, now } = await this.merged('station', options);
    const names = await this.directory(options.asOf, [...new Set(merged.map((bucket) => unitEntryId(bucket.station)))]);
    const range = { from: options.from, to: options.to, now };
    const rows = merged.map((bucket): StationStatsRow => {
      const entry = names.get(unitEntryId(bucket.station));
      return { period: bucket.day, partial: isPartialPeriod(bucket.day, options.interval, range), station: bucket.station, stationName: entry && typeof entry.name === 'object' ? entry.name : null, ...repairFiguresOf(bucket) };
    });
    return { rows, totals: total ? repairFiguresOf(total) : null };
  }

  /** The buckets of a dimension summed per period and value (rows of no order left out), and over everything; `now`: what the rows are marked partial by (periodsCollection). */
  private async merged(dimension: RepairStatsDimension, options: RepairStatsOptions): Promise<{ merged: RepairStatsBucket[]; total: RepairStatsBucket | undefined; now: Date }> {
    const { collection, now } = await this.reader.periodsCollection(REPAIR_STATS, 'buckets', options.asOf, options.now ?? new Date());
    const where: Record<string, Filter[string]> = { dimension };
    if (options.stations !== undefined) where['station'] = { in: [...options.stations] };
    if (options.engineerId !== undefined) where['value'] = options.engineerId;
    if (options.from !== undefined || options.to !== undefined) where['day'] = { ...(options.from === undefined ? {} : { gte: options.from }), ...(options.to === undefined ? {} : { lt: options.to }) };
    const merged = new Map<string, RepairStatsBucket>();
    let total: RepairStatsBucket | undefined;
    let cursor: string | undefined;
    do {
      const page = await this.reader.store.find<RepairStatsBucket>(collection, { filter: where, sort: [{ field: 'day', direction: 'asc' }], limit: 1000, cursor });
      for (const bucket of page.items) {
        const period = periodOf(bucket.day, options.interval);
        const key = `${period}\u0000${bucket.station}\u0000${bucket.value}`;
        const previous = merged.get(key);
        if (previous) addInto(previous, bucket);
        else merged.set(key, sumOf(bucket, period));
        if (total) addInto(total, bucket);
        else total = sumOf(bucket, bucket.day);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // An engineer or station whose orders all moved on (redispatched) keeps a bucket of zeros: no row,
    // unless the engineer made visits to them (credited to whoever made them, repair-stats v3).
    const rows = [...merged.values()]
      .filter((bucket) => bucket.orders !== 0 || bucket.visits !== 0 || bucket.failedVisits !== 0)
      .sort((a, b) => a.day.localeCompare(b.day) || a.station.localeCompare(b.station) || a.value.localeCompare(b.value));
    return { merged: rows, total, now };
  }

  private async directory(asOf: string | undefined, ids: string[]): Promise<Map<string, DirectoryEntry>> {
    if (ids.length === 0) return new Map();
    const collection = await this.reader.collection(REPAIR_STATS, 'directory', asOf);
    return this.reader.store.getMany<DirectoryEntry>(collection, ids);
  }
}
