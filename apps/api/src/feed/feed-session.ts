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
 * `position` is the place to resume: the last event sent, or, when a read (the catch-up, or a turn of
 * the live queue) sends none, the log's head as read once everything up to it was handled, or, for a
 * long poll cut at its pages, a place in the log it got past (see placeAfter). Never chosen by an event this reader does not see: with a
 * filter the store reads only the matching events, and the last of them, told to a principal limited
 * to departments, would tell that a complaint it is answered 404 for exists and when it last changed
 * (docs/adr/0014). Internally the scan goes on past such events (`last`), so they are read once.
 */
export class FeedSession implements FeedListener {
  private readonly live: RecordedEvent[] = [];
  private wake: (() => void) | undefined;
  private detach: (() => void) | undefined;
  private closed = false;
  /** The resume position this reader may be told (see above); `last` is how far the scan went. */
  private shown: number;
  /** The highest position the hub passed on (selected for this reader or not): the log's head as heard live. */
  private heard = 0;
  /** Waiting for the hub in the live phase: with the queue empty, everything the hub passed on is handled. */
  private idle = false;

  constructor(
    private readonly store: EventStore,
    private readonly hub: FeedHub,
    private readonly selection: FeedSelection,
    private readonly sink: FeedSink,
    private readonly options: FeedSessionOptions,
    private last: number,
  ) {
    this.shown = last;
  }

  get position(): number {
    // Idle, the head as heard: the same whether or not an unseen event woke the session meanwhile.
    return this.idle && this.live.length === 0 ? Math.max(this.shown, this.heard) : this.shown;
  }

  /** Runs until the sink stops it, the reader falls behind, the hub stops, or close(). */
  async run(): Promise<void> {
    try {
      const read = await this.catchUp();
      if (read !== 'end' || this.closed || !this.sink.caughtUp(this.shown)) return;
      this.detach = await this.hub.attach(this);
      if (this.closed) return;
      if ((await this.catchUp()) !== 'end' || this.closed || !this.sink.caughtUp(this.shown)) return;
      for (;;) {
        const sent = this.shown;
        while (this.live.length > 0) {
          const event = this.live.shift()!;
          if (event.position <= this.last) continue;
          if (!(await this.offer(event))) return;
        }
        // Drained with nothing sent: every event the hub passed on is handled (the catch-up after attaching read what came before).
        if (this.shown === sent) this.shown = Math.max(this.shown, this.heard);
        if (this.closed || !this.sink.caughtUp(this.shown)) return;
        this.idle = true;
        await new Promise<void>((resolve) => { this.wake = resolve; });
        this.idle = false;
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
    if (this.closed) return;
    this.heard = Math.max(this.heard, event.position);
    if (event.position <= this.last || !this.selection.selects(event)) return;
    if (this.live.length >= this.options.bufferEvents) {
      const position = this.shown;
      this.close();
      this.sink.overflowed(position);
      return;
    }
    this.live.push(event);
    this.wake?.();
  }

  stopped(reason: 'failed' | 'shutdown'): void {
    if (this.closed) return;
    const position = this.position;
    this.detach = undefined;
    this.close();
    this.sink.interrupted(position, reason);
  }

  /** Reads the stored log after the position; 'end' once a page comes back short, 'stopped' when the sink or close stopped it. */
  private async catchUp(): Promise<'end' | 'stopped' | 'budget'> {
    const filter = storeFilterOf(this.selection.filter);
    // One complaint's stream is read whole, as every command on it is: a budget cut would tell that it has thousands of events.
    const maxPages = this.selection.filter.complaintId !== undefined ? undefined : this.options.maxPages;
    const sent = this.shown;
    const from = this.last;
    for (let pages = 0; ; pages += 1) {
      if (maxPages !== undefined && pages >= maxPages) {
        if (this.shown === sent) this.shown = Math.max(this.shown, filter ? await this.placeAfter(from, maxPages) : this.last);
        return 'budget';
      }
      // Read before the page: a short page then holds every match up to it, so the head is a safe place to resume.
      const head = await this.store.headPosition();
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
      if (page.length < FEED_PAGE_SIZE) {
        this.last = Math.max(this.last, head);
        if (this.shown === sent) this.shown = Math.max(this.shown, head);
        return 'end';
      }
    }
  }

  /**
   * Where a catch-up cut at its pages with nothing sent may tell the reader to resume, when the store read only
   * the matching events: not the last match read (an event the reader does not see), but the event of the whole
   * log as many events after `from` as those pages held new ones at least (each page repeats at most the event it
   * starts at). That many matches lie after `from`, so every match up to it was handled; and it is a place in the
   * log that any reader could count to, whatever matched.
   */
  private async placeAfter(from: number, pages: number): Promise<number> {
    const count = pages * (FEED_PAGE_SIZE - 1);
    // Inclusive of `from`, as the pages are read (a valid start on every store).
    const log = (await this.store.readAll({ fromPosition: from, maxCount: count + 1 })).filter((event) => event.position > from);
    return log[count - 1]?.position ?? from;
  }

  /** Waits for the sink, sends the event if the reader may see it, and moves the position past it. */
  private async offer(event: RecordedEvent): Promise<boolean> {
    if (!(await this.sink.ready()) || this.closed) return false;
    const visible = await this.selection.sees(event);
    if (this.closed) return false;
    if (visible) {
      this.sink.deliver(event);
      this.shown = event.position;
    }
    this.last = event.position;
    return true;
  }
}
