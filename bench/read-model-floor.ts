/**
 * The floor of a replay's writes: what SQLite alone costs to write a finished read model once.
 *
 * Takes the directory of a replay (`bench/replay.ts generate DIR N`, then `… replay DIR`), and copies the
 * read-model file's tables into an empty file opened as the read store opens its own (openSqliteFile, NORMAL), twice:
 * - `native`: one `INSERT INTO … SELECT … WHERE 1` per table (SQLite's own loop, no JavaScript per row;
 *   the WHERE keeps SQLite from copying the B-trees' pages as they are), then the secondary indexes and the
 *   text index, as a catch-up builds them at its end;
 * - `bound`: each row read and bound from JavaScript into one prepared `INSERT` per table (what any writer
 *   in this process does at the least), then the indexes likewise. The read of the source is timed alone and
 *   taken off.
 * The secondary indexes' part is also given alone (the text index is filled with the rows).
 * Each row is written once, in the source's order (the replay writes many rows several times, at random
 * places of the `id` index), so both figures are below what any replay that keeps these read models in
 * SQLite can cost. Prints the CPU-seconds of each, per 100,000 events of the log, beside the budget of a
 * replay at 100,000 events/s (1 CPU-second per 100,000 events on one thread).
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/read-model-floor.ts DIR
 */
import Database from 'better-sqlite3';
import { openSqliteFile } from '@app/sqlite';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface SchemaObject { type: string; name: string; sql: string }

function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function main(): void {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('usage: bench/read-model-floor.ts DIR (a directory bench/replay.ts generated and replayed)\n');
    process.exit(2);
  }
  const readFile = readdirSync(dir).find((name) => /^read-.*\.sqlite$/.test(name));
  if (readFile === undefined) {
    process.stderr.write(`no read-*.sqlite in ${dir}: run bench/replay.ts replay ${dir} first\n`);
    process.exit(2);
  }
  const log = new Database(join(dir, 'events.sqlite'), { readonly: true });
  const events = (log.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  log.close();
  const source = new Database(join(dir, readFile), { readonly: true });
  const objects = source.prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid").all() as SchemaObject[];
  const virtual = objects.filter((o) => o.type === 'table' && /^CREATE VIRTUAL TABLE/i.test(o.sql)).map((o) => o.name);
  const shadow = (name: string): boolean => virtual.some((v) => name.startsWith(`${v}_`));
  const tables = objects.filter((o) => o.type === 'table' && !shadow(o.name) && !virtual.includes(o.name));
  const indexes = objects.filter((o) => o.type === 'index');
  const rows = tables.reduce((sum, t) => sum + (source.prepare(`SELECT count(*) AS n FROM ${quoted(t.name)}`).get() as { n: number }).n, 0);
  const textRows = virtual.reduce((sum, v) => sum + (source.prepare(`SELECT count(*) AS n FROM ${quoted(v)}`).get() as { n: number }).n, 0);
  source.close();

  const scratch = mkdtempSync(join(tmpdir(), 'read-model-floor-'));
  try {
    const results: Record<string, number> = {};
    const indexPart: Record<string, number> = {};
    for (const mode of ['native', 'bound'] as const) {
      const target = openSqliteFile(join(scratch, `${mode}.sqlite`), 'NORMAL');
      target.pragma('secure_delete = ON');
      target.prepare('ATTACH DATABASE ? AS src').run(join(dir, readFile));
      // better-sqlite3 cannot read and write on one connection at once: the bound copy reads through a second one.
      const reader = new Database(join(dir, readFile), { readonly: true });
      for (const t of tables) target.exec(t.sql);
      for (const v of virtual) target.exec(objects.find((o) => o.name === v)!.sql);
      let readOnly = 0;
      if (mode === 'bound') {
        const before = cpuSeconds();
        for (const t of tables) for (const row of reader.prepare(`SELECT * FROM ${quoted(t.name)}`).raw().iterate()) void row;
        for (const v of virtual) for (const row of reader.prepare(`SELECT rowid, body FROM ${quoted(v)}`).raw().iterate()) void row;
        readOnly = cpuSeconds() - before;
      }
      const start = cpuSeconds();
      target.transaction(() => {
        for (const t of tables) {
          if (mode === 'native') {
            target.exec(`INSERT INTO main.${quoted(t.name)} SELECT * FROM src.${quoted(t.name)} WHERE 1`);
          } else {
            const read = reader.prepare(`SELECT * FROM ${quoted(t.name)}`).raw();
            const width = read.columns().length;
            const insert = target.prepare(`INSERT INTO main.${quoted(t.name)} VALUES (${new Array(width).fill('?').join(', ')})`);
            for (const row of read.iterate()) insert.run(row as unknown[]);
          }
        }
        for (const v of virtual) {
          if (mode === 'native') {
            target.exec(`INSERT INTO main.${quoted(v)} (rowid, body) SELECT rowid, body FROM src.${quoted(v)} WHERE 1`);
          } else {
            const insert = target.prepare(`INSERT INTO main.${quoted(v)} (rowid, body) VALUES (?, ?)`);
            for (const row of reader.prepare(`SELECT rowid, body FROM ${quoted(v)}`).raw().iterate()) insert.run(row as unknown[]);
          }
        }
        const rowsDone = cpuSeconds();
        for (const index of indexes) target.exec(index.sql);
        indexPart[mode] = cpuSeconds() - rowsDone;
      })();
      results[mode] = cpuSeconds() - start - readOnly;
      reader.close();
      target.close();
    }
    const per100k = (seconds: number): number => (seconds * 100_000) / events;
    process.stdout.write(`${JSON.stringify({
      events,
      tables: tables.length,
      rows,
      textRows,
      indexes: indexes.length,
      nativeCpuSeconds: Number(results.native!.toFixed(2)),
      boundCpuSeconds: Number(results.bound!.toFixed(2)),
      nativePer100kEvents: Number(per100k(results.native!).toFixed(2)),
      boundPer100kEvents: Number(per100k(results.bound!).toFixed(2)),
      secondaryIndexesPer100kEvents: { native: Number(per100k(indexPart.native!).toFixed(2)), bound: Number(per100k(indexPart.bound!).toFixed(2)) },
      budgetPer100kEventsAt100kPerSecond: 1,
    })}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main();
