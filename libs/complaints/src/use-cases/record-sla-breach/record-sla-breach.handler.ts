import { CommandHandler } from '@nestjs/cqrs';
import type { RecordSlaBreach } from '@app/domain';
import { ComplaintCommandHandler, ComplaintCommandMessage } from '../complaint-command.base';

export class RecordSlaBreachCommand extends ComplaintCommandMessage<RecordSlaBreach> {
  readonly type = 'RecordSlaBreach';
}

@CommandHandler(RecordSlaBreachCommand)
export class RecordSlaBreachHandler extends ComplaintCommandHandler<RecordSlaBreachCommand> {}
