import type { Decider } from '@app/event-sourcing';
import type { WebhookCommand } from './webhook.commands';
import { decideWebhook } from './webhook.decide';
import type { WebhookEvent } from './webhook.events';
import { evolveWebhooks } from './webhook.evolve';
import { initialWebhooksState, type WebhooksState } from './webhook.state';

export const webhookDecider: Decider<WebhookCommand, WebhookEvent, WebhooksState> = {
  decide: decideWebhook,
  evolve: evolveWebhooks,
  initialState: initialWebhooksState,
};
