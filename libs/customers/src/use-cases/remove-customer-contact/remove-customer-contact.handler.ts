import { CommandHandler } from '@nestjs/cqrs';
import type { RemoveCustomerContact } from '@app/domain';
import { CustomerFileCommandHandler, CustomerFileCommandMessage } from '../customer-file-command.base';

export class RemoveCustomerContactCommand extends CustomerFileCommandMessage<RemoveCustomerContact> {
  readonly type = 'RemoveCustomerContact';
}

@CommandHandler(RemoveCustomerContactCommand)
export class RemoveCustomerContactHandler extends CustomerFileCommandHandler<RemoveCustomerContactCommand> {}
