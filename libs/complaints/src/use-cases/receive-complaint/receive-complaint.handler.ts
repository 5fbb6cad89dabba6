import { Logger, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ReceiveComplaint } from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import type { CommandContext, CommandOutcome } from '../../command-context';
import { ComplaintCommandExecutor } from '../../complaint-command.executor';
import { ComplaintIntake, SlaPolicySource } from '../../ports';

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
    const outcome = await this.executor.execute({ type: 'ReceiveComplaint', complaintId, data: { ...data, policy: this.policies.current() } }, context);
    if (!this.intake) return outcome;
    // The complaint is stored: the intake's other steps cannot take the acknowledgement back (docs/adr/0013).
    const reached = await this.intake.complaintReceived({ complaintId, customerId: data.customerId, customerName: data.customerName, segment: data.segment }, context)
      .catch((error: unknown) => {
        this.logger.warn(`complaint ${complaintId} is stored, but its intake did not finish: ${String((error as Error)?.stack ?? error)}`);
        return null;
      });
    return reached !== null && reached > outcome.position ? { ...outcome, position: reached } : outcome;
  }
}
