import { CommandHandler } from '@nestjs/cqrs';
import type { EscalateComplaint } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

export class EscalateComplaintCommand extends ComplaintCommandMessage<EscalateComplaint> {
  readonly type = 'EscalateComplaint';
}

@CommandHandler(EscalateComplaintCommand)
export class EscalateComplaintHandler extends ComplaintCommandHandler<EscalateComplaintCommand> {}
