import { CommandHandler } from '@nestjs/cqrs';
import type { AssignComplaint } from '@app/domain';
import { AgentNamingCommandHandler, AgentNamingCommandMessage } from '../complaint-command.base';

export class AssignComplaintCommand extends AgentNamingCommandMessage<AssignComplaint> {
  readonly type = 'AssignComplaint';
}

@CommandHandler(AssignComplaintCommand)
export class AssignComplaintHandler extends AgentNamingCommandHandler<AssignComplaintCommand> {}
