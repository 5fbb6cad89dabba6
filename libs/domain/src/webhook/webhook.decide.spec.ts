import { deciderSpecification } from '@app/event-sourcing/testing';
import type { Actor } from '../principal';
import { at } from '../testing/complaint.fixtures';
import type { WebhookCommand, WebhookFilter } from './webhook.commands';
import { webhookDecider } from './webhook.decider';
import { InvalidWebhookCommandError, WebhookConflictError, WebhookNotFoundError } from './webhook.errors';
import type { WebhookEvent } from './webhook.events';
import { foldWebhooks } from './webhook.evolve';

const spec = deciderSpecification(webhookDecider);
const admin: Actor = { id: 'admin-zhao', role: 'admin' };
const id = 'wh-crm';
const fingerprint = 'a'.repeat(64);
const filter: WebhookFilter = { eventTypes: ['ComplaintReceived', 'ComplaintResolved'], streamTypes: ['complaint'], complaintId: null, customerId: null };

type CommandOf<T extends WebhookCommand['type']> = Extract<WebhookCommand, { type: T }>;
const command = <T extends WebhookCommand['type']>(type: T, data: Omit<CommandOf<T>['data'], 'webhookId' | 'reason'> & { reason?: string }, minutes = 0): CommandOf<T> =>
  ({ type, at: at(minutes), actor: admin, data: { webhookId: id, reason: 'CRM follows complaints', ...data } }) as CommandOf<T>;

const register = (overrides: Partial<CommandOf<'RegisterWebhook'>['data']> = {}) =>
  command('RegisterWebhook', { url: 'https://crm.example.com/hooks/complaints', filter, secretFingerprint: fingerprint, description: 'CRM', ...overrides });
const registered: WebhookEvent = {
  type: 'WebhookRegistered',
  data: { webhookId: id, url: 'https://crm.example.com/hooks/complaints', filter, secretFingerprint: fingerprint, description: 'CRM', registeredAt: at(0), by: admin, reason: 'CRM follows complaints' },
};
const paused: WebhookEvent = { type: 'WebhookPaused', data: { webhookId: id, pausedAt: at(10), by: admin, reason: 'CRM maintenance' } };
const resumed: WebhookEvent = { type: 'WebhookResumed', data: { webhookId: id, resumedAt: at(20), by: admin, reason: 'CRM back' } };
const deleted: WebhookEvent = { type: 'WebhookDeleted', data: { webhookId: id, deletedAt: at(30), by: admin, reason: 'CRM retired' } };

