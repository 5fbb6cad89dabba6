import type { Filter, Page } from '@app/read-store';
import { CUSTOMER_LOYALTY, type StoredCustomer } from '../loyalty/customer-loyalty.projection';
import type { Tier } from '../loyalty/loyalty-model';
import type { ReadModelReader } from '../read-model-reader';
import {
  CUSTOMER_FILES, type ConsumptionAlertDocument, type CustomerFileSummary, type PendingMergeDocument, type StoredCustomerFile,
} from './customer-files.projection';

export const SEGMENT_DIMENSIONS = ['consumerKind', 'usage', 'driverType', 'locality', 'settlement'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

/** `key`: the key customers (重点客户); a, b, c: the importance level. */
export const IMPORTANCE_FILTERS = ['key', 'a', 'b', 'c'] as const;

export interface CustomerFileFilter {
  readonly status?: CustomerFileSummary['status'];
  readonly category?: string;
  readonly importance?: (typeof IMPORTANCE_FILTERS)[number];
  readonly segments?: Partial<Record<SegmentDimension, string>>;
  /** Key customers still on file, not visited since this instant (or never): the seed's "due a visit"; sorted longest first. */
  readonly notVisitedSince?: string;
  /**
   * Text the customer id, name, address or a contact's phone contains (any letter case). A search
   * that looks like a phone number (digits with spaces, hyphens, brackets or a +) is matched on its
   * digits, so 138-0024 finds 13800241234.
   */
  readonly q?: string;
}

const PHONE_LIKE = /^[+\d\s()-]+$/;

/**
 * The text to search for: a phone-like search by its digits (its last 11 when it is longer, so a
 * country code written or not, +86 or 0086, finds the same number), anything else as it is.
 */
export function customerSearchText(q: string): string {
  const digits = q.replace(/\D/g, '');
  if (!PHONE_LIKE.test(q) || digits.length < 3) return q;
  return digits.length > PHONE_DIGITS ? digits.slice(-PHONE_DIGITS) : digits;
}

/** A Chinese mobile number's length, without the country code. */
const PHONE_DIGITS = 11;

export interface ConsumptionAlertFilter {
  readonly customerId?: string;
  /** The alert's month, YYYY-MM. */
  readonly period?: string;
}

/** A row of the importance × loyalty view: how many files of one importance level are in one loyalty tier. */
export interface ImportanceLoyaltyRow {
  readonly importance: 'a' | 'b' | 'c' | 'unrated';
  readonly tier: Tier | 'no-complaints';
  readonly customers: number;
  readonly keyCustomers: number;
}

export const IMPORTANCE_ROWS: ReadonlyArray<ImportanceLoyaltyRow['importance']> = ['a', 'b', 'c', 'unrated'];
export const LOYALTY_COLUMNS: ReadonlyArray<ImportanceLoyaltyRow['tier']> = ['loyal', 'satisfied', 'at-risk', 'detractor', 'no-complaints'];
const SCAN_PAGE = 500;

const summaryOf = ({ visitKey: _visitKey, phones: _phones, phoneDigits: _digits, ...summary }: StoredCustomerFile): CustomerFileSummary => summary;

export class CustomerFilesQuery {
  constructor(private readonly reader: ReadModelReader) {}

  async file(id: string, asOf?: string): Promise<CustomerFileSummary | undefined> {
    const stored = await this.reader.store.get<StoredCustomerFile>(await this.reader.collection(CUSTOMER_FILES, 'files', asOf), id);
    return stored && summaryOf(stored);
  }

  /** Newest first; customers due a visit longest unvisited first. */
  async files(filter: CustomerFileFilter, page: { limit: number; cursor?: string }, asOf?: string): Promise<Page<CustomerFileSummary>> {
    const where: Record<string, Filter[string]> = {};
    if (filter.status !== undefined) where['status'] = filter.status;
    if (filter.category !== undefined) where['category'] = filter.category;
    if (filter.importance === 'key') where['importance.key'] = true;
    else if (filter.importance !== undefined) where['importance.level'] = filter.importance;
    for (const [dimension, code] of Object.entries(filter.segments ?? {})) if (code !== undefined) where[`segments.${dimension}`] = code;
    const due = filter.notVisitedSince !== undefined;
    if (due) Object.assign(where, { 'importance.key': true, status: 'active', visitKey: { lt: filter.notVisitedSince } });
    const collection = await this.reader.collection(CUSTOMER_FILES, 'files', asOf);
    const found = await this.reader.store.find<StoredCustomerFile>(collection, {
      filter: where, sort: [due ? { field: 'visitKey', direction: 'asc' } : { field: 'openedAt', direction: 'desc' }], limit: page.limit, cursor: page.cursor,
      ...(filter.q === undefined ? {} : { text: customerSearchText(filter.q) }),
    });
    return { items: found.items.map(summaryOf), nextCursor: found.nextCursor };
  }

  /** Newest first. */
  async alerts(filter: ConsumptionAlertFilter, page: { limit: number; cursor?: string }, asOf?: string): Promise<Page<ConsumptionAlertDocument>> {
    const where: Record<string, Filter[string]> = {};
    if (filter.customerId !== undefined) where['customerId'] = filter.customerId;
    if (filter.period !== undefined) where['period'] = filter.period;
    const collection = await this.reader.collection(CUSTOMER_FILES, 'alerts', asOf);
    return this.reader.store.find<ConsumptionAlertDocument>(collection, { filter: where, sort: [{ field: 'detectedAt', direction: 'desc' }], limit: page.limit, cursor: page.cursor });
  }

  /** Merges whose absorbed half was recorded before `before` and whose survivor has not recorded its half (CustomerFileMergeMonitor). */
  async pending(before: Date, limit: number): Promise<Array<{ absorbedId: string; survivorId: string; reason: string; commandId: string; correlationId: string; mergedAt: string }>> {
    const collection = await this.reader.collection(CUSTOMER_FILES, 'pendingMerges');
    const found = await this.reader.store.find<PendingMergeDocument>(collection, { filter: { mergedAt: { lt: before.toISOString() } }, sort: [{ field: 'mergedAt', direction: 'asc' }], limit });
    return found.items.filter((merge) => merge.commandId !== '').map(({ id, survivorId, reason, commandId, correlationId, mergedAt }) => ({ absorbedId: id, survivorId, reason, commandId, correlationId, mergedAt }));
  }

  /**
   * Importance × loyalty (seed 003: 分析客户的重要程度 … 满意程度): the files on record (not merged
   * away or erased) by importance level and by the loyalty tier of their complaints, every cell
   * listed (0 when empty). A join of this read model and the loyalty read model, read page by page.
   */
  async importanceByLoyalty(asOf?: string): Promise<{ rows: ImportanceLoyaltyRow[]; totals: { customers: number; keyCustomers: number } }> {
    const files = await this.reader.collection(CUSTOMER_FILES, 'files', asOf);
    const loyalty = await this.reader.collection(CUSTOMER_LOYALTY, 'customers', asOf);
    const cells = new Map<string, { customers: number; keyCustomers: number }>();
    let cursor: string | undefined;
    do {
      const page = await this.reader.store.find<StoredCustomerFile>(files, { filter: { status: 'active' }, sort: [{ field: 'openedAt', direction: 'asc' }], limit: SCAN_PAGE, cursor });
      const tiers = await this.reader.store.getMany<StoredCustomer>(loyalty, page.items.map((file) => file.id));
      for (const file of page.items) {
        const key = `${file.importance.level ?? 'unrated'}|${tiers.get(file.id)?.tier ?? 'no-complaints'}`;
        const cell = cells.get(key) ?? { customers: 0, keyCustomers: 0 };
        cells.set(key, { customers: cell.customers + 1, keyCustomers: cell.keyCustomers + Number(file.importance.key) });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    const rows = IMPORTANCE_ROWS.flatMap((importance) => LOYALTY_COLUMNS.map((tier): ImportanceLoyaltyRow => ({ importance, tier, ...(cells.get(`${importance}|${tier}`) ?? { customers: 0, keyCustomers: 0 }) })));
    return { rows, totals: rows.reduce((sum, row) => ({ customers: sum.customers + row.customers, keyCustomers: sum.keyCustomers + row.keyCustomers }), { customers: 0, keyCustomers: 0 }) };
  }
}
