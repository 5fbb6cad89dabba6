/**
 * One store's run of every workload, in a process of its own (fresh heap, fresh files):
 *   worker.ts STORE DIR EVENTS STREAMS FULL|NORMAL
 * STORE is complaint-desk, raw, emmett-sqlite or evtstore-knex. Prints one JSON line:
 * events/s per workload, or the error a workload stopped with.
 */
import { join } from 'node:path';
import { batchedAppends, concurrentAppends, refusesStaleVersion, sequentialAppendsAndReads, type BenchStoreFactory, type Durability, type WorkloadOptions } from './workloads';

export const STORES: Record<string, { label: string; peer: boolean; load: () => BenchStoreFactory }> = {
  /* eslint-disable @typescript-eslint/no-require-imports */
  'complaint-desk': { label: 'Complaint Desk (embedded store)', peer: false, load: () => (require('./local-stores') as typeof import('./local-stores')).complaintDesk },
  raw: { label: 'raw better-sqlite3 (floor)', peer: false, load: () => (require('./local-stores') as typeof import('./local-stores')).rawSqlite },
  'emmett-sqlite': { label: 'emmett-sqlite 0.38.5 (shared connection)', peer: true, load: () => (require('../peers/emmett-sqlite') as { emmettSqlite: BenchStoreFactory }).emmettSqlite },
  'evtstore-knex': { label: 'evtstore 12 + knex/sqlite3', peer: true, load: () => (require('../peers/evtstore-knex') as { evtstoreKnex: BenchStoreFactory }).evtstoreKnex },
  /* eslint-enable @typescript-eslint/no-require-imports */
};

async function main(): Promise<void> {
  const [name, dir, events, streams, sync] = process.argv.slice(2);
  const entry = STORES[name ?? ''];
  if (!entry || !dir) throw new Error(`usage: worker.ts ${Object.keys(STORES).join('|')} DIR EVENTS STREAMS FULL|NORMAL`);
  const durability = (sync ?? 'FULL') as Durability;
  const options: WorkloadOptions = { events: Number(events), streams: Number(streams) };
  const factory = entry.load();
  const results: Record<string, number | string> = {};
  const attempt = async (workloads: string[], run: () => Promise<Record<string, number>>) => {
    try {
      Object.assign(results, await run());
    } catch (error) {
      for (const workload of workloads) results[workload] = `failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 120)}`;
    }
  };
  const withStore = async <T>(file: string, use: (store: Awaited<ReturnType<BenchStoreFactory>>) => Promise<T>): Promise<T> => {
    const store = await factory(join(dir, file), durability);
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  };
  const checked = await withStore('probe.sqlite', refusesStaleVersion);
  if (!checked) throw new Error(`${name} accepted an append at a stale expected version: its figures would not be comparable`);
  await attempt(['W1', 'W3', 'W4'], () => withStore('w1.sqlite', (store) => sequentialAppendsAndReads(store, options)));
  // Raw better-sqlite3 is synchronous: 64 "in flight" would run one after another, as W1 does.
  if (name !== 'raw') await attempt(['W1c'], async () => ({ W1c: await withStore('w1c.sqlite', (store) => concurrentAppends(store, options)) }));
  await attempt(['W2'], async () => ({ W2: await withStore('w2.sqlite', (store) => batchedAppends(store, options)) }));
  process.stdout.write(`${JSON.stringify({ store: name, ...results, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
