import { CommandHandler } from '@nestjs/cqrs';
import type { RecordFee } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class RecordFeeCommand extends WorkOrderCommandMessage<RecordFee> {
  readonly type = 'RecordFee';
}

@CommandHandler(RecordFeeCommand)
export class RecordFeeHandler extends WorkOrderCommandHandler<RecordFeeCommand> {}
