import { Injectable } from '@nestjs/common';
import {
  WEBHOOKS_STREAM, WEBHOOK_EVENT_SCHEMA_VERSIONS, decideWebhook, evolveWebhooks, initialWebhooksState, upcastWebhookEvent,
  type WebhookCommand, type WebhookEvent, type WebhooksState,
} from '@app/domain';
import { AggregateCommandExecutor, Clock, type LoadedStream } from '@app/complaints';
import { EventStore, StreamNotFoundError, type RecordedEvent } from '@app/event-store';

/** Reads the one stream of webhook subscriptions and folds it. */
@Injectable()
export class WebhookRepository {
  constructor(private readonly eventStore: EventStore) {}

  async load(): Promise<LoadedStream<WebhooksState>> {
    let events: RecordedEvent[] = [];
    try {
      events = await this.eventStore.readStream(WEBHOOKS_STREAM);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    const state = events.reduce((folded, recorded) => evolveWebhooks(folded, upcastWebhookEvent(recorded.type, recorded.data, () => recorded.metadata['schemaVersion'])), initialWebhooksState);
    return { state, revision: events.length > 0 ? events[events.length - 1]!.revision : -1, events };
  }
}

/** The webhooks stream in messages ("The webhook registry is at revision 4, not 3"): one stream holds every webhook. */
export const WEBHOOK_REGISTRY = 'webhook registry';

/** Handles one change to the webhook subscriptions: one stream, decided against all of them (as the service network). */
@Injectable()
export class WebhookCommandExecutor extends AggregateCommandExecutor<WebhookCommand, WebhookEvent, WebhooksState> {
  constructor(eventStore: EventStore, repository: WebhookRepository, clock: Clock) {
    super(eventStore, clock, {
      kind: WEBHOOK_REGISTRY,
      streamName: () => WEBHOOKS_STREAM,
      load: () => repository.load(),
      decide: (command, state) => decideWebhook(command, state),
      schemaVersionOf: (type) => WEBHOOK_EVENT_SCHEMA_VERSIONS[type as WebhookEvent['type']],
    }, () => WEBHOOKS_STREAM);
  }
}
