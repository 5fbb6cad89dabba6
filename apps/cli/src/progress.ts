/** A rate measured over less than this says more about the start than the speed (the first line of a tiny store read "1 events, 21 events/s ETA 7s"). */
const MEASURE_AFTER_MS = 1_000;

/** Progress of a long command: a bar on a terminal, a plain line every few seconds otherwise. */
export class Progress {
  private readonly started = Date.now();
  /**
   * The first line waits one interval as the others do: printed at once it always read "1 event",
   * a count that is not the log's (on a small store, the line before the real one).
   */
  private lastLine = this.started;
  private done = 0;
  /** Through the log: the position of the last event counted. */
  private position = 0;
  /** Of the events counted, those written (an export with a filter scans more than it writes); undefined when not told apart. */
  private written: number | undefined;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly unit = 'events',
    private readonly throughPositions = false,
  ) {}

  /**
   * Progress through the event log up to its head: events are counted, and how far it has gone is
   * the position reached against the head's. Positions are opaque (bytes on KurrentDB), so the head
   * position is no count of events and is never shown as one.
   */
  static throughLog(label: string, headPosition: number, out: NodeJS.WriteStream = process.stderr): Progress {
    return new Progress(label, headPosition, out, 'events', true);
  }

  /** Counts the events written apart from those scanned (passed); the lines then say both. */
  countingWritten(): this {
    this.written = 0;
    return this;
  }

  /** One more event written, of those passed. */
  wrote(count = 1): void {
    this.written = (this.written ?? 0) + count;
  }

  /** Through the log: one more event, at this position. */
  passed(position: number, count = 1): void {
    this.position = Math.max(this.position, position);
    this.advance(count);
  }

  /** Sets how much is done (for progress measured in a running total, such as bytes read). */
  reach(done: number): void {
    this.advance(done - this.done);
  }

  advance(count = 1): void {
    this.done += count;
    const now = Date.now();
    if (this.out.isTTY ? now - this.lastLine >= 100 : now - this.lastLine >= 5000) {
      this.lastLine = now;
      this.render(false);
    }
  }

  finish(): void {
    this.render(true);
  }

  private render(final: boolean): void {
    const elapsedMs = Date.now() - this.started;
    const seconds = Math.max(0.001, elapsedMs / 1000);
    const rate = Math.round(this.done / seconds);
    const reached = this.throughPositions ? this.position : this.done;
    const fraction = this.total > 0 ? Math.min(1, reached / this.total) : 1;
    // Along the way, no rate and no ETA until there is something to measure them on; the last line has the whole run's.
    const measured = final || (elapsedMs >= MEASURE_AFTER_MS && this.done > 0);
    const eta = this.throughPositions
      ? (fraction > 0 && fraction < 1 ? `ETA ${Math.ceil((seconds * (1 - fraction)) / fraction)}s` : '')
      : (rate > 0 && this.total > this.done ? `ETA ${Math.ceil((this.total - this.done) / rate)}s` : '');
    // The unit follows the count through the log, else the total ("1 event", "1/300 events").
    const unit = (this.throughPositions ? this.done : this.total) === 1 ? this.unit.replace(/s$/, '') : this.unit;
    const count = this.throughPositions ? this.done.toLocaleString('en-US') : `${this.done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')}`;
    // The rate is of the events scanned: a filter that writes few scans as fast.
    const speed = measured ? `, ${rate.toLocaleString('en-US')} ${this.unit}${this.written === undefined ? '' : ' scanned'}/s ${final ? `in ${seconds.toFixed(1)}s` : eta}`.trimEnd() : '';
    const counts = this.written === undefined
      ? `${count} ${unit}`
      : `${this.written.toLocaleString('en-US')} ${this.written === 1 ? this.unit.replace(/s$/, '') : this.unit} written, ${count} scanned`;
    const text = `${this.label}: ${counts}${speed}`;
    if (this.out.isTTY) {
      const width = 24;
      const filled = Math.round(fraction * width);
      this.out.write(`\r[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${Math.round(fraction * 100)}% ${text}${final ? '\n' : ''}`);
    } else this.out.write(`${text}\n`);
  }
}
