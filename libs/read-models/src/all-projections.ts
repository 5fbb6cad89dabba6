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

/** Every projection the product runs, in the order they are started. */
export const ALL_PROJECTIONS = [
  complaintListProjection, slaProjection, complaintStatsProjection, customerLoyaltyProjection, auditDecisionsProjection, customerFilesProjection,
  workOrderListProjection, workOrderSlaProjection, repairStatsProjection, repairFeesProjection, repairHistoryProjection,
];
