import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/client';
import type { Money } from '../../shared/format/money';
import type { Language } from '../../shared/i18n/catalogue';

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
  /** The complaints linked to the order (POST /work-orders/{id}/link-complaint, or the complaint that spawned it), oldest first. */
  readonly linkedComplaintIds: readonly string[];
  readonly dispatch?: {
    readonly stationCode: string;
    readonly stationName: { readonly 'zh-CN': string; readonly en: string } | null;
    readonly engineerId: string | null;
    readonly engineerName: string | null;
  } | null;
  /** The facts of the current repair; the page reads its quote (the number a customer answers). */
  readonly repair?: { readonly quote: { readonly number: number; readonly total: Money } | null } | null;
  /** Once sent (closed orders): the satisfaction survey's questions, which its answer form lists. */
  readonly survey?: { readonly surveyId: string; readonly questions: readonly SurveyQuestion[] } | null;
  readonly allowedActions: readonly WorkOrderAllowedAction[];
}

/** A question of the order's survey: its code and its words, as sent. */
export interface SurveyQuestion {
  readonly id: string;
  readonly text: string;
}

/** A command on the order (POST /work-orders/{id}/<action>), and whether this principal may send it now (the API decides). */
export interface WorkOrderAllowedAction {
  readonly action: string;
  readonly allowed: boolean;
  readonly reason: { readonly code: string; readonly message: string } | null;
}

export const workOrderKey = (id: string) => ['work-order', id] as const;

export async function fetchWorkOrder(id: string, signal?: AbortSignal): Promise<WorkOrder> {
  return (await api<WorkOrder>(`/work-orders/${encodeURIComponent(id)}`, { signal })).body;
}

export function useWorkOrder(id: string) {
  return useQuery({ queryKey: workOrderKey(id), queryFn: ({ signal }) => fetchWorkOrder(id, signal), refetchInterval: 15_000 });
}

/** Sends one command on the revision it was decided on (If-Match: a 412 when someone changed the order meanwhile). */
export async function runWorkOrderAction(id: string, action: string, body: Record<string, unknown>, ifMatch: number): Promise<void> {
  await api(`/work-orders/${encodeURIComponent(id)}/${action}`, { method: 'POST', body, ifMatch });
}

/** The after-sales tables whose codes a work-order form picks, and the service units' kinds (GET /taxonomy/after-sales). */
export type AfterSalesTaxonomyName = 'serviceUnitKind' | 'remoteOutcome' | 'failedVisitReason' | 'faultCause' | 'chargeKind' | 'paymentMethod' | 'workOrderClock';
type AfterSalesTaxonomy = Record<AfterSalesTaxonomyName, ReadonlyArray<{ readonly code: string; readonly labels: Record<Language, string> }>>;

/** The after-sales codes with their zh-CN / en names, as the API defines them (the console keeps no list of its own). */
export function useAfterSalesTaxonomyOptions(language: Language): (name: AfterSalesTaxonomyName) => Array<{ value: string; label: string }> {
  const { data } = useQuery({ queryKey: ['after-sales-taxonomy'], queryFn: async () => (await api<AfterSalesTaxonomy>('/taxonomy/after-sales')).body, staleTime: Infinity });
  return (name) => (data?.[name] ?? []).map((entry) => ({ value: entry.code, label: entry.labels[language] }));
}
