import { CommandHandler } from '@nestjs/cqrs';
import type { CorrectComplaint } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

export class CorrectComplaintCommand extends ComplaintCommandMessage<CorrectComplaint> {
  readonly type = 'CorrectComplaint';
}

@CommandHandler(CorrectComplaintCommand)
export class CorrectComplaintHandler extends ComplaintCommandHandler<CorrectComplaintCommand> {}
