import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { CustomerFileCommandExecutor } from '../../customer-file-command.executor';
import { CustomerFileRepository } from '../../customer-file-repository';
import { CustomerFileMergeQueue } from '../../merge-queue';
import { CustomerFileMergeCompletion } from './merge-completion';

export class MergeCustomerFilesCommand {
  /** `customerId`: the file that is absorbed; `survivorId`: the file that stays. */
  constructor(
    readonly customerId: string,
    readonly data: { readonly survivorId: string; readonly reason: string },
    readonly context: CommandContext,
  ) {}
}

/**
 * Merges two files that turn out to be the same customer (ADR 0013): the absorbed file records
 * CustomerFileMerged (its pointer is what every reader follows), then the survivor records
 * CustomerFileAbsorbed under a command id derived from the merge's. A retry of the merge finds the
 * first half by its command id and completes the second; CustomerFileMergeMonitor completes it if no
 * retry comes. Merges run one at a time. The answer is the absorbed file's revision and position.
 */
@CommandHandler(MergeCustomerFilesCommand)
export class MergeCustomerFilesHandler implements ICommandHandler<MergeCustomerFilesCommand, CommandOutcome> {
  constructor(
    private readonly executor: CustomerFileCommandExecutor,
    private readonly repository: CustomerFileRepository,
    private readonly queue: CustomerFileMergeQueue,
    private readonly completion: CustomerFileMergeCompletion,
  ) {}

  execute({ customerId, data, context }: MergeCustomerFilesCommand): Promise<CommandOutcome> {
    return this.queue.run(async () => {
      const merged = await this.executor.execute({
        type: 'MergeCustomerFile', customerId, data: { survivorId: data.survivorId, reason: data.reason, survivor: await this.repository.standing(data.survivorId) },
      }, context);
      const recorded = await this.completion.complete({ absorbedId: customerId, survivorId: data.survivorId, reason: data.reason, commandId: context.commandId, correlationId: context.correlationId }, context.actor);
      // Read models that reached the survivor's half have the whole merge.
      return recorded && recorded.position > merged.position ? { ...merged, position: recorded.position } : merged;
    });
  }
}
