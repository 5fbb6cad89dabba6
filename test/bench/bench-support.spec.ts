import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyChain } from '@app/event-sourcing';
import { generateComplaints, generateRepairs, generateServiceNetwork } from '../../bench/lifecycle-generator';
import { barChart, lineChart } from '../../bench/charts';
import { inclusiveProfile, sourceOf } from '../../bench/cpu-profile';
import { profileWindows } from '../../bench/profile-windows';
import { kneeOf, percentile, type StepResult } from '../../bench/http/knee';
import { concurrentAppends, type BenchStore } from '../../bench/stores/workloads';
import { runInNewContext } from 'node:vm';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DRAWN_CHARTS, caughtUp, drawnClockScript, screenDrawn } from '../../bench/console/render';
import { comparePairs, pairOrder, parseCompareArgs } from '../../bench/console/compare';

const step = (concurrency: number, commandsPerSecond: number): StepResult => ({
  concurrency, seconds: 1, commands: commandsPerSecond, reads: 0, commandsPerSecond, errors: 0, routes: {}, commandP50Ms: 1, commandP99Ms: 2, lagP50Ms: 1, lagP99Ms: 2, serverCores: 1,
});

describe('benchmark support', () => {
  it('finds the knee: the last step whose throughput grew by at least 10 % over the one before', () => {
    expect(kneeOf([step(1, 100), step(2, 190), step(4, 300), step(8, 320), step(16, 500)])?.concurrency).toBe(4);
    expect(kneeOf([step(1, 100), step(2, 105)])?.concurrency).toBe(1);
    expect(kneeOf([])).toBeUndefined();
  });

  it('takes percentiles by rank (nearest rank, no interpolation)', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([], 0.99)).toBe(0);
  });

  it('names where profiled code comes from: a package, a project path, Node itself', () => {
    expect(sourceOf('file:///srv/desk/node_modules/better-sqlite3/lib/methods/transaction.js', '/srv/desk')).toBe('better-sqlite3');
    expect(sourceOf('file:///srv/desk/node_modules/@nestjs/core/router.js', '/srv/desk')).toBe('@nestjs/core');
    expect(sourceOf('/srv/desk/libs/read-store/src/sqlite/sqlite.read-store.ts', '/srv/desk')).toBe('libs/read-store/src/sqlite/sqlite.read-store.ts');
    expect(sourceOf('node:internal/modules/cjs/loader', '/srv/desk')).toBe('node:internal/modules/cjs/loader');
    expect(sourceOf('', '/srv/desk')).toBe('(native)');
  });

  it('counts a function once per sample in its inclusive share, by samples or by time, over the last seconds only', () => {
    // root → a → b (b also calls a again: recursion counts once); samples: b, b, a, root-only (idle); deltas in µs.
    const frame = (id: number, functionName: string, children: number[] = []) => ({ id, callFrame: { functionName, url: functionName ? `/srv/desk/libs/${functionName}.js` : '', lineNumber: 0 }, children });
    const profile = { nodes: [frame(1, '(root)', [2]), frame(2, 'a', [3]), frame(3, 'b', [4]), frame(4, 'a')], samples: [4, 3, 2, 1], timeDeltas: [1000, 1000, 5000, 1000] };
    const dir = mkdtempSync(join(tmpdir(), 'cpu-profile-'));
    try {
      const file = join(dir, 'p.cpuprofile');
      writeFileSync(file, JSON.stringify(profile));
      const bySamples = inclusiveProfile(file, '/srv/desk', 10, { samples: true });
      expect(bySamples.totalMs).toBe(4);
      expect(bySamples.functions.map(({ name, share }) => [name, share])).toEqual([['a', 0.75], ['b', 0.5]]);
      expect(bySamples.self.map(({ name, share }) => [name, share])).toEqual([['a', 0.5], ['b', 0.25]]);
      const byTime = inclusiveProfile(file, '/srv/desk', 10);
      expect(byTime.functions.find(({ name }) => name === 'a')!.share).toBeCloseTo(7 / 8);
      // The last 5 ms of the 8: the samples that end at 7 and 8 ms.
      expect(inclusiveProfile(file, '/srv/desk', 10, { samples: true, lastSeconds: 0.005 }).totalMs).toBe(2);
      // The first 2 ms: the samples that end at 1 and 2 ms (b twice).
      const first = inclusiveProfile(file, '/srv/desk', 10, { samples: true, firstSeconds: 0.002 });
      expect(first.totalMs).toBe(2);
      expect(first.self.map(({ name, share }) => [name, share])).toEqual([['a', 0.5], ['b', 0.5]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("cuts a replay's profile into windows of equal sample counts, each statement by who ran it, the indexes built at the catch-up apart", () => {
    const frame = (id: number, functionName: string, children: number[] = []) => ({ id, callFrame: { functionName }, children });
    // root → commit → put → run; commit → run (the COMMIT); getMany → all; ensureCollections → exec; encode; the collector.
    const nodes = [frame(1, '(root)', [2, 5, 7, 9, 10]), frame(2, 'commit', [3, 4]), frame(3, 'put', [11]), frame(11, 'run'), frame(4, 'run'),
      frame(5, 'getMany', [6]), frame(6, 'all'), frame(7, 'ensureCollections', [8]), frame(8, 'exec'), frame(9, 'encode'), frame(10, '(garbage collector)')];
    // Window 0: encode, encode, put's run, the COMMIT's run; window 1: encode, getMany's all, the collector, the indexes.
    const samples = [9, 9, 11, 4, 9, 6, 10, 8];
    const dir = mkdtempSync(join(tmpdir(), 'profile-windows-'));
    try {
      const file = join(dir, 'p.cpuprofile');
      writeFileSync(file, JSON.stringify({ nodes, samples, timeDeltas: samples.map(() => 1000) }));
      const [early, late] = profileWindows(file, 2);
      expect(early).toMatchObject({ clock: 2, sqlDoc: 1, sqlCommit: 1, sqlRead: 0, gc: 0, indexes: 0 });
      expect(late).toMatchObject({ clock: 1, sqlDoc: 0, sqlCommit: 0, sqlRead: 1, gc: 1, indexes: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('draws a bar per store and workload, leaves a gap where there is no figure, and escapes names', () => {
    const svg = barChart({ title: 'A & B', yLabel: 'events/s', categories: ['W1', 'W2'], series: [{ name: 'ours <1>', values: [3000, 40_000] }, { name: 'peer', values: [900, null] }] });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<rect x=/g)).toHaveLength(3);
    expect(svg).toContain('A &amp; B');
    expect(svg).toContain('ours &lt;1&gt;');
    expect(svg).toContain('>40k<');
  });

  it('draws one line per series with a point per x', () => {
    const svg = lineChart({ title: 'latency', xLabel: 'clients', yLabel: 'ms', x: [1, 2, 4], series: [{ name: 'p50', values: [1, 2, 3] }, { name: 'p99', values: [4, 8, 30] }] });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(6);
  });

  it('runs W1c with fewer streams than appends in flight: every append lands, at the version it expected', async () => {
    const streams = new Map<string, number>();
    let log = 0;
    const store: BenchStore = {
      async append(stream, events, expected) {
        await new Promise((resolve) => setImmediate(resolve));
        if ((streams.get(stream) ?? 0) !== expected) throw new Error(`${stream} is not at ${expected}`);
        streams.set(stream, expected + events.length);
        log += events.length;
      },
      fold: async (stream) => streams.get(stream) ?? 0,
      readAll: async () => log,
      close: async () => undefined,
    };
    await expect(concurrentAppends(store, { events: 200, streams: 10, inFlight: 64 })).resolves.toBeGreaterThan(0);
    expect(log).toBe(200);
    expect([...streams.values()].reduce((sum, count) => sum + count, 0)).toBe(200);
  });
});

describe('the generated history', () => {
  it('still generates the complaint history it always did', () => {
    // Changed once on purpose: ComplaintReceived v3 (issue 19) records `personal: null` when no text is marked
    // personal; the rest of each event is as before, and the chain hashes follow from it.
    expect(createHash('sha256').update(JSON.stringify(generateComplaints(0, 300, 300))).digest('hex')).toBe('c32a959097136f87779731504cc42dc2fcd2653109e7842852c941076877c2ad');
  });

  it('generates repairs through the deciders: the same every time, each stream in time order with an intact hash chain, in plausible shares', () => {
    const { events: network, network: directory } = generateServiceNetwork();
    const repairs = generateRepairs(0, 400, 400, directory);
    expect(JSON.stringify(generateRepairs(0, 400, 400, directory))).toBe(JSON.stringify(repairs));
    const streams = new Map<string, Array<(typeof repairs)[number]>>();
    for (const generated of [...network, ...repairs]) streams.set(generated.stream, [...(streams.get(generated.stream) ?? []), generated]);
    for (const [stream, events] of streams) {
      expect(events.every((event, index) => index === 0 || events[index - 1]!.at <= event.at)).toBe(true);
      expect(verifyChain(stream, events.map(({ event }, revision) => ({ ...event, revision })))).toMatchObject({ ok: true });
    }
    const count = (type: string) => repairs.filter(({ event }) => event.type === type).length;
    expect(count('WorkOrderReported')).toBe(400);
    for (const type of ['WorkOrderRemotelyDiagnosed', 'WorkOrderVisitFailed', 'WorkOrderQuoteRefused', 'WorkOrderFeeCharged', 'WorkOrderSurveyAnswered', 'WorkOrderReopened', 'WorkOrderCancelled', 'WorkOrderSlaBreached']) {
      expect({ type, some: count(type) > 0 }).toEqual({ type, some: true });
    }
    expect(count('WorkOrderClosed') / 400).toBeGreaterThan(0.9);
    // Until a moment: a prefix of each order's history, the orders still open then left open.
    const until = Date.parse('2025-03-01T00:00:00.000Z');
    const cut = generateRepairs(0, 400, 400, directory, { until });
    expect(cut.every((event) => event.at <= until)).toBe(true);
    expect(cut.length).toBeLessThan(repairs.length);
  });

  describe("the console bench's clock on the page", () => {
    /** A page as screenDrawn sees it: the queue's rows, and the charts' text alternatives. */
    const page = (rows: number, labels: string[]) => ({
      querySelector: (selector: string) => (selector === '.ant-table-tbody tr.ant-table-row' && rows > 0 ? {} : null),
      querySelectorAll: (selector: string) => (selector === '[role="img"][aria-label]' ? labels.map((label) => ({ getAttribute: () => label })) : []),
    });
    const drawnCharts = [
      'Complaints received — Total received: 1234', 'All complaints: time to first reply and to resolution (hours): 2026 First reply 3',
      'Time to first reply and to resolution, hours (p50 / p90) — Cause: product 2026 First reply 2', 'SLA compliance by department × period (%): service 2026-01 93 %',
      'Customers by loyalty — Tier: gold 12', 'Customers by loyalty — Stage: loyal 7',
    ];
    const patterns = DRAWN_CHARTS.map((pattern) => pattern.source);

    it('sees the queue drawn once its table has a row', () => {
      expect(screenDrawn('queue', page(0, []), patterns)).toBe(false);
      expect(screenDrawn('queue', page(1, []), patterns)).toBe(true);
    });

    it('sees the dashboard drawn only when every chart lists figures, not while one is still empty', () => {
      expect(screenDrawn('dashboard', page(0, drawnCharts), patterns)).toBe(true);
      expect(screenDrawn('dashboard', page(0, drawnCharts.slice(1)), patterns)).toBe(false);
      expect(screenDrawn('dashboard', page(0, ['Complaints received — Total received: 0', ...drawnCharts.slice(1)]), patterns)).toBe(false);
    });

    it("records the page's clock at the frame after the change that draws the screen, not at the driver's next look", () => {
      let observed: (() => void) | undefined;
      let frame: (() => void) | undefined;
      let rows = 0;
      let now = 0;
      const window: { __benchDrawnAt?: number } = {};
      runInNewContext(drawnClockScript('queue'), {
        window, document: { querySelector: (selector: string) => page(rows, []).querySelector(selector) },
        performance: { now: () => now },
        requestAnimationFrame: (callback: () => void) => { frame = callback; },
        MutationObserver: class { constructor(callback: () => void) { observed = callback; } observe() {} disconnect() { observed = undefined; } },
      });
      now = 120;
      observed!();
      expect(frame).toBeUndefined();
      rows = 20;
      now = 480;
      observed!();
      now = 496;
      frame!();
      expect(window.__benchDrawnAt).toBe(496);
      expect(observed).toBeUndefined();
    });

    it("starts measuring once the read models hold the log and it stops growing, not during the replay or while the SLA monitors record the history's overdue deadlines", async () => {
      // A server whose log grows after the generated history (breaches recorded in batches), the read models behind it.
      let head = 0;
      let projected = 100;
      let reported = 0;
      const growth = [1000, 1300];
      const server = createServer((request, response) => {
        const url = new URL(request.url!, 'http://localhost');
        if (url.pathname === '/health') {
          head = growth.shift() ?? head;
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify({ eventStore: { headPosition: head } }));
          return;
        }
        // As the API answers a read with minPosition once its wait is over: 200, and how far the read models are.
        reported = projected;
        response.setHeader('x-read-model-position', String(reported));
        projected = Math.min(head, projected + 300);
        response.setHeader('content-type', 'application/json');
        response.end('{}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const settled = await caughtUp(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 20);
        expect(settled).toBe(1300);
        expect(reported).toBe(1300);
      } finally {
        server.close();
      }
    });
  });
  describe('the comparison of two console builds', () => {
    it('loads the two builds in turn, A B then B A, so that neither always goes first', () => {
      expect([0, 1, 2, 3].map(pairOrder)).toEqual([['a', 'b'], ['b', 'a'], ['a', 'b'], ['b', 'a']]);
    });

    it("answers the medians, B's median over A's, and how many pairs B was faster in (a tie is no win)", () => {
      const summary = comparePairs([{ a: 100, b: 90 }, { a: 300, b: 330 }, { a: 200, b: 150 }, { a: 120, b: 120 }]);
      expect(summary.medianA).toBe(160);
      expect(summary.medianB).toBe(135);
      expect(summary.ratio).toBeCloseTo(135 / 160, 6);
      expect(summary.bWins).toBe(2);
      expect(summary.pairs).toBe(4);
      // The geometric mean of the pairs' own ratios: 0.9 × 1.1 × 0.75 × 1, to the quarter.
      expect(summary.pairRatioGeomean).toBeCloseTo((0.9 * 1.1 * 0.75 * 1) ** 0.25, 6);
    });

    it('reads two build directories, the store sizes and the pairs; --smoke is one small store and two pairs', () => {
      expect(parseCompareArgs(['a', 'b'])).toEqual({ a: 'a', b: 'b', sizes: [100, 10000], pairs: 12 });
      expect(parseCompareArgs(['a', 'b', '--complaints', '100', '--pairs', '16'])).toEqual({ a: 'a', b: 'b', sizes: [100], pairs: 16 });
      expect(parseCompareArgs(['a', 'b', '--smoke'])).toEqual({ a: 'a', b: 'b', sizes: [20], pairs: 2 });
    });

    it('refuses a call it cannot run, saying how to call it', () => {
      expect(() => parseCompareArgs(['a'])).toThrow(/usage: compare\.ts A_DIR B_DIR/);
      expect(() => parseCompareArgs(['a', 'b', '--pairs', '0'])).toThrow(/--pairs takes a whole number ≥ 1/);
      expect(() => parseCompareArgs(['a', 'b', '--complaints', '5'])).toThrow(/--complaints takes complaint counts ≥ 10/);
      expect(() => parseCompareArgs(['a', 'b', '--reps', '3'])).toThrow(/unknown option --reps/);
    });
  });
});
