import { CatchUpTimeoutError, catchUpWait, waitForCatchUp, type CatchUpLook, type WaitClock } from './catch-up-wait';

/** A clock that moves only when the wait sleeps: each sleep is `step` ms, and runs `onSleep` (the world moving meanwhile). */
function fakeClock(step: number, onSleep: () => void = () => undefined): WaitClock & { sleeps: number } {
  let now = 1_000_000;
  const clock = {
    sleeps: 0,
    now: () => now,
    sleep: async () => {
      now += step;
      clock.sleeps += 1;
      onSleep();
    },
  };
  return clock;
}

/** One projection `counts` that moves one position per sleep up to `stopAt`, caught up at `target`. */
function crawling(target: number, stopAt = target) {
  const world = { position: 0 };
  const look = (): CatchUpLook => ({ caughtUp: world.position >= target, positions: { counts: { position: world.position, caughtUp: world.position >= target } } });
  const move = () => {
    if (world.position < stopAt) world.position += 1;
  };
  return { world, look, move };
}

describe('waiting for a catch-up', () => {
  it('waits for a slow catch-up that keeps moving, however long it takes in all', async () => {
    // One position every 10 s (fake), 100 positions: 1,000 s in all, with a stall limit of 15 s.
    const { world, look, move } = crawling(100);
    const clock = fakeClock(10_000, move);
    await expect(waitForCatchUp(look, { stallMs: 15_000, clock })).resolves.toBeUndefined();
    expect(world.position).toBe(100);
    expect(clock.now() - 1_000_000).toBeGreaterThanOrEqual(1_000_000);
  });

  it('gives up once nothing has moved for the stall limit, naming the projection behind, its position, the target and how long it stood', async () => {
    // Moves to 40 in 40 s, then stands still; another projection has caught up.
    const { look, move } = crawling(90, 40);
    const clock = fakeClock(1000, move);
    const two = (): CatchUpLook => ({ caughtUp: false, positions: { ...look().positions, sla: { position: 90, caughtUp: true } } });
    const failure = await waitForCatchUp(two, { stallMs: 30_000, clock }, async () => 90).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CatchUpTimeoutError);
    expect((failure as Error).message).toMatch(/^projections did not catch up: none moved for 30 s: counts at position 40 of 90 \(unmoved for 30 s\)\. /);
    expect((failure as Error).message).not.toMatch(/sla/);
    expect(failure).toMatchObject({ behind: [{ projection: 'counts', position: 40, stillMs: 30_000 }], target: 90 });
    // It waited 40 s of moves and then 30 s of standing: 70 s, not 30 from the start.
    expect(clock.sleeps).toBe(70);
  });

  it('gives up on a catch-up that never moves one stall limit after the wait began', async () => {
    const clock = fakeClock(1000);
    const look = (): CatchUpLook => ({ caughtUp: false, positions: { counts: { position: 7, caughtUp: false } } });
    await expect(waitForCatchUp(look, { stallMs: 5000, clock })).rejects.toThrow(/none moved for 5 s: counts at position 7 \(unmoved for 5 s\)/);
    expect(clock.sleeps).toBe(5);
  });

  it('keeps an absolute deadline for a caller that needs one, moving or not', async () => {
    const { look, move } = crawling(100);
    const clock = fakeClock(10_000, move);
    await expect(waitForCatchUp(look, { deadlineMs: 60_000, clock }, async () => 100))
      .rejects.toThrow(/^projections did not catch up within the deadline of 60 s \(waited 60 s\): counts at position 6 of 100 \(unmoved for 0 ms\)$/);
  });

  it('counts a projection reported for the first time (a worker thread that has started) as a move', async () => {
    let sleeps = 0;
    const clock = fakeClock(1000, () => { sleeps += 1; });
    // A new projection appears every 4 s (before the 5 s limit), then, after the fourth, nothing more.
    const look = (): CatchUpLook => ({
      caughtUp: false,
      positions: Object.fromEntries(Array.from({ length: Math.min(4, 1 + Math.floor(sleeps / 4)) }, (_, index) => [`p${index}`, { position: 0, caughtUp: false }])),
    });
    await expect(waitForCatchUp(look, { stallMs: 5000, clock })).rejects.toThrow(CatchUpTimeoutError);
    expect(sleeps).toBe(12 + 5);
  });

  it('ends at once on what the look throws (a stop, a failure), and on a catch-up already done', async () => {
    const clock = fakeClock(1000);
    await expect(waitForCatchUp(() => { throw new Error('stopped'); }, { clock })).rejects.toThrow('stopped');
    await expect(waitForCatchUp(() => ({ caughtUp: true, positions: {} }), { clock })).resolves.toBeUndefined();
    expect(clock.sleeps).toBe(0);
  });

  it('reads a number as the stall limit (what caughtUp(ms) is given)', () => {
    expect(catchUpWait(1000)).toEqual({ stallMs: 1000 });
    expect(catchUpWait(undefined)).toEqual({});
    expect(catchUpWait({ deadlineMs: 5 })).toEqual({ deadlineMs: 5 });
  });

  it('is not kept waiting by a caught-up projection that follows live writes while another stands still behind', async () => {
    let live = 90;
    const clock = fakeClock(1000, () => { live += 1; });
    const look = (): CatchUpLook => ({ caughtUp: false, positions: { stuck: { position: 5, caughtUp: false }, sla: { position: live, caughtUp: true } } });
    await expect(waitForCatchUp(look, { stallMs: 30_000, clock })).rejects.toThrow(/none moved for 30 s: stuck at position 5 \(unmoved for 30 s\)/);
    expect(clock.sleeps).toBe(30);
  });

  it('counts a catch-up started again from 0 (a relaunch) as moving while it climbs back', async () => {
    // 50, then 0 (the relaunch), then one position a second up to 60: never 30 s without a change.
    let position = 50;
    const clock = fakeClock(1000, () => { position = clock.sleeps === 1 ? 0 : position + 1; });
    const look = (): CatchUpLook => ({ caughtUp: position >= 60, positions: { counts: { position, caughtUp: position >= 60 } } });
    await expect(waitForCatchUp(look, { stallMs: 30_000, clock })).resolves.toBeUndefined();
    expect(position).toBe(60);
  });
});
