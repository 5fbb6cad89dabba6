/**
 * What working out a decision's words when it is read costs (ADR 0011, "sixth step"): pages of
 * `GET /audit/decisions` (newest first, 50 per page, walked by cursor) over a replayed read store,
 * answered by the query (the store's page, then each decision's event read back and put into words)
 * against the store's page alone (what a version-8 generation, which kept its words, cost).
 * Interleaved repetitions, one process. With `--actor ID`, the pages of `?actor=ID` (any spelling), answered by
 * the query (which first looks whether the generation has the folded actorKey column, v11) against the store's
 * page of that actorKey alone. With `--work-order ID`, the pages of `?workOrderId=ID` (the sparse index of version 12,
 * ADR 0011 eighth step), a work order's few decisions.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/replay.ts generate DIR 50000
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/replay.ts replay DIR
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/decision-pages.ts DIR [--pages N] [--reps N] [--actor ID | --work-order ID]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteEventStore } from '@app/event-store';
import { ALL_PROJECTIONS, AUDIT_DECISIONS, AuditDecisionsQuery, ReadModelReader } from '@app/read-models';
import { SqliteReadStore } from '@app/read-store';
import { principalKey } from '@app/domain';

const option = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
};
const dir = process.argv[2];
if (dir === undefined || dir.startsWith('--')) throw new Error('usage: decision-pages.ts DIR [--pages N] [--reps N] (DIR holds events.sqlite and the read-*.sqlite of bench/replay.ts replay)');
const pages = option('pages', 200);
const reps = option('reps', 7);
const actorAt = process.argv.indexOf('--actor');
const actor = actorAt < 0 ? undefined : process.argv[actorAt + 1];
const workOrderAt = process.argv.indexOf('--work-order');
const workOrderId = workOrderAt < 0 ? undefined : process.argv[workOrderAt + 1];

async function main(): Promise<void> {
  const readFile = readdirSync(dir!).find((name) => name.startsWith('read-') && name.endsWith('.sqlite'));
  if (readFile === undefined) throw new Error(`no read-*.sqlite in ${dir}: run bench/replay.ts replay ${dir} first`);
  const events = new SqliteEventStore({ filename: join(dir!, 'events.sqlite'), synchronous: 'NORMAL' });
  const store = new SqliteReadStore({ filename: join(dir!, readFile) });
  const reader = new ReadModelReader(store, ALL_PROJECTIONS);
  const query = new AuditDecisionsQuery(reader, events);
  const collection = await reader.collection(AUDIT_DECISIONS, 'decisions');

  /** Walks `pages` pages by cursor; answers the milliseconds per page. */
  async function walk(page: (cursor: string | undefined) => Promise<{ items: unknown[]; nextCursor: string | null }>): Promise<number> {
    let cursor: string | undefined;
    const started = performance.now();
    for (let n = 0; n < pages; n += 1) {
      const answer = await page(cursor);
      if (answer.items.length === 0) throw new Error('the read store holds no decisions');
      cursor = answer.nextCursor ?? undefined;
    }
    return (performance.now() - started) / pages;
  }

  const withWords: number[] = [];
  const storeOnly: number[] = [];
  for (let rep = 0; rep < reps; rep += 1) {
    withWords.push(await walk((cursor) => query.decisions({ ...(actor === undefined ? {} : { actor }), ...(workOrderId === undefined ? {} : { workOrderId }) }, { limit: 50, cursor })));
    const filter: Record<string, string> = { ...(actor === undefined ? {} : { actorKey: principalKey(actor) }), ...(workOrderId === undefined ? {} : { workOrderId }) };
    storeOnly.push(await walk((cursor) => store.find(collection, { filter, sort: [{ field: 'occurredAt', direction: 'desc' }], limit: 50, cursor })));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  process.stdout.write(`${JSON.stringify({
    pages, reps, ...(actor === undefined ? {} : { actor }), ...(workOrderId === undefined ? {} : { workOrderId }), msPerPageWithWords: Number(median(withWords).toFixed(2)), msPerPageStoreOnly: Number(median(storeOnly).toFixed(2)),
    ratio: Number((median(withWords) / median(storeOnly)).toFixed(2)),
  })}\n`);
  await store.close();
  await events.close();
}

void main();
