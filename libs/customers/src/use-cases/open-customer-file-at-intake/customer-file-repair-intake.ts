import { Injectable } from '@nestjs/common';
import { deterministicUuid } from '@app/event-sourcing';
import { RepairIntake, type ReportedRepair } from '@app/after-sales';
import type { CommandContext } from '@app/complaints';
import { CustomerFileCommandExecutor } from '../../customer-file-command.executor';
import { openFileAtIntake } from './customer-file-intake';

const REPAIR_INTAKE_NAMESPACE = '9e2d4c61-7b3a-4f08-a5c1-6d0e2f4b8a93';

/** The command id of a repair's intake on its customer's file: a retried report sends the same one. */
export const repairIntakeCommandIdFor = (workOrderId: string): string => deterministicUuid(REPAIR_INTAKE_NAMESPACE, workOrderId);

/**
 * Reporting a repair (报修) stays one call, as a complaint's receipt does: after the work order is
 * stored, the customer's file is opened if it has none — a minimal floating file naming the work
 * order, with no personal part (the report's contact is the person on site, kept in the order).
 * On a file that exists or was erased nothing is appended; a report for a merged file keeps the id
 * it was given (docs/adr/0013, "Repair intake").
 */
@Injectable()
export class CustomerFileRepairIntake extends RepairIntake {
  constructor(private readonly executor: CustomerFileCommandExecutor) {
    super();
  }

  override faultReported(repair: ReportedRepair, context: CommandContext): Promise<number | null> {
    return openFileAtIntake(this.executor, repair.customerId, { workOrderId: repair.workOrderId }, repairIntakeCommandIdFor(repair.workOrderId), context);
  }
}
