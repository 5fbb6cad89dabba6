import { CommandHandler } from '@nestjs/cqrs';
import type { UnrelateComplaint } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

/** Removes a link: the other complaint is not read (a link stays removable when that one moved out of the caller's departments). */
export class UnrelateComplaintCommand extends ComplaintCommandMessage<UnrelateComplaint> {
  readonly type = 'UnrelateComplaint';
}

@CommandHandler(UnrelateComplaintCommand)
export class UnrelateComplaintHandler extends ComplaintCommandHandler<UnrelateComplaintCommand> {}
