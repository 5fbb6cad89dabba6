import { CommandHandler } from '@nestjs/cqrs';
import type { RecordWorkOrderSlaBreach } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class RecordWorkOrderSlaBreachCommand extends WorkOrderCommandMessage<RecordWorkOrderSlaBreach> {
  readonly type = 'RecordWorkOrderSlaBreach';
}

/** For the SLA monitor (actor system:sla-monitor): no HTTP route sends it. */
@CommandHandler(RecordWorkOrderSlaBreachCommand)
export class RecordWorkOrderSlaBreachHandler extends WorkOrderCommandHandler<RecordWorkOrderSlaBreachCommand> {}
