import { CommandHandler } from '@nestjs/cqrs';
import type { ValidateComplaint } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

export class ValidateComplaintCommand extends ComplaintCommandMessage<ValidateComplaint> {
  readonly type = 'ValidateComplaint';
}

@CommandHandler(ValidateComplaintCommand)
export class ValidateComplaintHandler extends ComplaintCommandHandler<ValidateComplaintCommand> {}
