import { Injectable, Optional } from '@nestjs/common';
import { customerFileStreamName, upcastCustomerFileEvent, type ErasureNamedBy } from '@app/domain';
import { eventsAfter } from '@app/complaints';
import { EventStore, StreamNotFoundError, type RecordedEvent } from '@app/event-store';
import { KeyStore } from '@app/key-store';
import { IdempotencyStore, ReadStore } from '@app/read-store';
import { ErasedAsOfGenerations, ErasedAttachments } from '../../ports';

/** One recorded erasure, as the completion needs it. */
interface RecordedErasure {
  readonly coveredFileIds: readonly string[];
  /** Absent in erasures recorded before they named their keys. */
  readonly keyIds: readonly string[] | undefined;
  readonly erasedAt: string;
  /** The event itself: what the as-of generations apply. */
  readonly recorded: RecordedEvent;
}

/** What a completion did: the keys it destroyed and the stored files it deleted. */
export interface ErasureCompletionReport {
  readonly erasures: number;
  readonly keysDestroyed: number;
  readonly filesDeleted: number;
}

/** What completing the erasures of the log did, and the log position it read up to (the next start's checkpoint). */
export interface ErasureCompletionAllReport extends ErasureCompletionReport {
  readonly position: number;
}

/**
 * Carries out what recorded erasures decided (docs/adr/0019). The event comes first, then the
 * stored files go, then the stored answers, then the as-of generations forget the personal values, then
 * the keys, then the read store forgets what was replaced: a crash in between leaves an erasure whose key still lives, and
 * `completeAll` (run when the API starts, before it serves) finishes it. Only the keys an erasure
 * named are destroyed: a key made after it holds what the customer gave since, and waits for a
 * further erasure. An erasure recorded before erasures named their keys destroyed every key of the
 * files it covered: for it, a live key made before it goes.
 */
@Injectable()
export class ErasureCompletion {
  constructor(
    private readonly events: EventStore,
    private readonly keys: KeyStore,
    @Optional() private readonly attachments?: ErasedAttachments,
    @Optional() private readonly readStore?: ReadStore,
    @Optional() private readonly answers?: IdempotencyStore,
    @Optional() private readonly asOf?: ErasedAsOfGenerations,
  ) {}

  /** Finishes the erasures recorded on one customer file (after an erasure, or its retry). */
  async complete(customerId: string): Promise<ErasureCompletionReport> {
    let stream: RecordedEvent[];
    try {
      stream = await this.events.readStream(customerFileStreamName(customerId));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { erasures: 0, keysDestroyed: 0, filesDeleted: 0 };
      throw error;
    }
    const erasures = stream.flatMap((recorded) => erasureIn(recorded));
    if (erasures.length === 0) return { erasures: 0, keysDestroyed: 0, filesDeleted: 0 };
    await this.closeKeysOf(erasures);
    const filesDeleted = (await this.attachments?.deleteErased()) ?? 0;
    await this.forgetAnswers(erasures);
    await this.forgetInAsOf(erasures);
    const keysDestroyed = await this.destroyKeysOf(erasures);
    await this.forgetAnswers(erasures); // again: see forgetAnswers
    return this.forgotten({ erasures: erasures.length, keysDestroyed, filesDeleted });
  }

  /**
   * Every erasure of the log after `after` whose keys still live: the ones a crash cut short. `after`:
   * the position of an earlier completion (the caller's checkpoint), 0 for the whole log.
   */
  async completeAll(after = 0): Promise<ErasureCompletionAllReport> {
    const unfinished: RecordedErasure[] = [];
    let position = after;
    for await (const recorded of eventsAfter(this.events, after, { eventTypes: ['CustomerFilePersonalDataErased'] })) {
      position = recorded.position;
      for (const erasure of erasureIn(recorded)) if ((await this.keysLeft(erasure)).length > 0) unfinished.push(erasure);
    }
    if (unfinished.length === 0) return { erasures: 0, keysDestroyed: 0, filesDeleted: 0, position };
    // A live key marks an erasure stopped before its files went too (they go before the keys).
    await this.closeKeysOf(unfinished);
    const filesDeleted = (await this.attachments?.deleteErased()) ?? 0;
    await this.forgetAnswers(unfinished);
    await this.forgetInAsOf(unfinished);
    const keysDestroyed = await this.destroyKeysOf(unfinished);
    await this.forgetAnswers(unfinished); // again: see forgetAnswers
    return this.forgotten({ erasures: unfinished.length, keysDestroyed, filesDeleted, position });
  }

