import { CommandHandler } from '@nestjs/cqrs';
import type { ResolveComplaint } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

export class ResolveComplaintCommand extends ComplaintCommandMessage<ResolveComplaint> {
  readonly type = 'ResolveComplaint';
}

@CommandHandler(ResolveComplaintCommand)
export class ResolveComplaintHandler extends ComplaintCommandHandler<ResolveComplaintCommand> {}
