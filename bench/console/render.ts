/**
 * Child process of the benchmark: the console's render budget on stores of rising size.
 *   render.ts SIZES REPS   — SIZES: complaints per store, comma-separated (the first is the baseline); REPS: page loads per screen
 * For each size: a generated history of about that many complaints (bench/replay.ts generate: a repair work order
 * per eight complaints beside them) in a fresh data dir, the built API (`dist/apps/api/…/main.js`) serving the built
 * console (`dist/console`) on it, the read models caught up with the whole log and the log no longer growing (caughtUp: the SLA
 * monitors first record the history's overdue deadlines); then Debian's Chromium headless
 * (playwright-core) opens, in a fresh browser context each time, the queue and the dashboard, signed in as a
 * supervisor. Measured on the page's own clock, from the navigation's start to the frame that draws the first rows of the
 * queue's table, or every chart of the dashboard drawn from its data (each chart's text alternative lists its figures);
 * beside it the driver's clock as this bench took it before (page.goto until Playwright's locator sees them, which adds
 * the renderer's start and Playwright's polling); then the page's JavaScript heap after a garbage collection
 * (DevTools protocol). Prints one JSON line per size: the medians of REPS loads.
 * BENCH_CONSOLE_BASELINE=dir also measures another build of the console (a copy of an earlier `dist/console`) on
 * the same store, interleaved with this one: each repetition starts the server on the baseline build, then on this
 * build, one load of each screen not counted and one counted per start, so that both see the same machine.
 * BENCH_CONSOLE_DIR=dir measures that build as "this build" instead of `dist/console`: with the two directories swapped,
 * the same comparison in the other order (the baseline's loads always come first in each repetition).
 * bench/console/compare.ts compares two builds with a server each running side by side, in pairs of loads A B, B A …
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, startServer } from '../http/knee';

const ROOT = join(__dirname, '..', '..');
export const TOKEN = 'bench-console-supervisor-token-0123456789';
/** Events per generated complaint, its share of the repairs included (bench/replay.ts). */
export const EVENTS_PER_COMPLAINT = 5.4 + 14.2 / 8;
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/**
 * Chromium's headless mode is its full browser: each new window (a fresh context per load) also loaded the browser's own
 * omnibox pop-up (a WebUI page in a renderer of its own), seconds of CPU on the machine's two cores during the page's start
 * in some loads (a DevTools trace, bench/console/profile.ts). A person's browser has it loaded long before: left out.
 */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-features=PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxFullPopup'];
/**
 * The dashboard's charts a supervisor or analyst sees, each drawn from its data: their text alternatives (the charts'
 * aria-labels) list the figures once the answers are in, empty lists or zeros before.
 */
export const DRAWN_CHARTS = [
  /^Complaints received — Total received: [1-9]/,
  /^All complaints: time to first reply and to resolution.*: .*\d{4} First reply/,
  /^Time to first reply and to resolution, hours \(p50 \/ p90\) — .+: .*\d{4} First reply/,
  /^SLA compliance by department × period \(%\): .+ %/,
  /^Customers by loyalty — Tier: .*[1-9]/,
  /^Customers by loyalty — Stage: .*[1-9]/,
];

export type Screen = 'queue' | 'dashboard';

/** What screenDrawn reads of the page's document (this project's TypeScript has no DOM types). */
export interface DrawnPage {
  querySelector(selector: string): unknown;
  querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }>;
}

/**
 * Whether a screen shows what the bench waits for, in the page: the queue's first row, or every chart of the dashboard
 * drawn from its data. Runs in the browser (its source goes into the page with the patterns' sources), so it uses
 * nothing from outside its own body.
 */
export function screenDrawn(screen: Screen, document: DrawnPage, chartPatterns: readonly string[]): boolean {
  if (screen === 'queue') return document.querySelector('.ant-table-tbody tr.ant-table-row') !== null;
  const labels = Array.from(document.querySelectorAll('[role="img"][aria-label]'), (element) => element.getAttribute('aria-label') ?? '');
  return chartPatterns.every((pattern) => labels.some((label) => new RegExp(pattern).test(label)));
}

/**
 * Set before any script of the page runs: the time on the page's own clock (from the navigation's start) of the frame
 * that draws what the screen waits for (screenDrawn, checked on every change of the page). The driver's own wait
 * (queueReady, dashboardReady) polls from outside with Playwright's back-off (every 500 ms after the first 0.8 s) and
 * starts only after the load event and a new renderer process: it overstates the time, by up to half a second.
 */