describe('webhook decider', () => {
  describe('registering', () => {
    it('registers a subscription with its filter and the secret\'s fingerprint', () => {
      spec.given([]).when(register()).then([registered]);
    });

    it('keeps each event type and stream type once', () => {
      spec.given([]).when(register({ filter: { ...filter, eventTypes: ['ComplaintReceived', 'ComplaintReceived'], streamTypes: ['complaint', 'complaint'] } }))
        .thenProduces(([event]) => expect(event?.type === 'WebhookRegistered' && event.data.filter).toMatchObject({ eventTypes: ['ComplaintReceived'], streamTypes: ['complaint'] }));
    });

    it('refuses an id registered before, even once deleted', () => {
      spec.given([registered, deleted]).when(register()).thenThrows(WebhookConflictError, (error) => expect(error.code).toBe('webhook-already-registered'));
    });

    it.each([
      ['not a URL', 'absolute http or https'],
      ['ftp://files.example.com/in', 'http or https'],
      ['https://user:pw@crm.example.com/hook', 'user name or password'],
      ['https://crm.example.com/hook#part', 'fragment'],
      ['https://crm.example.com:0/hook', 'port 0'],
      ['http://203.0.113.7:00/hook', 'port 0'],
    ])('refuses the URL %p, saying why', (url, message) => {
      spec.given([]).when(register({ url })).thenThrows(InvalidWebhookCommandError, (error) => {
        expect(error).toMatchObject({ code: 'invalid-webhook-url', field: 'url' });
        expect(error.message).toContain(message);
      });
    });

    it('refuses something that is not an event type', () => {
      spec.given([]).when(register({ filter: { ...filter, eventTypes: ['complaint received'] } })).thenThrows(InvalidWebhookCommandError, (error) => expect(error.code).toBe('invalid-event-type'));
    });

    it('refuses a fingerprint that is not a SHA-256 (so a secret cannot land in the log by mistake)', () => {
      spec.given([]).when(register({ secretFingerprint: 'my-secret' })).thenThrows(InvalidWebhookCommandError, (error) => expect(error.code).toBe('invalid-fingerprint'));
    });

    it('refuses a blank reason', () => {
      spec.given([]).when({ ...register(), data: { ...register().data, reason: '  ' } }).thenThrows(InvalidWebhookCommandError, (error) => expect(error.code).toBe('reason-required'));
    });

    it('refuses a reason of invisible characters only (as a command without HTTP may bring)', () => {
      spec.given([]).when({ ...register(), data: { ...register().data, reason: '\u200b\u2060\u3164' } })
        .thenThrows(InvalidWebhookCommandError, (error) => expect(error).toMatchObject({ code: 'reason-required', field: 'reason', message: expect.stringContaining('invisible characters') }));
    });
  });

  describe('pausing and resuming', () => {
    it('pauses an active subscription', () => {
      spec.given([registered]).when(command('PauseWebhook', { reason: 'CRM maintenance' }, 10)).then([paused]);
    });

    it('refuses to pause a paused one', () => {
      spec.given([registered, paused]).when(command('PauseWebhook', {}, 11)).thenThrows(WebhookConflictError, (error) => expect(error.code).toBe('webhook-already-paused'));
    });

    it('resumes a paused one', () => {
      spec.given([registered, paused]).when(command('ResumeWebhook', { reason: 'CRM back' }, 20)).then([resumed]);
    });

    it('refuses to resume one that runs', () => {
      spec.given([registered, paused, resumed]).when(command('ResumeWebhook', {}, 21)).thenThrows(WebhookConflictError, (error) => expect(error.code).toBe('webhook-not-paused'));
    });

    it('refuses an unknown subscription as not found', () => {
      spec.given([]).when(command('PauseWebhook', {})).thenThrows(WebhookNotFoundError, (error) => expect(error.webhookId).toBe(id));
    });
  });

  describe('deleting and redelivering', () => {
    it('deletes a subscription, paused or not', () => {
      spec.given([registered, paused]).when(command('DeleteWebhook', { reason: 'CRM retired' }, 30)).then([deleted]);
    });

    it('refuses every change to a deleted one', () => {
      for (const type of ['PauseWebhook', 'ResumeWebhook', 'DeleteWebhook'] as const) {
        spec.given([registered, deleted]).when(command(type, {}, 40)).thenThrows(WebhookConflictError, (error) => expect(error.code).toBe('webhook-deleted'));
      }
      spec.given([registered, deleted]).when(command('RequestWebhookRedelivery', { deliveryId: 'd-1' }, 40)).thenThrows(WebhookConflictError, (error) => expect(error.code).toBe('webhook-deleted'));
    });

    it('records a redelivery request with the delivery it repeats', () => {
      spec.given([registered]).when(command('RequestWebhookRedelivery', { deliveryId: 'd-1', reason: 'receiver lost it' }, 5)).then([
        { type: 'WebhookRedeliveryRequested', data: { webhookId: id, deliveryId: 'd-1', requestedAt: at(5), by: admin, reason: 'receiver lost it' } },
      ]);
    });
  });

  it('folds the status and the time of the last change', () => {
    const state = foldWebhooks([registered, paused]);
    expect(state.webhooks.get(id)).toMatchObject({ status: 'paused', changedAt: at(10), registeredAt: at(0) });
    expect(foldWebhooks([registered, paused, resumed, deleted]).webhooks.get(id)?.status).toBe('deleted');
  });

  describe('rotating the secret', () => {
    const next = 'b'.repeat(64);
    const rotate = (overrides: Partial<CommandOf<'RotateWebhookSecret'>['data']> = {}, minutes = 50) =>
      command('RotateWebhookSecret', { secretFingerprint: next, graceHours: 24, reason: 'yearly rotation', ...overrides }, minutes);
    const rotated: WebhookEvent = {
      type: 'WebhookSecretRotated',
      data: { webhookId: id, by: admin, reason: 'yearly rotation', secretFingerprint: next, previousFingerprint: fingerprint, rotatedAt: at(50), graceUntil: at(50 + 24 * 60) },
    };

    it('records the new fingerprint, the old one, and until when the old one still signs', () => {
      spec.given([registered]).when(rotate()).then([rotated]);
    });

    it('rotates a paused subscription too, and with no grace the old secret stops at once', () => {
      spec.given([registered, paused]).when(rotate({ graceHours: 0 })).thenProduces(([event]) => expect(event).toMatchObject({ data: { graceUntil: at(50), rotatedAt: at(50) } }));
    });

    it('folds the new fingerprint and the previous one with its end', () => {
      expect(foldWebhooks([registered, rotated]).webhooks.get(id)).toMatchObject({ secretFingerprint: next, previousSecret: { fingerprint, until: at(50 + 24 * 60) }, changedAt: at(50) });
      expect(foldWebhooks([registered]).webhooks.get(id)?.previousSecret).toBeNull();
    });

    it('refuses the secret the webhook has already', () => {
      spec.given([registered]).when(rotate({ secretFingerprint: fingerprint })).thenThrows(InvalidWebhookCommandError, (error) => expect(error).toMatchObject({ code: 'webhook-secret-unchanged', field: 'secret' }));
    });

    it.each([-1, 169, 1.5])('refuses a grace period of %p hours', (graceHours) => {
      spec.given([registered]).when(rotate({ graceHours })).thenThrows(InvalidWebhookCommandError, (error) => expect(error).toMatchObject({ code: 'invalid-grace-period', field: 'graceHours' }));
    });

    it('refuses a fingerprint that is not a SHA-256, a blank reason, a deleted or unknown webhook', () => {
      spec.given([registered]).when(rotate({ secretFingerprint: 'plain secret' })).thenThrows(InvalidWebhookCommandError, (error) => expect(error.code).toBe('invalid-fingerprint'));
      spec.given([registered]).when(rotate({ reason: ' ' })).thenThrows(InvalidWebhookCommandError, (error) => expect(error.code).toBe('reason-required'));
      spec.given([registered, deleted]).when(rotate()).thenThrows(WebhookConflictError, (error) => expect(error.code).toBe('webhook-deleted'));
      spec.given([]).when(rotate()).thenThrows(WebhookNotFoundError);
    });
  });
});
