import { ACCESS_CONTROL_STREAM } from '@app/domain';
import { EventStore, StreamNotFoundError } from '@app/event-store';
import { signSeal, type Seal, type SealLog } from './log-seals';
import { LogFold, eventsAfter } from './log-verification';

export interface LogSealerOptions {
  /** The log's identity (seals of another log are never compared). */
  readonly logId: string;
  /** Who seals: `api`, `cli:<login>`. */
  readonly by: string;
  readonly now: () => Date;
  /** Told of each seal written (a witness that keeps a copy elsewhere). */
  readonly onSeal?: (seal: Seal) => void;
  /** Told when the log no longer holds what the last seal saw: logged loudly, sealing goes on. */
  readonly onProblem?: (message: string) => void;
}

/** How sealing has gone: the last run that succeeded, and the failure of the runs since, if they failed. */
export interface SealerHealth {
  /** When a run last succeeded (a seal written, or none needed as the log had not moved); null before the first. */
  readonly lastSealAt: string | null;
  /** Set while the latest run failed: its error, since when runs fail, and how many did. */
  readonly failure: { readonly error: string; readonly since: string; readonly attempts: number } | null;
}

/**
 * Seals the head of the log (docs/adr/0010): folds the events written since the last seal into
 * the whole-log chain and writes a signed seal. It continues from the newest seal in the seal log
 * (its own or another process's), so seals of several processes agree; and before each seal it
 * checks, cheaply, that the log still holds the last sealed event and access-control revision.
 */
export class LogSealer {
  private fold: LogFold | undefined;
  private lastLine = 0;
  private running: Promise<Seal | undefined> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly reported = new Set<string>();
  private lastSealAt: string | null = null;
  private failure: SealerHealth['failure'] = null;

  constructor(
    private readonly store: EventStore,
    private readonly seals: SealLog,
    private readonly key: Buffer,
    private readonly options: LogSealerOptions,
  ) {}

  /** Seals every `intervalMs` while the head moves. */
  startEvery(intervalMs: number): void {
    this.timer = setInterval(() => void this.seal().catch((error: unknown) => this.options.onProblem?.(`sealing failed: ${(error as Error).message}`)), intervalMs);
    this.timer.unref();
  }

  /** How sealing has gone (for /health). */
  health(): SealerHealth {
    return { lastSealAt: this.lastSealAt, failure: this.failure };
  }

  /** Stops the timer and writes a last seal (on shutdown). */
  async stop(): Promise<Seal | undefined> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return this.seal();
  }

  /**
   * Writes a seal if the log moved since the last one (always, when the seal log has none yet).
   * Calls never overlap: one that arrives while another runs waits for it and runs after.
   */
  async seal(): Promise<Seal | undefined> {
    const before = this.running ?? Promise.resolve(undefined);
    const run = before.catch(() => undefined).then(() => this.sealOnce());
    this.running = run;
    try {
      const seal = await run;
      this.lastSealAt = this.options.now().toISOString();
      this.failure = null;
      return seal;
    } catch (error) {
      // Kept for /health: a sealer that fails every interval is otherwise only a log line.
      this.failure = { error: (error as Error).message, since: this.failure?.since ?? this.options.now().toISOString(), attempts: (this.failure?.attempts ?? 0) + 1 };
      throw error;
    } finally {
      if (this.running === run) this.running = undefined;
    }
  }

  private async sealOnce(): Promise<Seal | undefined> {
    await this.adoptNewerSeals();
    const fold = this.fold ?? new LogFold();
    this.fold = fold;
    await this.checkContinuity(fold);
    const positionBefore = fold.position;
    for await (const event of eventsAfter(this.store, fold.position)) fold.add(event);
    if (fold.position === positionBefore && this.lastLine > 0) return undefined;
    const seal = signSeal(this.key, fold.body(this.options.logId, this.options.by, this.options.now().toISOString()));
    await this.seals.append(seal);
    this.options.onSeal?.(seal);
    return seal;
  }

  /** The newest authentic seal of this log that another process (or this one) wrote is where folding continues. */
  private async adoptNewerSeals(): Promise<void> {
    const entries = await this.seals.readAfter(this.lastLine);
    for (const entry of entries) {
      this.lastLine = Math.max(this.lastLine, entry.line);
      if (entry.seal === undefined || !entry.authentic || entry.seal.log !== this.options.logId) continue;
      this.fold = LogFold.from(entry.seal);
    }
  }

  private async checkContinuity(fold: LogFold): Promise<void> {
    if (fold.position > 0) {
      const [atSeal] = await this.store.readAll({ fromPosition: fold.position, maxCount: 1 });
      if (atSeal?.position !== fold.position || atSeal.eventId !== fold.headEventId) {
        this.problem(`log@${fold.position}`, `the log no longer holds the event at position ${fold.position} that the last seal covered (event ${fold.headEventId}): events were removed or moved; run \`complaint-desk verify\``);
      }
    }
    if (fold.accessRevision >= 0) {
      let hash: unknown;
      try {
        hash = (await this.store.readStream(ACCESS_CONTROL_STREAM, { fromRevision: fold.accessRevision, maxCount: 1 }))[0]?.metadata['hash'];
      } catch (error) {
        if (!(error instanceof StreamNotFoundError)) throw error;
      }
      if (hash !== fold.accessHash) {
        this.problem(`access@${fold.accessRevision}`, `the access-control history no longer holds revision ${fold.accessRevision} as sealed: a grant or revocation was removed or changed; run \`complaint-desk verify\``);
      }
    }
  }

  private problem(id: string, message: string): void {
    if (this.reported.has(id)) return;
    this.reported.add(id);
    this.options.onProblem?.(message);
  }
}
