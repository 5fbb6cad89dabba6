import { performance } from 'node:perf_hooks';
import type { EventStore } from '@app/event-store';
import { handEditedLeaseProblem } from '@app/projections';
import { PROJECTOR_LEASE } from '../read-models/leased-projector';

/** How often the checkpoints and the log's head are compared while the projections run in another process. */
const SAMPLE_MS = 1_000;

export interface ProjectorWatchOptions {
  /** A projection behind the log's head whose checkpoint has not changed for this long is named (PROJECTION_STALL_MS). */
  readonly stallMs: number;
  /** Whether the projections run in this process now (its runner knows their state: nothing to watch). */
  readonly runsHere: () => boolean;
  /**
   * Each live read model's committed checkpoint in the read store, and `building`, the checkpoint of the generation
   * of its new version where one is being built beside the live one (after an upgrade nobody writes the live one
   * until the new one has caught up and replaces it: a rebuild of a large log takes minutes).
   */
  readonly checkpoints: () => Promise<ReadonlyArray<{ readonly projection: string; readonly position: number; readonly building?: number }>>;
  /** Who holds the projector lease, read from the read store; absent where this process takes part in the lease (it knows). */
  readonly leaseHolder?: () => Promise<string | null>;
  /** Milliseconds on a clock that only goes forwards; never the application's clock, which tests fix far off. */
  readonly monotonicNow?: () => number;
}

/** What the stores show of a projector in another process (ProjectorWatch.stalls). */
export interface ProjectorStalls {
  /** Whether a projector holds the projector lease; absent where this process takes part in the lease. */
  readonly leaseHeld?: boolean;
  /** The log's head at the last comparison. */
  readonly head: number;
  /** The read models standing at one checkpoint behind the head for `stallMs` or more, and for how long (seconds, monotonic). */
  readonly stalled: ReadonlyArray<{ readonly projection: string; readonly position: number; readonly seconds: number }>;
}

interface Standing {
  readonly position: number;
  /** The checkpoint of its new version's generation being built, if any: that moving is the projector moving. */
  readonly building: number | undefined;
  /** When this process first saw the read model behind the head at this position (monotonic ms). */
  since: number;
}

/**
 * What the API can tell of a projector that runs in another process (PROJECTIONS=external, or another
 * instance holding the lease) from the stores alone, when that projector cannot record it: a read store
 * that refuses its writes (a full disk), a hung or dead projector. The checkpoints are read from the read
 * store (reads go on on a full disk), the head from the event store, once a second, and a read model that
 * stays at one checkpoint behind the head for `stallMs` on the monotonic clock is named.
 */
export class ProjectorWatch {
  private readonly standing = new Map<string, Standing>();
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly eventStore: EventStore, private readonly options: ProjectorWatchOptions) {
    this.now = options.monotonicNow ?? (() => performance.now());
  }

  /** Nest's hooks: the watch runs while the app does. */
  onApplicationBootstrap(): void {
    this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  start(): void {
    if (this.timer) return;
    void this.sample();
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sampling;
  }

  /** One comparison of the checkpoints with the head (the timer's; exposed for tests). A store that cannot answer changes nothing. */
  sample(): Promise<void> {
    this.sampling ??= this.compare().catch(() => undefined).finally(() => {
      this.sampling = undefined;
    });
    return this.sampling;
  }

  /**
   * What the stores show of a projector in another process, for /health and /metrics: whether one holds the
   * lease (absent where this process takes part in it), and the read models that have not moved for `stallMs`
   * while an event waits after their checkpoint (but those in `failing`, named with their error). Undefined
   * while the projections run in this process (its runner knows their state).
   */
  async stalls(failing: ReadonlySet<string>): Promise<ProjectorStalls | undefined> {
    if (this.options.runsHere()) return undefined;
    const holder = this.options.leaseHolder ? await this.options.leaseHolder() : undefined;
    const now = this.now();
    const byPosition = new Map<number, Array<{ projection: string; position: number; seconds: number }>>();
    for (const [projection, { position, since }] of this.standing) {
      if (failing.has(projection) || now - since < this.options.stallMs) continue;
      // Whole milliseconds, as the other gauges: the monotonic clock's fractions gave 4.3795381440000005.
      byPosition.set(position, [...(byPosition.get(position) ?? []), { projection, position, seconds: Math.round(now - since) / 1000 }]);
    }
    // Positions are opaque (byte offsets on KurrentDB, where the head may be a system event): the log says whether an event waits.
    const stalled = await Promise.all([...byPosition].map(async ([position, group]) => ((await this.eventWaitsAfter(position)) ? group : [])));
    return { ...(holder === undefined ? {} : { leaseHeld: holder !== null }), head: this.head, stalled: stalled.flat() };
  }

  /** In words, for /health: the read models that stand still while the log grows, and a lease that nobody holds. Nothing while the projections run in this process. */
  async problems(failing: ReadonlySet<string>): Promise<string[]> {
    const stalls = await this.stalls(failing);
    if (stalls === undefined) return [];
    // A holder edited by hand holds the lease for nobody (PROJECTIONS=external here: the store says who holds it).
    const handEdited = this.options.leaseHolder ? handEditedLeaseProblem(PROJECTOR_LEASE, await this.options.leaseHolder()) : undefined;
    const lease = handEdited !== undefined ? [handEdited] : stalls.leaseHeld === false
      ? ['no projector holds the projector lease (given up, or not renewed within LEASE_TTL_MS): no projection runs, nor the work beside them (SLA monitors, notifications, webhooks); start one (npm run start:projector), or read in its log why it stopped']
      : [];
    // One line per checkpoint: a full read store stops every projection at once, usually at one position.
    const byPosition = new Map<number, { projections: string[]; seconds: number }>();
    for (const { projection, position, seconds } of stalls.stalled) {
      const group = byPosition.get(position) ?? { projections: [], seconds };
      group.projections.push(projection);
      group.seconds = Math.min(group.seconds, seconds);
      byPosition.set(position, group);
    }
    const lines = [...byPosition].map(([position, { projections, seconds }]) => {
      const names = projections.length === 1 ? `projection ${projections[0]!} has` : `projections ${projections.join(', ')} have`;
      return `${names} not moved from position ${position} for ${Math.floor(seconds)} s while the log's head moved on to ${stalls.head}: `
        + 'their projector is stopped, hung or cannot write to the read store (a full disk?); read its log';
    });
    return [...lease, ...lines];
  }

  private async compare(): Promise<void> {
    if (this.options.runsHere()) {
      this.standing.clear();
      return;
    }
    const [head, checkpoints] = await Promise.all([this.eventStore.headPosition(), this.options.checkpoints()]);
    const now = this.now();
    this.head = head;
    const seen = new Set<string>();
    for (const { projection, position, building } of checkpoints) {
      seen.add(projection);
      const standing = this.standing.get(projection);
      if (position >= head || (building ?? 0) >= head) this.standing.delete(projection);
      else if (standing?.position !== position || standing.building !== building) this.standing.set(projection, { position, building, since: now });
    }
    for (const projection of this.standing.keys()) if (!seen.has(projection)) this.standing.delete(projection);
  }

  private async eventWaitsAfter(position: number): Promise<boolean> {
    const page = await this.eventStore.readAll(position === 0 ? { maxCount: 1 } : { fromPosition: position, maxCount: 2 });
    return page.some((event) => event.position > position);
  }
}
