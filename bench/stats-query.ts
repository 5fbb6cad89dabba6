/**
 * What the statistics routes cost on a replayed store: `GET /stats/complaints?by=cause&interval=month`
 * and `GET /stats/engineers?interval=month` without a period (every bucket), as the queries answer
 * them; median of REPS runs after one warm-up. Run it in two checkouts on the same store to compare.
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/replay.ts generate DIR 50000
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/replay.ts replay DIR
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/stats-query.ts DIR [--reps N]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ALL_PROJECTIONS, ComplaintStatsQuery, ReadModelReader, RepairStatsQuery } from '@app/read-models';
import { SqliteReadStore } from '@app/read-store';

const dir = process.argv[2];
if (dir === undefined || dir.startsWith('--')) throw new Error('usage: stats-query.ts DIR [--reps N] (DIR holds the read-*.sqlite of bench/replay.ts replay)');
const index = process.argv.indexOf('--reps');
const reps = index < 0 ? 9 : Number(process.argv[index + 1]);

async function main(): Promise<void> {
  const file = readdirSync(dir!).find((name) => name.startsWith('read-') && name.endsWith('.sqlite'));
  if (file === undefined) throw new Error(`no read-*.sqlite in ${dir}: run bench/replay.ts replay ${dir} first`);
  const store = new SqliteReadStore({ filename: join(dir!, file) });
  const reader = new ReadModelReader(store, ALL_PROJECTIONS);
  const complaints = new ComplaintStatsQuery(reader);
  const repairs = new RepairStatsQuery(reader);
  const median = async (run: () => Promise<unknown>) => {
    await run();
    const times: number[] = [];
    for (let rep = 0; rep < reps; rep += 1) {
      const started = performance.now();
      await run();
      times.push(performance.now() - started);
    }
    return Number(times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!.toFixed(1));
  };
  process.stdout.write(`${JSON.stringify({
    reps,
    complaintsByCauseMonthMs: await median(() => complaints.complaints('cause', 'month')),
    engineersMonthMs: await median(() => repairs.engineers({ interval: 'month' })),
  })}\n`);
  await store.close();
}

void main();
