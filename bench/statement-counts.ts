/**
 * Counts what better-sqlite3 executes, for `bench/replay.ts replay` with COUNT_STATEMENTS=FILE (bench only, never
 * the product): every `run`, `get`, `all`, `iterate` of a prepared statement and every `exec`, by its SQL, with the
 * rows it writes (a multi-row VALUES list or an `IN (…)` list), the values it binds and the wall time of the call.
 * The summary groups them by kind (upsert, insert, delete, select…) and table, per batch and per event.
 *
 * The time of a call is SQLite's work plus the binding's (N-API, one value at a time); `bindingProbe` measures the
 * binding part alone: a statement that binds as many values and does nothing with them.
 */
import Database from 'better-sqlite3';

interface Tally {
  calls: number;
  values: number;
  rows: number;
  ns: bigint;
}

const tallies = new Map<string, Tally>();
let execs: Tally = { calls: 0, values: 0, rows: 0, ns: 0n };
/** Statements prepared (SQLite compiles each: a cache that misses costs this). */
let prepares: Tally = { calls: 0, values: 0, rows: 0, ns: 0n };
let counting = false;

/** Patches the prototypes of better-sqlite3 (once): every statement of every connection is counted while `counting`. */
export function installStatementCounts(): { start: () => void; stop: () => void } {
  const probe = new Database(':memory:');
  const statementPrototype = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  for (const method of ['run', 'get', 'all', 'iterate'] as const) {
    const original = statementPrototype[method]!;
    statementPrototype[method] = function counted(this: { source: string }, ...args: unknown[]) {
      if (!counting) return original.apply(this, args);
      const started = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const key = `${method}\t${this.source}`;
        let tally = tallies.get(key);
        if (!tally) tallies.set(key, tally = { calls: 0, values: 0, rows: 0, ns: 0n });
        tally.calls += 1;
        tally.values += args.length === 1 && Array.isArray(args[0]) ? args[0].length : args.length;
        tally.rows += rowsOf(this.source);
        tally.ns += process.hrtime.bigint() - started;
      }
    };
  }
  const databasePrototype = Database.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  // exec and prepare: calls and time only (their tallies are replaced at each start, so they are read through a getter).
  const timeDatabase = (method: 'exec' | 'prepare', tally: () => Tally) => {
    const original = databasePrototype[method]!;
    databasePrototype[method] = function counted(this: unknown, ...args: unknown[]) {
      if (!counting) return original.apply(this, args);
      const started = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        tally().calls += 1;
        tally().ns += process.hrtime.bigint() - started;
      }
    };
  };
  timeDatabase('exec', () => execs);
  timeDatabase('prepare', () => prepares);
  return {
    start: () => {
      tallies.clear();
      execs = { calls: 0, values: 0, rows: 0, ns: 0n };
      prepares = { calls: 0, values: 0, rows: 0, ns: 0n };
      counting = true;
    },
    stop: () => { counting = false; },
  };
}

/** Rows a statement writes or names: the groups of a VALUES list, or the values of an `IN (…)` list of ?, else 1. */
function rowsOf(sql: string): number {
  const values = /\bVALUES\s+(.*?)(\s+ON CONFLICT|$)/s.exec(sql);
  if (values) return Math.max(1, (values[1]!.match(/\(/g) ?? []).length);
  const list = /\bIN \((\?(?:, \?)*)\)/.exec(sql);
  return list ? list[1]!.split('?').length - 1 : 1;
}

function kindOf(method: string, sql: string): string {
  const text = sql.trim();
  const word = text.split(/\s+/, 1)[0]!.toUpperCase();
  const target = /\b(?:INTO|FROM|UPDATE)\s+("[^"]+"|\w+)/i.exec(text)?.[1]?.replace(/"/g, '') ?? '?';
  const generic = target.replace(/^(doc|fts)_.*?_v\d+_/, '$1_…_');
  const kind = word === 'INSERT' && /ON CONFLICT[^]*DO UPDATE/i.test(text) ? 'upsert' : word.toLowerCase();
  return `${method} ${kind} ${generic}`;
}

/** The summary: per kind and table, calls per batch and per event, rows per call, ms in total and µs per call. */
export function statementSummary(events: number, bindingNsPerValue: number, bindingNsPerCall: number): object {
  const groups = new Map<string, Tally>();
  for (const [key, tally] of tallies) {
    const [method, sql] = key.split('\t') as [string, string];
    const kind = kindOf(method, sql);
    const group = groups.get(kind) ?? { calls: 0, values: 0, rows: 0, ns: 0n };
    group.calls += tally.calls;
    group.values += tally.values;
    group.rows += tally.rows;
    group.ns += tally.ns;
    groups.set(kind, group);
  }
  const batches = [...tallies].filter(([key]) => key.includes('INSERT INTO rm_checkpoints')).reduce((sum, [, tally]) => sum + tally.calls, 0);
  const all = [...groups.values()].reduce((sum, tally) => ({ calls: sum.calls + tally.calls, values: sum.values + tally.values, ns: sum.ns + tally.ns }), { calls: 0, values: 0, ns: 0n });
  const ms = (ns: bigint) => Math.round(Number(ns) / 1e6);
  return {
    events, commits: batches, statements: all.calls, statementsPerCommit: Number((all.calls / Math.max(1, batches)).toFixed(1)),
    statementsPerEvent: Number((all.calls / events).toFixed(3)), statementMs: ms(all.ns),
    // The binding's share: the calls and values timed as `SELECT ?, …` costs them, against the time measured.
    bindingMsEstimate: Math.round((all.calls * bindingNsPerCall + all.values * bindingNsPerValue) / 1e6),
    exec: { calls: execs.calls, ms: ms(execs.ns) }, prepare: { calls: prepares.calls, ms: ms(prepares.ns) },
    byKind: [...groups].sort(([, a], [, b]) => Number(b.ns - a.ns)).map(([kind, tally]) => ({
      kind, calls: tally.calls, perCommit: Number((tally.calls / Math.max(1, batches)).toFixed(2)), perEvent: Number((tally.calls / events).toFixed(3)),
      rowsPerCall: Number((tally.rows / tally.calls).toFixed(1)), valuesPerCall: Number((tally.values / tally.calls).toFixed(1)),
      ms: ms(tally.ns), usPerCall: Number((Number(tally.ns) / tally.calls / 1000).toFixed(1)),
    })),
  };
}

/**
 * What binding costs: `SELECT 1 WHERE 0 AND (? IS NULL OR …)` run with 1 and with 64 values of a document
 * row's kinds (text, integer, null). Returns ns per call and ns per value.
 */
export function bindingProbe(): { nsPerCall: number; nsPerValue: number } {
  const db = new Database(':memory:');
  const timed = (width: number): number => {
    // No row is made and none returned: the call's cost is N-API's and the binding's.
    const statement = db.prepare(`SELECT 1 WHERE 0 AND (${Array.from({ length: width }, () => '? IS NULL').join(' OR ')})`);
    const values = Array.from({ length: width }, (_, index) => (index % 3 === 0 ? `value-${index}-${'x'.repeat(40)}` : index % 3 === 1 ? index * 1000 : null));
    for (let index = 0; index < 2000; index += 1) statement.run(values);
    const started = process.hrtime.bigint();
    const rounds = 20_000;
    for (let index = 0; index < rounds; index += 1) statement.run(values);
    return Number(process.hrtime.bigint() - started) / rounds;
  };
  const one = timed(1);
  const many = timed(64);
  db.close();
  const nsPerValue = (many - one) / 63;
  return { nsPerCall: one - nsPerValue, nsPerValue };
}
