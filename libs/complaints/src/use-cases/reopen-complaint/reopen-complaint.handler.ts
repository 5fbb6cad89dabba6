import { CommandHandler } from '@nestjs/cqrs';
import type { ReopenComplaint } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

export class ReopenComplaintCommand extends ComplaintCommandMessage<ReopenComplaint> {
  readonly type = 'ReopenComplaint';
}

@CommandHandler(ReopenComplaintCommand)
export class ReopenComplaintHandler extends ComplaintCommandHandler<ReopenComplaintCommand> {}
