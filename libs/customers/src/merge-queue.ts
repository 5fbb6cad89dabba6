import { Injectable } from '@nestjs/common';

/**
 * Runs merges (and erasures, which decide which files a merge may reach) one at a time in this
 * process. Two merges in opposite directions (A into B, B into A), decided side by side, could each
 * find the other file active and leave a cycle (docs/adr/0013). One API process runs them; several
 * instances would need a lease around this queue instead.
 */
@Injectable()
export class CustomerFileMergeQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
