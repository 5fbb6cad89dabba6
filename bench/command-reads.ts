/**
 * What a command reads before its decision, per build (docs/adr/0003, "Decisions from kept states"):
 * complaint lifecycles (receive, apologise, validate, assign, resolve, callback) through the built
 * ComplaintCommandExecutor, on the event store the API opens (SQLite at FULL with the writer thread,
 * personal values decrypted with the customers' keys, the sealer the API uses), 8 complaints in flight.
 * Prints, per build and round, the SQL statements run per command on both files (the event log's
 * stream read, the key store's look-ups), their rows, and the process's user CPU per command (the
 * writer thread's included). The builds run in turn, the order rotated each round.
 *   node -r ts-node/register/transpile-only bench/command-reads.ts DIST_A DIST_B … [--complaints N] [--rounds R]
 * Each DIST is a built `dist` (npx nest build api).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import Database from 'better-sqlite3';
import { lifecycleRuns, median } from './script-support';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args.splice(index, 2)[1]) : fallback;
};
const complaints = option('--complaints', 400);
const rounds = option('--rounds', 3);
const dists = args;
const IN_FLIGHT = 8;

/** Every statement run on any connection of this process, by SQL text: runs, rows. */
const statements = new Map<string, { runs: number; rows: number }>();
const prototype = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
for (const method of ['all', 'get', 'run']) {
  const original = prototype[method]!;
  prototype[method] = function (this: Database.Statement, ...a: unknown[]) {
    const result = original.apply(this, a);
    const counted = statements.get(this.source) ?? { runs: 0, rows: 0 };
    counted.runs += 1;
    counted.rows += Array.isArray(result) ? result.length : result === undefined ? 0 : 1;
    statements.set(this.source, counted);
    return result;
  };
}

interface Built {
  run(): Promise<number>;
  close(): Promise<void>;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the modules of another build, loaded by path */
function open(dist: string): Built {
  const built = (path: string): any => require(join(dist, 'apps/api', path));
  const { ComplaintCommandExecutor, ComplaintRepository, SystemClock } = built('libs/complaints/src/index.js');
  const { DEFAULT_SLA_POLICY } = built('libs/domain/src/index.js');
  const { SqliteEventStore } = built('libs/event-store/src/index.js');
  const { PersonalDataCipher, PersonalDataEventStore, SqliteKeyStore } = built('libs/key-store/src/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'command-reads-'));
  const keys = new SqliteKeyStore({ filename: join(dir, 'keys.sqlite') });
  const cipher = new PersonalDataCipher(keys);
  const store = new PersonalDataEventStore(new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'FULL', writerThread: true }), cipher);
  const executor = new ComplaintCommandExecutor(store, new ComplaintRepository(store), new SystemClock(), cipher);
  const context = () => {
    const id = randomUUID();
    return { commandId: id, correlationId: id, causationId: id, actor: { id: 'supervisor-0', role: 'supervisor' } };
  };
  return {
    run: lifecycleRuns(executor, context, { count: complaints, parallel: IN_FLIGHT, customers: 50, policy: DEFAULT_SLA_POLICY }),
    close: async () => {
      await keys.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const builds = dists.map((dist) => ({ dist, built: open(dist), cpu: [] as number[] }));
  try {
    for (const build of builds) await build.built.run(); // warm-up: the code compiled, the customers' keys made
    for (let round = 0; round < rounds; round += 1) {
      for (const build of builds.map((_, index) => builds[(index + round) % builds.length]!)) {
        statements.clear();
        const before = process.cpuUsage().user;
        const commands = await build.built.run();
        const cpuMs = (process.cpuUsage().user - before) / 1000 / commands;
        build.cpu.push(cpuMs);
        const reads = [...statements].filter(([sql]) => /^SELECT/i.test(sql)).sort((a, b) => b[1].runs - a[1].runs);
        console.log(`round ${round + 1} ${build.dist}: ${cpuMs.toFixed(3)} ms CPU per command`);
        for (const [sql, { runs, rows }] of reads) console.log(`  ${(runs / commands).toFixed(2)} per command, ${(rows / runs).toFixed(2)} rows each: ${sql.replace(/\s+/g, ' ')}`);
      }
    }
  } finally {
    for (const build of builds) await build.built.close();
  }
  const base = median(builds[0]!.cpu);
  for (const build of builds) console.log(`${build.dist}: median ${median(build.cpu).toFixed(3)} ms CPU per command (${(median(build.cpu) / base).toFixed(2)}× the first; rounds ${build.cpu.map((value) => value.toFixed(3)).join(', ')})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