export function drawnClockScript(screen: Screen): string {
  return `(() => {
    const drawn = ${screenDrawn.toString()};
    const patterns = ${JSON.stringify(DRAWN_CHARTS.map((pattern) => pattern.source))};
    const observer = new MutationObserver(() => {
      if (!drawn(${JSON.stringify(screen)}, document, patterns)) return;
      observer.disconnect();
      requestAnimationFrame(() => { window.__benchDrawnAt = performance.now(); });
    });
    observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label'] });
  })();`;
}

/** One build's figures on a store: medians of the counted loads. */
export interface BuildFigures {
  /** On the page's clock: from the navigation's start to the frame that draws the queue's first row. */
  readonly queueFirstRowsMs: number;
  /** The driver's clock (page.goto until Playwright's locator sees the row), as this bench measured before 2026-12-04. */
  readonly queueFirstRowsDriverMs: number;
  readonly queueHeapMb: number;
  readonly dashboardChartsMs: number;
  readonly dashboardChartsDriverMs: number;
  readonly dashboardHeapMb: number;
}

export interface RenderResult extends BuildFigures {
  readonly complaints: number;
  readonly events: number;
  /** Seconds from the server's start until the read models held the whole log and it stopped growing (caughtUp). */
  readonly catchUpSeconds: number;
  /** The same loads on the BENCH_CONSOLE_BASELINE build, interleaved with this build's. */
  readonly baseline?: BuildFigures;
}

const BASELINE_DIR = process.env['BENCH_CONSOLE_BASELINE'];
const THIS_BUILD_DIR = process.env['BENCH_CONSOLE_DIR'] ?? join(ROOT, 'dist', 'console');

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
};
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function get(base: string, path: string): Promise<{ status: number; body: any; position: number }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- the API's JSON
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const position = Number(response.headers.get('x-read-model-position') ?? -1);
  return { status: response.status, position, body: response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text() };
}

/**
 * How long the log must stay at one position before the bench measures: three ticks of the SLA monitors (SLA_MONITOR_INTERVAL_MS,
 * 1 s by default). A generated history holds a year of deadlines no server has watched: once started, the monitors record every
 * overdue one (SlaBreached, WorkOrderSlaBreached and the notifications' NotificationSkipped, 200 per tick each), about 4,100 events
 * on the 10,016-complaint store and 30 on the 94-complaint one, and the read models project them, on the cores the browser uses.
 * Measured while they did, the queue's first rows took about 0.5 s more on the large store than on the small (README, console).
 */
export const LOG_SETTLED_MS = 3_000;

/**
 * Waits until the read models hold the whole log (a read with minPosition = the head answers) and the log has stopped growing:
 * no event appended for settledMs after the read models reached the head. Answers that head.
 */
export async function caughtUp(base: string, settledMs = LOG_SETTLED_MS): Promise<number> {
  const headOf = async () => (await get(base, '/health')).body.eventStore.headPosition as number;
  const deadline = Date.now() + 20 * 60_000;
  let head = await headOf();
  for (;;) {
    if (Date.now() > deadline) throw new Error(`the read models did not reach position ${head}, or the log did not stop growing, in 20 minutes`);
    // A read with minPosition answers 200 after at most 5 s whether or not the read models got there (READ_MODEL_WAIT_MS):
    // X-Read-Model-Position says how far they are. Until 2026-12-05 the bench took the 200 alone and measured during the replay.
    const [list, loyalty] = await Promise.all([get(base, `/complaints?limit=1&minPosition=${head}`), get(base, `/stats/loyalty?minPosition=${head}`)]);
    if (list.status !== 200 || loyalty.status !== 200 || list.position < head || loyalty.position < head) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, settledMs));
    const now = await headOf();
    if (now === head) return head;
    head = now;
  }
}

/** One page load of a screen in a fresh context, signed in (the token in the tab's storage, as the sign-in form leaves it). */
export async function load(browser: Browser, base: string, screen: Screen): Promise<{ ms: number; driverMs: number; heapMb: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Shanghai' });
  try {
    await context.addInitScript({ content: `sessionStorage.setItem('complaint-desk.token', ${JSON.stringify(TOKEN)}); localStorage.setItem('complaint-desk.language', 'en');` });
    await context.addInitScript({ content: drawnClockScript(screen) });
    const page = await context.newPage();
    page.setDefaultTimeout(120_000);
    const started = performance.now();
    await page.goto(`${base}/${screen === 'queue' ? '#/' : '#/dashboard'}`);
    await (screen === 'queue' ? queueReady : dashboardReady)(page);
    const driverMs = performance.now() - started;
    const ms = await (await page.waitForFunction(() => (globalThis as { __benchDrawnAt?: number }).__benchDrawnAt)).jsonValue() as number;
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return { ms, driverMs, heapMb: usedSize / 2 ** 20 };
  } finally {
    await context.close();
  }
}

