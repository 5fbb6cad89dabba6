import { complaintListProjection } from './complaint-list/complaint-list.projection';
import { auditDecisionsProjection } from './decisions/audit-decisions.projection';
import { customerLoyaltyProjection } from './loyalty/customer-loyalty.projection';
import { slaProjection } from './sla/sla.projection';
import { complaintStatsProjection } from './stats/complaint-stats.projection';

export * from './complaint-event';
export * from './clock-tracker';
export * from './sketch';
export * from './read-model-reader';
export * from './complaint-list/complaint-list.projection';
export * from './complaint-list/complaint-list.query';
export * from './sla/sla.projection';
export * from './sla/sla.query';
export * from './stats/complaint-stats.projection';
export * from './stats/complaint-stats.query';
export * from './loyalty/loyalty-model';
export * from './loyalty/customer-loyalty.projection';
export * from './loyalty/customer-loyalty.query';
export * from './decisions/audit-decisions.projection';
export * from './decisions/audit-decisions.query';

/** Every projection the product runs, in the order they are started. */
export const ALL_PROJECTIONS = [complaintListProjection, slaProjection, complaintStatsProjection, customerLoyaltyProjection, auditDecisionsProjection];
