import type { WorkOrderClock } from '@app/domain';
import type { Filter, Page } from '@app/read-store';
import type { ReadModelReader } from '../read-model-reader';
import { WORK_ORDER_SLA, type WorkOrderClockDocument } from './work-order-sla.projection';

const stationFilter = (station: string | readonly string[]): Filter[string] => (typeof station === 'string' ? station : { in: [...station] });

/** Queries of the work-order SLA clocks. `now` is the query's own time: it only says what is overdue or due soon. */
export class WorkOrderSlaQuery {
  constructor(private readonly reader: ReadModelReader) {}

  /** Running clocks whose deadline has passed, oldest deadline first: what the work-order SLA monitor must record. */
  async overdue(now: Date, limit: number): Promise<WorkOrderClockDocument[]> {
    const collection = await this.reader.collection(WORK_ORDER_SLA, 'clocks');
    const result = await this.reader.store.find<WorkOrderClockDocument>(collection, { filter: { status: 'running', deadline: { lte: now.toISOString() } }, sort: [{ field: 'deadline', direction: 'asc' }], limit });
    return result.items;
  }

  /** Running clocks due within `withinMs` from now, soonest first. */
  async atRisk(withinMs: number, page: { limit: number; cursor?: string }, now: Date, filter: { stationCode?: string | readonly string[]; engineerId?: string; clock?: WorkOrderClock } = {}): Promise<Page<WorkOrderClockDocument & { dueInMs: number }>> {
    const where: Record<string, Filter[string]> = { status: 'running', deadline: { gte: now.toISOString(), lte: new Date(now.getTime() + withinMs).toISOString() } };
    if (filter.stationCode !== undefined) where['stationCode'] = stationFilter(filter.stationCode);
    if (filter.engineerId !== undefined) where['engineerId'] = filter.engineerId;
    if (filter.clock !== undefined) where['clock'] = filter.clock;
    const collection = await this.reader.collection(WORK_ORDER_SLA, 'clocks');
    const result = await this.reader.store.find<WorkOrderClockDocument>(collection, { filter: where, sort: [{ field: 'deadline', direction: 'asc' }], limit: page.limit, cursor: page.cursor });
    return { nextCursor: result.nextCursor, items: result.items.map((clock) => ({ ...clock, dueInMs: Date.parse(clock.deadline) - now.getTime() })) };
  }

  /** Breached clocks, latest deadline first; open: the step is still missing. */
  async breaches(filter: { open?: boolean; clock?: WorkOrderClock; stationCode?: string | readonly string[]; engineerId?: string }, page: { limit: number; cursor?: string }): Promise<Page<WorkOrderClockDocument>> {
    const where: Record<string, Filter[string]> = { breached: true };
    if (filter.clock !== undefined) where['clock'] = filter.clock;
    if (filter.stationCode !== undefined) where['stationCode'] = stationFilter(filter.stationCode);
    if (filter.engineerId !== undefined) where['engineerId'] = filter.engineerId;
    if (filter.open !== undefined) where['metAt'] = filter.open ? null : { gte: '' };
    const collection = await this.reader.collection(WORK_ORDER_SLA, 'clocks');
    return this.reader.store.find<WorkOrderClockDocument>(collection, { filter: where, sort: [{ field: 'deadline', direction: 'desc' }], limit: page.limit, cursor: page.cursor });
  }

  /** Every clock of one order, over all its cycles, in the order of their deadlines. */
  async clocksOf(workOrderId: string, asOf?: string): Promise<WorkOrderClockDocument[]> {
    const collection = await this.reader.collection(WORK_ORDER_SLA, 'clocks', asOf);
    const result = await this.reader.store.find<WorkOrderClockDocument>(collection, { filter: { workOrderId }, limit: 1000 });
    return result.items.sort((a, b) => a.deadline.localeCompare(b.deadline) || a.id.localeCompare(b.id));
  }
}
