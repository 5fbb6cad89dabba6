import { CommandHandler } from '@nestjs/cqrs';
import type { ChangeCustomerContact } from '@app/domain';
import { CustomerFileCommandHandler, CustomerFileCommandMessage } from '../customer-file-command.base';

export class ChangeCustomerContactCommand extends CustomerFileCommandMessage<ChangeCustomerContact> {
  readonly type = 'ChangeCustomerContact';
}

@CommandHandler(ChangeCustomerContactCommand)
export class ChangeCustomerContactHandler extends CustomerFileCommandHandler<ChangeCustomerContactCommand> {}
