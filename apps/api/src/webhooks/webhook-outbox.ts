import { WEBHOOKS_STREAM, evolveWebhooks, initialWebhooksState, upcastWebhookEvent, type Webhook, type WebhooksState } from '@app/domain';
import { PeriodicCheck, deterministicUuid } from '@app/event-sourcing';
import { EventStore, StreamNotFoundError, type RecordedEvent } from '@app/event-store';
import { ReadStore, type DocumentChange } from '@app/read-store';
import { FeedSelection, FEED_STREAM_TYPES, type FeedLookups, type FeedStreamType } from '../feed/feed-selection';
import { DELIVERIES, OUTBOX_CHECKPOINT, type DeliveryDocument } from './webhook-store';

/** Namespace of delivery ids: one per (webhook, event), the same however often the outbox sees the event. */
const DELIVERY_NAMESPACE = '3f0b7c2e-5a41-4d8e-9b6c-2e7f1a9d0c54';
const BATCH = 500;

export const deliveryIdOf = (webhookId: string, eventId: string): string => deterministicUuid(DELIVERY_NAMESPACE, `${webhookId}\u0000${eventId}`);
export const redeliveryIdOf = (requestEventId: string): string => deterministicUuid(DELIVERY_NAMESPACE, `redelivery\u0000${requestEventId}`);

/** The webhook reads the log as an admin of every department does, through the feed's rules (docs/adr/0014). */
export function selectionOf(webhook: Webhook, lookups: FeedLookups): FeedSelection {
  const { eventTypes, streamTypes, complaintId, customerId } = webhook.filter;
  const known = streamTypes.filter((type): type is FeedStreamType => (FEED_STREAM_TYPES as readonly string[]).includes(type));
  return new FeedSelection({
    ...(eventTypes.length > 0 ? { eventTypes } : {}),
    ...(known.length > 0 ? { streamTypes: known } : {}),
    ...(complaintId !== null ? { complaintId } : {}),
    ...(customerId !== null ? { customerId } : {}),
  }, { actor: { id: `webhook:${webhook.id}`, role: 'admin' }, scope: 'all' }, lookups);
}

export interface OutboxOptions {
  readonly pollMs: number;
  readonly now: () => Date;
  readonly onError?: (error: unknown) => void;
  /** After each commit that queued deliveries (the sender is woken). */
  readonly onQueued?: () => void;
  /** After each pass that ended well, with the webhooks as of its checkpoint (the dispatcher follows the log while one is active). */
  readonly onPassed?: () => void;
}

/**
 * The outbox: follows the log from its checkpoint and, in the same commit as the checkpoint, records
 * one pending delivery per (webhook, matching event). The webhooks' own stream is folded in log
 * order on the way, so a webhook gets the events after its registration, and a redelivery request
 * queues a copy of its delivery. A crash between two commits repeats nothing (the batch was not
 * committed) and loses nothing (the checkpoint did not move). Not a projection: nothing here is
 * rebuilt, so a new read-model generation never sends anything again.
 */
export class WebhookOutbox extends PeriodicCheck {
  private state: WebhooksState = initialWebhooksState;
  private position = 0;
  private loaded = false;
  private readonly selections = new Map<string, FeedSelection>();

  constructor(private readonly events: EventStore, private readonly store: ReadStore, private readonly lookups: FeedLookups, private readonly options: OutboxOptions) {
    super({ intervalMs: options.pollMs, ...(options.onError ? { onError: options.onError } : {}) });
  }

