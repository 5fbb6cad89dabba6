import { CommandHandler } from '@nestjs/cqrs';
import type { AssignComplaint } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

export class AssignComplaintCommand extends ComplaintCommandMessage<AssignComplaint> {
  readonly type = 'AssignComplaint';
}

@CommandHandler(AssignComplaintCommand)
export class AssignComplaintHandler extends ComplaintCommandHandler<AssignComplaintCommand> {}
