import { CommandHandler } from '@nestjs/cqrs';
import type { ScheduleVisit } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class ScheduleVisitCommand extends WorkOrderCommandMessage<ScheduleVisit> {
  readonly type = 'ScheduleVisit';
}

@CommandHandler(ScheduleVisitCommand)
export class ScheduleVisitHandler extends WorkOrderCommandHandler<ScheduleVisitCommand> {}
