import { afterSalesCodes, decimalText, type Label } from '@app/domain';
import { InvalidQueryError, type Filter } from '@app/read-store';
import type { ReadModelReader } from '../read-model-reader';
import { REPAIR_STATS, unitEntryId, type DirectoryEntry } from '../repair-stats/repair-stats.projection';
import { periodOf, type StatsInterval } from '../stats/complaint-stats.query';
import { REPAIR_FEES, type CurrencySums, type RepairFeesBucket } from './repair-fees.projection';
import { percent } from '../figures';
import { isPartialPeriod } from '../stats/partial-period';

/** A sum of one currency: integer minor units, the same as decimal text in the major unit, and how many amounts. */
export interface CurrencyTotal {
  readonly currency: string;
  readonly minorUnits: number;
  readonly amount: string;
  readonly count: number;
}

/** The verdicts a repaired cycle may have been judged under, and `none` (no warranty decision recorded). */
export const FEE_VERDICTS: readonly string[] = [...afterSalesCodes('warrantyVerdict'), 'none'];

export interface RepairFeesFigures {
  readonly closed: number;
  readonly repaired: number;
  readonly warranty: number;
  readonly chargeable: number;
  readonly freeOutOfWarranty: number;
  readonly fixedRemotely: number;
  readonly quoteRefused: number;
  /** warranty ÷ repaired, in %. */
  readonly warrantyPercent: number | null;
  /** chargeable ÷ repaired, in %. */
  readonly chargeablePercent: number | null;
  /** Repaired cycles per warranty verdict; every verdict listed, 0 when none. */
  readonly verdicts: Readonly<Record<string, number>>;
  /** Fees charged, per currency (sorted by code). */
  readonly fees: CurrencyTotal[];
  readonly confirmedQuotes: CurrencyTotal[];
}

export interface RepairFeesRow extends RepairFeesFigures {
  readonly period: string;
  /** The period holds only part of its days: it starts before `from`, ends after `to`, or has not ended yet (isPartialPeriod). */
  readonly partial: boolean;
  readonly station: string;
  readonly stationName: Label | null;
}

const COUNTERS = ['closed', 'repaired', 'warranty', 'chargeable', 'freeOutOfWarranty', 'fixedRemotely', 'quoteRefused'] as const;

/**
 * Each stored bucket is a safe integer (the projection's add refuses more), but many of them may add up
 * past 2^53: summed as BigInt, and a sum a JSON number cannot carry exactly is refused, never rounded.
 */
function addSums(a: CurrencySums, b: CurrencySums, field: 'fees' | 'confirmedQuotes'): CurrencySums {
  const sums: Record<string, { minorUnits: number; count: number }> = { ...a };
  for (const [currency, sum] of Object.entries(b)) {
    const previous = sums[currency];
    if (!previous) {
      sums[currency] = sum;
      continue;
    }
    const minorUnits = BigInt(previous.minorUnits) + BigInt(sum.minorUnits);
    if (minorUnits > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new InvalidQueryError(
        `The ${field} in ${currency} of the rows asked for add up to ${minorUnits} minor units, past ${Number.MAX_SAFE_INTEGER}, more than a JSON number carries exactly: ask for a shorter period (from, to) or fewer stations.`,
      );
    }
    sums[currency] = { minorUnits: Number(minorUnits), count: previous.count + sum.count };
  }
  return sums;
}

function addBuckets(previous: RepairFeesBucket, bucket: RepairFeesBucket): RepairFeesBucket {
  const verdicts: Record<string, number> = { ...previous.verdicts };
  for (const [verdict, count] of Object.entries(bucket.verdicts)) verdicts[verdict] = (verdicts[verdict] ?? 0) + count;
  return {
    ...previous, ...Object.fromEntries(COUNTERS.map((counter) => [counter, previous[counter] + bucket[counter]])),
    verdicts, fees: addSums(previous.fees, bucket.fees, 'fees'), confirmedQuotes: addSums(previous.confirmedQuotes, bucket.confirmedQuotes, 'confirmedQuotes'),
  };
}

const totalsOf = (sums: CurrencySums): CurrencyTotal[] => Object.keys(sums).sort().map((currency) => {
  const { minorUnits, count } = sums[currency]!;
  return { currency, minorUnits, amount: decimalText({ currency, minorUnits }), count };
});

export function repairFeesFiguresOf(bucket: RepairFeesBucket): RepairFeesFigures {
  return {
    closed: bucket.closed, repaired: bucket.repaired, warranty: bucket.warranty, chargeable: bucket.chargeable, freeOutOfWarranty: bucket.freeOutOfWarranty,
    fixedRemotely: bucket.fixedRemotely, quoteRefused: bucket.quoteRefused,
    warrantyPercent: percent(bucket.warranty, bucket.repaired), chargeablePercent: percent(bucket.chargeable, bucket.repaired),
    verdicts: Object.fromEntries(FEE_VERDICTS.map((verdict) => [verdict, bucket.verdicts[verdict] ?? 0])),
    fees: totalsOf(bucket.fees), confirmedQuotes: totalsOf(bucket.confirmedQuotes),
  };
}

export class RepairFeesQuery {
  constructor(private readonly reader: ReadModelReader) {}

  /** Per period and service point, days from inclusive, to exclusive (YYYY-MM-DD, UTC); with the totals over every row. `now`: see isPartialPeriod. */
  async fees(options: { interval: StatsInterval; from?: string; to?: string; stations?: readonly string[]; asOf?: string; now?: Date }): Promise<{ rows: RepairFeesRow[]; totals: RepairFeesFigures | null }> {
    const { collection, now } = await this.reader.periodsCollection(REPAIR_FEES, 'buckets', options.asOf, options.now ?? new Date());
    const where: Record<string, Filter[string]> = {};
    if (options.stations !== undefined) where['station'] = { in: [...options.stations] };
    if (options.from !== undefined || options.to !== undefined) where['day'] = { ...(options.from === undefined ? {} : { gte: options.from }), ...(options.to === undefined ? {} : { lt: options.to }) };
    const merged = new Map<string, RepairFeesBucket>();
    let total: RepairFeesBucket | undefined;
    let cursor: string | undefined;
    do {
      const page = await this.reader.store.find<RepairFeesBucket>(collection, { filter: where, sort: [{ field: 'day', direction: 'asc' }], limit: 1000, cursor });
      for (const bucket of page.items) {
        const period = periodOf(bucket.day, options.interval);
        const key = `${period}\u0000${bucket.station}`;
        const previous = merged.get(key);
        merged.set(key, previous ? addBuckets(previous, bucket) : { ...bucket, day: period });
        total = total ? addBuckets(total, bucket) : bucket;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const buckets = [...merged.values()].sort((a, b) => a.day.localeCompare(b.day) || a.station.localeCompare(b.station));
    const ids = [...new Set(buckets.map((bucket) => unitEntryId(bucket.station)))];
    const names = ids.length === 0 ? new Map<string, DirectoryEntry>() : await this.reader.store.getMany<DirectoryEntry>(await this.reader.collection(REPAIR_STATS, 'directory', options.asOf), ids);
    const range = { from: options.from, to: options.to, now };
    const rows = buckets.map((bucket): RepairFeesRow => {
      const entry = names.get(unitEntryId(bucket.station));
      return { period: bucket.day, partial: isPartialPeriod(bucket.day, options.interval, range), station: bucket.station, stationName: entry && typeof entry.name === 'object' ? entry.name : null, ...repairFeesFiguresOf(bucket) };
    });
    return { rows, totals: total ? repairFeesFiguresOf(total) : null };
  }
}