  /** The webhooks as of the checkpoint: read from their stream, up to it. */
  private async load(): Promise<void> {
    this.position = await this.store.checkpoint(OUTBOX_CHECKPOINT);
    let history: RecordedEvent[] = [];
    try {
      history = await this.events.readStream(WEBHOOKS_STREAM);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    this.state = initialWebhooksState;
    for (const event of history) if (event.position <= this.position) this.apply(event);
    this.loaded = true;
  }

  private apply(event: RecordedEvent): void {
    this.state = evolveWebhooks(this.state, upcastWebhookEvent(event.type, event.data, () => event.metadata['schemaVersion']));
    this.selections.clear();
  }

  /** Whether some webhook is fed (registered and not deleted), as of the last pass: with none, a commit is no reason to look. */
  get feeding(): boolean {
    return [...this.state.webhooks.values()].some((webhook) => webhook.status !== 'deleted');
  }

  /** Whether some webhook is active (registered, neither paused nor deleted), as of the last pass: only then is a commit worth sending at once. */
  get active(): boolean {
    return [...this.state.webhooks.values()].some((webhook) => webhook.status === 'active');
  }

  async check(): Promise<number> {
    const queued = await this.pass();
    this.options.onPassed?.();
    return queued;
  }

  private async pass(): Promise<number> {
    if (!this.loaded) await this.load();
    let queued = 0;
    for (;;) {
      // With no webhook to feed (none, or all deleted), only the webhooks stream matters: its next event
      // is taken alone (it may register one, which then gets every event after it), and otherwise the
      // checkpoint moves to the head as it was before the read. The API's thread does not read the log for nobody.
      const idle = !this.feeding;
      const head = idle ? await this.events.headPosition() : 0;
      const read = await this.events.readAll({ fromPosition: this.position, maxCount: BATCH, ...(idle ? { filter: { streamPrefixes: [WEBHOOKS_STREAM] } } : {}) });
      const fresh = read.filter((event) => event.position > this.position);
      const batch = idle ? fresh.filter((event) => event.position <= head).slice(0, 1) : fresh;
      if (batch.length === 0 && !(idle && head > this.position)) return queued;
      const changes = await this.changesFor(batch);
      const last = batch.length > 0 ? batch[batch.length - 1]!.position : head;
      try {
        await this.store.commit(OUTBOX_CHECKPOINT, changes, last, { expectedPosition: this.position });
      } catch (error) {
        // The state folded webhook events of a batch that was not committed: start again from the checkpoint.
        this.loaded = false;
        throw error;
      }
      this.position = last;
      queued += changes.length;
      if (changes.length > 0) this.options.onQueued?.();
      if (batch.length === 0) return queued;
    }
  }

  private async changesFor(batch: readonly RecordedEvent[]): Promise<DocumentChange[]> {
    const changes: DocumentChange[] = [];
    const queued = new Map<string, DeliveryDocument>();
    const queuedAt = this.options.now().toISOString();
    const queue = (document: DeliveryDocument) => {
      queued.set(document.id, document);
      changes.push({ kind: 'put', collection: DELIVERIES, document });
    };
    for (const event of batch) {
      if (event.stream === WEBHOOKS_STREAM) {
        this.apply(event);
        if (event.type === 'WebhookRedeliveryRequested') {
          const deliveryId = String(event.data['deliveryId']);
          const original = queued.get(deliveryId) ?? await this.store.get<DeliveryDocument>(DELIVERIES, deliveryId);
          if (original && original.webhookId === event.data['webhookId']) {
            queue({
              ...fresh(original, redeliveryIdOf(event.eventId), event.position, queuedAt), redeliveryOf: original.id,
            });
          }
        }
        continue;
      }
      for (const webhook of this.state.webhooks.values()) {
        if (webhook.status === 'deleted') continue;
        const selection = this.selectionFor(webhook);
        if (!selection.selects(event) || !(await selection.sees(event))) continue;
        queue(fresh({ webhookId: webhook.id, eventPosition: event.position, eventId: event.eventId, eventType: event.type, stream: event.stream }, deliveryIdOf(webhook.id, event.eventId), event.position, queuedAt));
      }
    }
    return changes;
  }

  private selectionFor(webhook: Webhook): FeedSelection {
    let selection = this.selections.get(webhook.id);
    if (!selection) {
      selection = selectionOf(webhook, this.lookups);
      this.selections.set(webhook.id, selection);
    }
    return selection;
  }
}

function fresh(
  what: Pick<DeliveryDocument, 'webhookId' | 'eventPosition' | 'eventId' | 'eventType' | 'stream'>, id: string, sequence: number, queuedAt: string,
): DeliveryDocument {
  return {
    id, webhookId: what.webhookId, sequence, eventPosition: what.eventPosition, eventId: what.eventId, eventType: what.eventType, stream: what.stream,
    status: 'pending', attempts: 0, queuedAt, firstAttemptAt: null, lastAttemptAt: null, nextAttemptAt: queuedAt, lastStatusCode: null, lastError: null,
    deliveredAt: null, deadAt: null, redeliveryOf: null, droppedAt: null, dropReason: null,
  };
}
