import { WEBHOOKS_STREAM, foldWebhooks, initialWebhooksState, upcastWebhookEvent, type Webhook, type WebhooksState } from '@app/domain';
import { PeriodicCheck } from '@app/event-sourcing';
import { EventStore, StreamNotFoundError, readStreamOrEmpty, type RecordedEvent } from '@app/event-store';
import { feedEventOf } from '../feed/feed-selection';
import { checkWebhookTarget, type Lookup } from './webhook-address';
import { postWebhook } from './webhook-http';
import { afterAttempt, breakerOpen, nextAttemptAt } from './webhook-retry';
import type { WebhookSettings } from './webhook-settings';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';
import type { DeliveryDocument, EndpointDocument, WebhookStore } from './webhook-store';

/** Deliveries one webhook sends in a row before the others get a look (they run side by side anyway). */
const MAX_IN_A_ROW = 100;
/** Deliveries of the line read at once (with their events), head first. */
const PAGE = 50;
const ERROR_TEXT = 300;

/** The webhooks stream as folded so far: the state, the log position of each deletion, and the last revision folded (-1: none). */
interface FoldedWebhooks {
  readonly state: WebhooksState;
  readonly deletions: ReadonlyMap<string, number>;
  readonly revision: number;
}
const NOTHING_FOLDED: FoldedWebhooks = { state: initialWebhooksState, deletions: new Map(), revision: -1 };

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
  /** The webhooks stream folded up to a revision: each look reads only what was stored after it. */
  private folded: FoldedWebhooks = NOTHING_FOLDED;

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
      let more = false;
      const drain = this.drain(webhook).then((result) => {
        more = result;
      }, (error: unknown) => this.options.onError?.(error)).finally(() => {
        this.draining.delete(webhook.id);
        // A run that stopped at MAX_IN_A_ROW with more to send goes on at once, after a fresh look at the webhooks (not at the next poll).
        if (more) this.wake();
      });
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
  private async webhooks(): Promise<{ webhooks: Webhook[]; deletions: ReadonlyMap<string, number> }> {
    const { state, deletions } = await this.foldedNow();
    return { webhooks: [...state.webhooks.values()], deletions };
  }

  /**
   * The webhooks stream folded up to its last stored event, reading only the events stored after the fold kept (none, most
   * times: one indexed read) rather than the whole stream before every attempt. The read goes to the store each time, so a
   * pause or deletion whose command has answered is seen by the next look. Looks run side by side (a drain per webhook and
   * the pass): each folds on only what follows the fold as it stands when its read returns, so no event is folded twice.
   */
  private async foldedNow(): Promise<FoldedWebhooks> {
    const from = this.folded.revision + 1;
    let read: RecordedEvent[];
    try {
      read = await this.events.readStream(WEBHOOKS_STREAM, from === 0 ? {} : { fromRevision: from });
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
      // No stream (none yet, or deleted on the server by an operator): no webhook.
      return (this.folded = NOTHING_FOLDED);
    }
    const after = read.filter((event) => event.revision > this.folded.revision);
    if (after.length === 0) return this.folded;
    // Revisions that do not follow the fold (a stream deleted and written again on the server): the whole stream again.
    const follows = after[0]!.revision === this.folded.revision + 1;
    const base = follows ? this.folded : NOTHING_FOLDED;
    const events = follows ? after : await readStreamOrEmpty(this.events, WEBHOOKS_STREAM);
    const deletions = new Map(base.deletions);
    for (const event of events) if (event.type === 'WebhookDeleted') deletions.set(String(event.data['webhookId']), event.position);
    const state = foldWebhooks(events.map((event) => upcastWebhookEvent(event.type, event.data, () => event.metadata['schemaVersion'])), base.state);
    return (this.folded = { state, deletions, revision: events[events.length - 1]?.revision ?? -1 });
  }

  /** Whether the webhooks stream says the webhook is active now: a read of what was stored after the kept fold. */
  private async isActive(webhookId: string): Promise<boolean> {
    const { state } = await this.foldedNow();
    return state.webhooks.get(webhookId)?.status === 'active';
  }

  /**
   * Sends the webhook's line from its head, up to MAX_IN_A_ROW; true when it stopped there with more to
   * send (the caller starts the next run at once, after a fresh look at the webhook's stream). The line
   * is read a page at a time, with its events, and the endpoint and the secrets once per run: the
   * sender is the only writer of its webhook's endpoint and records each delivery over the version it
   * read (recordAttempt), so what it holds in memory is what is stored. docs/adr/0018.
   */
  private async drain(webhook: Webhook): Promise<boolean> {
    let endpoint = await this.store.endpoint(webhook.id);
    const secrets = new Map<string, Promise<string | undefined>>();
    const secret = (fingerprint: string) => {
      let found = secrets.get(fingerprint);
      if (!found) secrets.set(fingerprint, found = this.store.secret(webhook.id, fingerprint));
      return found;
    };
    let page: DeliveryDocument[] = [];
    let events = new Map<number, RecordedEvent>();
    // Paused or deleted since the drain began (a backlog takes a while): nothing more is sent.
    for (let sent = 0; !this.stopped && !this.inactive.has(webhook.id); sent += 1) {
      if (sent === MAX_IN_A_ROW) return true;
      const now = this.options.now().getTime();
      if (breakerOpen(endpoint, now)) return false;
      if (page.length === 0) {
        page = await this.store.line(webhook.id, PAGE);
        events = await this.eventsOf(page);
      }
      const head = page.shift();
      if (!head || (head.nextAttemptAt !== null && Date.parse(head.nextAttemptAt) > now)) return false;
      // Paused or deleted in the log (its command has answered) though no pass has read it yet: nothing goes after that answer.
      if (!(await this.isActive(webhook.id))) {
        this.inactive.add(webhook.id);
        return false;
      }
      const outcome = await this.attempt(webhook, head, events.get(head.eventPosition), secret);
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
      const after: EndpointDocument = { ...endpoint, ...breaker, lastFailureAt: outcome.ok ? endpoint.lastFailureAt : at.toISOString() };
      // A success on a closed breaker changes nothing of the endpoint: the delivery alone is written (one commit).
      const changed = after.consecutiveFailures !== endpoint.consecutiveFailures || after.openUntil !== endpoint.openUntil || after.lastFailureAt !== endpoint.lastFailureAt;
      // Another sender recorded this delivery meanwhile (this process was paused past its lease): its record stands, and this one stops.
      if (!await this.store.recordAttempt(head, delivery, changed ? after : undefined)) return false;
      endpoint = after;
      // A failed head holds the line until its retry; a dead one no longer does.
      if (!outcome.ok && delivery.status === 'pending') return false;
    }
    return false;
  }

  /**
   * The events of a page of the line, by position, in one read of the log from the first: for a webhook
   * that takes most events they are the next ones. What that read missed (a narrow filter, a redelivery
   * of an old event) is read alone at its attempt, as before.
   */
  private async eventsOf(page: readonly DeliveryDocument[]): Promise<Map<number, RecordedEvent>> {
    const found = new Map<number, RecordedEvent>();
    if (page.length === 0) return found;
    const from = Math.min(...page.map((delivery) => delivery.eventPosition));
    for (const event of await this.events.readAll({ fromPosition: from, maxCount: page.length })) found.set(event.position, event);
    return found;
  }

  private async attempt(
    webhook: Webhook, delivery: DeliveryDocument, read: RecordedEvent | undefined, secretOf: (fingerprint: string) => Promise<string | undefined>,
  ): Promise<{ ok: boolean; statusCode: number | null; error: string | null }> {
    const event = read ?? (await this.events.readAll({ fromPosition: delivery.eventPosition, maxCount: 1 }))[0];
    if (!event || event.position !== delivery.eventPosition) return { ok: false, statusCode: null, error: `the event at position ${delivery.eventPosition} cannot be read` };
    const secret = await secretOf(webhook.secretFingerprint);
    if (secret === undefined) return { ok: false, statusCode: null, error: 'the webhook\'s secret is missing from the read store' };
    // After a rotation, the old secret signs too until its grace period ends (a second v1).
    const previous = webhook.previousSecret !== null && Date.parse(webhook.previousSecret.until) > this.options.now().getTime()
      ? await secretOf(webhook.previousSecret.fingerprint)
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
