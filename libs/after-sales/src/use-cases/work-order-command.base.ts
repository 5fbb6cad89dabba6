import { Injectable } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { WorkOrderCommand } from '@app/domain';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { WorkOrderCommandExecutor } from '../work-order/work-order-command.executor';

/** A command from a front-end about an existing work order: its id, its body, its context. */
export abstract class WorkOrderCommandMessage<C extends WorkOrderCommand> {
  abstract readonly type: C['type'];
  constructor(
    readonly workOrderId: string,
    readonly data: C['data'],
    readonly context: CommandContext,
  ) {}
}

/** Most work-order commands need nothing looked up: the executor does read, fold, decide, append. */
@Injectable()
export abstract class WorkOrderCommandHandler<M extends WorkOrderCommandMessage<WorkOrderCommand>> implements ICommandHandler<WorkOrderCommandMessage<WorkOrderCommand>, CommandOutcome> {
  constructor(private readonly executor: WorkOrderCommandExecutor) {}

  execute(message: M): Promise<CommandOutcome> {
    const { type, workOrderId, data, context } = message;
    return this.executor.execute({ type, workOrderId, data } as Parameters<WorkOrderCommandExecutor['execute']>[0], context);
  }
}
