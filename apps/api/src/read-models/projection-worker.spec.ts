import type { WaitClock } from '@app/projections';
import type { ProjectionPositions } from '../workers/read-side.messages';
import type { StoreSettings } from '../workers/worker-thread';
import { ProjectionWorker } from './projection-worker';

/**
 * The worker's caughtUp without a thread: the positions a thread would post are fed to it directly (no thread is
 * started), and the clock is a fake one whose every sleep is `stepMs`, during which `onSleep` may post positions.
 */
function unstartedWorker() {
  const worker = new ProjectionWorker({} as StoreSettings, { log: () => undefined });
  const post = (positions: ProjectionPositions) => (worker as unknown as { update(positions: ProjectionPositions): void }).update(positions);
  return { worker, post };
}

const fakeClock = (stepMs: number, onSleep: () => void): WaitClock & { now(): number } => {
  let now = 0;
  return {
    now: () => now,
    sleep: async () => {
      now += stepMs;
      onSleep();
    },
  };
};

describe('the projection worker waiting for a catch-up', () => {
  it('waits for a catch-up that is slow but moves, however long it takes in all', async () => {
    const { worker, post } = unstartedWorker();
    let position = 0;
    // One position every 10 s (fake), reported as a thread does after a commit; 200 s in all, a stall limit of 15 s.
    const clock = fakeClock(10_000, () => {
      position += 1;
      post({ counts: { position, caughtUp: position >= 20 } });
    });
    await worker.caughtUp({ stallMs: 15_000, clock });
    expect(clock.now()).toBe(200_000);
  });

  it('gives up once no projection has moved for the stall limit, naming the one behind and its position', async () => {
    const { worker, post } = unstartedWorker();
    let position = 0;
    const clock = fakeClock(1000, () => {
      if (position < 3) position += 1;
      post({ counts: { position, caughtUp: false }, sla: { position: 9, caughtUp: true } });
    });
    await expect(worker.caughtUp({ stallMs: 5000, clock })).rejects.toThrow(/^projections did not catch up: none moved for 5 s: counts at position 3 \(unmoved for 5 s\)\. /);
    expect(clock.now()).toBe(8000);
  });

  it('keeps an absolute deadline, moving or not', async () => {
    const { worker, post } = unstartedWorker();
    let position = 0;
    const clock = fakeClock(10_000, () => {
      position += 1;
      post({ counts: { position, caughtUp: false } });
    });
    await expect(worker.caughtUp({ deadlineMs: 30_000, clock })).rejects.toThrow(/within the deadline of 30 s \(waited 30 s\): counts at position 3 /);
  });

  it('gives up on a projection stuck behind while another, caught up, follows live writes (those are not the catch-up moving)', async () => {
    const { worker, post } = unstartedWorker();
    let live = 9;
    const clock = fakeClock(1000, () => {
      live += 1;
      post({ stuck: { position: 5, caughtUp: false }, sla: { position: live, caughtUp: true } });
    });
    await expect(worker.caughtUp({ stallMs: 30_000, clock })).rejects.toThrow(/none moved for 30 s: stuck at position 5 \(unmoved for 30 s\)/);
    expect(clock.now()).toBe(31_000);
  });

  it('stops waiting at once for a projection that fails on its own fault, and names it', async () => {
    const { worker, post } = unstartedWorker();
    const failure = { projection: 'counts', generation: 'g1', position: 4, failedPosition: 5, eventType: 'ComplaintReceived', error: 'boom' };
    const clock = fakeClock(1000, () => post({ counts: { position: 4, caughtUp: false, failure: failure as never } }));
    await expect(worker.caughtUp({ stallMs: 30_000, clock })).rejects.toThrow(/^projection counts failed at position 5 \(ComplaintReceived\): boom$/);
    expect(clock.now()).toBe(1000);
  });
});
