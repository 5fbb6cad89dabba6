import { Injectable } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { CustomerFileCommand } from '@app/domain';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { CustomerFileCommandExecutor } from '../customer-file-command.executor';

/** A command from a front-end about an existing customer file: its id, its body, its context. */
export abstract class CustomerFileCommandMessage<C extends CustomerFileCommand> {
  abstract readonly type: C['type'];
  constructor(
    readonly customerId: string,
    readonly data: C['data'],
    readonly context: CommandContext,
  ) {}
}

/** Most customer-file commands are handled the same way: the executor does read, fold, decide, append. */
@Injectable()
export abstract class CustomerFileCommandHandler<M extends CustomerFileCommandMessage<CustomerFileCommand>> implements ICommandHandler<CustomerFileCommandMessage<CustomerFileCommand>, CommandOutcome> {
  constructor(private readonly executor: CustomerFileCommandExecutor) {}

  execute(message: M): Promise<CommandOutcome> {
    const { type, customerId, data, context } = message;
    return this.executor.execute({ type, customerId, data } as Parameters<CustomerFileCommandExecutor['execute']>[0], context);
  }
}
