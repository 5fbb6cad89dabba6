import { Injectable } from '@nestjs/common';
import type { WorkOrderCommand, WorkOrderRequest } from '@app/domain';
import { AggregateCommandHandler, AggregateCommandMessage, type WithoutContext } from '@app/complaints';
import { WorkOrderCommandExecutor } from '../work-order/work-order-command.executor';

/** A command from a front-end about an existing work order: its id, its body, its context. */
export abstract class WorkOrderCommandMessage<C extends WorkOrderCommand> extends AggregateCommandMessage<C> {}

/** Most work-order commands need nothing looked up: the executor does read, fold, decide, append. */
@Injectable()
export abstract class WorkOrderCommandHandler<M extends WorkOrderCommandMessage<WorkOrderCommand>> extends AggregateCommandHandler<M, WorkOrderRequest> {
  constructor(executor: WorkOrderCommandExecutor) {
    super(executor, (type, workOrderId, data) => ({ type, workOrderId, data }) as WithoutContext<WorkOrderRequest>);
  }
}
