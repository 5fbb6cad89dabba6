import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ReopenWorkOrder } from '@app/domain';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { ServiceNetworkRepository } from '../../service-network/service-network.repository';
import { WorkOrderCommandExecutor } from '../../work-order/work-order-command.executor';

export class ReopenWorkOrderCommand {
  readonly type = 'ReopenWorkOrder';
  constructor(
    readonly workOrderId: string,
    readonly data: Omit<ReopenWorkOrder['data'], 'network'>,
    readonly context: CommandContext,
  ) {}
}

/** A repeat repair: the decider checks that the engineer it goes to is still active, against the service network as it stands. */
@CommandHandler(ReopenWorkOrderCommand)
export class ReopenWorkOrderHandler implements ICommandHandler<ReopenWorkOrderCommand, CommandOutcome> {
  constructor(
    private readonly executor: WorkOrderCommandExecutor,
    private readonly network: ServiceNetworkRepository,
  ) {}

  async execute({ workOrderId, data, context }: ReopenWorkOrderCommand): Promise<CommandOutcome> {
    const network = await this.network.current();
    return this.executor.execute({ type: 'ReopenWorkOrder', workOrderId, data: { ...data, network } }, context);
  }
}
