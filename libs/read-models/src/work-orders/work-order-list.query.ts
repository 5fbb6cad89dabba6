import { canonicalSerialNumber, principalKey, type DepartmentScope, type WorkOrderClock } from '@app/domain';
import type { Filter, Page } from '@app/read-store';
import { visibilityKeys } from '../complaint-list/complaint-list.projection';
import type { ReadModelReader } from '../read-model-reader';
import { assignedFilter } from '../unassigned-filter';
import { hours } from '../figures';
import { NO_DEADLINE, WORK_ORDER_LIST, pendingDeadlines, workOrderView, type StoredWorkOrder, type WorkOrderSummary } from './work-order-list.projection';

export interface WorkOrderListFilter {
  readonly status?: string;
  readonly priority?: string;
  /** A station, or `unassigned` (any letter case): the orders not yet dispatched; so is engineerId. */
  readonly stationCode?: string;
  readonly engineerId?: string;
  readonly customerId?: string;
  /** In any case: compared in its canonical form (trimmed, upper case). */
  readonly productSerial?: string;
  /** Reported at or after (ISO instant). */
  readonly from?: string;
  /** Reported before (ISO instant). */
  readonly to?: string;
}

export interface BoardFilter {
  readonly status?: string;
  readonly priority?: string;
  readonly stationCode?: string;
  readonly engineerId?: string;
  /** overdue: the next deadline has passed; at-risk: it falls within the window from now (overdue ones not included). */
  readonly due?: 'overdue' | 'at-risk';
}

/** One open order on the dispatch board, with its markers measured against `measuredAt`. */
export interface BoardItem extends WorkOrderSummary {
  /** Every deadline still waiting for its step, soonest first. */
  readonly deadlines: Array<{ clock: WorkOrderClock; deadline: string; breached: boolean }>;
  /** ms until the next deadline; negative once it has passed; null when there is none. */
  readonly dueInMs: number | null;
  /** The same in hours, one decimal (negative once passed), as the statistics give their durations. */
  readonly dueInHours: number | null;
  readonly overdue: boolean;
  readonly atRisk: boolean;
  /** A clock of the order is breached: recorded, come late, or overdue now. */
  readonly breached: boolean;
}

/** A reader limited to departments (a station code is one) sees its stations' orders, and those it reported that are not dispatched yet. */
type Reader = { readonly actorId: string; readonly scope: DepartmentScope };

function scoped(where: Record<string, Filter[string]>, reader?: Reader): void {
  if (reader && reader.scope !== 'all') where['visibleTo'] = { in: visibilityKeys({ actorId: reader.actorId, scope: reader.scope }) };
}

export class WorkOrderListQuery {
  constructor(private readonly reader: ReadModelReader) {}

  /** The ids of the orders linked to a complaint (reported for it or linked later), oldest link first: a few at most. */
  async linkedTo(complaintId: string): Promise<string[]> {
    const collection = await this.reader.collection(WORK_ORDER_LIST, 'links');
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.reader.store.find<{ id: string; workOrderId: string }>(collection, {
        filter: { complaintId }, sort: [{ field: 'linkedAt', direction: 'asc' }], limit: 200, ...(cursor ? { cursor } : {}),
      });
      ids.push(...page.items.map((item) => item.workOrderId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  }

  /** Every order of the filter, newest report first, keyset-paged. */
  async list(filter: WorkOrderListFilter, page: { limit: number; cursor?: string }, asOf?: string, reader?: Reader): Promise<Page<WorkOrderSummary>> {
    const where: Record<string, Filter[string]> = {};
    scoped(where, reader);
    for (const key of ['status', 'priority', 'customerId'] as const) if (filter[key] !== undefined) where[key] = filter[key];
    stationFilter(where, filter.stationCode);
    engineerFilter(where, filter.engineerId);
    if (filter.productSerial !== undefined) where['productSerial'] = canonicalSerialNumber(filter.productSerial);
    if (filter.from !== undefined || filter.to !== undefined) {
      where['reportedAt'] = { ...(filter.from === undefined ? {} : { gte: filter.from }), ...(filter.to === undefined ? {} : { lt: filter.to }) };
    }
    const collection = await this.reader.collection(WORK_ORDER_LIST, 'orders', asOf);
    const found = await this.reader.store.find<StoredWorkOrder>(collection, { filter: where, sort: [{ field: 'reportedAt', direction: 'desc' }], limit: page.limit, cursor: page.cursor });
    return { items: found.items.map(workOrderView), nextCursor: found.nextCursor };
  }

  /**
   * The open orders, soonest next deadline first (those with none last). `now` only measures the
   * markers (overdue, at risk within `withinMs`); with asOf the board is as it stood then, measured against now.
   */
  async board(filter: BoardFilter, page: { limit: number; cursor?: string }, now: Date, withinMs: number, asOf?: string, reader?: Reader): Promise<Page<BoardItem>> {
    const where: Record<string, Filter[string]> = {};
    scoped(where, reader);
    for (const key of ['status', 'priority'] as const) if (filter[key] !== undefined) where[key] = filter[key];
    stationFilter(where, filter.stationCode);
    engineerFilter(where, filter.engineerId);
    const nowText = now.toISOString();
    if (filter.due === 'overdue') where['nextDeadlineAt'] = { lt: nowText };
    if (filter.due === 'at-risk') where['nextDeadlineAt'] = { gte: nowText, lte: new Date(now.getTime() + withinMs).toISOString() };
    const collection = await this.reader.collection(WORK_ORDER_LIST, 'board', asOf);
    const found = await this.reader.store.find<StoredWorkOrder>(collection, { filter: where, sort: [{ field: 'nextDeadlineAt', direction: 'asc' }], limit: page.limit, cursor: page.cursor });
    return { items: found.items.map((stored) => boardItem(stored, now.getTime(), withinMs)), nextCursor: found.nextCursor };
  }
}

/** A station, or `unassigned`: the orders not yet dispatched (assignedFilter), within what a limited reader sees. */
function stationFilter(where: Record<string, Filter[string]>, stationCode: string | undefined): void {
  if (stationCode !== undefined) where['stationCode'] = assignedFilter(stationCode);
}

/** An engineer as principal ids are compared (principalKey), as the complaint list's assignee; `unassigned`: the orders not yet dispatched. */
function engineerFilter(where: Record<string, Filter[string]>, engineerId: string | undefined): void {
  if (engineerId !== undefined) where['engineerKey'] = assignedFilter(principalKey(engineerId));
}

function boardItem(stored: StoredWorkOrder, now: number, withinMs: number): BoardItem {
  const deadlines = pendingDeadlines(stored);
  const next = stored.nextDeadlineAt === null || stored.nextDeadlineAt === NO_DEADLINE ? null : Date.parse(stored.nextDeadlineAt);
  const dueInMs = next === null ? null : next - now;
  const overdue = dueInMs !== null && dueInMs < 0;
  return {
    ...workOrderView(stored), nextDeadlineAt: next === null ? null : stored.nextDeadlineAt, deadlines, dueInMs, dueInHours: hours(dueInMs), overdue,
    atRisk: dueInMs !== null && dueInMs >= 0 && dueInMs <= withinMs,
    breached: overdue || stored.breaches.length > 0 || deadlines.some((deadline) => deadline.breached),
  };
}
