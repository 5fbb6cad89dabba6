import { CommandHandler } from '@nestjs/cqrs';
import type { RejectComplaint } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

export class RejectComplaintCommand extends ComplaintCommandMessage<RejectComplaint> {
  readonly type = 'RejectComplaint';
}

@CommandHandler(RejectComplaintCommand)
export class RejectComplaintHandler extends ComplaintCommandHandler<RejectComplaintCommand> {}
