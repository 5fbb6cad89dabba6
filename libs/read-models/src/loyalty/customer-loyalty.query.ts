import type { Filter, Page } from '@app/read-store';
import type { ReadModelReader } from '../read-model-reader';
import { CUSTOMER_LOYALTY, customerView, type CustomerDocument, type StoredCustomer } from './customer-loyalty.projection';

export class CustomerLoyaltyQuery {
  constructor(private readonly reader: ReadModelReader) {}

  async customer(id: string, asOf?: string): Promise<CustomerDocument | undefined> {
    const stored = await this.reader.store.get<StoredCustomer>(await this.reader.collection(CUSTOMER_LOYALTY, 'customers', asOf), id);
    return stored && customerView(stored);
  }

  async customers(filter: { tier?: string; stage?: string }, order: 'asc' | 'desc', page: { limit: number; cursor?: string }, asOf?: string): Promise<Page<CustomerDocument>> {
    const where: Record<string, Filter[string]> = {};
    if (filter.tier !== undefined) where['tier'] = filter.tier;
    if (filter.stage !== undefined) where['stage'] = filter.stage;
    const collection = await this.reader.collection(CUSTOMER_LOYALTY, 'customers', asOf);
    const found = await this.reader.store.find<StoredCustomer>(collection, { filter: where, sort: [{ field: 'score', direction: order }], limit: page.limit, cursor: page.cursor });
    return { items: found.items.map(customerView), nextCursor: found.nextCursor };
  }
}
