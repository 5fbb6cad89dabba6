import { Injectable } from '@nestjs/common';
import { CustomerFileMergedError, type OpenCustomerFileAtIntake } from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import { ComplaintIntake, type AppendPart, type CommandContext, type ReceivedCustomer } from '@app/complaints';
import { CustomerFileCommandExecutor } from '../../customer-file-command.executor';

const INTAKE_NAMESPACE = '3b8e5f2a-9c41-4d7e-b0a6-1f2c3d4e5a6b';

/** The command id of a complaint's intake on its customer's file: a retried receipt sends the same one. */
export const intakeCommandIdFor = (complaintId: string): string => deterministicUuid(INTAKE_NAMESPACE, complaintId);

/**
 * Complaint intake stays one call: the complaint and, if the customer has no file, a minimal file
 * (floating, or fixed if the complaint says so) are written in one atomic append. On a file that
 * exists or was erased the decider records nothing, and only the complaint is appended; if another
 * request opens the file in between, the append conflicts and both are decided again. A complaint
 * for a file that was merged keeps the id it was given; the read models follow the pointer to the
 * survivor (docs/adr/0013, "Intake over HTTP").
 */
@Injectable()
export class CustomerFileIntake extends ComplaintIntake {
  constructor(private readonly executor: CustomerFileCommandExecutor) {
    super();
  }

  override receiptPart(customer: ReceivedCustomer, context: CommandContext): AppendPart {
    return fileOpenedAtIntake(this.executor, customer.customerId, {
      complaintId: customer.complaintId,
      ...(customer.customerName === undefined ? {} : { name: customer.customerName }),
      ...(customer.segment === undefined ? {} : { segment: customer.segment }),
    }, intakeCommandIdFor(customer.complaintId), context);
  }
}

/**
 * The opening of the file of the customer an intake names, as a part of the intake's atomic append:
 * under a command id derived from the record (so a retry sends the same one), caused by the intake's
 * command. A merged file is left out (answered null): the record keeps the id it was given.
 */
export function fileOpenedAtIntake(
  executor: CustomerFileCommandExecutor, customerId: string, data: OpenCustomerFileAtIntake['data'], commandId: string, context: CommandContext,
): AppendPart {
  const part = executor.part(
    { type: 'OpenCustomerFileAtIntake', customerId, data },
    { commandId, correlationId: context.correlationId, causationId: context.commandId, actor: context.actor },
  );
  return {
    ...part,
    prepare: () => part.prepare().catch((error: unknown) => {
      if (error instanceof CustomerFileMergedError) return { id: part.id, answered: null };
      throw error;
    }),
  };
}
