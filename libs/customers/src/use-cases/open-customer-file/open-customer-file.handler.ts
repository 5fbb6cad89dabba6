import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { OpenCustomerFile } from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { CustomerFileCommandExecutor } from '../../customer-file-command.executor';

export class OpenCustomerFileCommand {
  /** `customerId`: the id the customer is known by (complaints use it); left out, the file gets one. */
  constructor(
    readonly customerId: string | undefined,
    readonly data: OpenCustomerFile['data'],
    readonly context: CommandContext,
  ) {}
}

/** A file opened without an id gets one derived from the command id: a retried opening lands on the same stream. */
export const customerIdFor = (commandId: string): string => deterministicUuid(commandId, 'customer-file');

@CommandHandler(OpenCustomerFileCommand)
export class OpenCustomerFileHandler implements ICommandHandler<OpenCustomerFileCommand, CommandOutcome> {
  constructor(private readonly executor: CustomerFileCommandExecutor) {}

  execute({ customerId, data, context }: OpenCustomerFileCommand): Promise<CommandOutcome> {
    return this.executor.execute({ type: 'OpenCustomerFile', customerId: customerId ?? customerIdFor(context.commandId), data }, context);
  }
}
