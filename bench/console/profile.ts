/**
 * Where the queue's first rows wait: one console build in Chromium on a data dir that already holds a generated history.
 *   profile.ts DATA_DIR CONSOLE_DIR [LOADS] [--trace FILE] [--cpu-profile FILE]
 * Starts the built API on DATA_DIR serving CONSOLE_DIR, waits for the read models, loads the queue once not counted,
 * then LOADS times (default 5) in a fresh browser context each, signed in as a supervisor, as the bench does
 * (bench/console/render.ts). For each load, on the page's own clock (ms from the navigation's start): the response's
 * first byte, each script, style sheet and API answer (resource timing: start → end), the first paint, DOMContentLoaded,
 * load, the first row of the queue's table (a MutationObserver set before any script of the page runs), the long tasks,
 * and the bench's own figure (the driver's clock from page.goto until its locator sees the row). With --trace, the last
 * load is recorded with Chromium's tracing (devtools.timeline) to FILE, and its main thread's time until the first row
 * is summed by kind (script evaluation and compilation, style sheet parse, style, layout, paint, GC …). With --cpu-profile,
 * the last load runs under V8's sampling profiler (the page's JavaScript, self time by function; an unminified build,
 * `vite build --minify false`, names them), written to FILE (.cpuprofile, for DevTools).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium, type Browser, type CDPSession } from 'playwright-core';
import { freePort, startServer } from '../http/knee';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, TOKEN, caughtUp, queueReady } from './render';

/** The bench's flags, and PROFILE_FLAGS's (space-separated) after them. */
const FLAGS = [...CHROMIUM_FLAGS, ...(process.env['PROFILE_FLAGS'] ?? '').split(' ').filter(Boolean)];

/** Runs in the page before its scripts: the first row's time on the page's clock, and the long tasks. */
const OBSERVE = `
  sessionStorage.setItem('complaint-desk.token', ${JSON.stringify(TOKEN)}); localStorage.setItem('complaint-desk.language', 'en');
  window.__longTasks = [];
  try { new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask', buffered: true }); } catch {}
  new MutationObserver((_, observer) => {
    if (document.querySelector('.ant-table-tbody tr.ant-table-row')) { window.__firstRow = performance.now(); performance.mark('console-first-row'); observer.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
`;

interface Load {
  benchMs: number;
  firstRowMs: number;
  ttfbMs: number;
  domContentLoadedMs: number;
  loadMs: number;
  firstPaintMs: number | null;
  resources: Array<[string, number, number]>;
  longTasks: Array<[number, number]>;
}

/** A V8 CPU profile's self time by function (name and file), the heaviest first. */
function summariseCpuProfile(profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples: number[]; timeDeltas: number[] }): Array<[string, number]> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id)!.callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\//, '')}:${frame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([key, ms]) => [key, Math.round(ms)]);
}

async function load(browser: Browser, base: string, trace?: string, cpuProfile?: string): Promise<Load & { cpu?: Array<[string, number]> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Shanghai' });
  try {
    await context.addInitScript({ content: OBSERVE });
    const page = await context.newPage();
    page.setDefaultTimeout(120_000);
    let cdp: CDPSession | undefined;
    const chunks: unknown[] = [];
    if (trace) {
      cdp = await context.newCDPSession(page);
      cdp.on('Tracing.dataCollected', (event) => chunks.push(...(event as { value: unknown[] }).value));
      await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'v8.execute', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'loading', 'v8'] }, transferMode: 'ReportEvents' });
    }
    let profiler: CDPSession | undefined;
    if (cpuProfile) {
      // A page of the same origin first, so that the navigation to the console stays in this renderer and its profiler.
      await page.goto(`${base}/assets/favicon.svg`);
      profiler = await context.newCDPSession(page);
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.send('Profiler.start');
    }
    const started = performance.now();
    await page.goto(`${base}/#/`);
    await queueReady(page);
    const benchMs = performance.now() - started;
    let cpu: Array<[string, number]> | undefined;
    if (profiler) {
      const { profile } = await profiler.send('Profiler.stop');
      writeFileSync(cpuProfile!, JSON.stringify(profile));
      cpu = summariseCpuProfile(profile as never);
    }
    if (cdp) {
      const done = new Promise((resolve) => cdp!.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await done;
      writeFileSync(trace!, JSON.stringify({ traceEvents: chunks }));
    }
    // In the page (this project's TypeScript has no DOM types: the few fields read are typed here).
    type Entry = { name: string; startTime: number; responseStart: number; responseEnd: number; domContentLoadedEventEnd: number; loadEventEnd: number };
    const figures = await page.evaluate(() => {
      const page = globalThis as unknown as {
        performance: { getEntriesByType(type: string): Entry[]; getEntriesByName(name: string): Entry[] };
        location: { origin: string }; __firstRow: number; __longTasks: Array<[number, number]>;
      };
      const nav = page.performance.getEntriesByType('navigation')[0]!;
      const paint = page.performance.getEntriesByName('first-paint')[0];
      return {
        firstRowMs: page.__firstRow, ttfbMs: nav.responseStart, domContentLoadedMs: nav.domContentLoadedEventEnd, loadMs: nav.loadEventEnd, firstPaintMs: paint ? paint.startTime : null,
        resources: page.performance.getEntriesByType('resource').map((entry) => [entry.name.replace(page.location.origin, ''), Math.round(entry.startTime), Math.round(entry.responseEnd)] as [string, number, number]),
        longTasks: page.__longTasks,
      };
    });
    return { benchMs, ...figures, ...(cpu ? { cpu } : {}) };
  } finally {
    await context.close();
  }
}

