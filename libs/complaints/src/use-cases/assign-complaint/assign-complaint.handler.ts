import { CommandHandler } from '@nestjs/cqrs';
import type { AssignComplaint } from '@app/domain';
import { PersonNamingCommandHandler, PersonNamingCommandMessage } from '../complaint-command.base';

export class AssignComplaintCommand extends PersonNamingCommandMessage<AssignComplaint> {
  readonly type = 'AssignComplaint';
}

@CommandHandler(AssignComplaintCommand)
export class AssignComplaintHandler extends PersonNamingCommandHandler<AssignComplaintCommand> {}
