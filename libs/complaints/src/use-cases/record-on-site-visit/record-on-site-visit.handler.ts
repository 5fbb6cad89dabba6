import { CommandHandler } from '@nestjs/cqrs';
import type { RecordOnSiteVisit } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

export class RecordOnSiteVisitCommand extends ComplaintCommandMessage<RecordOnSiteVisit> {
  readonly type = 'RecordOnSiteVisit';
}

@CommandHandler(RecordOnSiteVisitCommand)
export class RecordOnSiteVisitHandler extends ComplaintCommandHandler<RecordOnSiteVisitCommand> {}
