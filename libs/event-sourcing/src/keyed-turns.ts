/**
 * Work that takes turns per key in this process: each piece of work for a key starts when the one
 * before it for that key has ended (however it ended); other keys do not wait. Used where a decision
 * reads and then writes, so that two in one process cannot both decide on what neither has written
 * yet (one aggregate's commands; one subject's surveys over two streams). A key with nothing
 * waiting is forgotten.
 */
export class KeyedTurns {
  private readonly tails = new Map<string, Promise<unknown>>();

  inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }
}
