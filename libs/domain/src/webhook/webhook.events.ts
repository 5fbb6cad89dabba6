import type { Actor } from '../principal';
import type { WebhookFilter } from './webhook.commands';

/** The one stream of webhook subscriptions (admins' audited changes; never sent by the feed or a webhook). */
export const WEBHOOKS_STREAM = 'webhooks';

export interface WebhookRegistered {
  readonly type: 'WebhookRegistered';
  readonly data: {
    readonly webhookId: string;
    readonly url: string;
    readonly filter: WebhookFilter;
    readonly secretFingerprint: string;
    readonly description: string | null;
    readonly registeredAt: string;
    readonly by: Actor;
    readonly reason: string;
  };
}

interface Change<Type extends string, At extends string> {
  readonly type: Type;
  readonly data: { readonly webhookId: string; readonly by: Actor; readonly reason: string } & { readonly [K in At]: string };
}

export type WebhookPaused = Change<'WebhookPaused', 'pausedAt'>;
export type WebhookResumed = Change<'WebhookResumed', 'resumedAt'>;
export type WebhookDeleted = Change<'WebhookDeleted', 'deletedAt'>;

export interface WebhookRedeliveryRequested {
  readonly type: 'WebhookRedeliveryRequested';
  readonly data: { readonly webhookId: string; readonly deliveryId: string; readonly requestedAt: string; readonly by: Actor; readonly reason: string };
}

/** The secret was replaced: `secretFingerprint` signs from now on, `previousFingerprint` beside it until `graceUntil`. */
export interface WebhookSecretRotated {
  readonly type: 'WebhookSecretRotated';
  readonly data: {
    readonly webhookId: string;
    readonly secretFingerprint: string;
    readonly previousFingerprint: string;
    readonly rotatedAt: string;
    /** Until then every delivery carries a second signature with the old secret (equal to rotatedAt: none). */
    readonly graceUntil: string;
    readonly by: Actor;
    readonly reason: string;
  };
}

export type WebhookEvent = WebhookRegistered | WebhookPaused | WebhookResumed | WebhookDeleted | WebhookRedeliveryRequested | WebhookSecretRotated;
export type WebhookEventType = WebhookEvent['type'];

export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = ['WebhookRegistered', 'WebhookPaused', 'WebhookResumed', 'WebhookDeleted', 'WebhookRedeliveryRequested', 'WebhookSecretRotated'];
