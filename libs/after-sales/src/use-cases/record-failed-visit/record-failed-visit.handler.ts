import { CommandHandler } from '@nestjs/cqrs';
import type { RecordFailedVisit } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class RecordFailedVisitCommand extends WorkOrderCommandMessage<RecordFailedVisit> {
  readonly type = 'RecordFailedVisit';
}

@CommandHandler(RecordFailedVisitCommand)
export class RecordFailedVisitHandler extends WorkOrderCommandHandler<RecordFailedVisitCommand> {}
