import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EraseCustomerPersonalData } from '@app/domain';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { CustomerFileCommandExecutor } from '../../customer-file-command.executor';
import { CustomerFileMergeQueue } from '../../merge-queue';

export class EraseCustomerPersonalDataCommand {
  constructor(
    readonly customerId: string,
    readonly data: EraseCustomerPersonalData['data'],
    readonly context: CommandContext,
  ) {}
}

/**
 * Records the erasure (which fields, which files: this one and those it absorbed). It runs in the
 * merge queue, so a merge cannot decide on a survivor that is being erased. Destroying the
 * customer's key, which makes the personal parts unreadable, is a later slice (issue 19).
 */
@CommandHandler(EraseCustomerPersonalDataCommand)
export class EraseCustomerPersonalDataHandler implements ICommandHandler<EraseCustomerPersonalDataCommand, CommandOutcome> {
  constructor(
    private readonly executor: CustomerFileCommandExecutor,
    private readonly queue: CustomerFileMergeQueue,
  ) {}

  execute({ customerId, data, context }: EraseCustomerPersonalDataCommand): Promise<CommandOutcome> {
    return this.queue.run(() => this.executor.execute({ type: 'EraseCustomerPersonalData', customerId, data }, context));
  }
}
