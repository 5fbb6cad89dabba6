import type { EventStore, RecordedEvent } from '@app/event-store';
import { principalKey, type Words } from '@app/domain';
import type { Filter, Page } from '@app/read-store';
import type { ReadModelReader } from '../read-model-reader';
import { AUDIT_DECISIONS, decisionOf, streamOfStored, type DecisionDocument, type StoredDecision } from './audit-decisions.projection';

export interface DecisionFilter {
  readonly actor?: string;
  readonly role?: string;
  readonly type?: string;
  /** The decisions about one work order. */
  readonly workOrderId?: string;
  /** Decided at or after / before (ISO instants). */
  readonly from?: string;
  readonly to?: string;
  /** A point-in-time generation's name (`asOf`): the decisions it holds, not the live ones. */
  readonly asOf?: string;
}

/** Where an event could not be read back (a stream deleted from the store after it was projected): said, never guessed. */
const UNREADABLE: Words = { 'zh-CN': '（该事件已无法读取）', en: '(the event can no longer be read)' };

export class AuditDecisionsQuery {
  constructor(private readonly reader: ReadModelReader, private readonly events: EventStore) {}

  /** Newest first. */
  async decisions(filter: DecisionFilter, page: { limit: number; cursor?: string }): Promise<Page<DecisionDocument>> {
    const where: Record<string, Filter[string]> = {};
    if (filter.role !== undefined) where['role'] = filter.role;
    if (filter.type !== undefined) where['type'] = filter.type;
    if (filter.workOrderId !== undefined) where['workOrderId'] = filter.workOrderId;
    if (filter.from !== undefined || filter.to !== undefined) {
      where['occurredAt'] = { ...(filter.from === undefined ? {} : { gte: filter.from }), ...(filter.to === undefined ? {} : { lt: filter.to }) };
    }
    const collection = await this.reader.collection(AUDIT_DECISIONS, 'decisions', filter.asOf);
    if (filter.actor !== undefined) {
      // A generation built before version 11 (still live while v11 is rebuilt beside it) has no actorKey: it is filtered as it was, by the id as recorded.
      const [sample] = (await this.reader.store.find<StoredDecision>(collection, { limit: 1 })).items;
      if (sample === undefined) return { items: [], nextCursor: null };
      if (sample.actorKey !== undefined) where['actorKey'] = principalKey(filter.actor);
      else where['actorId'] = filter.actor;
    }
    const found = await this.reader.store.find<StoredDecision>(collection, { filter: where, sort: [{ field: 'occurredAt', direction: 'desc' }], limit: page.limit, cursor: page.cursor });
    return { items: await Promise.all(found.items.map((stored) => this.withWords(stored))), nextCursor: found.nextCursor };
  }

  /**
   * The decision with its words, worked out from its event as the projection would have (docs/adr/0011, sixth step). A
   * generation built before version 9 still holds its words: they are kept as stored.
   */
  private async withWords(stored: StoredDecision): Promise<DecisionDocument> {
    const { actorKey: _actorKey, ...kept } = stored;
    const answered = { ...kept, stream: streamOfStored(stored) };
    if (stored['decision'] !== undefined) return answered as DecisionDocument;
    let recorded: RecordedEvent | undefined;
    try {
      [recorded] = await this.events.readStream(answered.stream, { fromRevision: stored.revision, maxCount: 1 });
    } catch {
      recorded = undefined;
    }
    const words = recorded !== undefined && recorded.position === stored.position ? decisionOf(recorded)?.words : undefined;
    const { id, position, complaintId, revision, type, actorId, role, reason, occurredAt, workOrderId, stream, ...rest } = answered;
    // The answer keeps the order of its fields as before version 9: the words after occurredAt.
    return { id, position, complaintId, revision, type, actorId, role, reason, occurredAt, decision: words ?? UNREADABLE, workOrderId, stream, ...rest };
  }
}
