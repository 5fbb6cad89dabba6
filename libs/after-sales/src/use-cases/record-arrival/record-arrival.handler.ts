import { CommandHandler } from '@nestjs/cqrs';
import type { RecordArrival } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class RecordArrivalCommand extends WorkOrderCommandMessage<RecordArrival> {
  readonly type = 'RecordArrival';
}

@CommandHandler(RecordArrivalCommand)
export class RecordArrivalHandler extends WorkOrderCommandHandler<RecordArrivalCommand> {}
