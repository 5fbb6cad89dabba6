import { InvalidQueryError, ReadModelRebuildingError, type Filter, type Page } from '@app/read-store';
import type { ReadModelReader } from '../read-model-reader';
import { assignedFilter } from '../unassigned-filter';
import { normaliseTag, principalKey, type DepartmentScope } from '@app/domain';
import { DEPARTMENTS, departmentKey, type RecordedDepartment } from '../department-spelling';
import { COMPLAINT_LIST, OPEN_STATUSES, visibilityKeys, type ComplaintSummary } from './complaint-list.projection';

export interface ComplaintListFilter {
  /** A status, or `open`: every complaint still waiting for a step (OPEN_STATUSES). */
  readonly status?: string;
  readonly cause?: string;
  readonly behaviour?: string;
  readonly purpose?: string;
  readonly channel?: string;
  /** The customer segment the complaint was received with. */
  readonly segment?: string;
  /** true: escalated at least once (escalationLevel > 0); false: never escalated. */
  readonly escalated?: boolean;
  /** A department, or `unassigned` (any letter case): the complaints not yet assigned (assignedFilter). */
  readonly department?: string;
  /** An assignee, or `unassigned` (any letter case): the complaints not yet assigned. */
  readonly assignee?: string;
  readonly customerId?: string;
  /** Received at or after (ISO instant). */
  readonly from?: string;
  /** Received before (ISO instant). */
  readonly to?: string;
  /** A tag the complaint has (any form of it: the list compares the folded form, normaliseTag). */
  readonly tag?: string;
  /** The original: only the complaints marked as its duplicates. */
  readonly duplicateOf?: string;
  /** Text the complaint's id, customer id, customer name or description contains (any letter case). */
  readonly q?: string;
  /** -receivedAt (newest first, the default) or nextDueAt (the soonest deadline due first, across every page; nothing due last). */
  readonly sort?: ComplaintListSort;
}

export const COMPLAINT_LIST_SORTS = ['-receivedAt', 'nextDueAt'] as const;
export type ComplaintListSort = (typeof COMPLAINT_LIST_SORTS)[number];

export class ComplaintListQuery {
  constructor(private readonly reader: ReadModelReader) {}

  /** Newest first, or the soonest deadline due first. */
  async list(filter: ComplaintListFilter, page: { limit: number; cursor?: string }, asOf?: string, reader?: { actorId: string; scope: DepartmentScope }): Promise<Page<ComplaintSummary>> {
    const where: Record<string, Filter[string]> = {};
    // Limited to departments: theirs, and the unassigned complaints the reader received (complaintInScope).
    if (reader && reader.scope !== 'all') where['visibleTo'] = { in: visibilityKeys({ actorId: reader.actorId, scope: reader.scope }) };
    for (const key of ['status', 'cause', 'behaviour', 'purpose', 'channel', 'segment', 'customerId', 'duplicateOf'] as const) {
      if (filter[key] !== undefined) where[key] = filter[key];
    }
    // `unassigned`: the complaints with no department (or handler) yet, still within what a limited reader sees (visibleTo above).
    // Letter case aside (departmentKey): `BILLING` finds what was assigned to Billing and to billing.
    if (filter.department !== undefined) where['departmentKey'] = assignedFilter(departmentKey(filter.department));
    // An assignee as principal ids are compared (principalKey): `Li.Na` and `ｌｉ.ｎａ` find li.na's complaints.
    if (filter.assignee !== undefined) where['assigneeKey'] = assignedFilter(principalKey(filter.assignee));
    // A tag as the list compares it (folded, normaliseTag; as given when it does not fold), among the tags the complaint holds.
    if (filter.tag !== undefined) where['tags'] = normaliseTag(filter.tag) ?? filter.tag;
    if (filter.escalated !== undefined) where['escalationLevel'] = filter.escalated ? { gt: 0 } : 0;
    if (filter.status === 'open') where['status'] = { in: OPEN_STATUSES };
    if (filter.from !== undefined || filter.to !== undefined) {
      where['receivedAt'] = { ...(filter.from === undefined ? {} : { gte: filter.from }), ...(filter.to === undefined ? {} : { lt: filter.to }) };
    }
    const collection = await this.reader.collection(COMPLAINT_LIST, 'complaints', asOf);
    const found = await this.reader.store.find<ComplaintSummary>(collection, {
      filter: where, sort: [filter.sort === 'nextDueAt' ? { field: 'dueKey', direction: 'asc' } : { field: 'receivedAt', direction: 'desc' }],
      limit: page.limit, cursor: page.cursor, ...(filter.q === undefined ? {} : { text: filter.q }),
    });
    // The clocks behind nextDueAt, its sort key and the tag keys are the projection's own bookkeeping.
    return { ...found, items: found.items.map(({ clocks: _clocks, dueKey: _dueKey, tagKeys: _tagKeys, assigneeKey: _assigneeKey, departmentKey: _departmentKey, ...summary }) => summary as ComplaintSummary) };
  }

  /**
   * The spelling a department was first recorded in by an assignment (`BILLING` → Billing when the first complaint went to
   * Billing), or undefined when no complaint was ever assigned to it, letter case aside. What an assignment records while the
   * directory has no unit, as it records the directory's spelling of a unit once there is one. As the list stands: an
   * assignment not yet projected is not known here (the filters and scopes compare letter case aside all the same).
   */
  async recordedDepartment(code: string): Promise<string | undefined> {
    try {
      const collection = await this.reader.collection(COMPLAINT_LIST, DEPARTMENTS);
      return (await this.reader.store.get<RecordedDepartment>(collection, departmentKey(code)))?.code;
    } catch (error) {
      // No such collection yet (the list not built, or an older version of it still live while the new one is built after an
      // upgrade), or it is being rebuilt: nothing is known, and the department is recorded as given, as before this lookup.
      if (error instanceof InvalidQueryError || error instanceof ReadModelRebuildingError) return undefined;
      throw error;
    }
  }
}
