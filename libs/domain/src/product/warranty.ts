import { afterSalesCodes, type ChargeKind, type FaultCause, type WarrantyVerdict } from '../after-sales-taxonomy';
import { addDaysToDate, addMonthsToDate } from '../local-date';
import type { WarrantyTerms } from './product.events';
import type { ProductState } from './product.state';

/**
 * The warranty decision a work order records (seed 002: 保修期限内免费维修或更换设备；保修期限外或人为损坏
 * 向客户报价). Computed from the registry, never typed by hand, and self-contained: it carries the terms
 * it was judged on, so an auditor can check it without the registry's history.
 */
export interface WarrantyDecision {
  readonly verdict: WarrantyVerdict;
  /** The local date judged: the day the fault was reported. */
  readonly judgedOn: string;
  readonly faultCause: FaultCause;
  /** Why the damage is the customer's, when that is the cause. */
  readonly damageReason: string | null;
  /** The product as registered when judged; null when the serial number is not registered. */
  readonly product: { readonly serialNumber: string; readonly model: string; readonly warranty: WarrantyTerms } | null;
  readonly lastCoveredDay: string | null;
  /** What the customer does not pay for, and what may be quoted. Together: every charge kind. */
  readonly free: readonly ChargeKind[];
  readonly chargeable: readonly ChargeKind[];
}

/** The last day a warranty covers: 12 months from 2026-03-02 cover up to 2027-03-01. No warranty (0 months) ends the day before it starts. */
export function lastCoveredDay(terms: WarrantyTerms): string {
  return addDaysToDate(addMonthsToDate(terms.startsOn, terms.months), -1);
}

/**
 * In warranty only when the product is registered, the day falls within its period and the
 * customer did not cause the damage; what is then free is what the terms cover. Dates compare as
 * text: YYYY-MM-DD sorts as the calendar does.
 */
export function decideWarranty(product: ProductState, judgedOn: string, faultCause: FaultCause, damageReason: string | null = null): WarrantyDecision {
  const base = { judgedOn, faultCause, damageReason: faultCause === 'customer-damage' ? damageReason : null };
  if (product.status === 'none') return { ...base, verdict: 'not-registered', product: null, lastCoveredDay: null, ...charges([]) };
  const { serialNumber, model, warranty } = product;
  const lastDay = lastCoveredDay(warranty);
  const verdict: WarrantyVerdict = judgedOn < warranty.startsOn ? 'not-yet-in-force'
    : judgedOn > lastDay ? 'expired'
    : faultCause === 'customer-damage' ? 'customer-damage'
    : 'in-warranty';
  return { ...base, verdict, product: { serialNumber, model, warranty }, lastCoveredDay: lastDay, ...charges(verdict === 'in-warranty' ? warranty.covers : []) };
}

function charges(free: readonly ChargeKind[]): Pick<WarrantyDecision, 'free' | 'chargeable'> {
  const kinds = afterSalesCodes('chargeKind');
  return { free: kinds.filter((kind) => free.includes(kind)), chargeable: kinds.filter((kind) => !free.includes(kind)) };
}
