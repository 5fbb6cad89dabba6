import { SLA_CLOCKS, principalKey, type SlaClock } from '@app/domain';
import type { Filter, Page } from '@app/read-store';
import type { ReadModelReader } from '../read-model-reader';
import { departmentKey } from '../department-spelling';
import { SLA, type ComplianceDimension, type ComplianceDocument, type SlaClockDocument } from './sla.projection';
import { periodOf, type StatsInterval } from '../stats/complaint-stats.query';
import { hours, percent } from '../figures';
import { isPartialPeriod } from '../stats/partial-period';

export interface BreachFilter {
  /** true: the step is still missing; false: it came late. */
  readonly open?: boolean;
  readonly clock?: SlaClock;
  /** One department, or any of several (a reader limited to departments). */
  readonly department?: string | readonly string[];
  readonly assignee?: string;
  /** Deadline at or after / before (ISO instants). */
  readonly from?: string;
  readonly to?: string;
}

export interface BreachView extends SlaClockDocument {
  /** How late: until the step for a closed breach, until now for an open one. */
  readonly overdueMs: number;
  /** The same in hours, one decimal, as the statistics give their durations. */
  readonly overdueHours: number;
  readonly open: boolean;
}

/** A running clock due soon: how long until its deadline, in ms and in hours (one decimal). */
export interface AtRiskView extends SlaClockDocument {
  readonly dueInMs: number;
  readonly dueInHours: number;
  /** The stored overdueMs (null while the clock runs) in hours. */
  readonly overdueHours: number | null;
}

export interface ComplianceRow {
  /** The first day of the period of the deadlines counted (YYYY-MM-DD), when asked per interval. */
  readonly period?: string;
  /** With a period: it holds only part of its days (it starts before `from`, ends after `to`, or has not ended yet). */
  readonly partial?: boolean;
  readonly value: string;
  readonly met: number;
  readonly breached: number;
  readonly compliancePercent: number | null;
}

/** Every row of a compliance answer together: what an analyst's sheet puts in its last line. */
export type ComplianceTotals = Omit<ComplianceRow, 'period' | 'partial' | 'value'>;

/** The counts of the rows summed and the percent taken from the sums (an average of the rows' percents would weigh a value with 2 clocks as one with 2,000); null without rows. */
export function complianceTotals(rows: readonly ComplianceRow[]): ComplianceTotals | null {
  if (rows.length === 0) return null;
  const met = rows.reduce((sum, row) => sum + row.met, 0);
  const breached = rows.reduce((sum, row) => sum + row.breached, 0);
  return { met, breached, compliancePercent: percent(met, met + breached) };
}

/** On departmentKey: a department letter case aside, as a scope compares it (`billing` finds the clocks of Billing and billing). */
const departmentFilter = (department: string | readonly string[]): Filter[string] => (typeof department === 'string' ? departmentKey(department) : { in: [...new Set(department.map(departmentKey))] });

const rangeOf = (from?: string, to?: string) => ({ ...(from === undefined ? {} : { gte: from }), ...(to === undefined ? {} : { lt: to }) });

/** Queries of the SLA read model. `now` is the query's own time: it only measures how late an open breach is. */
export class SlaQuery {
  constructor(private readonly reader: ReadModelReader) {}

  async breaches(filter: BreachFilter, page: { limit: number; cursor?: string }, now: Date): Promise<Page<BreachView>> {
    const where: Record<string, Filter[string]> = { breached: true };
    if (filter.clock !== undefined) where['clock'] = filter.clock;
    if (filter.assignee !== undefined) where['assigneeKey'] = principalKey(filter.assignee);
    if (filter.department !== undefined) where['departmentKey'] = departmentFilter(filter.department);
    if (filter.open !== undefined) where['metAt'] = filter.open ? null : { gte: '' };
    if (filter.from !== undefined || filter.to !== undefined) where['deadline'] = rangeOf(filter.from, filter.to);
    const collection = await this.reader.collection(SLA, 'clocks');
    const page2 = await this.reader.store.find<SlaClockDocument>(collection, { filter: where, sort: [{ field: 'deadline', direction: 'desc' }], limit: page.limit, cursor: page.cursor });
    return {
      nextCursor: page2.nextCursor,
      items: page2.items.map(({ assigneeKey: _assigneeKey, departmentKey: _departmentKey, ...clock }) => {
        const overdueMs = clock.metAt === null ? Math.max(0, now.getTime() - Date.parse(clock.deadline)) : (clock.overdueMs ?? 0);
        return { ...clock, open: clock.metAt === null, overdueMs, overdueHours: hours(overdueMs) };
      }),
    };
  }

