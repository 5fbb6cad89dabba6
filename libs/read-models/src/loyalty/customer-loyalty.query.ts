import type { Filter, Page } from '@app/read-store';
import type { ReadModelReader } from '../read-model-reader';
import { CUSTOMER_LOYALTY, customerView, type CustomerDocument, type StoredCustomer } from './customer-loyalty.projection';
import { STAGE_LABELS, TIER_LABELS } from './loyalty-model';

/** Customers of one loyalty tier or lifecycle stage, counted in full (not a page of them). */
export interface LoyaltyCount {
  readonly dimension: 'tier' | 'stage';
  readonly value: string;
  readonly labels: { readonly 'zh-CN': string; readonly en: string };
  readonly customers: number;
}

/** Every tier, then every stage, in the model's order (a tier or stage without a customer counts 0). */
export const LOYALTY_DIMENSIONS = [
  ...Object.entries(TIER_LABELS).map(([value, labels]) => ({ dimension: 'tier' as const, value, labels })),
  ...Object.entries(STAGE_LABELS).map(([value, labels]) => ({ dimension: 'stage' as const, value, labels })),
];

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

  /** How many customers each tier and each stage holds, and how many customers there are: counted by the store, exact at any size. */
  async distribution(asOf?: string): Promise<{ customers: number; rows: LoyaltyCount[] }> {
    const collection = await this.reader.collection(CUSTOMER_LOYALTY, 'customers', asOf);
    const [customers, ...counts] = await Promise.all([
      this.reader.store.count(collection),
      ...LOYALTY_DIMENSIONS.map(({ dimension, value }) => this.reader.store.count(collection, { [dimension]: value })),
    ]);
    return { customers: customers!, rows: LOYALTY_DIMENSIONS.map((entry, index) => ({ ...entry, customers: counts[index]! })) };
  }
}
