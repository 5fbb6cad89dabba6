import type { EventStore, RecordedEvent } from '@app/event-store';
import type { FeedHub, FeedListener } from './feed-hub';
import { storeFilterOf, type FeedSelection } from './feed-selection';

/** Events read from the store at once while a connection catches up. */
export const FEED_PAGE_SIZE = 200;

/** Where the events of one connection go: a Server-Sent Events stream or a long poll's page. */
export interface FeedSink {
  /** Resolves when the sink takes another event (a stream: the socket took what it had); false: stop here. */
  ready(): Promise<boolean>;
  deliver(event: RecordedEvent): void;
  /** Everything stored up to `position` has been handled; false: stop here. */
  caughtUp(position: number): boolean;
  /** The reader fell more than the buffer behind the live log (a stream: tell it to reconnect from `position`). */
  overflowed(position: number): void;
  /** The hub stopped (the store failed, or the app is shutting down). */
  interrupted(position: number, reason: 'failed' | 'shutdown'): void;
}

export interface FeedSessionOptions {
  /** Live events held for a reader that has not taken them yet; one more and it is dropped. */
  readonly bufferEvents: number;
  /** Pages of the log read per catch-up at most (a long poll answers after that); undefined: no limit. */
  readonly maxPages?: number;
}

/**
 * One connection of the feed. It reads the log from its position at the reader's pace (a page only
 * when the sink took the last event), then joins the shared hub and reads once more to close the
 * gap; from then on the hub's events wait in a queue of at most `bufferEvents` until the sink takes
 * them. Positions only increase, so an event seen twice (read and also heard live) is sent once.
 * `position` is always the last event handled (sent, or not for this reader): the place to resume.
 */
export class FeedSession implements FeedListener {
  private readonly live: RecordedEvent[] = [];
  private wake: (() => void) | undefined;
  private detach: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly store: EventStore,
    private readonly hub: FeedHub,
    private readonly selection: FeedSelection,
    private readonly sink: FeedSink,
    private readonly options: FeedSessionOptions,
    private last: number,
  ) {}

  get position(): number {
    return this.last;
  }

  /** Runs until the sink stops it, the reader falls behind, the hub stops, or close(). */
  async run(): Promise<void> {
    try {
      const read = await this.catchUp();
      if (read !== 'end' || this.closed || !this.sink.caughtUp(this.last)) return;
      this.detach = await this.hub.attach(this);
      if (this.closed) return;
      if ((await this.catchUp()) !== 'end' || this.closed || !this.sink.caughtUp(this.last)) return;
      for (;;) {
        while (this.live.length > 0) {
          const event = this.live.shift()!;
          if (event.position <= this.last) continue;
          if (!(await this.offer(event))) return;
        }
        if (this.closed || !this.sink.caughtUp(this.last)) return;
        await new Promise<void>((resolve) => { this.wake = resolve; });
        this.wake = undefined;
        if (this.closed) return;
      }
    } finally {
      this.close();
    }
  }

  close(): void {
    if (!this.closed) {
      this.closed = true;
      this.live.length = 0;
      this.wake?.();
    }
    // Also when it was closed while it attached: run() ends with close() once more.
    const detach = this.detach;
    this.detach = undefined;
    detach?.();
  }

  event(event: RecordedEvent): void {
    if (this.closed || event.position <= this.last || !this.selection.selects(event)) return;
    if (this.live.length >= this.options.bufferEvents) {
      const position = this.last;
      this.close();
      this.sink.overflowed(position);
      return;
    }
    this.live.push(event);
    this.wake?.();
  }

  stopped(reason: 'failed' | 'shutdown'): void {
    if (this.closed) return;
    const position = this.last;
    this.detach = undefined;
    this.close();
    this.sink.interrupted(position, reason);
  }

  /** Reads the stored log after the position; 'end' once a page comes back short, 'stopped' when the sink or close stopped it. */
  private async catchUp(): Promise<'end' | 'stopped' | 'budget'> {
    const filter = storeFilterOf(this.selection.filter);
    for (let pages = 0; ; pages += 1) {
      if (this.options.maxPages !== undefined && pages >= this.options.maxPages) return 'budget';
      // Inclusive of the last position (a valid start on every store); that event is skipped below.
      const page = await this.store.readAll({ fromPosition: this.last, maxCount: FEED_PAGE_SIZE, ...(filter ? { filter } : {}) });
      for (const event of page) {
        if (event.position <= this.last) continue;
        if (!this.selection.selects(event)) {
          if (this.closed) return 'stopped';
          this.last = event.position;
          continue;
        }
        if (!(await this.offer(event))) return 'stopped';
      }
      if (page.length < FEED_PAGE_SIZE) return 'end';
    }
  }

  /** Waits for the sink, sends the event if the reader may see it, and moves the position past it. */
  private async offer(event: RecordedEvent): Promise<boolean> {
    if (!(await this.sink.ready()) || this.closed) return false;
    const visible = await this.selection.sees(event);
    if (this.closed) return false;
    if (visible) this.sink.deliver(event);
    this.last = event.position;
    return true;
  }
}
