import { Injectable } from '@nestjs/common';
import { NothingToChangeError, type Actor } from '@app/domain';
import { PeriodicCheck, deterministicUuid } from '@app/event-sourcing';
import { ConcurrentModificationError, type Clock, type CommandOutcome } from '@app/complaints';
import { CustomerFileCommandExecutor } from '../../customer-file-command.executor';

/** A merge whose absorbed file has recorded it (CustomerFileMerged) and whose survivor may not have yet. */
export interface PendingMerge {
  readonly absorbedId: string;
  readonly survivorId: string;
  readonly reason: string;
  /** The command that merged: the survivor's half derives its command id from it, so it is recorded once whoever completes it. */
  readonly commandId: string;
  readonly correlationId: string;
  readonly mergedAt: string;
}

/** Where the process finds merges still waiting for their second half (the customer-files read model). */
export interface PendingMerges {
  pending(before: Date, limit: number): Promise<readonly PendingMerge[]>;
}

export const MERGE_COMPLETION: Actor = { id: 'system:customer-file-merges', role: 'system' };

/** The survivor's half of a merge (CustomerFileAbsorbed), recorded once: a second try finds its command id in the stream. */
@Injectable()
export class CustomerFileMergeCompletion {
  constructor(private readonly executor: CustomerFileCommandExecutor) {}

  async complete(merge: Omit<PendingMerge, 'mergedAt'>, actor: Actor): Promise<CommandOutcome | null> {
    const commandId = deterministicUuid(merge.commandId, 'absorbed');
    try {
      return await this.executor.execute(
        { type: 'RecordAbsorbedCustomerFile', customerId: merge.survivorId, data: { absorbedId: merge.absorbedId, reason: merge.reason } },
        { commandId, correlationId: merge.correlationId, causationId: merge.commandId, actor },
      );
    } catch (error) {
      // The survivor already stands for the absorbed file (recorded under another command): the merge is whole.
      if (error instanceof NothingToChangeError) return null;
      throw error;
    }
  }
}

/**
 * The process manager of ADR 0013: a merge appends the absorbed file's half first; if the process
 * stops before the survivor's half, this finds the merge in the read model and records that half.
 * Runs beside the projections, as the SLA monitor does; it leaves a merge alone for a grace period,
 * in which the merge's own request normally completes it.
 */
export class CustomerFileMergeMonitor extends PeriodicCheck {
  constructor(
    private readonly merges: PendingMerges,
    private readonly completion: CustomerFileMergeCompletion,
    private readonly clock: Clock,
    private readonly options: { intervalMs: number; graceMs?: number; batchSize?: number; onError?: (error: unknown) => void },
  ) {
    super(options);
  }

  /** One pass: completes every merge pending for longer than the grace period; returns how many it completed. */
  async check(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - (this.options.graceMs ?? 30_000));
    let completed = 0;
    for (const merge of await this.merges.pending(before, this.options.batchSize ?? 100)) {
      try {
        if (await this.completion.complete(merge, MERGE_COMPLETION)) completed += 1;
      } catch (error) {
        // Refused (the survivor was erased meanwhile) or contended: reported, and tried again on the next pass.
        if (!(error instanceof ConcurrentModificationError)) this.options.onError?.(error);
      }
    }
    return completed;
  }
}
