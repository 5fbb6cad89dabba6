import { assertNever } from '../assert-never';
import { MEANINGFUL_TEXT_RULE, isMeaningfulText } from '../visible-text';
import { MAX_SECRET_GRACE_HOURS, type RegisterWebhook, type WebhookCommand } from './webhook.commands';
import { InvalidWebhookCommandError, WebhookConflictError, WebhookNotFoundError } from './webhook.errors';
import type { WebhookEvent } from './webhook.events';
import type { Webhook, WebhooksState } from './webhook.state';
import { webhookUrlProblem } from './webhook.url';

const EVENT_TYPE = /^[A-Z][A-Za-z0-9]{1,99}$/;
const FINGERPRINT = /^[0-9a-f]{64}$/;

/**
 * decide(command, subscriptions) → events. A deleted subscription stays in the state (its deliveries
 * are still listed) and refuses every change; pausing twice, or resuming one that runs, is a conflict.
 */
export function decideWebhook(command: WebhookCommand, state: WebhooksState): WebhookEvent[] {
  const { webhookId, reason } = command.data;
  const base = { webhookId, by: command.actor, reason };
  switch (command.type) {
    case 'RegisterWebhook': {
      if (state.webhooks.has(webhookId)) throw new WebhookConflictError('webhook-already-registered', command.type, `Webhook ${webhookId} is already registered.`);
      refuseInvalidRegistration(command.data);
      const { url, filter, secretFingerprint, description } = command.data;
      const eventTypes = [...new Set(filter.eventTypes)];
      const streamTypes = [...new Set(filter.streamTypes)];
      return [{ type: 'WebhookRegistered', data: { ...base, url, filter: { ...filter, eventTypes, streamTypes }, secretFingerprint, description, registeredAt: command.at } }];
    }
    case 'PauseWebhook': {
      const webhook = changeable(state, webhookId, command.type);
      requireReason(reason);
      if (webhook.status === 'paused') throw new WebhookConflictError('webhook-already-paused', command.type, `Webhook ${webhookId} is paused already.`);
      return [{ type: 'WebhookPaused', data: { ...base, pausedAt: command.at } }];
    }
    case 'ResumeWebhook': {
      const webhook = changeable(state, webhookId, command.type);
      requireReason(reason);
      if (webhook.status !== 'paused') throw new WebhookConflictError('webhook-not-paused', command.type, `Webhook ${webhookId} is not paused.`);
      return [{ type: 'WebhookResumed', data: { ...base, resumedAt: command.at } }];
    }
    case 'DeleteWebhook': {
      changeable(state, webhookId, command.type);
      requireReason(reason);
      return [{ type: 'WebhookDeleted', data: { ...base, deletedAt: command.at } }];
    }
    case 'RequestWebhookRedelivery': {
      changeable(state, webhookId, command.type);
      requireReason(reason);
      return [{ type: 'WebhookRedeliveryRequested', data: { ...base, deliveryId: command.data.deliveryId, requestedAt: command.at } }];
    }
    case 'RotateWebhookSecret': {
      const webhook = changeable(state, webhookId, command.type);
      requireReason(reason);
      const { secretFingerprint, graceHours } = command.data;
      if (!FINGERPRINT.test(secretFingerprint)) throw new InvalidWebhookCommandError('invalid-fingerprint', 'secretFingerprint', 'The secret\'s fingerprint must be its SHA-256 in lower-case hex.');
      if (secretFingerprint === webhook.secretFingerprint) throw new InvalidWebhookCommandError('webhook-secret-unchanged', 'secret', 'The new secret is the one the webhook has: choose another (at least 32 random characters).');
      if (!Number.isInteger(graceHours) || graceHours < 0 || graceHours > MAX_SECRET_GRACE_HOURS) {
        throw new InvalidWebhookCommandError('invalid-grace-period', 'graceHours', `graceHours must be a whole number of hours from 0 to ${MAX_SECRET_GRACE_HOURS}.`);
      }
      const graceUntil = new Date(Date.parse(command.at) + graceHours * 3_600_000).toISOString();
      return [{ type: 'WebhookSecretRotated', data: { ...base, secretFingerprint, previousFingerprint: webhook.secretFingerprint, rotatedAt: command.at, graceUntil } }];
    }
    default:
      return assertNever(command);
  }
}

function changeable(state: WebhooksState, webhookId: string, command: WebhookCommand['type']): Webhook {
  const webhook = state.webhooks.get(webhookId);
  if (!webhook) throw new WebhookNotFoundError(webhookId);
  if (webhook.status === 'deleted') throw new WebhookConflictError('webhook-deleted', command, `Webhook ${webhookId} was deleted; register a new one.`);
  return webhook;
}

/**
 * The rules of a registration that need no subscription: its reason, URL, event types and fingerprint.
 * The edge asks them before it stores the secret, so that a refused registration leaves none behind.
 */
export function refuseInvalidRegistration(data: RegisterWebhook['data']): void {
  requireReason(data.reason);
  const problem = webhookUrlProblem(data.url);
  if (problem) throw new InvalidWebhookCommandError('invalid-webhook-url', 'url', problem);
  for (const type of data.filter.eventTypes) {
    if (!EVENT_TYPE.test(type)) throw new InvalidWebhookCommandError('invalid-event-type', 'eventTypes', `eventTypes: ${JSON.stringify(type)} is not an event type (such as ComplaintReceived).`);
  }
  if (!FINGERPRINT.test(data.secretFingerprint)) throw new InvalidWebhookCommandError('invalid-fingerprint', 'secretFingerprint', 'The secret\'s fingerprint must be its SHA-256 in lower-case hex.');
}

function requireReason(reason: string): void {
  if (!isMeaningfulText(reason)) throw new InvalidWebhookCommandError('reason-required', 'reason', `A reason is required: it goes into the audit trail. reason ${MEANINGFUL_TEXT_RULE}.`);
}
