import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ComplaintNotFoundError, complaintInScope, departmentOf, servicePointOf, workOrderInScope } from '@app/domain';
import { Optional } from '@nestjs/common';
import { ActingCheck, ComplaintRepository, type CommandContext, type CommandOutcome } from '@app/complaints';
import { UnknownWorkOrderError } from '../../survey/survey.handlers';
import { WorkOrderCommandExecutor } from '../../work-order/work-order-command.executor';
import { WorkOrderRepository } from '../../work-order/work-order.repository';

/** Links a work order to a complaint, from the complaint's side (POST /complaints/{id}/links). */
export class LinkWorkOrderToComplaintCommand {
  readonly type = 'LinkComplaint';
  constructor(
    readonly complaintId: string,
    readonly data: { readonly workOrderId: string; readonly reason?: string },
    readonly context: CommandContext,
  ) {}
}

/**
 * The same decision as a link made from the order's side (LinkComplaint on the order's stream,
 * WorkOrderLinkedToComplaint): one fact, so both trails and the lists agree whichever side made it.
 * The complaint is the route's resource (missing or outside the caller's departments: 404); the
 * order is named in the body (missing or not visible: 400 unknown-work-order). The answer, its ETag
 * and If-Match are the order's revision: that is the stream the link is written to.
 */
@CommandHandler(LinkWorkOrderToComplaintCommand)
export class LinkWorkOrderToComplaintHandler implements ICommandHandler<LinkWorkOrderToComplaintCommand, CommandOutcome> {
  constructor(
    private readonly executor: WorkOrderCommandExecutor,
    private readonly complaints: ComplaintRepository,
    private readonly workOrders: WorkOrderRepository,
    @Optional() private readonly acting?: ActingCheck,
  ) {}

  async execute({ complaintId, data, context }: LinkWorkOrderToComplaintCommand): Promise<CommandOutcome> {
    // A deactivated agent acts on no complaint (403 agent-deactivated), whatever the complaint and order.
    await this.acting?.requireActing(context.actor);
    const { state: complaint } = await this.complaints.load(complaintId);
    if (complaint.status === 'none') throw new ComplaintNotFoundError(complaintId);
    if (context.scope !== undefined && !complaintInScope({ receivedBy: complaint.receivedBy, department: departmentOf(complaint) }, context.actor.id, context.scope)) {
      throw new ComplaintNotFoundError(complaintId);
    }
    const { state: order } = await this.workOrders.load(data.workOrderId);
    if (order.status === 'none') throw new UnknownWorkOrderError(data.workOrderId, 'workOrderId');
    if (context.scope !== undefined && !workOrderInScope({ reportedBy: order.reportedBy, servicePoint: servicePointOf(order) }, context.actor.id, context.scope)) {
      throw new UnknownWorkOrderError(data.workOrderId, 'workOrderId');
    }
    const reason = data.reason === undefined ? {} : { reason: data.reason };
    return this.executor.execute({ type: 'LinkComplaint', workOrderId: data.workOrderId, data: { complaintId, ...reason } }, context);
  }
}
