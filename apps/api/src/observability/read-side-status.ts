import type { EventStore } from '@app/event-store';
import type { ProjectionFailure } from '@app/projections';
import type { SlaQuery } from '@app/read-models';
import type { ReadModelPosition } from '../read-models/read-model-position';
import type { ProjectorLeaseState, ProjectorState } from '../read-models/projection-worker';
import type { ReadSideGauges } from './metrics';
import type { ProjectorStalls, ProjectorWatch } from './projector-watch';

/** `behind` counts events up to this many (`behindAtLeast` says there are more): a read model that far behind is far behind, and the count costs a read of them. */
export const BEHIND_COUNT_LIMIT = 1000;

export interface ProjectionStatusRow {
  readonly projection: string;
  readonly position: number;
  /**
   * Events in the log after the read model's position, counted up to BEHIND_COUNT_LIMIT; 0 when caught
   * up. A count on every store, never a difference of positions (KurrentDB's are byte offsets).
   */
  readonly behind: number;
  /** More events than BEHIND_COUNT_LIMIT follow: `behind` is a lower bound (the count stopped there). */
  readonly behindAtLeast: boolean;
  /** Age of the oldest event the read model has not applied yet; 0 when caught up. */
  readonly lagSeconds: number;
}

/**
 * How far each live read model is behind the event log, measured from the stores (so it is right
 * whether the projector runs in this process or in its own), and the open SLA breaches.
 */
export class ReadSideStatus implements ReadSideGauges {
  constructor(
    private readonly eventStore: EventStore,
    private readonly readModels: ReadModelPosition,
    private readonly sla: SlaQuery,
    private readonly now: () => Date,
    private readonly projectorState: () => ProjectorState = () => ({ mode: 'external', state: 'elsewhere', restarts: 0, lastCrash: null }),
    private readonly leaseState: () => ProjectorLeaseState | null = () => null,
    private readonly backgroundProblems: () => Promise<string[]> = async () => [],
    private readonly watch?: ProjectorWatch,
  ) {}

  /**
   * What the stores show of a projector in another process that cannot record it itself (ProjectorWatch):
   * read models that stand still while the log grows (but those in `failing`), and a lease nobody holds.
   */
  elsewhere(failing: ReadonlySet<string>): Promise<string[]> {
    return this.watch ? this.watch.problems(failing) : Promise.resolve([]);
  }

  /** The same, as numbers for /metrics; undefined while the projections run in this process. */
  stalls(failing: ReadonlySet<string>): Promise<ProjectorStalls | undefined> {
    return this.watch ? this.watch.stalls(failing) : Promise.resolve(undefined);
  }

  /**
   * What keeps failing in the work beside the projections (notifications, webhooks, monitors: in this
   * process while it holds the projector lease, else as their holder recorded it in the read store)
   * and in this process's own following of the log (access control), in words.
   */
  background(): Promise<string[]> {
    return this.backgroundProblems();
  }

  /** The projector lease as this process sees it; null when it takes no part (PROJECTIONS=external). */
  lease(): ProjectorLeaseState | null {
    return this.leaseState();
  }

  /** Where the projections of this process run, and whether their worker thread has crashed (and how often). */
  projector(): ProjectorState {
    const state = this.projectorState();
    // /health is public: the crash's first line (its error and message), not its stack with this machine's paths; the log has the stack.
    return state.lastCrash === null ? state : { ...state, lastCrash: { ...state.lastCrash, message: publicCrashLine(state.lastCrash.message) } };
  }

  /** The projections that threw and wait for their retry, each at its checkpoint (the others go on). */
  failing(): Promise<ProjectionFailure[]> {
    return this.readModels.failing();
  }

  projectorRestarts(): number {
    return this.projectorState().restarts;
  }

  async projections(): Promise<ProjectionStatusRow[]> {
    const head = await this.eventStore.headPosition();
    // Read models at the same checkpoint (the usual case) share one read of what follows it.
    const after = new Map<number, Promise<{ behind: number; behindAtLeast: boolean; lagSeconds: number }>>();
    return Promise.all((await this.readModels.committed()).map(async ({ projection, position }): Promise<ProjectionStatusRow> => {
      if (position >= head) return { projection, position, behind: 0, behindAtLeast: false, lagSeconds: 0 };
      if (!after.has(position)) after.set(position, this.behind(position));
      return { projection, position, ...(await after.get(position)!) };
    }));
  }

  /**
   * The events after `position`, up to the limit, from the store: positions are opaque, so the read
   * starts at the checkpoint itself and skips it (never position + 1, never head − position). One
   * event past the limit tells an exact count of the limit from a lower bound.
   */
  private async behind(position: number): Promise<{ behind: number; behindAtLeast: boolean; lagSeconds: number }> {
    const page = await this.eventStore.readAll(position === 0 ? { maxCount: BEHIND_COUNT_LIMIT + 1 } : { fromPosition: position, maxCount: BEHIND_COUNT_LIMIT + 2 });
    const pending = page.filter((event) => event.position > position);
    const oldest = pending[0];
    const lagSeconds = oldest ? Math.max(0, (this.now().getTime() - Date.parse(oldest.recordedAt)) / 1000) : 0;
    return { behind: Math.min(pending.length, BEHIND_COUNT_LIMIT), behindAtLeast: pending.length > BEHIND_COUNT_LIMIT, lagSeconds };
  }

  openBreaches(): Promise<Record<string, number>> {
    return this.sla.openBreachCounts();
  }
}

/**
 * A crash as public /health shows it: its first line, with every absolute path cut to its last part (an ENOENT or EACCES
 * names the file it could not open: `open '…/data/read.sqlite'` is shown as `open 'read.sqlite'`). The log keeps it whole.
 */
export function publicCrashLine(message: string): string {
  return message.split('\n')[0]!.replace(/(?<![\w.~-])(?:[A-Za-z]:)?[\\/](?:[^\s'"`:,;()[\]{}<>\\/]+[\\/])+([^\s'"`:,;()[\]{}<>\\/]*)/g, '$1');
}
