import { CommandHandler } from '@nestjs/cqrs';
import type { TagComplaint } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

export class TagComplaintCommand extends ComplaintCommandMessage<TagComplaint> {
  readonly type = 'TagComplaint';
}

@CommandHandler(TagComplaintCommand)
export class TagComplaintHandler extends ComplaintCommandHandler<TagComplaintCommand> {}
