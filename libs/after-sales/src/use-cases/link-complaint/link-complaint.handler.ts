import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { LinkComplaint } from '@app/domain';
import { ComplaintRepository, type CommandContext, type CommandOutcome } from '@app/complaints';
import { requireLinkableComplaint } from '../../linked-complaint';
import { WorkOrderCommandExecutor } from '../../work-order/work-order-command.executor';

export class LinkComplaintCommand {
  readonly type = 'LinkComplaint';
  constructor(
    readonly workOrderId: string,
    readonly data: LinkComplaint['data'],
    readonly context: CommandContext,
  ) {}
}

/** Links a complaint the actor can see to the order (a repair complaint, or one a bad survey opened). */
@CommandHandler(LinkComplaintCommand)
export class LinkComplaintHandler implements ICommandHandler<LinkComplaintCommand, CommandOutcome> {
  constructor(
    private readonly executor: WorkOrderCommandExecutor,
    private readonly complaints: ComplaintRepository,
  ) {}

  async execute({ workOrderId, data, context }: LinkComplaintCommand): Promise<CommandOutcome> {
    // A deactivated agent or engineer acts on no order (403), whatever the order and the complaint it names.
    await this.executor.requireActing(context.actor);
    await requireLinkableComplaint(this.complaints, data.complaintId, 'complaintId', context.actor.id, context.scope);
    return this.executor.execute({ type: 'LinkComplaint', workOrderId, data }, context);
  }
}
