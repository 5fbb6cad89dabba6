import { CommandHandler } from '@nestjs/cqrs';
import type { ReopenWorkOrder } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class ReopenWorkOrderCommand extends WorkOrderCommandMessage<ReopenWorkOrder> {
  readonly type = 'ReopenWorkOrder';
}

@CommandHandler(ReopenWorkOrderCommand)
export class ReopenWorkOrderHandler extends WorkOrderCommandHandler<ReopenWorkOrderCommand> {}
