import { CommandHandler } from '@nestjs/cqrs';
import type { QuoteRepair } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class QuoteRepairCommand extends WorkOrderCommandMessage<QuoteRepair> {
  readonly type = 'QuoteRepair';
}

@CommandHandler(QuoteRepairCommand)
export class QuoteRepairHandler extends WorkOrderCommandHandler<QuoteRepairCommand> {}
