import { CommandHandler } from '@nestjs/cqrs';
import type { RefuseQuote } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class RefuseQuoteCommand extends WorkOrderCommandMessage<RefuseQuote> {
  readonly type = 'RefuseQuote';
}

@CommandHandler(RefuseQuoteCommand)
export class RefuseQuoteHandler extends WorkOrderCommandHandler<RefuseQuoteCommand> {}
