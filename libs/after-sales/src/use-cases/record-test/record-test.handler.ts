import { CommandHandler } from '@nestjs/cqrs';
import type { RecordTest } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class RecordTestCommand extends WorkOrderCommandMessage<RecordTest> {
  readonly type = 'RecordTest';
}

@CommandHandler(RecordTestCommand)
export class RecordTestHandler extends WorkOrderCommandHandler<RecordTestCommand> {}
