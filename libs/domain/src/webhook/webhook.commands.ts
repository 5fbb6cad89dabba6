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

/**
 * A new secret (its fingerprint; the secret goes to the read store like at registration). The old one
 * keeps signing beside it for `graceHours` (a second v1 in the signature header), so receivers can
 * switch without losing a delivery.
 */
export type RotateWebhookSecret = CommandBase<'RotateWebhookSecret', {
  readonly secretFingerprint: string;
  /** 0 to 168 (a week); 0: the old secret stops at once. */
  readonly graceHours: number;
}>;

/** The longest grace period of an old secret after a rotation: a week. */
export const MAX_SECRET_GRACE_HOURS = 168;

export type WebhookCommand = RegisterWebhook | PauseWebhook | ResumeWebhook | DeleteWebhook | RequestWebhookRedelivery | RotateWebhookSecret;
export type WebhookCommandType = WebhookCommand['type'];
