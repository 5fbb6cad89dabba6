import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ReopenWorkOrder, WorkOrderState } from '@app/domain';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { EngineerDutyCommandExecutor } from '../../service-network/engineer-duty.executor';
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
    private readonly duty: EngineerDutyCommandExecutor,
  ) {}

  async execute({ workOrderId, data, context }: ReopenWorkOrderCommand): Promise<CommandOutcome> {
    // The order goes to the engineer named, or back to the one who did the repair: in that engineer's turn, as a dispatch is (EngineerTurns).
    const engineerId = data.engineerId ?? previousEngineerOf((await this.workOrders.load(workOrderId)).state);
    const reopen = async (): Promise<CommandOutcome> => {
      const network = await this.network.current();
      const command = { type: 'ReopenWorkOrder' as const, workOrderId, data: { ...data, network } };
      if (engineerId === null) return this.executor.execute(command, context);
      // The engineer's duty in the same append: a deactivation stored since the check refuses it (the fence).
      const [outcome] = await this.executor.executeWith(command, context, [this.duty.fencePart({ type: 'TakeWorkOrder', data: { engineerId, workOrderId } }, context)]);
      return outcome;
    };
    return engineerId === null ? reopen() : this.engineers.inTurn(engineerId, reopen);
  }
}

function previousEngineerOf(state: WorkOrderState): string | null {
  return 'dispatch' in state && state.dispatch !== null ? state.dispatch.engineerId : null;
}
