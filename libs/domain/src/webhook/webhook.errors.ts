import { DomainError } from '../domain-error';
import { asciiShown } from '../visible-text';
import type { WebhookCommandType } from './webhook.commands';

/** The closed set of refusals of the webhooks' decider. */
export abstract class WebhookDomainError extends DomainError {}

export class WebhookNotFoundError extends WebhookDomainError {
  readonly code = 'webhook-not-found';
  readonly kind = 'not-found' as const;
  constructor(readonly webhookId: string) {
    // Escaped: the id may be a path's segment as typed (a zero-width space in it is not seen otherwise).
    super(`No webhook with id ${asciiShown(webhookId)}.`);
  }
}

export const WEBHOOK_CONFLICT_CODES = ['webhook-already-registered', 'webhook-deleted', 'webhook-already-paused', 'webhook-not-paused'] as const;
export type WebhookConflict = (typeof WEBHOOK_CONFLICT_CODES)[number];

/** The change does not fit the subscription as it stands (nothing is written). */
export class WebhookConflictError extends WebhookDomainError {
  readonly kind = 'conflict' as const;
  constructor(readonly code: WebhookConflict, readonly command: WebhookCommandType, message: string) {
    super(message);
  }
}

export const INVALID_WEBHOOK_COMMAND_CODES = ['reason-required', 'invalid-webhook-url', 'invalid-event-type', 'invalid-fingerprint', 'webhook-secret-unchanged', 'invalid-grace-period'] as const;
export type InvalidWebhookCommand = (typeof INVALID_WEBHOOK_COMMAND_CODES)[number];

export class InvalidWebhookCommandError extends WebhookDomainError {
  readonly kind = 'invalid' as const;
  constructor(readonly code: InvalidWebhookCommand, readonly field: string, message: string) {
    super(message);
  }
}
