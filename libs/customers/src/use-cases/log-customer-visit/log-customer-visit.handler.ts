import { CommandHandler } from '@nestjs/cqrs';
import type { LogCustomerVisit } from '@app/domain';
import { CustomerFileCommandHandler, CustomerFileCommandMessage } from '../customer-file-command.base';

export class LogCustomerVisitCommand extends CustomerFileCommandMessage<LogCustomerVisit> {
  readonly type = 'LogCustomerVisit';
}

@CommandHandler(LogCustomerVisitCommand)
export class LogCustomerVisitHandler extends CustomerFileCommandHandler<LogCustomerVisitCommand> {}
