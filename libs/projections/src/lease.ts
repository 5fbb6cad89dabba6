import type { ReadStore } from '@app/read-store';
import { loggedLeaseHolder } from './lease-holder';

export interface LeaseOptions {
  /** Lease name in the read store: every projector instance of one deployment uses the same. */
  readonly name: string;
  /** This instance (host, pid, a random part): unique among the instances. */
  readonly holder: string;
  /** How long a lease lasts without renewal: the longest a crashed holder keeps the others waiting. */
  readonly ttlMs: number;
  /** How often the lease is renewed (and, unless retryMs says otherwise, tried while waiting): well under ttlMs. */
  readonly renewMs: number;
  /**
   * How often a waiting instance tries (default renewMs): shorter, it takes over soon after the holder
   * gives the lease up or dies, at the cost of one small write per try.
   */
  readonly retryMs?: number;
  /** Starts the work the lease guards (the projections and the SLA monitor). */
  readonly start: () => Promise<void>;
  /** Stops it: called when the lease is lost and on close. */
  readonly stop: () => Promise<void>;
  readonly onChange?: (state: 'active' | 'waiting', detail: string) => void;
  readonly onError?: (error: unknown) => void;
  /**
   * Whether a holder is known to be dead (leaseHolderIsGone: its process on this host is gone). Its
   * lease is then taken over at once instead of after the ttl, through the store's conditional takeover.
   */
  readonly holderIsGone?: (holder: string) => boolean;
}

/**
 * Runs work only while holding a lease in the read store, so a second projector waits instead of
 * double-writing. Renews every `renewMs`; if a renewal finds the lease taken (this process was
 * paused past the ttl), it stops the work at once. The runner's fenced commits cover the short
 * window before that renewal: a stale runner's commit is refused, never applied twice.
 */
export class Lease {
  private active = false;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private closed = false;
  private waitingAnnounced = false;
  private holder: string | null = null;

  constructor(private readonly store: ReadStore, private readonly options: LeaseOptions) {
    if (options.renewMs >= options.ttlMs) throw new Error('the lease must be renewed more often than it expires');
  }

  get isActive(): boolean {
    return this.active;
  }

  /** Who held the lease at the last renewal or attempt: this instance while active; null if nobody did. */
  get heldBy(): string | null {
    return this.holder;
  }

