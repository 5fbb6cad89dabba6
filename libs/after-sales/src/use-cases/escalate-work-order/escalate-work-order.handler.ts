import { CommandHandler } from '@nestjs/cqrs';
import type { EscalateWorkOrder } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class EscalateWorkOrderCommand extends WorkOrderCommandMessage<EscalateWorkOrder> {
  readonly type = 'EscalateWorkOrder';
}

@CommandHandler(EscalateWorkOrderCommand)
export class EscalateWorkOrderHandler extends WorkOrderCommandHandler<EscalateWorkOrderCommand> {}
