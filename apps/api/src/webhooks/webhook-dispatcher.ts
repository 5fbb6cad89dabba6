import { WEBHOOKS_STREAM, departmentOf, servicePointOf } from '@app/domain';
import { WorkOrderRepository } from '@app/after-sales';
import { ComplaintRepository } from '@app/complaints';
import { EventStore, type AllSubscription } from '@app/event-store';
import { describeLoopFailure } from '@app/event-sourcing';
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

/** What the dispatcher follows of the log: every event while some webhook is active, else the webhooks' own stream. */
type Following = 'every-event' | 'webhooks-stream';

/**
 * Webhook delivery where the projections run (the API's process, or apps/projector while it holds
 * the lease): the outbox records what to send, the sender sends it. docs/adr/0018. Both also run at
 * once when there is something to do: while some webhook is active, a subscription to the log wakes
 * the outbox at each commit, and the outbox wakes the sender when it has queued deliveries; the polls
 * (`pollMs`) stay as the fallback (a subscription that failed, a retry that came due, a paused
 * webhook's queue).
 */
export class WebhookDispatcher {
  private readonly outbox: WebhookOutbox;
  private readonly sender: WebhookSender;
  private readonly deliveries: WebhookStore;
  private watching: AllSubscription | undefined;
  private following: Following | undefined;
  /** The subscriptions are swapped one at a time, in the order the passes asked for them. */
  private swapping: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly events: EventStore, readStore: ReadStore, private readonly options: DispatcherOptions) {
    this.deliveries = new WebhookStore(readStore);
    const lookups = new WebhookLookups(new ComplaintRepository(events), new WorkOrderRepository(events));
    this.outbox = new WebhookOutbox(events, readStore, lookups, {
      pollMs: options.settings.pollMs, now: options.now, onError: (error) => options.log('error', `webhook outbox: ${String((error as Error)?.stack ?? error)}`),
      onQueued: () => this.sender.wake(),
      onPassed: () => this.follow(this.outbox.active ? 'every-event' : 'webhooks-stream'),
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
    // The first pass reads the webhooks, and its end chooses what to follow.
    this.outbox.wake();
  }

  /** What keeps failing in delivery (the outbox's or the sender's passes), in the words of /health's `problems`. */
  problems(): string[] {
    const outbox = this.outbox.failure();
    const sender = this.sender.failure();
    return [...(outbox ? [describeLoopFailure('webhook outbox', outbox)] : []), ...(sender ? [describeLoopFailure('webhook sender', sender)] : [])];
  }

  /** Waits for the commit and the attempts in flight: an attempt that was made is recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.swapping;
    await this.watching?.close();
    await this.outbox.stop();
    await this.sender.stop();
  }

  /**
   * Follows every event while some webhook is active: each commit wakes the outbox. Otherwise only the
   * webhooks stream (a registration or a resume wakes it), so that an installation without an active
   * webhook reads no event on the API's thread for nobody; a paused webhook's queue fills at the polls.
   */
  private follow(wanted: Following): void {
    if (wanted === this.following || this.stopped) return;
    this.following = wanted;
    this.swapping = this.swapping.then(() => this.subscribe(wanted)).catch((error: unknown) => this.untold(error));
  }

  private async subscribe(following: Following): Promise<void> {
    const previous = this.watching;
    this.watching = undefined;
    await previous?.close();
    if (this.stopped) return;
    const subscription = this.events.subscribeToAll({
      fromPosition: await this.events.headPosition(), ...(following === 'webhooks-stream' ? { filter: { streamPrefixes: [WEBHOOKS_STREAM] } } : {}),
    });
    this.watching = subscription;
    // A commit between the pass that chose this and the subscription's start was told to nobody: a pass reads it now.
    this.outbox.wake();
    void (async () => {
      for await (const message of subscription) if (message.kind === 'event') this.outbox.wake();
    })().catch((error: unknown) => {
      if (this.watching === subscription) this.untold(error);
    });
  }

  /** No subscription: the polls go on alone (said in the log), and the next pass that ends well subscribes again. */
  private untold(error: unknown): void {
    this.following = undefined;
    if (!this.stopped) this.options.log('warn', `webhook outbox: not told of commits (${String((error as Error)?.message ?? error)}); it looks every ${this.options.settings.pollMs} ms`);
  }
}