/** The renderer's main thread until the first row, summed by kind of work (the trace's top-level events, nested time counted once). */
function summariseTrace(file: string, firstRowMs: number): Record<string, number> {
  const events = (JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: Array<{ name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { data?: unknown } }> }).traceEvents;
  // The page's renderer: the main thread that marked the first row (Chromium's own pages run in others); the page's clock starts at its navigation.
  const parse = events.find((event) => event.name === 'console-first-row');
  if (!parse) return {};
  const end = parse.ts;
  const start = end - firstRowMs * 1000;
  const top = events.filter((event) => event.pid === parse.pid && event.tid === parse.tid && event.ph === 'X' && event.dur !== undefined && event.ts >= start && event.ts < end)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  // Each task of the main thread, by the kind of its outermost pieces of work (a script's evaluation, a timer, a style sheet's parse …).
  const sums: Record<string, number> = {};
  const clip = (event: { ts: number; dur?: number }) => Math.min(event.dur!, end - event.ts) / 1000;
  let taskEnd = -Infinity;
  let pieceEnd = -Infinity;
  let busy = 0;
  for (const event of top) {
    if (event.name === 'RunTask') {
      if (event.ts >= taskEnd) {
        busy += clip(event);
        taskEnd = event.ts + event.dur!;
        pieceEnd = -Infinity;
      }
    } else if (event.ts < taskEnd && event.ts >= pieceEnd) {
      sums[event.name] = (sums[event.name] ?? 0) + clip(event);
      pieceEnd = event.ts + event.dur!;
    }
  }
  // Chromium's own pages (its new-tab and omnibox WebUI) run in renderers of their own, on the same cores.
  const threadNames = new Map(events.filter((event) => event.ph === 'M' && event.name === 'thread_name').map((event) => [`${event.pid}/${event.tid}`, (event.args as { name?: string } | undefined)?.name]));
  const otherRenderers = events.filter((event) => event.name === 'RunTask' && event.ph === 'X' && event.pid !== parse.pid && threadNames.get(`${event.pid}/${event.tid}`) === 'CrRendererMain' && event.ts >= start && event.ts < end)
    .reduce((sum, event) => sum + event.dur! / 1000, 0);
  return {
    'window (navigation → first row)': Math.round(firstRowMs), 'main thread busy': Math.round(busy),
    ...Object.fromEntries(Object.entries(sums).filter(([, ms]) => ms >= 5).sort((a, b) => b[1] - a[1]).map(([name, ms]) => [name, Math.round(ms)])),
    'other renderers (main threads)': Math.round(otherRenderers),
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const traceIndex = args.indexOf('--trace');
  const trace = traceIndex >= 0 ? args.splice(traceIndex, 2)[1] : undefined;
  const cpuIndex = args.indexOf('--cpu-profile');
  const cpuProfile = cpuIndex >= 0 ? args.splice(cpuIndex, 2)[1] : undefined;
  const [dataDir, consoleDir, loadsArg = '5'] = args;
  if (!dataDir || !consoleDir) throw new Error('usage: profile.ts DATA_DIR CONSOLE_DIR [LOADS] [--trace FILE]');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const processes = await startServer(dataDir, port, { API_TOKENS: `${TOKEN}:bench-console:supervisor`, CONSOLE_DIR: consoleDir });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
  try {
    await caughtUp(base);
    await load(browser, base);
    const loads = Number(loadsArg);
    for (let index = 0; index < loads; index += 1) {
      const traced = index === loads - 1 ? trace : undefined;
      const result = await load(browser, base, traced, index === loads - 1 ? cpuProfile : undefined);
      process.stdout.write(`${JSON.stringify({ ...result, ...(traced ? { mainThread: summariseTrace(traced, result.firstRowMs) } : {}) })}\n`);
    }
  } finally {
    await browser.close();
    for (const child of processes) child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
