/** How long a catch-up may stand still before a wait for it gives up, unless told otherwise. */
export const DEFAULT_CATCH_UP_STALL_MS = 30_000;
/** How often a wait for a catch-up looks at the positions. */
const LOOK_EVERY_MS = 5;

/** The clock of a wait for a catch-up: the real one, or a fake one in a test. */
export interface WaitClock {
  /** Milliseconds, from any origin (only differences are used). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: WaitClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * How long to wait for a catch-up. A long replay on a loaded machine may take any time: the wait gives up
 * when the projections stop moving, not when they are slow.
 */
export interface CatchUpWait {
  /**
   * How long the positions may stand still (no projection behind moves; one caught up that follows live writes is not moving the catch-up) before the wait gives up
   * (default DEFAULT_CATCH_UP_STALL_MS): a catch-up that moves is waited for, however long it takes.
   */
  readonly stallMs?: number;
  /** The longest the whole wait may take, moving or not (none unless given): for a caller with a deadline of its own. */
  readonly deadlineMs?: number;
  /** The clock (a test's fake one; the real one unless given). */
  readonly clock?: WaitClock;
}

/** What a look at the projections finds: whether all have caught up, and each one's position. */
export interface CatchUpLook {
  readonly caughtUp: boolean;
  readonly positions: Readonly<Record<string, { readonly position: number; readonly caughtUp: boolean }>>;
}

/** A number is the stall limit (what `caughtUp(timeoutMs)` meant before, now counted from the last move). */
export const catchUpWait = (wait: number | CatchUpWait | undefined): CatchUpWait => (typeof wait === 'number' ? { stallMs: wait } : wait ?? {});

/** A wait for a catch-up that gave up: the projections stood still for the stall limit, or the deadline passed. */
export class CatchUpTimeoutError extends Error {
  constructor(
    message: string,
    /** The projections still behind, with their positions and how long each has stood there (ms). */
    readonly behind: ReadonlyArray<{ readonly projection: string; readonly position: number; readonly stillMs: number }>,
    /** Where they are going (the log's head, or the runner's last position), when known. */
    readonly target: number | undefined,
  ) {
    super(message);
    this.name = 'CatchUpTimeoutError';
  }
}

/**
 * Looks at the projections until `look` says they have all caught up. Gives up (CatchUpTimeoutError) once
 * none of them has moved for the stall limit, or at the deadline if there is one; the error names the
 * projections behind, their positions, the target position (from `target`, asked then) and how long
 * they have stood still. `look` may throw to end the wait (a stop, a projection's failure).
 */
export async function waitForCatchUp(look: () => CatchUpLook, wait: CatchUpWait, target?: () => Promise<number | undefined>): Promise<void> {
  const clock = wait.clock ?? REAL_CLOCK;
  const stallMs = wait.stallMs ?? DEFAULT_CATCH_UP_STALL_MS;
  const started = clock.now();
  /**
   * Each projection's last position seen, whether it had caught up, and when it last moved. A move is a projection behind whose
   * position changed (a relaunch that starts it again from 0 climbs back: that is moving too), or one that has just caught up;
   * a caught-up one following live writes is not the catch-up moving, so it keeps no wait alive.
   */
  const last = new Map<string, { position: number; caughtUp: boolean; at: number }>();
  let movedAt = started;
  let first = true;
  for (;;) {
    const seen = look();
    if (seen.caughtUp) return;
    const now = clock.now();
    for (const [name, { position, caughtUp }] of Object.entries(seen.positions)) {
      const before = last.get(name);
      const moved = before === undefined || (caughtUp ? !before.caughtUp : position !== before.position);
      last.set(name, { position, caughtUp, at: moved ? now : before.at });
      // The first look is the start, not a move: a runner that never moves gives up stallMs after the wait began.
      // A projection first reported later (a worker thread that has started) has moved.
      if (moved && !first) movedAt = now;
    }
    first = false;
    const stalled = now - movedAt >= stallMs;
    const late = wait.deadlineMs !== undefined && now - started >= wait.deadlineMs;
    if (stalled || late) {
      const behind = Object.entries(seen.positions).filter(([, state]) => !state.caughtUp)
        .map(([projection, { position }]) => ({ projection, position, stillMs: now - (last.get(projection)?.at ?? started) }));
      const to = await target?.().catch(() => undefined);
      throw new CatchUpTimeoutError(timeoutMessage(behind, to, stalled ? { stallMs } : { deadlineMs: wait.deadlineMs!, waitedMs: now - started }), behind, to);
    }
    await clock.sleep(LOOK_EVERY_MS);
  }
}

function timeoutMessage(
  behind: ReadonlyArray<{ readonly projection: string; readonly position: number; readonly stillMs: number }>,
  target: number | undefined,
  why: { stallMs: number } | { deadlineMs: number; waitedMs: number },
): string {
  const of = target === undefined ? '' : ` of ${target}`;
  const names = behind.length === 0
    ? 'not every projection has reported its position yet'
    : behind.map((each) => `${each.projection} at position ${each.position}${of} (unmoved for ${duration(each.stillMs)})`).join(', ');
  return 'stallMs' in why
    ? `projections did not catch up: none moved for ${duration(why.stallMs)}: ${names}. A slow catch-up that moves is waited for; `
      + 'one that stands still is stuck (see failing() and the log), or give it a longer stall limit'
    : `projections did not catch up within the deadline of ${duration(why.deadlineMs)} (waited ${duration(why.waitedMs)}): ${names}`;
}

const duration = (ms: number): string => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);
