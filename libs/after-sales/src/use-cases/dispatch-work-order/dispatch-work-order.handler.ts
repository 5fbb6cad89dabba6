import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DispatchWorkOrder } from '@app/domain';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { EngineerTurns } from '../../service-network/engineer-turns';
import { ServiceNetworkRepository } from '../../service-network/service-network.repository';
import { WorkOrderCommandExecutor } from '../../work-order/work-order-command.executor';

export class DispatchWorkOrderCommand {
  constructor(
    readonly workOrderId: string,
    readonly data: Omit<DispatchWorkOrder['data'], 'network'>,
    /** False: the first dispatch only; true: a redispatch only. */
    readonly redispatch: boolean,
    readonly context: CommandContext,
  ) {}
}

/** 派单/派工: the decider checks the station and the engineer against the service network as it stands in the store. */
@CommandHandler(DispatchWorkOrderCommand)
export class DispatchWorkOrderHandler implements ICommandHandler<DispatchWorkOrderCommand, CommandOutcome> {
  constructor(
    private readonly executor: WorkOrderCommandExecutor,
    private readonly network: ServiceNetworkRepository,
    private readonly engineers: EngineerTurns,
  ) {}

  execute({ workOrderId, data, redispatch, context }: DispatchWorkOrderCommand): Promise<CommandOutcome> {
    // The check and the append in the engineer's turn: a deactivation comes wholly before (refused) or after (it lists the order).
    return this.engineers.inTurn(data.engineerId, async () => {
      // Only what was written to the network since this process last read it (current(): never staler than the store).
      const network = await this.network.current();
      return this.executor.execute({ type: 'DispatchWorkOrder', workOrderId, data: { ...data, network }, redispatch }, context);
    });
  }
}
