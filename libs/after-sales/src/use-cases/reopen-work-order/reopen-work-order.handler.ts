import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ReopenWorkOrder, WorkOrderState } from '@app/domain';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { EngineerTurns } from '../../service-network/engineer-turns';
import { ServiceNetworkRepository } from '../../service-network/service-network.repository';
import { WorkOrderCommandExecutor } from '../../work-order/work-order-command.executor';
import { WorkOrderRepository } from '../../work-order/work-order.repository';

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
    private readonly engineers: EngineerTurns,
    private readonly workOrders: WorkOrderRepository,
  ) {}

  async execute({ workOrderId, data, context }: ReopenWorkOrderCommand): Promise<CommandOutcome> {
    // The order goes to the engineer named, or back to the one who did the repair: in that engineer's turn, as a dispatch is (EngineerTurns).
    const engineerId = data.engineerId ?? previousEngineerOf((await this.workOrders.load(workOrderId)).state);
    const reopen = async (): Promise<CommandOutcome> => {
      const network = await this.network.current();
      return this.executor.execute({ type: 'ReopenWorkOrder', workOrderId, data: { ...data, network } }, context);
    };
    return engineerId === null ? reopen() : this.engineers.inTurn(engineerId, reopen);
  }
}

function previousEngineerOf(state: WorkOrderState): string | null {
  return 'dispatch' in state && state.dispatch !== null ? state.dispatch.engineerId : null;
}
