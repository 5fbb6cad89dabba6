import { CommandHandler } from '@nestjs/cqrs';
import type { ConfirmQuote } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class ConfirmQuoteCommand extends WorkOrderCommandMessage<ConfirmQuote> {
  readonly type = 'ConfirmQuote';
}

@CommandHandler(ConfirmQuoteCommand)
export class ConfirmQuoteHandler extends WorkOrderCommandHandler<ConfirmQuoteCommand> {}
