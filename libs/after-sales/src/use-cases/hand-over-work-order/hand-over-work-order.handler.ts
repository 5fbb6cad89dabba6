import { CommandHandler } from '@nestjs/cqrs';
import type { HandOverWorkOrder } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class HandOverWorkOrderCommand extends WorkOrderCommandMessage<HandOverWorkOrder> {
  readonly type = 'HandOverWorkOrder';
}

@CommandHandler(HandOverWorkOrderCommand)
export class HandOverWorkOrderHandler extends WorkOrderCommandHandler<HandOverWorkOrderCommand> {}
