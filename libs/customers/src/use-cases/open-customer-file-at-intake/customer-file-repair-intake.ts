import { Injectable } from '@nestjs/common';
import { deterministicUuid } from '@app/event-sourcing';
import { RepairIntake, type ReportedRepair } from '@app/after-sales';
import type { AppendPart, CommandContext } from '@app/complaints';
import { CustomerFileCommandExecutor } from '../../customer-file-command.executor';
import { fileOpenedAtIntake } from './customer-file-intake';

const REPAIR_INTAKE_NAMESPACE = '9e2d4c61-7b3a-4f08-a5c1-6d0e2f4b8a93';

/** The command id of a repair's intake on its customer's file: a retried report sends the same one. */
export const repairIntakeCommandIdFor = (workOrderId: string): string => deterministicUuid(REPAIR_INTAKE_NAMESPACE, workOrderId);

/**
 * Reporting a repair (报修) stays one call, as a complaint's receipt does: the work order and, if
 * the customer has no file, a minimal floating file naming the order are written in one atomic
 * append; the file has no personal part (the report's contact is the person on site, kept in the
 * order). On a file that exists or was erased only the order is appended; a report for a merged
 * file keeps the id it was given (docs/adr/0013, "Repair intake").
 */
@Injectable()
export class CustomerFileRepairIntake extends RepairIntake {
  constructor(private readonly executor: CustomerFileCommandExecutor) {
    super();
  }

  override reportPart(repair: ReportedRepair, context: CommandContext): AppendPart {
    return fileOpenedAtIntake(this.executor, repair.customerId, { workOrderId: repair.workOrderId }, repairIntakeCommandIdFor(repair.workOrderId), context);
  }
}
