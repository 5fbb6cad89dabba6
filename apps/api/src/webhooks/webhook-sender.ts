import { WEBHOOKS_STREAM, foldWebhooks, upcastWebhookEvent, type Webhook } from '@app/domain';
import { PeriodicCheck } from '@app/event-sourcing';
import { EventStore, readStreamOrEmpty } from '@app/event-store';
import { feedEventOf } from '../feed/feed-selection';
import { checkWebhookTarget, type Lookup } from './webhook-address';
import { postWebhook } from './webhook-http';
import { afterAttempt, breakerOpen, nextAttemptAt } from './webhook-retry';
import type { WebhookSettings } from './webhook-settings';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';
import type { DeliveryDocument, WebhookStore } from './webhook-store';

/** Deliveries one webhook sends in a row before the others get a look (they run side by side anyway). */
const MAX_IN_A_ROW = 100;
const ERROR_TEXT = 300;

export interface SenderOptions {
  readonly settings: WebhookSettings;
  readonly now: () => Date;
  readonly onError?: (error: unknown) => void;
  readonly random?: () => number;
  readonly lookup?: Lookup;
}

/**
 * Sends each webhook's pending deliveries one at a time, in `sequence` order: the head of the line
 * waits for its retry and everything behind it waits too, so a receiver sees the events of one
 * webhook in log order. Webhooks do not wait for each other (one drain each). An attempt is recorded
 * after it: a process that dies in between sends that delivery again, with the same delivery id
 * (at-least-once).
 */
export class WebhookSender extends PeriodicCheck {
  private readonly draining = new Map<string, Promise<void>>();
  /** Deleted webhooks whose waiting deliveries this process has dropped (a deletion is final: once is enough). */
  private readonly cleared = new Set<string>();
  /** Webhooks not active as of the last look at their stream: a drain under way stops before its next attempt. */
  private readonly inactive = new Set<string>();
  private stopped = false;

  constructor(private readonly events: EventStore, private readonly store: WebhookStore, private readonly options: SenderOptions) {
    super({ intervalMs: options.settings.pollMs, ...(options.onError ? { onError: options.onError } : {}) });
  }

  async check(): Promise<number> {
    const { webhooks, deletions } = await this.webhooks();
    for (const webhook of webhooks) {
      if (webhook.status === 'active') this.inactive.delete(webhook.id);
      else this.inactive.add(webhook.id);
    }
    let started = 0;
    for (const webhook of webhooks) {
      if (webhook.status !== 'active' || this.draining.has(webhook.id) || this.stopped) continue;
      const drain = this.drain(webhook).catch((error: unknown) => this.options.onError?.(error)).finally(() => this.draining.delete(webhook.id));
      this.draining.set(webhook.id, drain);
      started += 1;
    }
    await this.dropDeliveriesOfDeleted(deletions);
    return started;
  }

  /**
   * A deleted webhook sends nothing more, so what still waits for it is dropped rather than left
   * pending for ever: once the outbox has passed the deletion (it queues nothing after it, but may
   * still queue events from before it) and no attempt of the webhook is in flight (its outcome would
   * be recorded over the drop). docs/adr/0018.
   */
  private async dropDeliveriesOfDeleted(deletions: ReadonlyMap<string, number>): Promise<void> {
    const waiting = [...deletions].filter(([webhookId]) => !this.cleared.has(webhookId) && !this.draining.has(webhookId));
    if (waiting.length === 0 || this.stopped) return;
    const outboxPosition = await this.store.outboxPosition();
    for (const [webhookId, deletedAt] of waiting) {
      if (deletedAt > outboxPosition) continue;
      await this.store.dropPending(webhookId, this.options.now().toISOString(), 'webhook-deleted');
      this.cleared.add(webhookId);
    }
  }

  override async stop(): Promise<void> {
    this.stopped = true;
    await super.stop();
    await Promise.all(this.draining.values());
  }

  /** The webhooks as their stream says, and the log position of each deletion. */
  private async webhooks(): Promise<{ webhooks: Webhook[]; deletions: Map<string, number> }> {
    const history = await readStreamOrEmpty(this.events, WEBHOOKS_STREAM);
    const deletions = new Map(history.filter((event) => event.type === 'WebhookDeleted').map((event) => [String(event.data['webhookId']), event.position]));
    return { webhooks: [...foldWebhooks(history.map((event) => upcastWebhookEvent(event.type, event.data, () => event.metadata['schemaVersion']))).webhooks.values()], deletions };
  }

