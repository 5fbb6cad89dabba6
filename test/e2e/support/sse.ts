import { request as httpRequest, type IncomingMessage } from 'node:http';

/** One message of a Server-Sent Events stream (a comment line is `{ comment }`). */
export interface SseMessage {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
  readonly retry?: string;
  readonly comment?: string;
}

/**
 * A Server-Sent Events reader over a real HTTP connection (node:http, so a test can stop reading
 * and let the socket fill, as a slow consumer does). It parses the stream as the HTML standard says
 * (fields per line, a blank line ends a message) and keeps every message.
 */
export class SseStream {
  readonly messages: SseMessage[] = [];
  readonly ended: Promise<void>;
  private readonly rawChunks: string[] = [];
  private buffer = '';
  private pending: string[] = [];
  private current: Record<string, string> = {};
  private readonly waiters = new Set<() => void>();
  private finished = false;

  constructor(readonly response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.feed(chunk));
    this.ended = new Promise((resolve) => {
      const done = () => {
        this.finished = true;
        this.notify();
        resolve();
      };
      response.on('end', done);
      response.on('close', done);
      response.on('error', done);
    });
  }

  /** Everything received, as text. */
  get raw(): string {
    return this.rawChunks.join('');
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  get isEnded(): boolean {
    return this.finished;
  }

  /** The events (not comments, not `retry`), as parsed JSON with their SSE id and type. */
  events(): Array<{ id: string | undefined; event: string | undefined; data: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
    return this.messages.filter((message) => message.data !== undefined).map((message) => ({ id: message.id, event: message.event, data: JSON.parse(message.data!) }));
  }

  /** Waits for a message that satisfies the predicate (looking at those already received too). */
  async waitFor(predicate: (message: SseMessage) => boolean, timeoutMs = 10_000): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (this.finished) throw new Error(`the stream ended without the message; got ${JSON.stringify(this.messages).slice(0, 1000)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no such message within ${timeoutMs} ms; got ${JSON.stringify(this.messages).slice(-1000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  pause(): void {
    this.response.pause();
  }

  resume(): void {
    this.response.resume();
  }

  close(): void {
    this.response.destroy();
  }

  private feed(chunk: string): void {
    this.rawChunks.push(chunk);
    // Only the new chunk is searched for line ends: a long data line comes in many chunks.
    this.pending.push(chunk);
    if (!/[\r\n]/.test(chunk)) return;
    this.buffer += this.pending.join('');
    this.pending = [];
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + (this.buffer.startsWith('\r\n', newline) ? 2 : 1));
      this.line(line);
    }
    this.notify();
  }

  private line(line: string): void {
    if (line === '') {
      if (Object.keys(this.current).length > 0) this.messages.push(this.current);
      this.current = {};
      return;
    }
    if (line.startsWith(':')) {
      this.messages.push({ comment: line.slice(1).trim() });
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    this.current[field] = field === 'data' && this.current['data'] !== undefined ? `${this.current['data']}\n${value}` : value;
  }

  private notify(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }
}

/** Opens GET `path` with Accept: text/event-stream (unless the headers say otherwise) and resolves once the answer's headers arrived. */
export function openSse(baseUrl: string, path: string, options: { token: string; headers?: Record<string, string> }): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    // A connection of its own (no keep-alive pool): closing the stream closes it.
    const request = httpRequest(`${baseUrl}${path}`, {
      agent: false,
      headers: { accept: 'text/event-stream', authorization: `Bearer ${options.token}`, ...options.headers },
    }, (response) => resolve(new SseStream(response)));
    request.on('error', reject);
    request.end();
  });
}

/** The whole body of an answer that is not a stream (a refusal), parsed. */
export async function bodyOf(stream: SseStream): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
  await stream.ended;
  return JSON.parse(stream.raw);
}