  /**
   * As the projections do after a batch holding an erasure: what the read models replaced while the
   * keys still lived (the erasure's own projection, or a read model built before the completion) is
   * made unrecoverable from the read store's files, its write-ahead log included.
   */
  private async forgotten<Report extends ErasureCompletionReport>(report: Report): Promise<Report> {
    await this.readStore?.forgetDeleted();
    return report;
  }

  /**
   * The stored answers to Idempotency-Keys about the covered files, their complaints and their repairs
   * go (an upload's answer names the file as the customer named it). Before the keys, so that a stop
   * in between leaves a live key, and the start finishes this too. A retry under a forgotten key runs
   * its command again and answers from the log, where the personal values read as null.
   * Called again once the keys are gone: a command received while the erasure ran stores its answer just
   * after its events, which may be after the first pass (found by an attacker); the second pass finds
   * its record in the log and forgets its answer too. An answer stored later still (a request held up
   * for longer than the whole completion) is the gap that is left: docs/adr/0019.
   */
  private async forgetAnswers(erasures: readonly RecordedErasure[]): Promise<void> {
    if (this.answers === undefined) return;
    const covered = new Set(erasures.flatMap((erasure) => erasure.coveredFileIds));
    const subjects = [...covered];
    for await (const record of recordsNaming(this.events, covered)) subjects.push(record.id);
    await this.answers.forget(subjects);
  }

  /**
   * The as-of generations forget what the live read models forgot when they applied the erasure: before
   * the keys go, so that a stop in between (one generation done, the next not) leaves a live key, and
   * the start does them all again (it is idempotent).
   */
  private async forgetInAsOf(erasures: readonly RecordedErasure[]): Promise<void> {
    await this.asOf?.forget(erasures.map((erasure) => erasure.recorded));
  }

  /** What a reader past the erasure does anyway (PersonalDataEventStore): from now on its keys open for no one. */
  private async closeKeysOf(erasures: readonly RecordedErasure[]): Promise<void> {
    for (const erasure of erasures) await this.keys.closeKeys((await this.keysLeft(erasure)).map(({ keyId }) => keyId));
  }

  private async destroyKeysOf(erasures: readonly RecordedErasure[]): Promise<number> {
    let destroyed = 0;
    for (const erasure of erasures) {
      for (const { customerId, keyId } of await this.keysLeft(erasure)) destroyed += await this.keys.destroyKeys(customerId, [keyId]);
    }
    return destroyed;
  }

  /** The live keys the erasure should have destroyed: those it named, or (older erasures) those made before it. */
  private async keysLeft(erasure: RecordedErasure): Promise<Array<{ readonly customerId: string; readonly keyId: string }>> {
    const left: Array<{ customerId: string; keyId: string }> = [];
    for (const customerId of erasure.coveredFileIds) {
      const live = await this.keys.liveKey(customerId);
      if (!live) continue;
      const named = erasure.keyIds === undefined ? live.createdAt <= erasure.erasedAt : erasure.keyIds.includes(live.keyId);
      if (named) left.push({ customerId, keyId: live.keyId });
    }
    return left;
  }
}

function erasureIn(recorded: RecordedEvent): RecordedErasure[] {
  if (recorded.type !== 'CustomerFilePersonalDataErased') return [];
  const event = upcastCustomerFileEvent(recorded.type, recorded.data, () => recorded.metadata['schemaVersion']);
  if (event.type !== 'CustomerFilePersonalDataErased') return [];
  return [{ coveredFileIds: event.data.coveredFileIds, keyIds: event.data.keyIds, erasedAt: event.data.erasedAt, recorded }];
}

/**
 * The first record of the log that names a customer id: a complaint's receipt, or a repair's report
 * (a work order does not open a customer file). What an erasure of a customer without a file needs.
 */
export async function firstRecordNaming(events: EventStore, customerId: string): Promise<ErasureNamedBy | null> {
  for await (const record of recordsNaming(events, new Set([customerId]))) return record;
  return null;
}

/** Every complaint's receipt and repair's report of the log that names one of the customer ids, in log order. */
async function* recordsNaming(events: EventStore, customerIds: ReadonlySet<string>): AsyncGenerator<ErasureNamedBy> {
  for await (const recorded of eventsAfter(events, 0, { eventTypes: ['ComplaintReceived', 'WorkOrderReported'] })) {
    const data = recorded.data;
    if (recorded.type === 'ComplaintReceived') {
      const customer = (data['customer'] ?? {}) as { id?: unknown };
      if (typeof customer.id === 'string' && customerIds.has(customer.id) && typeof data['complaintId'] === 'string') yield { kind: 'complaint', id: data['complaintId'] };
    } else if (typeof data['customerId'] === 'string' && customerIds.has(data['customerId']) && typeof data['workOrderId'] === 'string') {
      yield { kind: 'work-order', id: data['workOrderId'] };
    }
  }
}
