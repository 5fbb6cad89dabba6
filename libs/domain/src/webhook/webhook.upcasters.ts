import { upcastEventData } from '../event-versions';
import type { WebhookEvent, WebhookEventType } from './webhook.events';

/** Schema version of each event type as written today (see complaint.upcasters.ts for the rule). */
export const WEBHOOK_EVENT_SCHEMA_VERSIONS: Readonly<Record<WebhookEventType, number>> = {
  WebhookRegistered: 1,
  WebhookPaused: 1,
  WebhookResumed: 1,
  WebhookDeleted: 1,
  WebhookRedeliveryRequested: 1,
  WebhookSecretRotated: 1,
};

export function upcastWebhookEvent(type: string, data: Record<string, unknown>, schemaVersion: () => unknown): WebhookEvent {
  return { type, data: upcastEventData({ versions: WEBHOOK_EVENT_SCHEMA_VERSIONS }, type, data, schemaVersion) } as WebhookEvent;
}
