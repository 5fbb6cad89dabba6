import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EventStore, EventStoreUnavailableError, type AllSubscription, type RecordedEvent } from '@app/event-store';

/** One connection of the feed, as the hub sees it. */
export interface FeedListener {
  /** A new event of the log, in log order. Must return at once (queue it): the hub serves every connection from one loop. */
  event(event: RecordedEvent): void;
  /** The hub stopped: the store failed, or the app is shutting down. */
  stopped(reason: 'failed' | 'shutdown'): void;
}

/**
 * One catch-up subscription to the log shared by every feed connection of this process: the store
 * wakes it on each append made here (and, on the embedded engine, notices other processes' commits
 * itself), and it hands each new event to every listener. It runs while anyone listens and stops
 * when the last one leaves. Connections read what came before from the store themselves, at their
 * own pace (FeedSession).
 */
@Injectable()
export class FeedHub implements OnModuleDestroy {
  private readonly listeners = new Set<FeedListener>();
  private running: { readonly started: Promise<void>; subscription?: AllSubscription } | undefined;
  private shuttingDown = false;

  constructor(private readonly store: EventStore) {}

  get size(): number {
    return this.listeners.size;
  }

  /**
   * Adds a listener. Resolves once the hub follows the log: every event appended after that reaches
   * the listener, and every event before it is readable from the store, so a reader that attaches
   * and then reads from its position misses nothing (it may see an event twice: compare positions).
   */
  async attach(listener: FeedListener): Promise<() => void> {
    if (this.shuttingDown) throw new EventStoreUnavailableError('the server is shutting down; try again on another instance or later');
    this.listeners.add(listener);
    this.running ??= this.start();
    await this.running.started;
    return () => this.detach(listener);
  }

  onModuleDestroy(): void {
    this.shuttingDown = true;
    const listeners = [...this.listeners];
    this.listeners.clear();
    void this.stop();
    for (const listener of listeners) listener.stopped('shutdown');
  }

  private detach(listener: FeedListener): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0) void this.stop();
  }

  private async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    await running?.subscription?.close();
  }

  private start(): { readonly started: Promise<void>; subscription?: AllSubscription } {
    let markStarted!: () => void;
    let fail!: (error: unknown) => void;
    const running: { started: Promise<void>; subscription?: AllSubscription } = { started: new Promise<void>((resolve, reject) => { markStarted = resolve; fail = reject; }) };
    void (async () => {
      try {
        const head = await this.store.headPosition();
        const subscription = this.store.subscribeToAll({ fromPosition: head });
        running.subscription = subscription;
        markStarted();
        if (this.running !== running) await subscription.close();
        for await (const message of subscription) {
          if (this.running !== running) break;
          if (message.kind !== 'event') continue;
          for (const listener of this.listeners) listener.event(message.event);
        }
        // The subscription ended without being asked to: the store closed under it.
        this.failed(running);
      } catch (error) {
        fail(error);
        this.failed(running);
      }
    })();
    return running;
  }

  private failed(running: { readonly started: Promise<void> } | undefined): void {
    if (this.running !== running) return;
    this.running = undefined;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener.stopped('failed');
  }
}
