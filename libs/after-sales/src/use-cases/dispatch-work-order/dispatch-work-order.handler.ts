import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DispatchWorkOrder } from '@app/domain';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { EngineerDutyCommandExecutor } from '../../service-network/engineer-duty.executor';
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
    private readonly duty: EngineerDutyCommandExecutor,
  ) {}

  execute({ workOrderId, data, redispatch, context }: DispatchWorkOrderCommand): Promise<CommandOutcome> {
    // The check and the append in the engineer's turn (short waits); the order's events and the engineer's duty in one append (the fence).
    return this.engineers.inTurn(data.engineerId, async () => {
      // Only what was written to the network since this process last read it (current(): never staler than the store).
      const network = await this.network.current();
      const [outcome] = await this.executor.executeWith({ type: 'DispatchWorkOrder', workOrderId, data: { ...data, network }, redispatch }, context,
        [this.duty.fencePart({ type: 'TakeWorkOrder', data: { engineerId: data.engineerId, workOrderId } }, context)]);
      return outcome;
    });
  }
}
