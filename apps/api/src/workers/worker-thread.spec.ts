import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { READ_SIDE_HEAP, readSideHeap, startWorkerThread } from './worker-thread';

/** What a thread's V8 heap allows, as the thread itself sees it. */
interface HeapSeen {
  readonly oldSpaceLimitMb: number;
  readonly newSpaceMb: number;
}

/**
 * The thread makes garbage that dies young until its new space has grown as far as V8 lets it, then
 * reports its new space (two semi-spaces) and the limit of its whole heap.
 */
const REPORTER = `
const v8 = require('node:v8');
const { parentPort } = require('node:worker_threads');
let kept = [];
for (let i = 0; i < 3_000_000; i += 1) {
  kept.push({ i, text: 'x' + i });
  if (kept.length > 100_000) kept = [];
}
const newSpace = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
parentPort.postMessage({ newSpaceMb: newSpace.space_size / 1048576, oldSpaceLimitMb: v8.getHeapStatistics().heap_size_limit / 1048576 });
`;

const seenBy = (worker: Worker) => new Promise<HeapSeen>((resolve, reject) => {
  worker.once('message', resolve);
  worker.once('error', reject);
});

// docs/adr/0011, "Memory and the collector": the read side's threads (projections, as-of jobs) run with the heap chosen there.
describe('a read-side worker thread', () => {
  jest.setTimeout(60_000);
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'worker-heap-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gets the young generation and the heap limit of ADR 0011, not V8\'s defaults', async () => {
    const entry = join(dir, 'reporter.js');
    writeFileSync(entry, REPORTER);
    const worker = startWorkerThread(entry, undefined);
    const seen = await seenBy(worker);
    await worker.terminate();
    // V8 gives a young generation three semi-spaces' worth: two of them are the new space.
    expect(seen.newSpaceMb).toBe((2 * READ_SIDE_HEAP.maxYoungGenerationSizeMb) / 3);
    expect(READ_SIDE_HEAP.maxYoungGenerationSizeMb).toBe(EXPECTED.maxYoungGenerationSizeMb);
    // The limit of the whole heap: the old generation's plus the young generation's.
    expect(seen.oldSpaceLimitMb).toBeGreaterThanOrEqual(EXPECTED.maxOldGenerationSizeMb);
    expect(seen.oldSpaceLimitMb).toBeLessThanOrEqual(EXPECTED.maxOldGenerationSizeMb + READ_SIDE_HEAP.maxYoungGenerationSizeMb);
  });

  it('gets the old generation the operator gave the process instead (--max-old-space-size on the command line or in NODE_OPTIONS)', () => {
    expect(readSideHeap([])).toEqual(READ_SIDE_HEAP);
    expect(readSideHeap(['--inspect', ''])).toEqual(READ_SIDE_HEAP);
    expect(readSideHeap(['--max-old-space-size=2048'])).toEqual({ ...READ_SIDE_HEAP, maxOldGenerationSizeMb: 2048 });
    expect(readSideHeap(['--max_old_space_size=1024', '--max-old-space-size=512'])).toEqual({ ...READ_SIDE_HEAP, maxOldGenerationSizeMb: 512 });
    expect(readSideHeap(['--max-old-space-size=0'])).toEqual(READ_SIDE_HEAP);
    expect(readSideHeap(['--max-old-space-size=lots'])).toEqual(READ_SIDE_HEAP);
  });
});

/** The figures ADR 0011 chose: a change of them is a decision, to be measured and written down there first. */
const EXPECTED = { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 384 };
