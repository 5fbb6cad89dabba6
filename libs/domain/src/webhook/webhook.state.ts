import type { WebhookFilter } from './webhook.commands';

export type WebhookStatus = 'active' | 'paused' | 'deleted';

export interface Webhook {
  readonly id: string;
  readonly url: string;
  readonly filter: WebhookFilter;
  readonly secretFingerprint: string;
  /** The secret replaced by the last rotation, which still signs beside the new one until `until`. */
  readonly previousSecret: { readonly fingerprint: string; readonly until: string } | null;
  readonly description: string | null;
  readonly status: WebhookStatus;
  readonly registeredAt: string;
  readonly changedAt: string;
}

/** Every subscription as its history says (a Map: ids come from outside, and must not find Object.prototype). */
export interface WebhooksState {
  readonly webhooks: ReadonlyMap<string, Webhook>;
}

export const initialWebhooksState: WebhooksState = { webhooks: new Map() };
