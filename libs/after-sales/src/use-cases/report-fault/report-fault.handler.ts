import { Logger, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { canonicalSerialNumber, type ReportFault } from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import { ComplaintRepository, SlaPolicySource, leftOutOnError, outcomeOfRequest, refuseIntakeKeyOfAnotherCustomer, type CommandContext, type CommandOutcome } from '@app/complaints';
import { requireLinkableComplaint } from '../../linked-complaint';
import { RepairIntake } from '../../ports';
import { WorkOrderCommandExecutor } from '../../work-order/work-order-command.executor';

export class ReportFaultCommand {
  constructor(
    readonly data: Omit<ReportFault['data'], 'policy'>,
    readonly context: CommandContext,
  ) {}
}

/** The work order id derives from the command id: a retried report lands on the same stream. */
export const workOrderIdFor = (commandId: string): string => deterministicUuid(commandId, 'work-order');

/**
 * 报修: the order is recorded with the deadlines of the SLA policy in force, the serial number in its
 * canonical form; and the customer's file is opened in the same atomic append if there is none (RepairIntake), so reporting stays one call.
 */
@CommandHandler(ReportFaultCommand)
export class ReportFaultHandler implements ICommandHandler<ReportFaultCommand, CommandOutcome> {
  private readonly logger = new Logger('ReportFault');

  constructor(
    private readonly executor: WorkOrderCommandExecutor,
    private readonly policies: SlaPolicySource,
    private readonly complaints: ComplaintRepository,
    @Optional() private readonly intake?: RepairIntake,
  ) {}

  async execute({ data, context }: ReportFaultCommand): Promise<CommandOutcome> {
    if (data.complaintId !== undefined) await requireLinkableComplaint(this.complaints, data.complaintId, 'complaintId', context.actor.id, context.scope);
    const workOrderId = workOrderIdFor(context.commandId);
    const product = { ...data.product, serialNumber: canonicalSerialNumber(data.product.serialNumber) };
    const order = { type: 'ReportFault' as const, workOrderId, data: { ...data, product, policy: this.policies.current() } };
    if (!this.intake) return this.executor.execute(order, context);
    // The order and its customer's new file in one atomic append: both or neither, also across a crash (docs/adr/0013, "Repair intake").
    const file = leftOutOnError(this.intake.reportPart({ workOrderId, customerId: data.customerId }, context), (error) => {
      this.logger.warn(`work order ${workOrderId} is stored without its intake: ${String((error as Error)?.stack ?? error)}`);
    });
    // A key that reported a repair for another customer is refused, checked on what each attempt reads (as a complaint's receipt).
    const [outcome, opened] = await this.executor.executeWith(order, context, [file], {
      refuseRecordOfAnotherRequest: ([reported]) => refuseIntakeKeyOfAnotherCustomer('work order', reported?.type === 'WorkOrderReported' ? String(reported.data['customerId']) : null, data.customerId),
    });
    return outcomeOfRequest(opened ? [outcome, opened] : [outcome]);
  }
}
