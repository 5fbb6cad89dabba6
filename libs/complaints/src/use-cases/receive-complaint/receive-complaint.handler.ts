import { Logger, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ReceiveComplaint } from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import type { RecordedEvent } from '@app/event-store';
import { outcomeOfRequest, refuseIntakeKeyOfAnotherCustomer, type CommandContext, type CommandOutcome } from '../../command-context';
import { ComplaintCommandExecutor } from '../../complaint-command.executor';
import { ComplaintIntake, SlaPolicySource } from '../../ports';
import { leftOutOnError } from '../../stream-command-executor';

export class ReceiveComplaintCommand {
  constructor(
    readonly data: Omit<ReceiveComplaint['data'], 'policy'>,
    readonly context: CommandContext,
  ) {}
}

/** The complaint id derives from the command id: a retried receipt lands on the same stream. */
export const complaintIdFor = (commandId: string): string => deterministicUuid(commandId, 'complaint');

@CommandHandler(ReceiveComplaintCommand)
export class ReceiveComplaintHandler implements ICommandHandler<ReceiveComplaintCommand, CommandOutcome> {
  private readonly logger = new Logger('ReceiveComplaint');

  constructor(
    private readonly executor: ComplaintCommandExecutor,
    private readonly policies: SlaPolicySource,
    @Optional() private readonly intake?: ComplaintIntake,
  ) {}

  async execute({ data, context }: ReceiveComplaintCommand): Promise<CommandOutcome> {
    const complaintId = complaintIdFor(context.commandId);
    const receipt = { type: 'ReceiveComplaint' as const, complaintId, data: { ...data, policy: this.policies.current() } };
    if (!this.intake) return this.executor.execute(receipt, context);
    // The complaint and its customer's new file in one atomic append: both or neither, also across a crash (docs/adr/0013).
    const file = leftOutOnError(this.intake.receiptPart({ complaintId, customerId: data.customerId, customerName: data.customerName, segment: data.segment }, context), (error) => {
      this.logger.warn(`complaint ${complaintId} is stored without its intake: ${String((error as Error)?.stack ?? error)}`);
    });
    // A key that recorded a complaint for another customer is refused, not answered while this customer's file is opened for it:
    // checked on what each attempt reads, so another process's receipt under the key that lands before the append is seen too.
    const [outcome, opened] = await this.executor.executeWith(receipt, context, [file], {
      refuseRecordOfAnotherRequest: ([received]) => refuseIntakeKeyOfAnotherCustomer('complaint', recordedCustomerId(received), data.customerId),
    });
    return outcomeOfRequest(opened ? [outcome, opened] : [outcome]);
  }
}

/** The customer a receipt recorded (ComplaintReceived), null when the key recorded none. */
function recordedCustomerId(received: RecordedEvent | undefined): string | null {
  const customer = received?.type === 'ComplaintReceived' ? received.data['customer'] : undefined;
  return typeof customer === 'object' && customer !== null && 'id' in customer && typeof customer.id === 'string' ? customer.id : null;
}
