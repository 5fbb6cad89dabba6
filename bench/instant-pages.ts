/**
 * The pages that read a column of instants (ADR 0011, fourteenth step): the decisions' store pages of `GET /audit/decisions`
 * (newest first, a month by `from`/`to`, a role), and the SLA's answers (`GET /sla/breaches` with and without a period,
 * at risk, and the monitor's overdue and due-soon reads), over a replayed read store, in ms per page (the median of the reps).
 * Only `@app/…` imports: run it from the other checkout by its path, on that checkout's file, to compare.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/instant-pages.ts DIR [--pages N] [--reps N]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_PROJECTIONS, AUDIT_DECISIONS, ReadModelReader, SlaQuery } from '@app/read-models';
import { SqliteReadStore, type Filter, type Page, type ReadDocument } from '@app/read-store';
import { option } from './script-support';

const dir = process.argv[2];
if (dir === undefined || dir.startsWith('--')) throw new Error('usage: instant-pages.ts DIR [--pages N] [--reps N] (DIR holds the read-*.sqlite of bench/replay.ts replay)');
const pages = Number(option('pages', '40'));
const reps = Number(option('reps', '7'));

async function main(): Promise<void> {
  const file = readdirSync(dir!).find((name) => name.startsWith('read-') && name.endsWith('.sqlite'));
  if (file === undefined) throw new Error(`no read-*.sqlite in ${dir}: run bench/replay.ts replay ${dir} first`);
  const store = new SqliteReadStore({ filename: join(dir!, file) });
  const reader = new ReadModelReader(store, ALL_PROJECTIONS);
  const sla = new SlaQuery(reader);
  const decisions = await reader.collection(AUDIT_DECISIONS, 'decisions');
  const newest = (await store.find<ReadDocument & { occurredAt: string }>(decisions, { sort: [{ field: 'occurredAt', direction: 'desc' }], limit: 1 })).items[0]!;
  // "Now" is the log's last decision; the month is the one before it.
  const now = new Date(newest.occurredAt);
  const monthAgo = new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
  const decisionPage = (filter: Filter) => (cursor?: string) => store.find(decisions, { filter, sort: [{ field: 'occurredAt', direction: 'desc' }], limit: 50, cursor });
  const KINDS: Readonly<Record<string, (cursor?: string) => Promise<Page<unknown>>>> = {
    decisions: decisionPage({}),
    decisionsMonth: decisionPage({ occurredAt: { gte: monthAgo, lt: now.toISOString() } }),
    decisionsRole: decisionPage({ role: 'supervisor' }),
    breaches: (cursor) => sla.breaches({}, { limit: 50, cursor }, now),
    breachesMonth: (cursor) => sla.breaches({ from: monthAgo, to: now.toISOString().slice(0, 10) }, { limit: 50, cursor }, now),
    openBreaches: (cursor) => sla.breaches({ open: true }, { limit: 50, cursor }, now),
    atRisk: (cursor) => sla.atRisk(7 * 86_400_000, { limit: 50, cursor }, new Date(now.getTime() - 30 * 86_400_000)),
    overdue: async () => ({ items: await sla.overdue(now, 200), nextCursor: null }),
    dueSoon: async () => ({ items: await sla.dueSoon(new Date(now.getTime() - 30 * 86_400_000), 86_400_000, 200), nextCursor: null }),
  };

  /** Walks up to `pages` pages by cursor; answers the milliseconds per page and the rows seen. */
  async function walk(page: (cursor?: string) => Promise<Page<unknown>>): Promise<[number, number]> {
    let cursor: string | undefined;
    let walked = 0;
    let rows = 0;
    const started = performance.now();
    do {
      const answer = await page(cursor);
      rows += answer.items.length;
      cursor = answer.nextCursor ?? undefined;
      walked += 1;
    } while (cursor !== undefined && walked < pages);
    return [(performance.now() - started) / walked, rows];
  }

  const times = new Map<string, number[]>(Object.keys(KINDS).map((kind) => [kind, []]));
  const rows = new Map<string, number>();
  for (let rep = 0; rep < reps; rep += 1) {
    for (const [kind, page] of Object.entries(KINDS)) {
      const [ms, seen] = await walk(page);
      times.get(kind)!.push(ms);
      rows.set(kind, seen);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  process.stdout.write(`${JSON.stringify({ pages, reps, msPerPage: Object.fromEntries([...times].map(([kind, values]) => [kind, Number(median(values).toFixed(2))])), rows: Object.fromEntries(rows) })}\n`);
  await store.close();
}

void main();
