import { departmentOf, servicePointOf } from '@app/domain';
import { WorkOrderRepository } from '@app/after-sales';
import { ComplaintRepository } from '@app/complaints';
import { EventStore } from '@app/event-store';
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
 * the lease): the outbox records what to send, the sender sends it. docs/adr/0018.
 */
export class WebhookDispatcher {
  private readonly outbox: WebhookOutbox;
  private readonly sender: WebhookSender;
  private readonly deliveries: WebhookStore;

  constructor(events: EventStore, readStore: ReadStore, options: DispatcherOptions) {
    this.deliveries = new WebhookStore(readStore);
    const lookups = new WebhookLookups(new ComplaintRepository(events), new WorkOrderRepository(events));
    this.outbox = new WebhookOutbox(events, readStore, lookups, {
      pollMs: options.settings.pollMs, now: options.now, onError: (error) => options.log('error', `webhook outbox: ${String((error as Error)?.stack ?? error)}`),
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
  }

  /** Waits for the commit and the attempts in flight: an attempt that was made is recorded. */
  async stop(): Promise<void> {
    await this.outbox.stop();
    await this.sender.stop();
  }
}
