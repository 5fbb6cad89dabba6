import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadSideWorkerData } from './read-side.messages';
import { SupervisedThread, type ThreadCrash } from './supervised-thread';

/**
 * A stand-in for the read-side worker: ready, then, on its first start only (a marker file says so), it
 * keeps everything it allocates until its heap runs out, as a projection whose state outgrew the thread
 * would. Started again, it waits for `stop` and ends cleanly.
 */
const HUNGRY_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { existsSync, writeFileSync } = require('node:fs');
parentPort.on('message', (message) => { if (message.type === 'stop') parentPort.close(); });
parentPort.postMessage({ type: 'ready' });
if (!existsSync(workerData.marker)) {
  writeFileSync(workerData.marker, 'ran out once');
  const kept = [];
  setImmediate(function grow() {
    for (let i = 0; i < 2000; i++) kept.push(new Array(1000).fill(kept.length + i));
    setImmediate(grow);
  });
}
`;

describe('SupervisedThread', () => {
  let dir: string;
  let thread: SupervisedThread | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'supervised-thread-'));
  });
  afterEach(async () => {
    // Whatever the test's outcome, no thread is left waiting for a stop (it would keep jest from ending).
    await thread?.stop();
    thread = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a thread that runs out of its heap, when it ends, then the crash is told with the reason and a new thread is started after the first delay', async () => {
    // Given
    const entry = join(dir, 'hungry.worker.js');
    writeFileSync(entry, HUNGRY_WORKER);
    const marker = join(dir, 'marker');
    const crashes: ThreadCrash[] = [];
    let readies = 0;
    let secondReady!: () => void;
    const restarted = new Promise<void>((resolve) => (secondReady = resolve));
    thread = new SupervisedThread({
      entry,
      // A small heap, whatever --max-old-space-size the process was given (readSideHeap would hand it to the thread).
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
      data: { marker } as unknown as ReadSideWorkerData,
      name: 'the hungry thread',
      exited: 'the hungry thread',
      restartDelayMs: { first: 50, max: 1_000 },
      onMessage: () => undefined,
      onReady: () => {
        readies += 1;
        if (readies === 2) secondReady();
      },
      onCrash: (crash) => crashes.push(crash),
      onStopTimeout: () => undefined,
    });

    // When
    await thread.start();
    await restarted;

    // Then
    expect(existsSync(marker)).toBe(true);
    expect(crashes).toHaveLength(1);
    expect(crashes[0]).toMatchObject({ delayMs: 50, inARow: 1 });
    expect(crashes[0]!.message).toMatch(/ERR_WORKER_OUT_OF_MEMORY|memory limit/);
    expect(thread.running).toBe(true);
    expect(thread.restarting).toBe(false);
    await thread.stop();
    expect(thread.running).toBe(false);
  }, 60_000);
});
