import { randomUUID } from 'node:crypto';
import { KeyedTurns } from './keyed-turns';

/**
 * The leases that make turns hold across processes on the same stores: the read store's
 * (`acquireLease`/`releaseLease`, SQLite and MongoDB), which every API instance on one data directory
 * or one database shares. Taking a lease for `holder` is atomic in the store; a lease nobody renews
 * runs out after `ttlMs` on the store's clock, so a holder that died (kill -9) blocks its key no longer.
 */
export abstract class TurnLeases {
  abstract acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  abstract releaseLease(name: string, holder: string): Promise<void>;
}

/** Another process held the key's turn for longer than a request may wait: nothing was written; try again. */
export class TurnBusyError extends Error {
  readonly code = 'turn-busy';
  readonly retryAfterSeconds = 1;
  constructor(readonly key: string, waitedMs: number) {
    super(`Another API instance is still working on ${key} after ${waitedMs} ms; nothing was written. Try again in a second.`);
  }
}

export interface SharedTurnsOptions {
  /** The lease's life without renewal: how long a holder that died blocks the key. */
  readonly ttlMs?: number;
  /** How long a turn waits for another process's before it is refused (TurnBusyError). */
  readonly waitMs?: number;
}

/**
 * Turns per key that hold across API instances (docs/adr/0019, docs/adr/0012): the in-process turn
 * first (so a process never polls against itself), then a short lease named `<prefix>:<key>` in the
 * read store, taken around the same work, renewed while it runs and released when it ends however it
 * ended. A turn waits for another process's lease at most `waitMs`, then answers TurnBusyError (503,
 * Retry-After) without starting its work; a dead holder's lease runs out after `ttlMs`. Without
 * leases (unit tests that build a handler by hand) the turns hold within this process only.
 */
export class SharedTurns {
  private readonly local = new KeyedTurns();
  private readonly ttlMs: number;
  private readonly waitMs: number;

  constructor(private readonly leases: TurnLeases | undefined, private readonly prefix: string, options: SharedTurnsOptions = {}) {
    this.ttlMs = options.ttlMs ?? 3_000;
    this.waitMs = options.waitMs ?? 5_000;
  }

  /**
   * `untilFree`: wait for another process's turn however long it takes (its lease runs out if it died),
   * never TurnBusyError: for work that completes what is already recorded (an erasure's file deletion
   * after the erasure is in the log), where "nothing was written" would not be true.
   */
  inTurn<T>(key: string, work: () => Promise<T>, options: { readonly untilFree?: boolean } = {}): Promise<T> {
    const leases = this.leases;
    if (!leases) return this.local.inTurn(key, work);
    return this.local.inTurn(key, async () => {
      const name = `${this.prefix}:${key}`;
      const holder = randomUUID();
      await this.take(leases, name, holder, options.untilFree ? Number.POSITIVE_INFINITY : this.waitMs);
      // Renewed well before it runs out, so a long piece of work (a big upload's put) keeps its turn.
      const renewal = setInterval(() => void leases.acquireLease(name, holder, this.ttlMs).catch(() => undefined), Math.max(10, Math.floor(this.ttlMs / 3)));
      renewal.unref?.();
      try {
        return await work();
      } finally {
        clearInterval(renewal);
        await leases.releaseLease(name, holder).catch(() => undefined);
      }
    });
  }

  private async take(leases: TurnLeases, name: string, holder: string, waitMs: number): Promise<void> {
    const started = Date.now();
    let pause = 5;
    while (!(await leases.acquireLease(name, holder, this.ttlMs))) {
      const waited = Date.now() - started;
      if (waited >= waitMs) throw new TurnBusyError(name, waited);
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, waitMs - waited)));
      pause = Math.min(pause * 2, 100);
    }
  }
}
