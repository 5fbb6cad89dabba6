import { complaintListProjection } from './complaint-list/complaint-list.projection';
import { customerFilesProjection } from './customer-files/customer-files.projection';
import { auditDecisionsProjection } from './decisions/audit-decisions.projection';
import { customerLoyaltyProjection } from './loyalty/customer-loyalty.projection';
import { slaProjection } from './sla/sla.projection';
import { complaintStatsProjection } from './stats/complaint-stats.projection';

/** Every projection the product runs, in the order they are started. */
export const ALL_PROJECTIONS = [complaintListProjection, slaProjection, complaintStatsProjection, customerLoyaltyProjection, auditDecisionsProjection, customerFilesProjection];
