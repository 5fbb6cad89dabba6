import { Injectable } from '@nestjs/common';
import { CustomerFileMergedError, type OpenCustomerFileAtIntake } from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import { ComplaintIntake, type CommandContext, type ReceivedCustomer } from '@app/complaints';
import { CustomerFileCommandExecutor } from '../../customer-file-command.executor';

const INTAKE_NAMESPACE = '3b8e5f2a-9c41-4d7e-b0a6-1f2c3d4e5a6b';

/** The command id of a complaint's intake on its customer's file: a retried receipt sends the same one. */
export const intakeCommandIdFor = (complaintId: string): string => deterministicUuid(INTAKE_NAMESPACE, complaintId);

/**
 * Complaint intake stays one call: after the complaint is stored, the customer's file is opened if
 * it has none (a minimal, floating file, or fixed if the complaint says so). On a file that exists
 * or was erased the decider records nothing, and nothing is appended. A complaint for a file that
 * was merged keeps the id it was given; the read models follow the pointer to the survivor
 * (docs/adr/0013, "Intake over HTTP").
 */
@Injectable()
export class CustomerFileIntake extends ComplaintIntake {
  constructor(private readonly executor: CustomerFileCommandExecutor) {
    super();
  }

  override complaintReceived(customer: ReceivedCustomer, context: CommandContext): Promise<number | null> {
    return openFileAtIntake(this.executor, customer.customerId, {
      complaintId: customer.complaintId,
      ...(customer.customerName === undefined ? {} : { name: customer.customerName }),
      ...(customer.segment === undefined ? {} : { segment: customer.segment }),
    }, intakeCommandIdFor(customer.complaintId), context);
  }
}

/**
 * Opens the file of the customer an intake names, under a command id derived from the record (so a
 * retry sends the same one), caused by the intake's command. The log position of what it wrote (or
 * of the retry's first answer); null for a merged file, which keeps the id it was given.
 */
export async function openFileAtIntake(
  executor: CustomerFileCommandExecutor, customerId: string, data: OpenCustomerFileAtIntake['data'], commandId: string, context: CommandContext,
): Promise<number | null> {
  try {
    const { position } = await executor.execute(
      { type: 'OpenCustomerFileAtIntake', customerId, data },
      { commandId, correlationId: context.correlationId, causationId: context.commandId, actor: context.actor },
    );
    return position;
  } catch (error) {
    if (error instanceof CustomerFileMergedError) return null;
    throw error;
  }
}