/** The queue's table shows its first row. */
export const queueReady = async (page: Page) => {
  await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
};

/** Every chart of the dashboard drawn from its data (the page in English). */
export const dashboardReady = async (page: Page) => {
  for (const name of DRAWN_CHARTS) await page.getByRole('img', { name }).first().waitFor({ state: 'attached' });
};

async function measure(complaints: number, reps: number, browser: Browser): Promise<RenderResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-console-bench-'));
  try {
    const events = Math.ceil(complaints * EVENTS_PER_COMPLAINT);
    process.stderr.write(`  console: generating ${complaints.toLocaleString('en-US')} complaints (${events.toLocaleString('en-US')} events)\n`);
    const generated = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(__dirname, '..', 'replay.ts'), 'generate', dataDir, String(events)], {
      cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (generated.status !== 0) throw new Error('generating the history failed');
    const counted = JSON.parse(generated.stdout.trim().split('\n').pop()!) as { events: number; complaints: number };
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const started = performance.now();
    let catchUpSeconds: number | undefined;
    const serve = async (consoleDir: string, use: () => Promise<void>): Promise<void> => {
      const processes = await startServer(dataDir, port, { API_TOKENS: `${TOKEN}:bench-console:supervisor`, CONSOLE_DIR: consoleDir });
      try {
        const settled = await caughtUp(base);
        if (catchUpSeconds === undefined) {
          catchUpSeconds = (performance.now() - started) / 1000;
          const recorded = (settled - counted.events).toLocaleString('en-US');
          process.stderr.write(`  console: ${counted.complaints.toLocaleString('en-US')} complaints projected, and the log grown by ${recorded} events since (the SLA monitors' overdue deadlines), in ${catchUpSeconds.toFixed(1)} s; ${reps} load(s) of each screen${BASELINE_DIR ? ' on each build, interleaved' : ''}\n`);
        }
        // One load of each first, not counted: the server's caches and the browser's compilation warm up as for anyone after the first visit.
        await load(browser, base, 'queue');
        await load(browser, base, 'dashboard');
        return await use();
      } finally {
        for (const child of processes) child.kill('SIGTERM');
        await Promise.all(processes.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
      }
    };
    const builds = [...(BASELINE_DIR ? [BASELINE_DIR] : []), THIS_BUILD_DIR];
    type Load = Awaited<ReturnType<typeof load>>;
    const loads = builds.map(() => ({ queue: [] as Load[], dashboard: [] as Load[] }));
    const measureLoads = async (index: number, count: number) => {
      for (let rep = 0; rep < count; rep += 1) {
        loads[index]!.queue.push(await load(browser, base, 'queue'));
        loads[index]!.dashboard.push(await load(browser, base, 'dashboard'));
      }
    };
    await serve(builds[0]!, () => measureLoads(0, BASELINE_DIR ? 1 : reps));
    // With a baseline: a server per build and repetition, the builds alternating (the first repetition's baseline is done above).
    for (let rep = 0; BASELINE_DIR && rep < reps; rep += 1) {
      for (let index = rep === 0 ? 1 : 0; index < builds.length; index += 1) await serve(builds[index]!, () => measureLoads(index, 1));
    }
    const figures = ({ queue, dashboard }: (typeof loads)[number]): BuildFigures => ({
      queueFirstRowsMs: round(median(queue.map((run) => run.ms))), queueFirstRowsDriverMs: round(median(queue.map((run) => run.driverMs))), queueHeapMb: round(median(queue.map((run) => run.heapMb))),
      dashboardChartsMs: round(median(dashboard.map((run) => run.ms))), dashboardChartsDriverMs: round(median(dashboard.map((run) => run.driverMs))), dashboardHeapMb: round(median(dashboard.map((run) => run.heapMb))),
    });
    return {
      complaints: counted.complaints, events: counted.events, catchUpSeconds: round(catchUpSeconds ?? 0), ...figures(loads[loads.length - 1]!),
      ...(BASELINE_DIR ? { baseline: figures(loads[0]!) } : {}),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.seals`, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [sizesArg = '100,10000', repsArg = '3'] = process.argv.slice(2);
  const sizes = sizesArg.split(',').map(Number);
  const reps = Number(repsArg);
  if (!sizes.every((size) => Number.isInteger(size) && size >= 10) || !Number.isInteger(reps) || reps < 1) throw new Error('usage: render.ts SIZES REPS (sizes: complaints ≥ 10, comma-separated)');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
  try {
    for (const size of sizes) process.stdout.write(`${JSON.stringify({ render: await measure(size, reps, browser) })}\n`);
  } finally {
    await browser.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
