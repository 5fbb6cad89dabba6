import { assertNever } from '../assert-never';
import type { WebhookEvent } from './webhook.events';
import { initialWebhooksState, type Webhook, type WebhookStatus, type WebhooksState } from './webhook.state';

/** Total: an event about a subscription the state lacks (imported history) changes nothing. */
export function evolveWebhooks(state: WebhooksState, event: WebhookEvent): WebhooksState {
  switch (event.type) {
    case 'WebhookRegistered': {
      const { webhookId, url, filter, secretFingerprint, description, registeredAt } = event.data;
      const webhook: Webhook = { id: webhookId, url, filter, secretFingerprint, previousSecret: null, description, status: 'active', registeredAt, changedAt: registeredAt };
      return { webhooks: new Map(state.webhooks).set(webhookId, webhook) };
    }
    case 'WebhookPaused':
      return withStatus(state, event.data.webhookId, 'paused', event.data.pausedAt);
    case 'WebhookResumed':
      return withStatus(state, event.data.webhookId, 'active', event.data.resumedAt);
    case 'WebhookDeleted':
      return withStatus(state, event.data.webhookId, 'deleted', event.data.deletedAt);
    case 'WebhookRedeliveryRequested':
      return state;
    case 'WebhookSecretRotated': {
      const { webhookId, secretFingerprint, previousFingerprint, graceUntil, rotatedAt } = event.data;
      const webhook = state.webhooks.get(webhookId);
      if (!webhook) return state;
      return { webhooks: new Map(state.webhooks).set(webhookId, { ...webhook, secretFingerprint, previousSecret: { fingerprint: previousFingerprint, until: graceUntil }, changedAt: rotatedAt }) };
    }
    default:
      return assertNever(event);
  }
}

function withStatus(state: WebhooksState, id: string, status: WebhookStatus, changedAt: string): WebhooksState {
  const webhook = state.webhooks.get(id);
  return webhook ? { webhooks: new Map(state.webhooks).set(id, { ...webhook, status, changedAt }) } : state;
}

export function foldWebhooks(events: Iterable<WebhookEvent>, state: WebhooksState = initialWebhooksState): WebhooksState {
  let current = state;
  for (const event of events) current = evolveWebhooks(current, event);
  return current;
}
