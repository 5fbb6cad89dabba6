import type { Filter, Page } from '@app/read-store';
import type { ReadModelReader } from '../read-model-reader';
import { AUDIT_DECISIONS, type DecisionDocument } from './audit-decisions.projection';

export interface DecisionFilter {
  readonly actor?: string;
  readonly role?: string;
  readonly type?: string;
  /** The decisions about one work order. */
  readonly workOrderId?: string;
  /** Decided at or after / before (ISO instants). */
  readonly from?: string;
  readonly to?: string;
}

export class AuditDecisionsQuery {
  constructor(private readonly reader: ReadModelReader) {}

  /** Newest first. */
  async decisions(filter: DecisionFilter, page: { limit: number; cursor?: string }): Promise<Page<DecisionDocument>> {
    const where: Record<string, Filter[string]> = {};
    if (filter.actor !== undefined) where['actorId'] = filter.actor;
    if (filter.role !== undefined) where['role'] = filter.role;
    if (filter.type !== undefined) where['type'] = filter.type;
    if (filter.workOrderId !== undefined) where['workOrderId'] = filter.workOrderId;
    if (filter.from !== undefined || filter.to !== undefined) {
      where['occurredAt'] = { ...(filter.from === undefined ? {} : { gte: filter.from }), ...(filter.to === undefined ? {} : { lt: filter.to }) };
    }
    const collection = await this.reader.collection(AUDIT_DECISIONS, 'decisions');
    return this.reader.store.find<DecisionDocument>(collection, { filter: where, sort: [{ field: 'occurredAt', direction: 'desc' }], limit: page.limit, cursor: page.cursor });
  }
}
