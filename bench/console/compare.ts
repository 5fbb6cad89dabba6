/**
 * Two builds of the console against each other, on the same machine at the same time.
 *   compare.ts A_DIR B_DIR [--complaints N,N] [--pairs N] [--smoke]
 * A_DIR and B_DIR are console builds (a `dist/console` each, copied or built with `vite build --outDir`). For each store size
 * (complaints, default 100,10000): one generated history (bench/replay.ts generate), copied twice; the built API
 * (`dist/apps/api/…/main.js`) started twice, once per build, each on its own copy, both left running; both waited for until
 * their read models hold the whole log and it has stopped growing (caughtUp: no replay or SLA backlog while measured);
 * one load of each screen on each build, not counted; then PAIRS pairs of loads of the queue and of the dashboard, one on
 * each build, in the order A B, B A, A B … so that neither build always goes first. Each load is render.ts's: a fresh
 * browser context, signed in as a supervisor, timed on the page's own clock until the queue's first row or the dashboard's
 * last chart is drawn. Prints, per size, a table: the medians, B's median over A's, how many pairs B was faster in, and the
 * geometric mean of the pairs' own ratios, with the load average before and after (the machine may be shared).
 * --smoke: 20 complaints and 2 pairs, to check the harness. Everything it writes is in a temporary directory, removed at the end.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import { freePort, startServer } from '../http/knee';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, EVENTS_PER_COMPLAINT, TOKEN, caughtUp, load, type Screen } from './render';

const ROOT = join(__dirname, '..', '..');
const USAGE = 'usage: compare.ts A_DIR B_DIR [--complaints N,N] [--pairs N] [--smoke] (A_DIR, B_DIR: console builds, each a dist/console)';

export type Side = 'a' | 'b';

export interface CompareOptions {
  readonly a: string;
  readonly b: string;
  readonly sizes: readonly number[];
  readonly pairs: number;
}

export function parseCompareArgs(args: readonly string[]): CompareOptions {
  const positional: string[] = [];
  let sizes = [100, 10000];
  let pairs = 12;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--smoke') {
      sizes = [20];
      pairs = 2;
    } else if (arg === '--complaints') {
      sizes = (args[(index += 1)] ?? '').split(',').map(Number);
      if (!sizes.every((size) => Number.isInteger(size) && size >= 10)) throw new Error(`--complaints takes complaint counts ≥ 10, comma-separated; ${USAGE}`);
    } else if (arg === '--pairs') {
      pairs = Number(args[(index += 1)]);
      if (!Number.isInteger(pairs) || pairs < 1) throw new Error(`--pairs takes a whole number ≥ 1; ${USAGE}`);
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}; ${USAGE}`);
    } else {
      positional.push(arg);
    }
  }
  const [a, b] = positional;
  if (positional.length !== 2 || !a || !b) throw new Error(USAGE);
  return { a, b, sizes, pairs };
}

/** Pair i's order: A then B for even i, B then A for odd (A B B A A B …), so that a drift or a warm-up favours neither build. */
export function pairOrder(pair: number): [Side, Side] {
  return pair % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
}

export interface PairSummary {
  readonly pairs: number;
  readonly medianA: number;
  readonly medianB: number;
  /** B's median over A's: below 1, B is faster. */
  readonly ratio: number;
  /** Pairs in which B took less time than A (a tie is no win). */
  readonly bWins: number;
  /** The geometric mean of each pair's B/A: a pair's two loads saw the same moment of the machine. */
  readonly pairRatioGeomean: number;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
};

export function comparePairs(pairs: ReadonlyArray<{ a: number; b: number }>): PairSummary {
  const medianA = median(pairs.map((pair) => pair.a));
  const medianB = median(pairs.map((pair) => pair.b));
  return {
    pairs: pairs.length, medianA, medianB, ratio: medianB / medianA,
    bWins: pairs.filter((pair) => pair.b < pair.a).length,
    pairRatioGeomean: Math.exp(pairs.reduce((sum, pair) => sum + Math.log(pair.b / pair.a), 0) / pairs.length),
  };
}

const SCREENS: ReadonlyArray<{ screen: Screen; label: string }> = [{ screen: 'queue', label: 'queue: first rows' }, { screen: 'dashboard', label: 'dashboard: charts' }];
const load1 = () => loadavg()[0]!.toFixed(1);

/** What an interrupted run leaves to clean up: its servers and its temporary directory (Ctrl-C skips the `finally`). */
const running = new Set<{ scratch: string; processes: ChildProcess[] }>();
const cleanUpInterrupted = () => {
  for (const { scratch, processes } of running) {
    for (const child of processes) child.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  }
  process.exit(130);
};

