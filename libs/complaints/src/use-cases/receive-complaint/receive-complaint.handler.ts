import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ReceiveComplaint } from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import type { CommandContext, CommandOutcome } from '../../command-context';
import { ComplaintCommandExecutor } from '../../complaint-command.executor';
import { SlaPolicySource } from '../../ports';

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
  constructor(
    private readonly executor: ComplaintCommandExecutor,
    private readonly policies: SlaPolicySource,
  ) {}

  execute({ data, context }: ReceiveComplaintCommand): Promise<CommandOutcome> {
    const complaintId = complaintIdFor(context.commandId);
    return this.executor.execute({ type: 'ReceiveComplaint', complaintId, data: { ...data, policy: this.policies.current() } }, context);
  }
}
