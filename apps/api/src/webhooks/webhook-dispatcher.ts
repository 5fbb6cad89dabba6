import { WEBHOOKS_STREAM, departmentOf, servicePointOf } from '@app/domain';
import { WorkOrderRepository } from '@app/after-sales';
import { ComplaintRepository } from '@app/complaints';
import { EventStore, type AllSubscription } from '@app/event-store';
import { ReadStore } from '@app/read-store';
import type { FeedLookups, ScopeFacts } from '../feed/feed-selection';
import type { Lookup } from './webhook-address';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookSender } from './webhook-sender';
import type { WebhookSettings } from './webhook-settings';
import { WebhookStore } from './webhook-store';

/** What the outbox looks up for a webhook filtered by customer: the complaint's or work order's customer (webhooks read as admins, so nothing else). */
class WebhookLookups implements FeedLookups {
  constructor(private readonly complaints: ComplaintRepository, private readonly workOrders: WorkOrderRepository) {}

  async facts(stream: string, kind: 'complaint' | 'work-order'): Promise<ScopeFacts | undefined> {
    if (kind === 'complaint') {
      const { state, revision } = await this.complaints.load(stream.slice('complaint-'.length));
      return state.status === 'none' ? undefined : { revision, openedBy: state.receivedBy, department: departmentOf(state), customerId: state.customer.id };
    }
    const { state, revision } = await this.workOrders.load(stream.slice('work-order-'.length));
    return state.status === 'none' ? undefined : { revision, openedBy: state.reportedBy, department: servicePointOf(state), customerId: state.customerId };
  }

  async customerFileVisible(): Promise<boolean> {
    return true;
  }
}

export interface DispatcherOptions {
  readonly settings: WebhookSettings;
  readonly now: () => Date;
  readonly log: (level: 'error' | 'warn' | 'info', message: string) => void;
  readonly lookup?: Lookup;
}

/**
 * Webhook delivery where the projections run (the API's process, or apps/projector while it holds
 * the lease): the outbox records what to send, the sender sends it. docs/adr/0018. Both also run at
 * once when there is something to do: a subscription to the log wakes the outbox at each commit, and
 * the outbox wakes the sender when it has queued deliveries; the polls (`pollMs`) stay as the
 * fallback (a subscription that failed, a retry that came due).
 */
export class WebhookDispatcher {
  private readonly outbox: WebhookOutbox;
  private readonly sender: WebhookSender;
  private readonly deliveries: WebhookStore;
  private watching: AllSubscription | undefined;
  private stopped = false;

  constructor(private readonly events: EventStore, readStore: ReadStore, private readonly options: DispatcherOptions) {
    this.deliveries = new WebhookStore(readStore);
    const lookups = new WebhookLookups(new ComplaintRepository(events), new WorkOrderRepository(events));
    this.outbox = new WebhookOutbox(events, readStore, lookups, {
      pollMs: options.settings.pollMs, now: options.now, onError: (error) => options.log('error', `webhook outbox: ${String((error as Error)?.stack ?? error)}`),
      onQueued: () => this.sender.wake(),
    });
    this.sender = new WebhookSender(events, this.deliveries, {
      settings: options.settings, now: options.now, onError: (error) => options.log('error', `webhook sender: ${String((error as Error)?.stack ?? error)}`),
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
  }

  async start(): Promise<void> {
    await this.deliveries.ensure();
    await this.deliveries.recover();
    this.outbox.start();
    this.sender.start();
    this.watch();
  }

  /** Waits for the commit and the attempts in flight: an attempt that was made is recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.watching?.close();
    await this.outbox.stop();
    await this.sender.stop();
  }

  /** Wakes the outbox at each commit of the log, from now on; on failure the polls go on alone (said in the log). */
  private watch(): void {
    void (async () => {
      const subscription = this.events.subscribeToAll({ fromPosition: await this.events.headPosition() });
      this.watching = subscription;
      if (this.stopped) await subscription.close();
      // With no webhook to feed, only the webhooks' own stream wakes the outbox: an installation without webhooks does no
      // outbox pass, with its checkpoint write, per command. A commit seen before the pass folded a new registration is
      // still read by that pass, which reads on after folding it.
      for await (const message of subscription) {
        if (message.kind === 'event' && (this.outbox.feeding || message.event.stream === WEBHOOKS_STREAM)) this.outbox.wake();
      }
    })().catch((error: unknown) => {
      if (!this.stopped) this.options.log('warn', `webhook outbox: no longer told of commits (${String((error as Error)?.message ?? error)}); it looks every ${this.options.settings.pollMs} ms`);
    });
  }
}