  /** Running clocks due within `withinMs` from now, soonest first. */
  async atRisk(withinMs: number, page: { limit: number; cursor?: string }, now: Date, filter: { department?: string | readonly string[]; assignee?: string } = {}): Promise<Page<AtRiskView>> {
    const where: Record<string, Filter[string]> = { status: 'running', deadline: { gte: now.toISOString(), lte: new Date(now.getTime() + withinMs).toISOString() } };
    if (filter.department !== undefined) where['departmentKey'] = departmentFilter(filter.department);
    // An assignee as principal ids are compared (principalKey), as the complaint list's filter.
    if (filter.assignee !== undefined) where['assigneeKey'] = principalKey(filter.assignee);
    const collection = await this.reader.collection(SLA, 'clocks');
    const result = await this.reader.store.find<SlaClockDocument>(collection, { filter: where, sort: [{ field: 'deadline', direction: 'asc' }], limit: page.limit, cursor: page.cursor });
    return {
      nextCursor: result.nextCursor,
      items: result.items.map(({ assigneeKey: _assigneeKey, departmentKey: _departmentKey, ...clock }) => {
        const dueInMs = Date.parse(clock.deadline) - now.getTime();
        return { ...clock, dueInMs, dueInHours: hours(dueInMs), overdueHours: hours(clock.overdueMs) };
      }),
    };
  }

  /** How many clocks are breached with their step still missing, per clock. */
  async openBreachCounts(): Promise<Record<SlaClock, number>> {
    const collection = await this.reader.collection(SLA, 'clocks');
    const counts = await Promise.all(SLA_CLOCKS.map((clock) => this.reader.store.count(collection, { breached: true, metAt: null, clock })));
    return Object.fromEntries(SLA_CLOCKS.map((clock, index) => [clock, counts[index]!])) as Record<SlaClock, number>;
  }

  /** Running clocks due after now and at most withinMs ahead, soonest first: what the SLA monitor may warn about. */
  async dueSoon(now: Date, withinMs: number, limit: number): Promise<SlaClockDocument[]> {
    const collection = await this.reader.collection(SLA, 'clocks');
    const window = { gt: now.toISOString(), lte: new Date(now.getTime() + withinMs).toISOString() };
    return (await this.reader.store.find<SlaClockDocument>(collection, { filter: { status: 'running', deadline: window }, sort: [{ field: 'deadline', direction: 'asc' }], limit })).items;
  }

  /** Running clocks whose deadline has passed: what the SLA monitor must record. */
  async overdue(now: Date, limit: number): Promise<SlaClockDocument[]> {
    const collection = await this.reader.collection(SLA, 'clocks');
    const result = await this.reader.store.find<SlaClockDocument>(collection, { filter: { status: 'running', deadline: { lte: now.toISOString() } }, sort: [{ field: 'deadline', direction: 'asc' }], limit });
    return result.items;
  }

  /**
   * Met and breached clocks per value over the deadline days from–to; with an interval, per period of deadline days too (periods in order, then values),
   * each marked partial when from, to or `now` (the server's clock: a period not over yet; with asOf, the generation's cut when earlier) cuts it short.
   */
  async compliance(by: ComplianceDimension, from?: string, to?: string, asOf?: string, interval?: StatsInterval, now = new Date()): Promise<ComplianceRow[]> {
    const { collection, now: marksAt } = await this.reader.periodsCollection(SLA, 'compliance', asOf, now);
    const where: Record<string, Filter[string]> = { by };
    if (from !== undefined || to !== undefined) where['day'] = rangeOf(from, to);
    const totals = new Map<string, { period?: string; partial?: boolean; value: string; met: number; breached: number }>();
    let cursor: string | undefined;
    do {
      const page = await this.reader.store.find<ComplianceDocument>(collection, { filter: where, sort: [{ field: 'day', direction: 'asc' }], limit: 1000, cursor });
      for (const counter of page.items) {
        const period = interval === undefined ? undefined : periodOf(counter.day, interval);
        const key = period === undefined ? counter.value : `${period}\u0000${counter.value}`;
        const marked = period === undefined || interval === undefined ? {} : { period, partial: isPartialPeriod(period, interval, { from, to, now: marksAt }) };
        const total = totals.get(key) ?? { ...marked, value: counter.value, met: 0, breached: 0 };
        totals.set(key, { ...total, met: total.met + counter.met, breached: total.breached + counter.breached });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return [...totals.values()]
      .map(({ met, breached, ...row }) => ({ ...row, met, breached, compliancePercent: percent(met, met + breached) }))
      .sort((a, b) => (a.period ?? '').localeCompare(b.period ?? '') || a.value.localeCompare(b.value));
  }
}
