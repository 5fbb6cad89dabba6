import { CommandHandler } from '@nestjs/cqrs';
import type { ReclassifyCustomer } from '@app/domain';
import { CustomerFileCommandHandler, CustomerFileCommandMessage } from '../customer-file-command.base';

export class ReclassifyCustomerCommand extends CustomerFileCommandMessage<ReclassifyCustomer> {
  readonly type = 'ReclassifyCustomer';
}

@CommandHandler(ReclassifyCustomerCommand)
export class ReclassifyCustomerHandler extends CustomerFileCommandHandler<ReclassifyCustomerCommand> {}
