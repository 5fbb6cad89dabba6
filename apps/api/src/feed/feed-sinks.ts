import { Readable } from 'node:stream';
import type { RecordedEvent } from '@app/event-store';
import { feedEventOf } from './feed-selection';
import type { FeedSink } from './feed-session';

/** The JSON of an event as the feed sends it; events heard live are shared by every connection, so each is serialised once. */
const serialised = new WeakMap<RecordedEvent, string>();
export function feedJsonOf(event: RecordedEvent): string {
  let json = serialised.get(event);
  if (json === undefined) {
    json = JSON.stringify(feedEventOf(event));
    serialised.set(event, json);
  }
  return json;
}

/** An event type or any other field value on one SSE line: line breaks would end the field. */
const oneLine = (text: string): string => text.replace(/[\r\n]/g, ' ');

/** How long an EventSource waits before it reconnects after the server closed the stream. */
const RETRY_MS = 2000;

/**
 * A Server-Sent Events stream over a Node Readable that fastify pipes into the response: the
 * Readable asks for more only when the socket has taken what it had, which is what `ready()`
 * waits for, so a reader that does not read stops the catch-up instead of filling memory. Beside
 * the events: `caught-up` once, when the stored log has been sent and live events follow;
 * `reconnect` last, when the server closes the stream (reader too far behind, shutdown, store
 * failure), with the position to resume from; a comment line every heartbeat on a quiet stream.
 */
export class SseSink implements FeedSink {
  readonly stream: Readable;
  private wanted = true;
  private waiting: ((more: boolean) => void) | undefined;
  private ended = false;
  private announced = false;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(heartbeatMs: number, private readonly onEnd: () => void) {
    this.stream = new Readable({
      read: () => {
        this.wanted = true;
        const waiting = this.waiting;
        this.waiting = undefined;
        waiting?.(true);
      },
      destroy: (error, callback) => {
        this.finish();
        callback(error);
      },
    });
    this.push(`retry: ${RETRY_MS}\n: complaint desk change feed\n\n`);
    this.heartbeat = setInterval(() => {
      // Only on a stream that keeps up: a blocked one needs no more bytes queued.
      if (this.wanted) this.push(': heartbeat\n\n');
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  ready(): Promise<boolean> {
    if (this.ended) return Promise.resolve(false);
    if (this.wanted) return Promise.resolve(true);
    return new Promise((resolve) => { this.waiting = resolve; });
  }

  deliver(event: RecordedEvent): void {
    this.push(`id: ${event.position}\nevent: ${oneLine(event.type)}\ndata: ${feedJsonOf(event)}\n\n`);
  }

  caughtUp(position: number): boolean {
    if (this.ended) return false;
    if (!this.announced) {
      this.announced = true;
      this.push(`event: caught-up\ndata: ${JSON.stringify({ position })}\n\n`);
    }
    return true;
  }

  overflowed(position: number): void {
    this.close(position, 'behind', 'The reader fell too far behind the live log; reconnect with Last-Event-ID (or after) set to position.');
  }

  interrupted(position: number, reason: 'failed' | 'shutdown'): void {
    this.close(position, reason === 'shutdown' ? 'shutdown' : 'unavailable', reason === 'shutdown'
      ? 'The server is shutting down; reconnect with Last-Event-ID (or after) set to position.'
      : 'The event store stopped answering; reconnect later with Last-Event-ID (or after) set to position.');
  }

  /** The last message, then the end of the stream. */
  close(position: number, reason: string, detail: string): void {
    if (this.ended) return;
    // The id moves an EventSource's Last-Event-ID to the position even when no event was sent.
    this.push(`id: ${position}\nevent: reconnect\ndata: ${JSON.stringify({ position, reason, detail })}\n\n`);
    this.end();
  }

  end(): void {
    if (this.ended) return;
    this.stream.push(null);
    this.finish();
  }

  private push(text: string): void {
    if (this.ended) return;
    this.wanted = this.stream.push(text);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    this.waiting?.(false);
    this.waiting = undefined;
    this.onEnd();
  }
}

/** A long poll's page: up to `limit` events, and as soon as there is one after the stored log, the answer. */
export class PageSink implements FeedSink {
  readonly events: string[] = [];
  private stopped = false;
  private settle: (() => void) | undefined;
  /** Settles when the page is ready to send (events came, the log ended with nothing to wait for, or the reader stopped). */
  readonly done = new Promise<void>((resolve) => { this.settle = resolve; });

  constructor(private readonly limit: number, private readonly waits: boolean) {}

  ready(): Promise<boolean> {
    return Promise.resolve(!this.stopped && this.events.length < this.limit);
  }

  deliver(event: RecordedEvent): void {
    if (!this.stopped) this.events.push(feedJsonOf(event));
  }

  caughtUp(): boolean {
    return this.waits && this.events.length === 0 && !this.stopped;
  }

  overflowed(): void {
    this.finish();
  }

  interrupted(): void {
    this.finish();
  }

  /** No more events: the page is what it holds now. */
  finish(): void {
    this.stopped = true;
    this.settle?.();
  }
}