  private async drain(webhook: Webhook): Promise<void> {
    // Paused or deleted since the drain began (a backlog takes a while): nothing more is sent.
    for (let sent = 0; sent < MAX_IN_A_ROW && !this.stopped && !this.inactive.has(webhook.id); sent += 1) {
      const now = this.options.now().getTime();
      const endpoint = await this.store.endpoint(webhook.id);
      if (breakerOpen(endpoint, now)) return;
      const head = await this.store.head(webhook.id);
      if (!head || (head.nextAttemptAt !== null && Date.parse(head.nextAttemptAt) > now)) return;
      const outcome = await this.attempt(webhook, head);
      const at = this.options.now();
      const firstAttemptAt = head.firstAttemptAt ?? at.toISOString();
      const attempts = head.attempts + 1;
      const base = { ...head, attempts, firstAttemptAt, lastAttemptAt: at.toISOString(), lastStatusCode: outcome.statusCode, lastError: outcome.error };
      let delivery: DeliveryDocument;
      if (outcome.ok) delivery = { ...base, status: 'delivered', deliveredAt: at.toISOString(), nextAttemptAt: null };
      else {
        const next = nextAttemptAt(Date.parse(firstAttemptAt), at.getTime(), attempts, this.options.settings.retry, this.options.random);
        delivery = next === null
          ? { ...base, status: 'dead', deadAt: at.toISOString(), nextAttemptAt: null }
          : { ...base, nextAttemptAt: new Date(next).toISOString() };
      }
      const breaker = afterAttempt(endpoint, outcome.ok, at.getTime(), this.options.settings.breaker);
      // Another sender recorded this delivery meanwhile (this process was paused past its lease): its record stands, and this one stops.
      if (!await this.store.recordAttempt(head, delivery, { ...endpoint, ...breaker, lastFailureAt: outcome.ok ? endpoint.lastFailureAt : at.toISOString() })) return;
      // A failed head holds the line until its retry; a dead one no longer does.
      if (!outcome.ok && delivery.status === 'pending') return;
    }
  }

  private async attempt(webhook: Webhook, delivery: DeliveryDocument): Promise<{ ok: boolean; statusCode: number | null; error: string | null }> {
    const [event] = await this.events.readAll({ fromPosition: delivery.eventPosition, maxCount: 1 });
    if (!event || event.position !== delivery.eventPosition) return { ok: false, statusCode: null, error: `the event at position ${delivery.eventPosition} cannot be read` };
    const secret = await this.store.secret(webhook.id, webhook.secretFingerprint);
    if (secret === undefined) return { ok: false, statusCode: null, error: 'the webhook\'s secret is missing from the read store' };
    // After a rotation, the old secret signs too until its grace period ends (a second v1).
    const previous = webhook.previousSecret !== null && Date.parse(webhook.previousSecret.until) > this.options.now().getTime()
      ? await this.store.secret(webhook.id, webhook.previousSecret.fingerprint)
      : undefined;
    const { settings } = this.options;
    let pinned: string[] | null;
    try {
      // Again before every attempt: DNS may lead somewhere else than at registration. The request then
      // goes to the addresses checked here, not to a second answer (DNS rebinding).
      pinned = await checkWebhookTarget(webhook.url, settings.allowHosts, this.options.lookup);
    } catch (error) {
      return { ok: false, statusCode: null, error: describe(error) };
    }
    const body = JSON.stringify(feedEventOf(event));
    const timestamp = Math.floor(this.options.now().getTime() / 1000);
    try {
      const response = await postWebhook(webhook.url, {
        body,
        pinned,
        timeoutMs: settings.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'complaint-desk-webhooks/1',
          [SIGNATURE_HEADER]: signWebhook(previous === undefined ? [secret] : [secret, previous], timestamp, body),
          'Complaint-Desk-Delivery': delivery.id,
          'Idempotency-Key': delivery.id,
          'Complaint-Desk-Webhook': webhook.id,
          'Complaint-Desk-Event-Id': event.eventId,
          'Complaint-Desk-Event-Type': event.type,
          'Complaint-Desk-Position': String(event.position),
        },
      });
      if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status, error: null };
      // A redirect is not followed: it could lead where the address check did not look.
      return { ok: false, statusCode: response.status, error: response.status >= 300 && response.status < 400 ? 'redirects are not followed' : `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, statusCode: null, error: describe(error) };
    }
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string; name?: string } })?.cause;
  const timedOut = error instanceof Error && (error.name === 'TimeoutError' || (error.name === 'AbortError' && cause?.name === 'TimeoutError'));
  const code = (error as { code?: string })?.code ?? cause?.code;
  const text = error instanceof Error ? (timedOut ? 'timed out' : `${error.message}${code && !error.message.includes(code) ? ` (${code})` : ''}`) : String(error);
  return text.slice(0, ERROR_TEXT);
}
