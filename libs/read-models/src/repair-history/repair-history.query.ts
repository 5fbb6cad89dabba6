import type { Page } from '@app/read-store';
import type { ReadModelReader } from '../read-model-reader';
import { REPAIR_HISTORY, repairRecordView, type CustomerRepairSummary, type RepairRecord } from './repair-history.projection';

/** A customer's repair figures as people read them. */
export interface CustomerRepairFigures extends Omit<CustomerRepairSummary, 'satisfactionSum' | 'satisfactionCount'> {
  readonly meanSatisfaction: number | null;
}

export function customerRepairFigures(summary: CustomerRepairSummary): CustomerRepairFigures {
  const { satisfactionSum, satisfactionCount, ...figures } = summary;
  return { ...figures, meanSatisfaction: satisfactionCount === 0 ? null : Math.round((satisfactionSum / satisfactionCount) * 100) / 100 };
}

/** The customer's repair history, ready to be joined into the customer view beside the complaints. */
export class RepairHistoryQuery {
  constructor(private readonly reader: ReadModelReader) {}

  /** The customer's figures, or undefined for a customer who never reported a fault. */
  async summary(customerId: string, asOf?: string): Promise<CustomerRepairFigures | undefined> {
    const stored = await this.reader.store.get<CustomerRepairSummary>(await this.reader.collection(REPAIR_HISTORY, 'customers', asOf), customerId);
    return stored && customerRepairFigures(stored);
  }

  /** The customer's work orders, newest report first, each with the outcome of its repair cycles. */
  async repairs(customerId: string, page: { limit: number; cursor?: string }, asOf?: string): Promise<Page<RepairRecord>> {
    const collection = await this.reader.collection(REPAIR_HISTORY, 'repairs', asOf);
    const found = await this.reader.store.find<RepairRecord>(collection, { filter: { customerId }, sort: [{ field: 'reportedAt', direction: 'desc' }], limit: page.limit, cursor: page.cursor });
    return { items: found.items.map(repairRecordView), nextCursor: found.nextCursor };
  }
}