  /** Tries at once, then keeps renewing or trying in the background. */
  async begin(): Promise<void> {
    await this.tick();
    this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.tick().then(() => this.schedule()), this.active ? this.options.renewMs : this.options.retryMs ?? this.options.renewMs);
  }

  /** One renewal or attempt (exposed so tests can drive it). */
  tick(): Promise<void> {
    this.ticking = this.ticking.then(() => this.step()).catch((error: unknown) => this.options.onError?.(error));
    return this.ticking;
  }

  private async step(): Promise<void> {
    if (this.closed) return;
    let held: boolean;
    let replaced: string | null = null;
    try {
      held = await this.store.acquireLease(this.options.name, this.options.holder, this.options.ttlMs);
      if (!held) {
        this.holder = await this.store.leaseHolder(this.options.name);
        if (this.holder !== null && this.holder !== this.options.holder && this.options.holderIsGone?.(this.holder)) {
          // Only that holder's lease is taken: if another instance replaced it first, this one waits.
          held = await this.store.acquireLease(this.options.name, this.options.holder, this.options.ttlMs, { replacing: this.holder });
          if (held) replaced = this.holder;
        }
      }
    } catch (error) {
      // The store cannot say: keep working until the lease would have expired, then the fence holds.
      this.options.onError?.(error);
      // The wait is said again at the first try that goes through: what was said before the failures may be stale.
      this.waitingAnnounced = false;
      return;
    }
    if (held) this.holder = this.options.holder;
    if (held && !this.active) {
      this.active = true;
      const took = replaced === null ? '' : ` (taken over at once from ${loggedLeaseHolder(replaced)}, whose process is gone)`;
      this.options.onChange?.('active', `holding lease ${this.options.name} as ${this.options.holder}${took}`);
      // The start (threads to launch, stores to open) can outlast the lease on a loaded machine: it is renewed meanwhile.
      const renewals = this.renewWhileStarting();
      let started = true;
      try {
        await this.options.start();
      } catch (error) {
        started = false;
        await renewals.end();
        // Work that cannot start here is left to another instance: what started is stopped and the lease given up.
        this.active = false;
        this.options.onError?.(error);
        await this.options.stop().catch((stopError: unknown) => this.options.onError?.(stopError));
        await this.store.releaseLease(this.options.name, this.options.holder).catch((releaseError: unknown) => this.options.onError?.(releaseError));
        // Given up by this instance; a holder a renewal found meanwhile (another instance) is still the holder.
        if (this.holder === this.options.holder) this.holder = null;
      }
      if (started && (await renewals.end())) {
        this.active = false;
        this.options.onChange?.('waiting', `lost lease ${this.options.name} while starting: stopping`);
        await this.options.stop();
      }
    } else if (!held && this.active) {
      this.active = false;
      this.options.onChange?.('waiting', `lost lease ${this.options.name}: stopping`);
      await this.options.stop();
    } else if (!held && !this.waitingAnnounced) {
      // Said once per wait, not at every attempt.
      this.waitingAnnounced = true;
      // The holder as the store has it, escaped: a row edited by hand may hold anything.
      // Refused with no holder: the store holds a lease back after its table was made again (a holder may still work, docs/adr/0005).
      const holder = this.holder === null ? 'nobody, but not free to take yet (its table was made again: a holder that lost its row may still be working)' : loggedLeaseHolder(this.holder);
      this.options.onChange?.('waiting', `lease ${this.options.name} is held by ${holder}: waiting`);
    }
    if (held) this.waitingAnnounced = false;
  }

  /**
   * Stops the work and gives the lease up, when the work cannot go on here (a projection runner the checkpoint fence stopped
   * for good: another process wrote beside it). Holding the lease with nothing running kept every instance's read models
   * still; given up, the next try of any instance (this one's too) takes it and starts the work anew from the checkpoints.
   * Nothing when the lease is not held here.
   */
  giveUp(reason: string): Promise<void> {
    this.ticking = this.ticking.then(async () => {
      if (this.closed || !this.active) return;
      this.active = false;
      this.options.onChange?.('waiting', `gave lease ${this.options.name} up: ${reason}`);
      await this.options.stop();
      await this.store.releaseLease(this.options.name, this.options.holder);
      if (this.holder === this.options.holder) this.holder = null;
    }).catch((error: unknown) => this.options.onError?.(error));
    return this.ticking;
  }

  /**
   * Renews the lease every renewMs while the work starts (the ticks wait for the start, so without this
   * nothing renewed it: a start longer than the ttl let another instance take the lease over). `end()`
   * stops the renewals and says whether one found the lease held by another.
   */
  private renewWhileStarting(): { end: () => Promise<boolean> } {
    let lost = false;
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = renewing.then(async () => {
        // Renewed while a close waits for this start too: the close releases the lease only after the start ends.
        if (lost) return;
        try {
          lost = !(await this.store.acquireLease(this.options.name, this.options.holder, this.options.ttlMs));
          // heldBy names who holds it now, not this instance, from the renewal that found it lost (the work stops once started).
          if (lost) this.holder = await this.store.leaseHolder(this.options.name).catch(() => null);
        } catch (error) {
          // As at a tick: the store cannot say, so the work goes on until the lease would have expired.
          this.options.onError?.(error);
        }
      });
    }, this.options.renewMs);
    return {
      end: async () => {
        clearInterval(timer);
        await renewing;
        return lost;
      },
    };
  }

  /** Stops the work if running and gives the lease up, so another instance takes over at once. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    if (this.active) {
      this.active = false;
      await this.options.stop();
      await this.store.releaseLease(this.options.name, this.options.holder);
    }
  }
}
