import type { AppendPart, CommandContext } from '@app/complaints';

export interface ReportedRepair {
  readonly workOrderId: string;
  readonly customerId: string;
}

/**
 * What else is written when a repair is reported (报修): the customer file of an unknown customer
 * is opened, as a complaint's intake does (docs/adr/0013, "Repair intake"), in the same atomic
 * append as the work order. Asked on every report, also when a retry finds the order already
 * stored, so its part must be idempotent. A part whose decision fails is left out: the order is
 * still stored, and the failure logged.
 */
export abstract class RepairIntake {
  abstract reportPart(repair: ReportedRepair, context: CommandContext): AppendPart;
}
