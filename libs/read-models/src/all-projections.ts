import { complaintListProjection } from './complaint-list/complaint-list.projection';
import { customerFilesProjection } from './customer-files/customer-files.projection';
import { auditDecisionsProjection } from './decisions/audit-decisions.projection';
import { customerLoyaltyProjection } from './loyalty/customer-loyalty.projection';
import { repairFeesProjection } from './repair-fees/repair-fees.projection';
import { repairHistoryProjection } from './repair-history/repair-history.projection';
import { repairStatsProjection } from './repair-stats/repair-stats.projection';
import { slaProjection } from './sla/sla.projection';
import { complaintStatsProjection } from './stats/complaint-stats.projection';
import { workOrderSlaProjection } from './work-order-sla/work-order-sla.projection';
import { workOrderListProjection } from './work-orders/work-order-list.projection';
import { surveyListProjection } from './surveys/survey-list.projection';

/** Every projection the product runs, in the order they are started. */
export const ALL_PROJECTIONS = [
  complaintListProjection, slaProjection, complaintStatsProjection, customerLoyaltyProjection, auditDecisionsProjection, customerFilesProjection,
  workOrderListProjection, workOrderSlaProjection, repairStatsProjection, repairFeesProjection, repairHistoryProjection, surveyListProjection,
];

/**
 * The projections that forget personal data when they apply an erasure (CustomerFilePersonalDataErased):
 * what the erasure's completion applies to the as-of generations too (forgetInAsOfGenerations). A
 * projection that gains an erasure branch belongs here.
 */
export const ERASING_PROJECTIONS = [complaintListProjection, customerLoyaltyProjection, customerFilesProjection, surveyListProjection];

/**
 * What each projection costs in a replay, relative to the others: CPU-seconds per 100,000 events of
 * the benchmark's generated history, its own read of the log left out (`bench/replay.ts`, each
 * projection alone; docs/adr/0011). Only the proportions matter: they balance the threads.
 * A projection not listed counts as 1.
 */
export const REPLAY_COST: Readonly<Record<string, number>> = {
  'complaint-stats': 6.4, sla: 5.9, 'complaint-list': 3.6, 'customer-loyalty': 3.1, 'audit-decisions': 3.1,
  'repair-history': 1.5, 'repair-stats': 1.2, 'repair-fees': 0.9, 'work-order-list': 0.8, 'work-order-sla': 0.7, 'customer-files': 0.5,
  // Not measured yet: a survey follows at most a callback or a hand-over, far fewer events than either.
  'survey-list': 0.3,
};

/**
 * The projections' names in `threads` groups of about the same replay cost: the costliest first, each
 * to the group with the least so far (ties to the first); within a group, in the order of
 * ALL_PROJECTIONS. The same input always gives the same groups, and no group is empty.
 */
export function projectionGroups(threads: number, projections: readonly { readonly name: string }[] = ALL_PROJECTIONS): string[][] {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a whole number ≥ 1 (got ${threads})`);
  const count = Math.min(threads, projections.length);
  const cost = (name: string) => REPLAY_COST[name] ?? 1;
  const groups = Array.from({ length: count }, () => ({ cost: 0, names: new Set<string>() }));
  const costliestFirst = [...projections].sort((a, b) => cost(b.name) - cost(a.name) || a.name.localeCompare(b.name));
  for (const { name } of costliestFirst) {
    const lightest = groups.reduce((best, group) => (group.cost < best.cost ? group : best));
    lightest.cost += cost(name);
    lightest.names.add(name);
  }
  return groups.map((group) => projections.map((projection) => projection.name).filter((name) => group.names.has(name)));
}
