/**
 * The reads that cost the server real work: lists of up to 200 rows, statistics, SLA views,
 * customers and the audit views (each reads and parses many documents or events). One principal
 * may have only a few of them in flight at once, so that however many connections it opens, the
 * others are still served. Cheap routes (health, one complaint, commands, the taxonomy) are not
 * counted. `fairness.spec.ts` checks that every name here is a route the app serves.
 */
export const HEAVY_READS: ReadonlySet<string> = new Set([
  'GET /complaints',
  'GET /sla/breaches',
  'GET /sla/at-risk',
  'GET /sla/compliance',
  'GET /stats/complaints',
  'GET /customers',
  'GET /customers/:id',
  'GET /customers/files',
  'GET /customers/alerts',
  'GET /customers/importance-loyalty',
  'GET /customers/:id/events',
  'GET /webhooks/:webhookId/deliveries',
  'GET /audit/decisions',
  'GET /audit/access',
  'GET /audit/verify',
  'GET /complaints/:id/trail',
  'GET /complaints/:id/events',
  'GET /access/tokens',
  'GET /work-orders',
  'GET /work-orders/board',
  'GET /stats/engineers',
  'GET /stats/stations',
  'GET /stats/repair-fees',
]);

/** A heavy read refused because its principal already has as many as it may in flight (and waiting). */
export class TooManyInFlightError extends Error {
  readonly retryAfterSeconds = 1;
  constructor(readonly limit: number) {
    super(`Too many expensive reads at once for this principal (at most ${limit} in flight); try again in 1 s.`);
  }
}

interface Waiter {
  readonly grant: (release: () => void) => void;
  readonly refuse: (error: Error) => void;
}

interface Lane {
  inFlight: number;
  readonly waiting: Waiter[];
}

/**
 * At most `limit` holders per key at once; up to `queue` more wait (first come, first served) for
 * at most `waitMs`; past that, TooManyInFlightError. A lane with nobody in it is forgotten, so the
 * map holds only the principals busy right now.
 */
export class ConcurrencyLimiter {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly settings: { readonly perPrincipal: number; readonly queue: number; readonly waitMs: number }) {}

  get enabled(): boolean {
    return this.settings.perPrincipal > 0;
  }

  /** How many keys hold or wait for a place right now. */
  get size(): number {
    return this.lanes.size;
  }

  /** How many places are held right now, over every key (for tests and diagnosis). */
  get holding(): number {
    let held = 0;
    for (const lane of this.lanes.values()) held += lane.inFlight;
    return held;
  }

  /**
   * A place for the key: resolves with its release (call it once, when the work is done), or
   * rejects with TooManyInFlightError. An aborted signal while waiting gives the turn up.
   */
  acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    if (!this.enabled) return Promise.resolve(() => undefined);
    const lane = this.lanes.get(key) ?? { inFlight: 0, waiting: [] };
    this.lanes.set(key, lane);
    if (lane.inFlight < this.settings.perPrincipal) {
      lane.inFlight += 1;
      return Promise.resolve(this.releaser(key, lane));
    }
    if (lane.waiting.length >= this.settings.queue || this.settings.waitMs === 0 || signal?.aborted) {
      this.forgetIfIdle(key, lane);
      return Promise.reject(new TooManyInFlightError(this.settings.perPrincipal));
    }
    return new Promise((resolve, reject) => {
      const leave = (error: Error) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = lane.waiting.indexOf(waiter);
        if (index >= 0) lane.waiting.splice(index, 1);
        this.forgetIfIdle(key, lane);
        reject(error);
      };
      const waiter: Waiter = {
        grant: (release) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        refuse: leave,
      };
      // Nobody reads the answer of a caller who went away; the error only ends the wait.
      const onAbort = () => leave(new TooManyInFlightError(this.settings.perPrincipal));
      const timer = setTimeout(() => leave(new TooManyInFlightError(this.settings.perPrincipal)), this.settings.waitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      lane.waiting.push(waiter);
    });
  }

  private releaser(key: string, lane: Lane): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The place passes straight to the first waiter, so a newcomer cannot jump the queue.
      const next = lane.waiting.shift();
      if (next) next.grant(this.releaser(key, lane));
      else {
        lane.inFlight -= 1;
        this.forgetIfIdle(key, lane);
      }
    };
  }

  private forgetIfIdle(key: string, lane: Lane): void {
    if (lane.inFlight === 0 && lane.waiting.length === 0 && this.lanes.get(key) === lane) this.lanes.delete(key);
  }
}

/**
 * Heavy reads take turns on the event loop: one starts per turn of the loop, principals in
 * rotation. A read of the embedded store runs synchronously from its start to its answer (query,
 * parse, serialise: milliseconds), so without turns 64 requests that arrived together ran back
 * to back while everybody else's waited in the socket buffers — and none was ever "in flight"
 * for the per-principal limit to count. With turns, sockets are polled between two heavy reads,
 * a newcomer of another principal is served after at most one read of each busy principal, and
 * a flood piles up in its own lane, where the limit sees it.
 */
export class FairTurns {
  /** Waiting starts per principal; the map's order is the rotation. */
  private readonly lanes = new Map<string, Array<() => void>>();
  private scheduled = false;

  /** Resolves when it is this key's turn to start one heavy read. */
  turn(key: string): Promise<void> {
    return new Promise((resolve) => {
      const lane = this.lanes.get(key);
      if (lane) lane.push(resolve);
      else this.lanes.set(key, [resolve]);
      this.schedule();
    });
  }

  get waiting(): number {
    let count = 0;
    for (const lane of this.lanes.values()) count += lane.length;
    return count;
  }

  private schedule(): void {
    if (this.scheduled || this.lanes.size === 0) return;
    this.scheduled = true;
    // setImmediate: the next start waits until the loop has polled its sockets once more.
    setImmediate(() => this.next());
  }

  private next(): void {
    this.scheduled = false;
    const first = this.lanes.entries().next();
    if (!first.done) {
      const [key, lane] = first.value;
      const start = lane.shift()!;
      // To the back of the rotation, if it has more waiting.
      this.lanes.delete(key);
      if (lane.length > 0) this.lanes.set(key, lane);
      start();
    }
    this.schedule();
  }
}
