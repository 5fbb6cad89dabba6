import { CommandHandler } from '@nestjs/cqrs';
import type { AddComplaintNote } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

export class AddComplaintNoteCommand extends ComplaintCommandMessage<AddComplaintNote> {
  readonly type = 'AddComplaintNote';
}

@CommandHandler(AddComplaintNoteCommand)
export class AddComplaintNoteHandler extends ComplaintCommandHandler<AddComplaintNoteCommand> {}
