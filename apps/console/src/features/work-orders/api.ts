import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/client';
import type { Money } from '../../shared/format/money';

/** A fee charged on the order: one per repair cycle at most (a reopened order starts the next cycle). */
export interface ChargedFee {
  readonly cycle: number;
  readonly amount: Money;
  readonly quoteNumber: number;
  readonly at: string;
}

/** GET /work-orders/{id}, as far as the page reads it (the order folded from its events). */
export interface WorkOrder {
  readonly id: string;
  readonly status: string;
  readonly revision: number;
  readonly customerId: string;
  readonly product: { readonly model: string; readonly serialNumber: string };
  readonly faultDescription: string;
  readonly priority: string;
  readonly reportedAt: string;
  readonly cycle: { readonly number: number };
  readonly feesCharged: readonly ChargedFee[];
  readonly dispatch?: {
    readonly stationCode: string;
    readonly stationName: { readonly 'zh-CN': string; readonly en: string } | null;
    readonly engineerId: string | null;
    readonly engineerName: string | null;
  } | null;
}

export const workOrderKey = (id: string) => ['work-order', id] as const;

export function useWorkOrder(id: string) {
  return useQuery({
    queryKey: workOrderKey(id),
    queryFn: async ({ signal }) => (await api<WorkOrder>(`/work-orders/${encodeURIComponent(id)}`, { signal })).body,
    refetchInterval: 15_000,
  });
}
