/**
 * The read store's time during a replay, by part of the log (bench/replay.ts with STORE_TIMINGS=FILE): the commits
 * (rows written per collection) and the reads of documents not cached (getMany, per collection), each summed per
 * slice of SLICE events of the log, so that the replay's last part can be told from its first (docs/adr/0011,
 * "The 1M replay's last part"). Wall time of the calls: the machine's load is in it, the slices' ratios less so.
 */
import type { ReadStore } from '@app/read-store';

interface Slice {
  commits: number;
  commitMs: number;
  rowsWritten: number;
  reads: number;
  readMs: number;
  idsRead: number;
  readMsByCollection: Record<string, number>;
  idsByCollection: Record<string, number>;
  rowsByCollection: Record<string, number>;
}

export function installStoreTimings(store: ReadStore, slice = 100_000): { summary: () => Array<Slice & { from: number }> } {
  const slices = new Map<number, Slice>();
  let position = 0;
  const sliceAt = (at: number): Slice => {
    const key = Math.floor(Math.max(at - 1, 0) / slice);
    let found = slices.get(key);
    if (!found) slices.set(key, found = { commits: 0, commitMs: 0, rowsWritten: 0, reads: 0, readMs: 0, idsRead: 0, readMsByCollection: {}, idsByCollection: {}, rowsByCollection: {} });
    return found;
  };
  const commit = store.commit.bind(store);
  store.commit = async (checkpointName, changes, at, options) => {
    const started = performance.now();
    try {
      return await commit(checkpointName, changes, at, options);
    } finally {
      const ms = performance.now() - started;
      position = Math.max(position, at);
      const current = sliceAt(at);
      current.commits += 1;
      current.commitMs += ms;
      current.rowsWritten += changes.length;
      for (const change of changes) {
        const name = change.collection.replace(/^.*__/, '');
        current.rowsByCollection[name] = (current.rowsByCollection[name] ?? 0) + 1;
      }
    }
  };
  const getMany = store.getMany.bind(store);
  store.getMany = (async (collection: string, ids: readonly string[]) => {
    const started = performance.now();
    try {
      return await getMany(collection, ids);
    } finally {
      const ms = performance.now() - started;
      // A read is made for the batch after the last commit: its slice is the one being replayed.
      const current = sliceAt(position + 1);
      const name = collection.replace(/^.*__/, '');
      current.reads += 1;
      current.readMs += ms;
      current.idsRead += ids.length;
      current.readMsByCollection[name] = (current.readMsByCollection[name] ?? 0) + ms;
      current.idsByCollection[name] = (current.idsByCollection[name] ?? 0) + ids.length;
    }
  }) as ReadStore['getMany'];
  return {
    summary: () => [...slices.entries()].sort(([a], [b]) => a - b).map(([key, value]) => ({
      from: key * slice,
      ...value,
      commitMs: Math.round(value.commitMs),
      readMs: Math.round(value.readMs),
      readMsByCollection: Object.fromEntries(Object.entries(value.readMsByCollection).map(([name, ms]) => [name, Math.round(ms)])),
    })),
  };
}
