import { CommandHandler } from '@nestjs/cqrs';
import type { ApologiseForComplaint } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

export class ApologiseForComplaintCommand extends ComplaintCommandMessage<ApologiseForComplaint> {
  readonly type = 'ApologiseForComplaint';
}

@CommandHandler(ApologiseForComplaintCommand)
export class ApologiseForComplaintHandler extends ComplaintCommandHandler<ApologiseForComplaintCommand> {}
