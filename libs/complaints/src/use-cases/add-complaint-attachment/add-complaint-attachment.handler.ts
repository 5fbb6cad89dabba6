import { CommandHandler } from '@nestjs/cqrs';
import type { AddComplaintAttachment } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

/** A file already in the blob store, attached by its hash (the HTTP edge stores it first). */
export class AddComplaintAttachmentCommand extends ComplaintCommandMessage<AddComplaintAttachment> {
  readonly type = 'AddComplaintAttachment';
}

@CommandHandler(AddComplaintAttachmentCommand)
export class AddComplaintAttachmentHandler extends ComplaintCommandHandler<AddComplaintAttachmentCommand> {}
