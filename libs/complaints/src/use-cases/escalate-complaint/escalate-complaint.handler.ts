import { CommandHandler } from '@nestjs/cqrs';
import type { EscalateComplaint } from '@app/domain';
import { AgentNamingCommandHandler, AgentNamingCommandMessage } from '../complaint-command.base';

export class EscalateComplaintCommand extends AgentNamingCommandMessage<EscalateComplaint> {
  readonly type = 'EscalateComplaint';
}

@CommandHandler(EscalateComplaintCommand)
export class EscalateComplaintHandler extends AgentNamingCommandHandler<EscalateComplaintCommand> {}
