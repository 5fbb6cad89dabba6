import { COMPLAINT_EVENT_SCHEMA_VERSIONS, type Actor, type ComplaintEvent } from '@app/domain';
import { chainHash, deterministicUuid } from '@app/event-sourcing';
import type { EventToAppend } from '@app/event-store';

/** Who decided, and in answer to what: the part of the metadata that every event of one command shares. */
export interface DecisionContext {
  readonly commandId: string;
  readonly commandType: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: Actor;
  readonly reason?: string;
  /** When the decision was taken (the command's time). */
  readonly occurredAt: string;
  /** Digest of the request the command id stands for (CommandContext.request), when a request asked it. */
  readonly requestDigest?: string;
}

/** Metadata of every stored complaint event (docs/adr/0002). */
export interface ComplaintEventMetadata extends DecisionContext {
  readonly eventId: string;
  /** Version of the event type's data schema (COMPLAINT_EVENT_SCHEMA_VERSIONS); older ones are upcast on read. */
  readonly schemaVersion: number;
  /** Link of the stream's hash chain (docs/adr/0006). */
  readonly hash: string;
}

/** The reason a command's data gives, if any: it goes into the metadata of every event it causes. */
export function reasonOf(data: object): string | undefined {
  return 'reason' in data && typeof data.reason === 'string' ? data.reason : undefined;
}

/**
 * The events one decision produced (on a complaint, or on access control), ready to append: ids derived from the command id and
 * the request's digest (a retry of the same request appends the same ids, so the store finds it already stored), the audited metadata, and each
 * event linked into the stream's hash chain after `previousHash`.
 */
export function chainedEvents<E extends { readonly type: string; readonly data: object }>(
  events: readonly E[],
  context: DecisionContext,
  previousHash: string,
  /** Version of each event type's data schema; complaint events by default. */
  schemaVersionOf: (type: string) => number = (type) => COMPLAINT_EVENT_SCHEMA_VERSIONS[type as ComplaintEvent['type']],
): { events: EventToAppend[]; headHash: string } {
  let hash = previousHash;
  const toAppend = events.map((event, index): EventToAppend => {
    // The request's digest is part of the ids: two different requests under one Idempotency-Key that reach
    // two processes at once make different ids, so the store refuses the later append as a conflict (and
    // the executor then finds the other request's record: 422) instead of taking it for a retry of the first.
    const eventId = deterministicUuid(context.commandId, context.requestDigest === undefined ? String(index) : `${index}\n${context.requestDigest}`);
    const audited = {
      eventId,
      commandId: context.commandId,
      commandType: context.commandType,
      correlationId: context.correlationId,
      causationId: context.causationId,
      actor: context.actor,
      ...(context.reason === undefined ? {} : { reason: context.reason }),
      occurredAt: context.occurredAt,
      ...(context.requestDigest === undefined ? {} : { requestDigest: context.requestDigest }),
      schemaVersion: schemaVersionOf(event.type),
    };
    const data = event.data as unknown as Record<string, unknown>;
    hash = chainHash(hash, { type: event.type, data, metadata: audited });
    const metadata: ComplaintEventMetadata = { ...audited, hash };
    return { eventId, type: event.type, data, metadata: metadata as unknown as Record<string, unknown> };
  });
  return { events: toAppend, headHash: hash };
}
