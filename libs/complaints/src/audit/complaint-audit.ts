import { Injectable } from '@nestjs/common';
import {
  ComplaintNotFoundError, complaintStreamName, decisionWords, notificationStreamName, notificationWords, upcastComplaintEvent, upcastWorkOrderEvent, workOrderDecisionWordsForComplaint, workOrderStreamName,
  type NotificationEvent, type Words,
} from '@app/domain';
import { trailFacts, verifyChain, type ChainVerdict } from '@app/event-sourcing';
import { EventStore, readStreamOrEmpty, StreamNotFoundError, type RecordedEvent } from '@app/event-store';

/** The chains are verified on what is stored now, not on a copy the store kept (docs/adr/0003). */
const FROM_STORAGE = { fromStorage: true } as const;

export interface TrailEntry {
  /** The complaint's stream, its notification stream (docs/adr/0017), or a work order's that was linked to it. */
  readonly stream: string;
  readonly revision: number;
  readonly position: number;
  readonly type: string;
  readonly decision: Words;
  readonly actor: unknown;
  readonly reason: string | null;
  readonly occurredAt: unknown;
  readonly recordedAt: string;
  readonly policyVersion: string | null;
  readonly commandId: unknown;
  readonly correlationId: unknown;
  readonly causationId: unknown;
  /** The event of this stream the causation id names, when it names one. */
  readonly causedBy: { readonly revision: number; readonly type: string } | null;
  readonly hash: unknown;
  readonly data: Record<string, unknown>;
}

/** What an auditor reads: every decision on a complaint, and whether its history is intact. */
@Injectable()
export class ComplaintAudit {
  constructor(private readonly eventStore: EventStore) {}

  /**
   * The complaint's decisions and what it told people about them (its notification stream), in log
   * order, each stream with the verdict on its own chain; with the work orders the caller names as
   * linked to it (the work-order list knows them), the events of theirs that made the link.
   */
  async trail(complaintId: string, linkedWorkOrderIds: readonly string[] = []): Promise<{ complaintId: string; verification: ChainVerdict; notificationsVerification: ChainVerdict | null; entries: TrailEntry[] }> {
    const stream = complaintStreamName(complaintId);
    const events = await this.read(stream, () => new ComplaintNotFoundError(complaintId));
    const notificationStream = notificationStreamName(complaintId);
    const notifications = await readStreamOrEmpty(this.eventStore, notificationStream, FROM_STORAGE);
    // A repair linked to this complaint (issue 18): the link is a decision on the order's stream, shown here too.
    const links = await this.workOrderLinks(complaintId, linkedWorkOrderIds);
    const received = events.find((event) => event.type === 'ComplaintReceived');
    const policyVersion = (received?.data['sla'] as { policyVersion?: string } | undefined)?.policyVersion ?? null;
    const byId = new Map([...events, ...notifications].map((event) => [event.eventId, event]));
    const entryOf = (event: RecordedEvent, decision: Words): TrailEntry => {
      const causationId = event.metadata['causationId'];
      const cause = typeof causationId === 'string' ? byId.get(causationId) : undefined;
      return { ...trailFacts(event), decision, policyVersion, causedBy: cause ? { revision: cause.revision, type: cause.type } : null, data: event.data };
    };
    const entries = [
      ...events.map((event) => entryOf(event, decisionWords(upcastComplaintEvent(event.type, event.data, () => event.metadata['schemaVersion'])))),
      ...notifications.map((event) => entryOf(event, notificationWords(event as unknown as NotificationEvent))),
      ...links.map((event) => entryOf(event, workOrderDecisionWordsForComplaint(upcastWorkOrderEvent(event.type, event.data, () => event.metadata['schemaVersion'])))),
    ].sort((a, b) => a.position - b.position);
    return {
      complaintId, verification: verifyChain(stream, events),
      notificationsVerification: notifications.length > 0 ? verifyChain(notificationStream, notifications) : null, entries,
    };
  }

  /** The events of these work orders that link them to this complaint: the report made for it, or a later link. */
  private async workOrderLinks(complaintId: string, workOrderIds: readonly string[]): Promise<RecordedEvent[]> {
    const found: RecordedEvent[] = [];
    for (const workOrderId of workOrderIds) {
      const events = await readStreamOrEmpty(this.eventStore, workOrderStreamName(workOrderId), FROM_STORAGE);
      for (const event of events) {
        const linked = event.type === 'WorkOrderReported' ? event.data['linkedComplaintId'] : event.type === 'WorkOrderLinkedToComplaint' ? event.data['complaintId'] : undefined;
        if (linked === complaintId) found.push(event);
      }
    }
    return found;
  }

  /** Checks one stream's hash chain; throws StreamNotFoundError for a stream that does not exist. */
  async verify(stream: string): Promise<ChainVerdict> {
    return verifyChain(stream, await this.read(stream, () => new StreamNotFoundError(stream)));
  }

  private async read(stream: string, notFound: () => Error): Promise<RecordedEvent[]> {
    try {
      return await this.eventStore.readStream(stream, FROM_STORAGE);
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw notFound();
      throw error;
    }
  }
}
