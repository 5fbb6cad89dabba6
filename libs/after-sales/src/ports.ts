import type { CommandContext } from '@app/complaints';

export interface ReportedRepair {
  readonly workOrderId: string;
  readonly customerId: string;
}

/**
 * What else happens when a repair is reported (报修), after the work order is stored: the customer
 * file of an unknown customer is opened, as a complaint's intake does (docs/adr/0013, "Repair
 * intake"). Called on every report, also when a retry finds the order already stored, so it must be
 * idempotent. It answers the log position its work reached (the report answers the later of the
 * two), or null. It cannot undo the order: whatever it throws is logged, and the report is answered.
 */
export abstract class RepairIntake {
  abstract faultReported(repair: ReportedRepair, context: CommandContext): Promise<number | null>;
}
