import type { Actor } from '../principal';

/** Webhook subscriptions are one stream, changed by admins only; every change names its reason. */
interface CommandBase<Type extends string, Data> {
  readonly type: Type;
  readonly at: string;
  readonly actor: Actor;
  readonly data: Data & { readonly webhookId: string; readonly reason: string };
}

/** What a subscription sends: each list narrows; an empty or absent list does not. */
export interface WebhookFilter {
  readonly eventTypes: readonly string[];
  readonly streamTypes: readonly string[];
  readonly complaintId: string | null;
  readonly customerId: string | null;
}

export type RegisterWebhook = CommandBase<'RegisterWebhook', {
  /** http(s) URL without credentials; where it may point is checked at the edge (it needs DNS). */
  readonly url: string;
  readonly filter: WebhookFilter;
  /** SHA-256 of the secret, never the secret: the secret is kept apart from the log (docs/adr/0018). */
  readonly secretFingerprint: string;
  readonly description: string | null;
}>;
export type PauseWebhook = CommandBase<'PauseWebhook', object>;
export type ResumeWebhook = CommandBase<'ResumeWebhook', object>;
export type DeleteWebhook = CommandBase<'DeleteWebhook', object>;
export type RequestWebhookRedelivery = CommandBase<'RequestWebhookRedelivery', {
  /** A delivery of this webhook (the edge checks it exists and is not waiting already). */
  readonly deliveryId: string;
}>;

export type WebhookCommand = RegisterWebhook | PauseWebhook | ResumeWebhook | DeleteWebhook | RequestWebhookRedelivery;
export type WebhookCommandType = WebhookCommand['type'];