async function compareOn(complaints: number, options: CompareOptions, browser: Browser): Promise<string[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'complaint-desk-console-compare-'));
  const processes: ChildProcess[] = [];
  const run = { scratch, processes };
  running.add(run);
  try {
    const events = Math.ceil(complaints * EVENTS_PER_COMPLAINT);
    process.stderr.write(`  compare: generating a store for about ${complaints.toLocaleString('en-US')} complaints (${events.toLocaleString('en-US')} events; the generator makes whole histories, the table counts what it holds)\n`);
    const generated = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(__dirname, '..', 'replay.ts'), 'generate', join(scratch, 'store'), String(events)], {
      cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (generated.status !== 0) throw new Error('generating the history failed');
    const counted = JSON.parse(generated.stdout.trim().split('\n').pop()!) as { events: number; complaints: number };
    // Each server on its own copy of the one history (the server writes: the read models, the SLA monitors' events).
    const bases = {} as Record<Side, string>;
    for (const side of ['a', 'b'] as const) {
      const dataDir = join(scratch, side);
      cpSync(join(scratch, 'store'), dataDir, { recursive: true });
      const port = await freePort();
      bases[side] = `http://127.0.0.1:${port}`;
      // SEAL_DIR is `${dataDir}.seals`, inside the scratch directory too.
      await startServer(dataDir, port, { API_TOKENS: `${TOKEN}:bench-console:supervisor`, CONSOLE_DIR: options[side] }, { spawned: (child) => processes.push(child) });
    }
    const started = performance.now();
    const heads = await Promise.all([caughtUp(bases.a), caughtUp(bases.b)]);
    process.stderr.write(`  compare: both servers caught up (logs at ${heads.join(' and ')}) in ${((performance.now() - started) / 1000).toFixed(1)} s; ${options.pairs} pair(s)\n`);
    for (const { screen } of SCREENS) for (const side of ['a', 'b'] as const) await load(browser, bases[side], screen); // not counted: warm-up
    const loadBefore = load1();
    const measured = new Map<Screen, Array<{ a: number; b: number }>>(SCREENS.map(({ screen }) => [screen, []]));
    for (let pair = 0; pair < options.pairs; pair += 1) {
      for (const { screen } of SCREENS) {
        const times = {} as Record<Side, number>;
        for (const side of pairOrder(pair)) times[side] = (await load(browser, bases[side], screen)).ms;
        measured.get(screen)!.push(times);
      }
    }
    const loadAfter = load1();
    const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;
    return [
      `${counted.complaints.toLocaleString('en-US')} complaints (${counted.events.toLocaleString('en-US')} events), ${options.pairs} pairs (A B, B A, …), load average ${loadBefore} → ${loadAfter}`,
      `A = ${basename(options.a)} (${options.a}), B = ${basename(options.b)} (${options.b}); the page's clock, medians`,
      '| | A | B | B/A | B faster in | pairs\' B/A (geometric mean) |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...SCREENS.map(({ screen, label }) => {
        const summary = comparePairs(measured.get(screen)!);
        return `| ${label} | ${ms(summary.medianA)} | ${ms(summary.medianB)} | ${summary.ratio.toFixed(2)}× | ${summary.bWins} of ${summary.pairs} | ${summary.pairRatioGeomean.toFixed(2)}× |`;
      }),
      '',
    ];
  } finally {
    for (const child of processes) child.kill('SIGTERM');
    // A child killed by a signal keeps exitCode null: signalCode says it is gone (startServer kills its own on a failed start).
    await Promise.all(processes.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((done) => child.once('exit', done)) : undefined)));
    rmSync(scratch, { recursive: true, force: true });
    running.delete(run);
  }
}

async function main(): Promise<void> {
  process.once('SIGINT', cleanUpInterrupted).once('SIGTERM', cleanUpInterrupted);
  const parsed = parseCompareArgs(process.argv.slice(2));
  const options = { ...parsed, a: resolve(parsed.a), b: resolve(parsed.b) };
  for (const dir of [options.a, options.b]) {
    if (!existsSync(join(dir, 'index.html'))) throw new Error(`${dir} holds no console build (no index.html): build one with \`npx vite build --config apps/console/vite.config.mts --outDir DIR\``);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
  try {
    for (const size of options.sizes) process.stdout.write(`${(await compareOn(size, options, browser)).join('\n')}\n`);
  } finally {
    await browser.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String((error as { message?: unknown })?.message ?? error)}\n`);
    process.exit(1);
  });
}
