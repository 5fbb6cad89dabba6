import { Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EraseCustomerPersonalData } from '@app/domain';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { KeyStore } from '@app/key-store';
import { CustomerFileCommandExecutor } from '../../customer-file-command.executor';
import { CustomerFileRepository } from '../../customer-file-repository';
import { CustomerFileMergeQueue } from '../../merge-queue';
import { ErasedAttachments } from '../../ports';

export class EraseCustomerPersonalDataCommand {
  constructor(
    readonly customerId: string,
    readonly data: EraseCustomerPersonalData['data'],
    readonly context: CommandContext,
  ) {}
}

/**
 * Records the erasure (which fields, which files: this one and those it absorbed), then destroys
 * the data keys of every file it covers: the personal values of their events (files, complaints)
 * can no longer be read by anyone, while the events and their hash chains stay (docs/adr/0019).
 * The key goes after the event: a crash between the two leaves an erasure recorded and the key
 * alive, and a retry of the command (same Idempotency-Key) destroys it, as does a second erasure
 * request, which is refused as `customer-file-erased` only after destroying again. It runs in the
 * merge queue, so a merge cannot decide on a survivor that is being erased.
 */
@CommandHandler(EraseCustomerPersonalDataCommand)
export class EraseCustomerPersonalDataHandler implements ICommandHandler<EraseCustomerPersonalDataCommand, CommandOutcome> {
  constructor(
    private readonly executor: CustomerFileCommandExecutor,
    private readonly queue: CustomerFileMergeQueue,
    private readonly repository: CustomerFileRepository,
    private readonly keys: KeyStore,
    @Optional() private readonly attachments?: ErasedAttachments,
  ) {}

  execute({ customerId, data, context }: EraseCustomerPersonalDataCommand): Promise<CommandOutcome> {
    return this.queue.run(async () => {
      try {
        return await this.executor.execute({ type: 'EraseCustomerPersonalData', customerId, data }, context);
      } finally {
        await this.destroyKeysIfErased(customerId);
      }
    });
  }

  private async destroyKeysIfErased(customerId: string): Promise<void> {
    const { state } = await this.repository.load(customerId);
    if (state.status !== 'erased') return;
    for (const covered of state.coveredFileIds) {
      await this.keys.destroy(covered);
      await this.attachments?.deleteOf(covered);
    }
  }
}
