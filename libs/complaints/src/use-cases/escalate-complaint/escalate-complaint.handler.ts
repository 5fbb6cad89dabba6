import { CommandHandler } from '@nestjs/cqrs';
import type { EscalateComplaint } from '@app/domain';
import { PersonNamingCommandHandler, PersonNamingCommandMessage } from '../complaint-command.base';

export class EscalateComplaintCommand extends PersonNamingCommandMessage<EscalateComplaint> {
  readonly type = 'EscalateComplaint';
}

@CommandHandler(EscalateComplaintCommand)
export class EscalateComplaintHandler extends PersonNamingCommandHandler<EscalateComplaintCommand> {}
