import { Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CustomerFileState, EraseCustomerPersonalData } from '@app/domain';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { KeyStore } from '@app/key-store';
import { CustomerFileCommandExecutor } from '../../customer-file-command.executor';
import { CustomerFileRepository } from '../../customer-file-repository';
import { CustomerFileMergeQueue } from '../../merge-queue';
import { ErasedAttachments } from '../../ports';
import { ErasureCompletion, firstRecordNaming } from './erasure-completion';

/** What the caller asks; what there is to erase is looked up here. */
export type EraseCustomerPersonalDataRequest = Pick<EraseCustomerPersonalData['data'], 'ground' | 'reason' | 'requestReference'>;

export class EraseCustomerPersonalDataCommand {
  constructor(
    readonly customerId: string,
    readonly data: EraseCustomerPersonalDataRequest,
    readonly context: CommandContext,
  ) {}
}

/**
 * Records the erasure (which fields, which files: this one and those merged into it at any depth, which data keys),
 * then deletes the stored files only erased customers' complaints name and destroys the keys it
 * named: the personal values of their events (files, complaints, repairs) can no longer be read by
 * anyone, while the events and their hash chains stay (docs/adr/0019). Erasure is repeatable: what
 * a customer gave after an erasure (under a new key, or a new attachment) is erased by the next one;
 * with nothing recorded since it is refused as `customer-file-erased` and destroys nothing. A
 * customer that complaints or repairs name but that has no file (an intake cut short) is erased too.
 * A crash after the event leaves the rest to ErasureCompletion (the retry, or the next start). It
 * runs in the merge queue, so a merge cannot decide on a survivor that is being erased.
 */
@CommandHandler(EraseCustomerPersonalDataCommand)
export class EraseCustomerPersonalDataHandler implements ICommandHandler<EraseCustomerPersonalDataCommand, CommandOutcome> {
  constructor(
    private readonly executor: CustomerFileCommandExecutor,
    private readonly queue: CustomerFileMergeQueue,
    private readonly repository: CustomerFileRepository,
    private readonly events: EventStore,
    private readonly keys: KeyStore,
    private readonly completion: ErasureCompletion,
    @Optional() private readonly attachments?: ErasedAttachments,
  ) {}

  execute({ customerId, data, context }: EraseCustomerPersonalDataCommand): Promise<CommandOutcome> {
    return this.queue.run(async () => {
      const { state } = await this.repository.load(customerId);
      // Merged into a file merged into this one, at any depth: the same person (an erasure before this followed only one step).
      const mergedFileIds = await this.repository.filesMergedInto(coveredBesides(state, customerId));
      const covered = [...new Set([customerId, ...(state.status === 'erased' ? state.coveredFileIds : []), ...mergedFileIds])];
      const live = await Promise.all(covered.map((id) => this.keys.liveKey(id)));
      const keyIds = live.flatMap((key) => (key ? [key.keyId] : []));
      // Only a repeated erasure asks whether files are left: a first one is recorded whatever it finds.
      const storedFiles = state.status === 'erased' ? ((await this.attachments?.storedOf(covered))?.length ?? 0) : 0;
      const namedBy = state.status === 'none' ? await firstRecordNaming(this.events, customerId) : null;
      const outcome = await this.executor.execute({ type: 'EraseCustomerPersonalData', customerId, data: { ...data, keyIds, storedFiles, namedBy, mergedFileIds } }, context);
      // Also on a retry of a recorded erasure (same Idempotency-Key): what a crash left undone is done now.
      await this.completion.complete(customerId);
      return outcome;
    });
  }
}

/** The files an erasure of this id covers besides it, named by its state: those it absorbed (or, erased, those it covered). */
function coveredBesides(state: CustomerFileState, customerId: string): readonly string[] {
  switch (state.status) {
    case 'active':
      return state.absorbed;
    case 'erased':
      return state.coveredFileIds.filter((id) => id !== customerId);
    default:
      return [];
  }
}
