import { CommandHandler } from '@nestjs/cqrs';
import type { RecordRepairWork } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class RecordRepairWorkCommand extends WorkOrderCommandMessage<RecordRepairWork> {
  readonly type = 'RecordRepairWork';
}

@CommandHandler(RecordRepairWorkCommand)
export class RecordRepairWorkHandler extends WorkOrderCommandHandler<RecordRepairWorkCommand> {}
