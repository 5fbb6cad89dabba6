import { Injectable } from '@nestjs/common';
import type { CustomerFileCommand } from '@app/domain';
import { AggregateCommandHandler, AggregateCommandMessage, type WithoutContext } from '@app/complaints';
import { CustomerFileCommandExecutor } from '../customer-file-command.executor';

/** A command from a front-end about an existing customer file: its id, its body, its context. */
export abstract class CustomerFileCommandMessage<C extends CustomerFileCommand> extends AggregateCommandMessage<C> {}

/** Most customer-file commands are handled the same way: the executor does read, fold, decide, append. */
@Injectable()
export abstract class CustomerFileCommandHandler<M extends CustomerFileCommandMessage<CustomerFileCommand>> extends AggregateCommandHandler<M, CustomerFileCommand> {
  constructor(executor: CustomerFileCommandExecutor) {
    super(executor, (type, customerId, data) => ({ type, customerId, data }) as WithoutContext<CustomerFileCommand>);
  }
}
