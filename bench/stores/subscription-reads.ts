/**
 * The embedded store's subscriptions on the thread that appends, as on the API's main thread: three
 * filtered subscriptions (the notifier's event types, access control's and the webhooks' stream
 * prefixes) that take almost nothing, fed by 8 writers appending one event each at FULL on the writer
 * thread. Prints, per build, the main thread's busy time per append (event-loop utilisation × time; the appends share commits as concurrent requests do)
 * and the log queries of the store's reading connection per append.
 *   node -r ts-node/register/transpile-only bench/stores/subscription-reads.ts DIST_A DIST_B … [--appends N] [--rounds R]
 * Each DIST is a built `dist` (npx nest build api); the builds run in turn, interleaved, R rounds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args.splice(index, 2)[1]) : fallback;
};
const appends = option('--appends', 2000);
const rounds = option('--rounds', 3);
const dists = args;

interface Store {
  append(stream: string, events: unknown[]): Promise<{ position: number }>;
  subscribeToAll(options: unknown): AsyncIterable<{ kind: string }> & { close(): Promise<void> };
  close(): Promise<void>;
}

async function run(dist: string): Promise<{ busyMsPerAppend: number; queriesPerAppend: number }> {
  const module = require(join(dist, 'apps/api/libs/event-store/src/sqlite/sqlite.event-store.js')) as { SqliteEventStore: new (options: unknown) => Store };
  const dir = mkdtempSync(join(tmpdir(), 'subscription-reads-'));
  const store = new module.SqliteEventStore({ filename: join(dir, 'events.sqlite'), writerThread: true });
  const db = (store as unknown as { db: Database.Database }).db;
  const prototype = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<'all' | 'get', (...a: unknown[]) => unknown>;
  let queries = 0;
  const originals = { all: prototype.all, get: prototype.get };
  for (const method of ['all', 'get'] as const) {
    prototype[method] = function (this: Database.Statement, ...a: unknown[]) {
      if (this.database === db && /\bevents\b/.test(this.source)) queries += 1;
      return originals[method].apply(this, a);
    };
  }
  const filters = [{ eventTypes: ['ComplaintResolved'] }, { streamPrefixes: ['access-control'] }, { streamPrefixes: ['webhooks'] }];
  const subscriptions = filters.map((filter) => store.subscribeToAll({ filter }));
  const consumed = subscriptions.map(async (subscription) => { for await (const _ of subscription) void _; });
  await store.append('warm-up', [{ eventId: '00000000-0000-4000-8000-000000000000', type: 'Noted', data: {}, metadata: {} }]);
  await new Promise((resolve) => setTimeout(resolve, 200));
  queries = 0;
  const started = performance.now();
  const utilisation = performance.eventLoopUtilization();
  let next = 1;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next <= appends) {
      const index = (next += 1);
      await store.append(`complaint-${index}`, [{ eventId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, type: 'ComplaintNoted', data: { index, text: 'x'.repeat(200) }, metadata: { actor: 'bench' } }]);
    }
  }));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const busy = performance.eventLoopUtilization(utilisation);
  const elapsed = performance.now() - started;
  const counted = queries;
  prototype.all = originals.all;
  prototype.get = originals.get;
  await Promise.all(subscriptions.map((subscription) => subscription.close()));
  await Promise.all(consumed);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { busyMsPerAppend: (busy.utilization * elapsed) / appends, queriesPerAppend: counted / appends };
}

async function main(): Promise<void> {
  for (let round = 1; round <= rounds; round += 1) {
    const order = round % 2 === 1 ? dists : [...dists].reverse();
    for (const dist of order) console.log(JSON.stringify({ round, dist, ...(await run(dist)) }));
  }
}

void main();
