import { CommandHandler } from '@nestjs/cqrs';
import type { UpdateComplaintContact } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

export class UpdateComplaintContactCommand extends ComplaintCommandMessage<UpdateComplaintContact> {
  readonly type = 'UpdateComplaintContact';
}

@CommandHandler(UpdateComplaintContactCommand)
export class UpdateComplaintContactHandler extends ComplaintCommandHandler<UpdateComplaintContactCommand> {}
