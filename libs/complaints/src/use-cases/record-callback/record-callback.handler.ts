import { CommandHandler } from '@nestjs/cqrs';
import type { RecordCallback } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

export class RecordCallbackCommand extends ComplaintCommandMessage<RecordCallback> {
  readonly type = 'RecordCallback';
}

@CommandHandler(RecordCallbackCommand)
export class RecordCallbackHandler extends ComplaintCommandHandler<RecordCallbackCommand> {}
