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
 * The key goes after the event. A second erasure request is refused as `customer-file-erased` and
 * destroys nothing: a customer who came back after the erasure has new records under a new key, and
 * a refused request must not take them. A crash between the event and the destruction leaves the key
 * alive until the same request is retried (same Idempotency-Key: the recorded outcome comes back and
 * the keys go). It runs in the merge queue, so a merge cannot
 * decide on a survivor that is being erased.
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
      // Only the request that records the erasure destroys the keys. A refused one changes nothing: the
      // customer may have come back since, and what was recorded then is under a new key (docs/adr/0019).
      const outcome = await this.executor.execute({ type: 'EraseCustomerPersonalData', customerId, data }, context);
      await this.destroyKeysIfErased(customerId);
      return outcome;
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
