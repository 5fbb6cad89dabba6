/**
 * What reading the complaint list costs on a replayed store (ADR 0011, "Bytes on disk, again": its documents
 * are stored without their field names and rebuilt when read): pages of `GET /complaints` as the query answers
 * them, walked by cursor, 50 a page; the median of REPS walks of each kind, the kinds interleaved. The kinds:
 * newest first, `?status=open`, `?sort=nextDueAt`, `?escalated=true`, `?q=` (the text index) and `?tag=` (a
 * field without a column: every document read). Run it from a checkout of each side on the same store to compare;
 * `--file` names the read-model file when DIR holds several.
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/replay.ts generate DIR 50000
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/replay.ts replay DIR
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/complaint-pages.ts DIR [--pages N] [--reps N] [--file FILE]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ALL_PROJECTIONS, ComplaintListQuery, ReadModelReader, type ComplaintListFilter } from '@app/read-models';
import { SqliteReadStore } from '@app/read-store';
import { option } from './script-support';

const dir = process.argv[2];
if (dir === undefined || dir.startsWith('--')) throw new Error('usage: complaint-pages.ts DIR [--pages N] [--reps N] [--file FILE] (DIR holds the read-*.sqlite of bench/replay.ts replay)');
const pages = Number(option('pages', '40'));
const reps = Number(option('reps', '7'));

const KINDS: Readonly<Record<string, ComplaintListFilter>> = {
  newest: {}, open: { status: 'open' }, nextDue: { sort: 'nextDueAt' }, escalated: { escalated: true }, text: { q: 'cust-1' }, tag: { tag: 'vip' },
};

async function main(): Promise<void> {
  const file = option('file', '') || readdirSync(dir!).find((name) => name.startsWith('read-') && name.endsWith('.sqlite'));
  if (file === undefined) throw new Error(`no read-*.sqlite in ${dir}: run bench/replay.ts replay ${dir} first`);
  const store = new SqliteReadStore({ filename: file.includes('/') ? file : join(dir!, file) });
  const query = new ComplaintListQuery(new ReadModelReader(store, ALL_PROJECTIONS));

  /** Walks up to `pages` pages by cursor; answers the milliseconds per page. */
  async function walk(filter: ComplaintListFilter): Promise<number> {
    let cursor: string | undefined;
    let walked = 0;
    const started = performance.now();
    do {
      const answer = await query.list(filter, { limit: 50, cursor });
      cursor = answer.nextCursor ?? undefined;
      walked += 1;
    } while (cursor !== undefined && walked < pages);
    return (performance.now() - started) / walked;
  }

  const times = new Map<string, number[]>(Object.keys(KINDS).map((kind) => [kind, []]));
  for (let rep = 0; rep < reps; rep += 1) {
    for (const [kind, filter] of Object.entries(KINDS)) times.get(kind)!.push(await walk(filter));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  process.stdout.write(`${JSON.stringify({ pages, reps, msPerPage: Object.fromEntries([...times].map(([kind, values]) => [kind, Number(median(values).toFixed(2))])) })}\n`);
  await store.close();
}

void main();
