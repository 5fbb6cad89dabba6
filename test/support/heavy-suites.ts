import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The suites that load the whole machine take turns: the crash test (an API killed and restarted
 * twenty times under eight clients), the benchmark harness (a load test) and the console in
 * Chromium (a browser, a bundle and an API in one). Run side by side on two cores they starved
 * each other: a click in the console waited half a minute for a page that had no CPU. Jest's
 * other worker keeps running the light suites meanwhile.
 *
 * The turn is a directory that only one process can create (mkdir is atomic), named after this
 * checkout so that two clones never wait for each other; it holds the owner's pid, and a turn
 * whose owner has died (a run killed part-way) is taken over.
 */
const LOCK = join(tmpdir(), `complaint-desk-heavy-suite-${createHash('sha256').update(join(__dirname, '..', '..')).digest('hex').slice(0, 12)}`);
const OWNER = join(LOCK, 'owner');
const POLL_MS = 500;
/** Longer than the longest heavy suite (the crash test) and those that could be ahead of it. */
const WAIT_LIMIT_MS = 30 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function ownerAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(OWNER, 'utf8'));
  } catch {
    // Being written right now, or gone: look again next time.
    return true;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function takeTurn(): Promise<void> {
  const giveUpAt = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(OWNER, String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!ownerAlive()) rmSync(LOCK, { recursive: true, force: true });
    else if (Date.now() > giveUpAt) throw new Error(`waited ${WAIT_LIMIT_MS / 60_000} min for another heavy suite to finish (its turn is ${LOCK}; remove it if no test is running)`);
    else await sleep(POLL_MS);
  }
}

function endTurn(): void {
  try {
    if (readFileSync(OWNER, 'utf8') === String(process.pid)) rmSync(LOCK, { recursive: true, force: true });
  } catch {
    // Not ours, or already gone.
  }
}

/** Call at the top of a heavy suite's file: its tests run only while no other heavy suite runs. */
export function oneHeavySuiteAtATime(): void {
  beforeAll(takeTurn, WAIT_LIMIT_MS + 60_000);
  afterAll(endTurn);
}
