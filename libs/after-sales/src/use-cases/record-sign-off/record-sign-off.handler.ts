import { CommandHandler } from '@nestjs/cqrs';
import type { RecordSignOff } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class RecordSignOffCommand extends WorkOrderCommandMessage<RecordSignOff> {
  readonly type = 'RecordSignOff';
}

@CommandHandler(RecordSignOffCommand)
export class RecordSignOffHandler extends WorkOrderCommandHandler<RecordSignOffCommand> {}
