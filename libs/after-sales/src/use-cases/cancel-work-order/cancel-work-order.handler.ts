import { CommandHandler } from '@nestjs/cqrs';
import type { CancelWorkOrder } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class CancelWorkOrderCommand extends WorkOrderCommandMessage<CancelWorkOrder> {
  readonly type = 'CancelWorkOrder';
}

@CommandHandler(CancelWorkOrderCommand)
export class CancelWorkOrderHandler extends WorkOrderCommandHandler<CancelWorkOrderCommand> {}
