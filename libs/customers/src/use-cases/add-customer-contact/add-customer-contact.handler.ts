import { CommandHandler } from '@nestjs/cqrs';
import type { AddCustomerContact } from '@app/domain';
import { CustomerFileCommandHandler, CustomerFileCommandMessage } from '../customer-file-command.base';

export class AddCustomerContactCommand extends CustomerFileCommandMessage<AddCustomerContact> {
  readonly type = 'AddCustomerContact';
}

@CommandHandler(AddCustomerContactCommand)
export class AddCustomerContactHandler extends CustomerFileCommandHandler<AddCustomerContactCommand> {}
