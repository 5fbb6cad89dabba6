/**
 * npm run bench [-- options]   — every section; `npm run bench:peers` = the event stores only.
 *   --only stores,http,integrations,fairness,replay,cfpb,console   sections to run (default: all)
 *   --events N --streams N          event-store workloads (default 100,000 over 10,000 streams)
 *   --sync FULL|NORMAL|both         durability of every store (default both; FULL is this project's default)
 *   --reps N                        interleaved repetitions of the store workloads (default 3)
 *   --no-peers                      leave the peer stores out (they are installed on demand otherwise)
 *   --replay N,N                    replay sizes (default 100,000 and 1,000,000)
 *   --http-seconds S --http-levels 1,2,4,…   the HTTP knee search
 *   --fairness-seconds S --fairness-seed N     one abusive token against a normal user (default 15 s per phase, 3,000 complaints)
 *   --console-sizes N,N --console-reps N      the console in Chromium on stores of N complaints, the first the baseline (default 100,10000; 3 loads);
 *                                   BENCH_CONSOLE_BASELINE=dir also loads another console build (a copied dist/console), interleaved
 *   --smoke                         seconds, not minutes: checks the harness (peers only if installed; fairness and console only with --only)
 * Results: bench/results/latest.md and SVG charts beside it; a run of some sections only writes to
 * bench/results/only-<sections>/ instead (kept out of git); a smoke run writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { barChart, lineChart } from './charts';
import { summariseProfile } from './cpu-profile';
import type { PhaseResult } from './http/fairness';
import { kneeOf, type StepResult } from './http/knee';
import type { RenderResult } from './console/render';
import { DEFAULT_HTTP_SETTINGS } from '../apps/api/src/config/api-config';
import { STORES } from './stores/worker';
import { WORKLOADS, WORKLOAD_NAMES, type Workload } from './stores/workloads';

const ROOT = join(__dirname, '..');
const PEERS = join(__dirname, 'peers');
const SECTIONS = ['stores', 'http', 'integrations', 'fairness', 'replay', 'cfpb', 'console'] as const;
type Section = (typeof SECTIONS)[number];

interface Options {
  sections: Set<Section>;
  events: number;
  streams: number;
  syncs: Array<'FULL' | 'NORMAL'>;
  reps: number;
  peers: boolean;
  replays: number[];
  httpSeconds: number;
  httpLevels: number[];
  fairnessSeconds: number;
  fairnessSeed: number;
  consoleSizes: number[];
  consoleReps: number;
  smoke: boolean;
}

function parseArgs(argv: string[]): Options {
  const value = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const smoke = argv.includes('--smoke');
  const events = Number(value('events') ?? (smoke ? 1_000 : 100_000));
  const streams = Number(value('streams') ?? Math.max(1, Math.round(events / 10)));
  const sync = (value('sync') ?? (smoke ? 'FULL' : 'BOTH')).toUpperCase();
  const reps = Number(value('reps') ?? (smoke ? 1 : 3));
  if (!Number.isInteger(events) || events < 100 || !Number.isInteger(streams) || streams < 1 || streams > events) {
    throw new Error('--events must be ≥ 100 and --streams from 1 to --events');
  }
  if (!['FULL', 'NORMAL', 'BOTH'].includes(sync)) throw new Error('--sync must be FULL, NORMAL or both');
  if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps must be a whole number ≥ 1');
  const replays = (value('replay') ?? (smoke ? '2000' : '100000,1000000')).split(',').map(Number);
  if (!replays.every((count) => Number.isInteger(count) && count >= 1000)) throw new Error('--replay takes event counts ≥ 1000, comma-separated');
  // A smoke run leaves the fairness and console sections out unless asked for: their server starts (and the console's
  // browser) add ten seconds or more to a run that must stay short.
  const sections = (value('only') ?? SECTIONS.filter((name) => !(smoke && (name === 'fairness' || name === 'console'))).join(',')).split(',').map((name) => (name === 'store' ? 'stores' : name));
  if (!sections.every((name) => (SECTIONS as readonly string[]).includes(name))) throw new Error(`--only takes ${SECTIONS.join(', ')}, comma-separated`);
  const httpSeconds = Number(value('http-seconds') ?? (smoke ? 1 : 8));
  const httpLevels = (value('http-levels') ?? (smoke ? '1,2' : '1,2,4,8,16,32,64')).split(',').map(Number);
  if (!(httpSeconds > 0) || !httpLevels.every((level) => Number.isInteger(level) && level > 0)) throw new Error('--http-seconds must be > 0 and --http-levels whole numbers > 0');
  const fairnessSeconds = Number(value('fairness-seconds') ?? (smoke ? 1 : 15));
  const fairnessSeed = Number(value('fairness-seed') ?? (smoke ? 50 : 3000));
  if (!(fairnessSeconds > 0) || !Number.isInteger(fairnessSeed) || fairnessSeed < 0) throw new Error('--fairness-seconds must be > 0 and --fairness-seed a whole number');
  const consoleSizes = (value('console-sizes') ?? (smoke ? '20,200' : '100,10000')).split(',').map(Number);
  const consoleReps = Number(value('console-reps') ?? (smoke ? 1 : 3));
  if (consoleSizes.length < 2 || !consoleSizes.every((size) => Number.isInteger(size) && size >= 10) || !Number.isInteger(consoleReps) || consoleReps < 1) {
    throw new Error('--console-sizes takes two or more complaint counts ≥ 10, comma-separated (the first is the baseline), --console-reps a whole number ≥ 1');
  }
  return {
    sections: new Set(sections as Section[]), events, streams, syncs: sync === 'BOTH' ? ['FULL', 'NORMAL'] : [sync as 'FULL' | 'NORMAL'], reps, peers: !argv.includes('--no-peers'), replays, httpSeconds, httpLevels,
    fairnessSeconds, fairnessSeed, consoleSizes, consoleReps, smoke,
  };
}

/** V8's heap of the CLI (`npm run cli`), whose replay the in-process replay stands for (docs/adr/0011, "Memory and the collector"). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain Node script, no types
const { NODE_FLAGS: CLI_NODE_FLAGS } = require('../scripts/cli.js') as { NODE_FLAGS: string[] };

/** Runs a TypeScript script of this folder in a process of its own; returns the JSON of its stdout lines. */
function childLines(script: string, args: string[], env: Record<string, string> = {}): Array<Record<string, unknown>> {
  // A replay in one process runs with the heap the product's replay (the CLI) has; the threads' heap comes with the workers.
  const nodeFlags = script === 'replay.ts' && args[0] === 'replay' ? CLI_NODE_FLAGS : [];
  const result = spawnSync(process.execPath, [...nodeFlags, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(__dirname, script), ...args], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20, env: { ...process.env, ...env },
  });
  if (result.status !== 0) throw new Error(`${script} ${args.join(' ')} failed`);
  return result.stdout.trim().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

function child(script: string, args: string[]): Record<string, number> {
  return childLines(script, args).pop() as Record<string, number>;
}

const number = (value: number) => value.toLocaleString('en-US');
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
};

/** Installs the peers into bench/peers (their own package.json and lock) unless they are there already. */
function peersInstalled(install: boolean): boolean {
  const marker = join(PEERS, 'node_modules', '.package-lock.json');
  const current = existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(PEERS, 'package-lock.json')).mtimeMs;
  if (current || !install) return current;
  process.stdout.write('peers: installing into bench/peers (once; sqlite3 may build from source, a minute or two)\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: PEERS, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('installing the peers failed (npm ci in bench/peers)');
  return true;
}

interface StoreSection {
  lines: string[];
  charts: Record<string, string>;
  /** The HTTP section's knee (its concurrency), for the sections that load the server as it does. */
  knee?: number;
}

/** Every store runs every workload in a fresh process, interleaved (A, B, C, A, B, C, …). */
function storesBenchmark(options: Options, sync: 'FULL' | 'NORMAL'): StoreSection {
  const withPeers = options.peers && peersInstalled(!options.smoke);
  const names = Object.keys(STORES).filter((name) => withPeers || !STORES[name]!.peer);
  const runs = new Map<string, Array<Record<string, number | string>>>(names.map((name) => [name, []]));
  for (let rep = 1; rep <= options.reps; rep += 1) {
    for (const name of names) {
      const dir = mkdtempSync(join(tmpdir(), `complaint-desk-store-${name}-`));
      try {
        process.stdout.write(`stores (${sync}): repetition ${rep}/${options.reps}, ${name}\n`);
        const result = childLines('stores/worker.ts', [name, dir, String(options.events), String(options.streams), sync]).pop()!;
        runs.get(name)!.push(result as Record<string, number | string>);
        process.stdout.write(`  ${WORKLOADS.map((workload) => `${workload} ${typeof result[workload] === 'number' ? number(result[workload] as number) : result[workload] ?? '–'}`).join(', ')}\n`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const figure = (name: string, workload: Workload) => {
    const values = runs.get(name)!.map((run) => run[workload]).filter((value): value is number => typeof value === 'number');
    const failure = runs.get(name)!.map((run) => run[workload]).find((value): value is string => typeof value === 'string');
    return values.length ? { median: median(values), best: Math.max(...values), failure } : { median: null, best: null, failure };
  };
  const targets: Record<Workload, number> = { W1: 10, W1c: 10, W2: 2, W3: 2, W4: 2 };
  const peers = names.filter((name) => STORES[name]!.peer);
  const lines = [
    `## Event stores side by side (synchronous=${sync})`, '',
    `${number(options.events)} events over ${number(options.streams)} streams per workload, file-backed SQLite in WAL mode at synchronous=${sync} for every store; ~0.6 KB of JSON per event. ${options.reps} repetition(s), interleaved, each store in a fresh process on fresh files. Cells: median events/s (best of ${options.reps}). Ratio = Complaint Desk ÷ the best peer (medians).`,
    withPeers ? '' : '\nPeers not measured (`--no-peers`, or a smoke run without them installed).', '',
    `| workload | ${names.map((name) => STORES[name]!.label).join(' | ')} |${peers.length ? ' ours ÷ best peer | target |' : ''}`,
    `| --- |${names.map(() => ' ---: |').join('')}${peers.length ? ' ---: | :---: |' : ''}`,
  ];
  for (const workload of WORKLOADS) {
    const cells = names.map((name) => {
      const { median: value, best, failure } = figure(name, workload);
      if (value === null) return failure ? `failed (${failure.replace(/^failed: /, '').replace(/\|/g, '/')})` : '–';
      return `${number(Math.round(value))} (${number(best!)})`;
    });
    let comparison = '';
    if (peers.length) {
      const ours = figure('complaint-desk', workload).median;
      const bestPeer = Math.max(...peers.map((name) => figure(name, workload).median ?? 0));
      const ratio = ours !== null && bestPeer > 0 ? ours / bestPeer : null;
      comparison = ` ${ratio === null ? '–' : `${ratio.toFixed(1)}×`} | ≥ ${targets[workload]}× ${ratio === null ? '' : ratio >= targets[workload] ? 'met' : '**not met**'} |`;
    }
    lines.push(`| ${WORKLOAD_NAMES[workload]} | ${cells.join(' | ')} |${comparison}`);
  }
  const others = names.filter((name) => name !== 'complaint-desk');
  lines.push('', 'Each store ÷ Complaint Desk (medians; below 1 = slower than this project):', '',
    `| workload | ${others.map((name) => STORES[name]!.label).join(' | ')} |`,
    `| --- |${others.map(() => ' ---: |').join('')}`);
  for (const workload of WORKLOADS) {
    const ours = figure('complaint-desk', workload).median;
    const cells = others.map((name) => {
      const theirs = figure(name, workload).median;
      return ours && theirs ? `${(theirs / ours).toFixed(2)}×` : '–';
    });
    lines.push(`| ${workload} | ${cells.join(' | ')} |`);
  }
  lines.push('', 'Raw better-sqlite3 has no W1c: it is synchronous, so 64 appends "in flight" would run one after another as in W1. Its W1 is the floor for one durable commit per append on this disk.', '',
    `![Throughput per store and workload](stores-${sync}.svg)`, '');
  const chart = barChart({
    title: `Event stores, events/s (median of ${options.reps}, log scale, synchronous=${sync})`, yLabel: 'events/s',
    categories: [...WORKLOADS],
    series: names.map((name) => ({ name: STORES[name]!.label, values: WORKLOADS.map((workload) => figure(name, workload).median) })),
  });
  return { lines, charts: { [`stores-${sync}.svg`]: chart } };
}

const built = new Set<string>();

/** `nest build` of the apps a section starts, once per run. */
function build(...apps: string[]): void {
  for (const app of apps.filter((name) => !built.has(name))) {
    process.stdout.write(`building ${app} (nest build ${app})\n`);
    const result = spawnSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['nest', 'build', app], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw new Error(`nest build ${app} failed`);
    built.add(app);
  }
}

/** The real server in a process of its own, driven from another at rising concurrency. */
function httpBenchmark(options: Options): StoreSection & { knee?: number } {
  build('api', 'projector');
  const output = childLines('http/knee.ts', [String(options.httpSeconds), options.httpLevels.join(',')], { BENCH_PROJECTIONS: 'in-process' });
  const steps = output.filter((line) => line['step']).map((line) => line['step'] as StepResult);
  const knee = kneeOf(steps);
  const peak = steps.reduce((best, step) => (step.commandsPerSecond > best.commandsPerSecond ? step : best), steps[0]!);
  // The step nearest to half the peak rate, from below: where the latency target applies.
  const half = steps.filter((step) => step.commandsPerSecond <= peak.commandsPerSecond / 2).pop() ?? steps[0]!;
  const errors = steps.reduce((sum, step) => sum + step.errors, 0);
  const lagP99 = Math.max(...steps.map((step) => step.lagP99Ms));
  const lines = [
    '## HTTP end to end', '',
    `The real server (\`node dist/apps/api/…/main.js\`, embedded stores at synchronous=${process.env['BENCH_SYNC'] ?? 'FULL'}, projections on a worker thread of the API) in its own process; a second process drives it for ${options.httpSeconds} s per step with 1 to ${Math.max(...options.httpLevels)} concurrent clients. Each client runs lifecycles as a front-end would: receive → list with minPosition → apologise → validate → assign → read the complaint → resolve → list with minPosition → callback, and every fifth lifecycle the customer file and the complaint-type statistics (about 6 commands to 3.4 reads). Lag = from a command's answer until a list query with minPosition = its position answers (one request included). Server cores = the server's CPU time ÷ wall time.`, '',
    '| clients | commands/s | reads/s | command p50 | command p99 | lag p50 | lag p99 | errors | server cores |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...steps.map((step) => `| ${step.concurrency}${step === knee ? ' (knee)' : ''} | ${number(step.commandsPerSecond)} | ${number(Math.round(step.reads / step.seconds))} | ${step.commandP50Ms} ms | ${step.commandP99Ms} ms | ${step.lagP50Ms} ms | ${step.lagP99Ms} ms | ${step.errors} | ${step.serverCores} |`),
    '', `Per route at the knee (${knee?.concurrency ?? '–'} clients):`, '', '| route | requests | p50 | p99 |', '| --- | ---: | ---: | ---: |',
    ...Object.entries(knee?.routes ?? {}).map(([route, figures]) => `| ${route} | ${number(figures.count)} | ${figures.p50} ms | ${figures.p99} ms |`),
    '', '| target | measured | |', '| --- | --- | :---: |',
    `| ≥ 3,000 commands/s on 2 cores | ${number(peak.commandsPerSecond)} commands/s at ${peak.concurrency} clients | ${peak.commandsPerSecond >= 3000 ? 'met' : '**not met**'} |`,
    `| p99 < 20 ms at half that rate | ${half.commandP99Ms} ms at ${number(half.commandsPerSecond)} commands/s (${half.concurrency} clients) | ${half.commandP99Ms < 20 ? 'met' : '**not met**'} |`,
    `| lag p99 < 100 ms | at most ${lagP99} ms across the steps | ${lagP99 < 100 ? 'met' : '**not met**'} |`,
    `| zero errors | ${errors} | ${errors === 0 ? 'met' : '**not met**'} |`,
    '', '![Latency against concurrency](http-latency.svg)', '',
  ];
  const x = steps.map((step) => step.concurrency);
  const chart = lineChart({
    title: 'HTTP: latency and projection lag against concurrency (ms)', xLabel: 'concurrent clients', yLabel: 'milliseconds', x,
    series: [
      { name: 'command p50', values: steps.map((step) => step.commandP50Ms) },
      { name: 'command p99', values: steps.map((step) => step.commandP99Ms) },
      { name: 'lag p50', values: steps.map((step) => step.lagP50Ms) },
      { name: 'lag p99', values: steps.map((step) => step.lagP99Ms) },
    ],
  });
  const throughput = lineChart({
    title: 'HTTP: commands/s against concurrency', xLabel: 'concurrent clients', yLabel: 'commands/s', x,
    series: [{ name: 'commands/s', values: steps.map((step) => step.commandsPerSecond) }, { name: 'reads/s', values: steps.map((step) => Math.round(step.reads / step.seconds)) }],
  });
  lines.splice(lines.length - 1, 0, '![Throughput against concurrency](http-throughput.svg)', '');
  lines.push(...externalProjector(options, steps, knee?.concurrency ?? 1));
  lines.push(...serverProfile(options, knee?.concurrency ?? 1));
  return { lines, charts: { 'http-latency.svg': chart, 'http-throughput.svg': throughput }, ...(knee ? { knee: knee.concurrency } : {}) };
}

/** The change feed and a webhook following the knee's load, and the webhook's throughput on a backlog (bench/http/integrations.ts). */
function integrationsBenchmark(options: Options, kneeConcurrency: number): string[] {
  build('api');
  const levels = [...new Set([1, kneeConcurrency])];
  const phases = levels.flatMap((concurrency) => {
    process.stdout.write(`integrations: the feed and a webhook at ${concurrency} clients\n`);
    return childLines('http/integrations.ts', [String(options.httpSeconds), String(concurrency)]).map((line) => line['phase'] as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any -- the child's JSON
  });
  const loaded = phases.filter((phase) => phase['name'] === 'under load');
  const backlogs = phases.filter((phase) => phase['name'] === 'backlog');
  return ['## Integrations: the change feed and webhooks under load', '',
    `The real server as in the HTTP section, with one reader of \`GET /feed\` (Server-Sent Events) and one webhook (every event) to a receiver in the driver's process, for ${options.httpSeconds} s at 1 client and at the knee's concurrency. Lag = from a command's answer (its log position) until that position arrives on the feed, or at the receiver; a negative feed lag is an event that arrived before its command's answer. Backlog = the same load with the webhook paused, then resumed with nothing else running: the deliveries per second are the webhook's throughput to a local receiver (one POST per event, in log order).`, '',
    '| clients | commands/s | feed lag p50 | feed lag p99 | webhook lag p50 | webhook lag p99 | missing (feed, webhook) |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...loaded.map((phase) => `| ${phase['concurrency']} | ${number(phase['commandsPerSecond'])} | ${phase['feed']['p50']} ms | ${phase['feed']['p99']} ms | ${phase['webhook']['p50']} ms | ${phase['webhook']['p99']} ms | ${phase['feed']['missing']}, ${phase['webhook']['missing']} |`),
    '', '| clients building the backlog | events delivered | seconds | deliveries/s | missing |', '| ---: | ---: | ---: | ---: | ---: |',
    ...backlogs.map((phase) => `| ${phase['concurrency']} | ${number(phase['delivered'])} | ${phase['seconds']} | ${number(phase['deliveriesPerSecond'])} | ${phase['missing']} |`), ''];
}

/** One abusive token (64 connections of heavy reads) against one normal user, with the server's limits and without them. */
function fairnessBenchmark(options: Options): string[] {
  build('api');
  process.stdout.write(`fairness: ${options.fairnessSeconds} s per phase on ${number(options.fairnessSeed)} complaints\n`);
  const phases = childLines('http/fairness.ts', [String(options.fairnessSeconds), String(options.fairnessSeed), options.smoke ? 'no-compare' : 'compare'])
    .filter((line) => line['phase']).map((line) => line['phase'] as PhaseResult);
  const idle = phases.find((phase) => phase.phase === 'idle');
  const ms = (value: number | null) => (value === null ? '–' : `${value} ms`);
  const abuse = (phase: PhaseResult) => (phase.abuser
    ? `${number(phase.abuser.perSecond)}/s: ${Object.entries(phase.abuser.statuses).map(([status, count]) => `${number(count)} × ${status}`).join(', ')}`
    : '–');
  const ratio = (value: number, base: number | undefined) => (base ? value / base : null);
  const lines = ['## Fairness: one abusive token against one normal user', '',
    `The real server (defaults: ${DEFAULT_HTTP_SETTINGS.heavyReads.perPrincipal} heavy reads in flight per principal, ${DEFAULT_HTTP_SETTINGS.heavyReads.queue} more waiting up to ${DEFAULT_HTTP_SETTINGS.heavyReads.waitMs / 1000} s, ${DEFAULT_HTTP_SETTINGS.rateLimitPerSecond} requests/s per token) on ${number(options.fairnessSeed)} complaints, in its own process. The normal user (one supervisor token, one connection) repeats a command, a list of 20 and \`/health/live\`, with 50 ms of think time. The abuser (one analyst token, a process of its own) keeps 64 connections busy with lists of 200 and the complaint-type statistics, ignoring 429 and Retry-After. ${options.fairnessSeconds} s per phase; "limits off" is the same server restarted on the same data with HEAVY_READS_PER_PRINCIPAL=0 and RATE_LIMIT_PER_SECOND=0 (the server as the outside attack found it). Event-loop delay: the server's own (monitorEventLoopDelay, through /metrics) over the phase. All on the same two cores.`, '',
    '| phase | list p50 | list p99 | command p50 | command p99 | /health/live p50 | /health/live p99 | abuser\'s answers | event-loop delay p99 / max | server cores |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
    ...phases.map((phase) => `| ${phase.phase} | ${phase.list.p50} ms | ${phase.list.p99} ms | ${phase.command.p50} ms | ${phase.command.p99} ms | ${phase.live.p50} ms | ${phase.live.p99} ms | ${abuse(phase)} | ${ms(phase.eventLoopP99Ms)} / ${ms(phase.eventLoopMaxMs)} | ${phase.serverCores} |`),
    '', 'The normal user\'s p99 under abuse ÷ its idle p99 (target: < 5×):', '',
    '| phase | list | command | /health/live | normal user\'s errors | target |', '| --- | ---: | ---: | ---: | ---: | :---: |',
    ...phases.filter((phase) => phase.abuser).map((phase) => {
      const ratios = [ratio(phase.list.p99, idle?.list.p99), ratio(phase.command.p99, idle?.command.p99), ratio(phase.live.p99, idle?.live.p99)];
      const worst = Math.max(...ratios.slice(0, 2).map((value) => value ?? Infinity));
      const errors = phase.list.errors + phase.command.errors + phase.live.errors;
      return `| ${phase.phase} | ${ratios.map((value) => (value === null ? '–' : `${value.toFixed(1)}×`)).join(' | ')} | ${errors} | ${worst < 5 && errors === 0 ? 'met' : '**not met**'} |`;
    }), ''];
  return lines;
}

/** The same load with the projections in `apps/projector` beside the API (PROJECTIONS=external), at the knee and at the most clients. */
function externalProjector(options: Options, inProcess: readonly StepResult[], kneeConcurrency: number): string[] {
  // The default (a worker thread) against the main thread (the layout before the worker) and apps/projector.
  const levels = [...new Set([kneeConcurrency, Math.max(...options.httpLevels)])];
  process.stdout.write(`http: the projector in its own process at ${levels.join(', ')} clients\n`);
  const steps = childLines('http/knee.ts', [String(options.httpSeconds), levels.join(',')], { BENCH_PROJECTIONS: 'external' })
    .filter((line) => line['step']).map((line) => line['step'] as StepResult);
  process.stdout.write(`http: the projections on the API's main thread (PROJECTIONS=inline) at ${levels.join(', ')} clients\n`);
  const inline = childLines('http/knee.ts', [String(options.httpSeconds), levels.join(',')], { BENCH_PROJECTIONS: 'inline' })
    .filter((line) => line['step']).map((line) => line['step'] as StepResult);
  const ratio = (after: number | undefined, before: number | undefined) => (after !== undefined && before ? `${(after / before).toFixed(2)}×` : '–');
  const row = (label: string, step: StepResult | undefined) => (step
    ? `| ${step.concurrency} | ${label} | ${number(step.commandsPerSecond)} | ${step.commandP99Ms} ms | ${step.lagP50Ms} ms | ${step.lagP99Ms} ms | ${step.errors} | ${step.serverCores} |`
    : `| – | ${label} | – | – | – | – | – | – |`);
  return ['### Projections in a process of their own', '',
    `The same load with \`PROJECTIONS=external\` and \`apps/projector\` beside the API on the same data directory (it learns of each commit through SQLite's \`data_version\`, checked every 5 ms; the API reads the read models' checkpoints every 5 ms for minPosition). Server cores = both processes together. The load driver runs on the same two cores.`, '',
    '| clients | projections | commands/s | command p99 | lag p50 | lag p99 | errors | server cores |', '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...levels.flatMap((level) => [
      row('API main thread (inline)', inline.find((step) => step.concurrency === level)),
      row('API worker thread (default)', inProcess.find((step) => step.concurrency === level)),
      row('apps/projector', steps.find((step) => step.concurrency === level)),
    ]), '',
    'The worker thread against the main thread, same run (after ÷ before):', '',
    '| clients | commands/s | command p99 | lag p99 |', '| ---: | ---: | ---: | ---: |',
    ...levels.map((level) => {
      const after = inProcess.find((step) => step.concurrency === level);
      const before = inline.find((step) => step.concurrency === level);
      return `| ${level} | ${ratio(after?.commandsPerSecond, before?.commandsPerSecond)} | ${ratio(after?.commandP99Ms, before?.commandP99Ms)} | ${ratio(after?.lagP99Ms, before?.lagP99Ms)} |`;
    }), ''];
}

/** A CPU profile as two tables: the functions with the most self time, and the same time by source. */
function profileTables(title: string, what: string, file: string): string[] {
  const summary = summariseProfile(file, ROOT, 12);
  return [title, '',
    `${what}, ${(summary.totalMs / 1000).toFixed(1)} s sampled. Self time: the function itself, not what it calls; SQLite's C code (and the disk waits of its commits) and JSON.stringify/parse count towards the JavaScript function that called them.`, '',
    '| self time | share | function | where |', '| ---: | ---: | --- | --- |',
    ...summary.functions.map((line) => `| ${Math.round(line.selfMs)} ms | ${(line.share * 100).toFixed(1)} % | ${line.name} | ${line.where} |`),
    '', '| self time | share | source |', '| ---: | ---: | --- |',
    ...summary.sources.slice(0, 8).map((line) => `| ${Math.round(line.selfMs)} ms | ${(line.share * 100).toFixed(1)} % | ${line.name} |`), ''];
}

/** The server again at the knee's concurrency, under V8's CPU profiler: where a command's time goes. */
function serverProfile(options: Options, concurrency: number): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-profile-'));
  try {
    process.stdout.write(`profile: the server at ${concurrency} clients under the CPU profiler\n`);
    childLines('http/knee.ts', [String(options.httpSeconds), String(concurrency)], { SERVER_PROFILE_DIR: dir, BENCH_PROJECTIONS: 'in-process' });
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error('the server wrote no CPU profile');
    return profileTables(`### Where the server's time goes (CPU profile at ${concurrency} clients)`,
      `\`node --cpu-prof\` on the server for a ${options.httpSeconds} s step at the knee's concurrency, start-up included`, join(dir, file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The replay of the smallest size again under V8's CPU profiler: where the time goes. */
function replayProfile(events: number): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-profile-'));
  try {
    process.stdout.write(`profile: replaying ${number(events)} events under the CPU profiler\n`);
    child('replay.ts', ['generate', dir, String(events)]);
    const file = join(dir, 'replay.cpuprofile');
    childLines('replay.ts', ['replay', dir], { PROFILE: file });
    return profileTables(`### Where the replay's time goes (CPU profile of the ${number(events)}-event replay)`,
      'V8\'s sampling profiler (the one behind `--cpu-prof`, started through `node:inspector`) over the projection replay alone', file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function machine(): string {
  const db = new Database(':memory:');
  const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  const cores = cpus();
  return `Machine: ${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; SQLite ${sqlite} (better-sqlite3). Command: \`${['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ')}\`.`;
}

/** Generates a history and replays it through every projection, each step in a child process of its own. */
function replayBenchmark(events: number): { generated: Record<string, number>; replay: Record<string, number>; oneThread: Record<string, number>; twoThreads: Record<string, number>; audit: Record<string, number> } {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-replay-'));
  try {
    process.stdout.write(`replay: generating ${events.toLocaleString('en-US')} events\n`);
    const generated = child('replay.ts', ['generate', dir, String(events)]);
    process.stdout.write(`replay: ${generated['events']!.toLocaleString('en-US')} events of ${generated['complaints']!.toLocaleString('en-US')} complaints and ${(generated['workOrders'] ?? 0).toLocaleString('en-US')} work orders; replaying\n`);
    const replay = child('replay.ts', ['replay', dir]);
    // The product's own way, on both cores: the projection workers of PROJECTION_THREADS=2 (the projector's default), and =1 as its baseline.
    process.stdout.write('replay: again on worker threads (1, then 2)\n');
    const oneThread = child('replay.ts', ['threads', dir, '1']);
    rmSync(join(dir, 'read.sqlite'), { force: true });
    for (const suffix of ['-wal', '-shm']) rmSync(join(dir, `read.sqlite${suffix}`), { force: true });
    const twoThreads = child('replay.ts', ['threads', dir, '2']);
    return { generated, replay, oneThread, twoThreads, audit: child('replay.ts', ['audit', dir]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The built console in Chromium on stores of rising size: time to the queue's first rows and the dashboard's charts, and the page's heap, against the smallest store. */
function consoleBenchmark(options: Options): string[] {
  build('api');
  process.stdout.write('building the console (npm run build:console)\n');
  const vite = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(ROOT, 'apps', 'console', 'vite.config.mts')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (vite.status !== 0) throw new Error('building the console failed');
  process.stdout.write(`console: stores of ${options.consoleSizes.map(number).join(', ')} complaints, ${options.consoleReps} load(s) of each screen\n`);
  const runs = childLines('console/render.ts', [options.consoleSizes.join(','), String(options.consoleReps)]).filter((line) => line['render']).map((line) => line['render'] as RenderResult);
  const base = runs[0]!;
  const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(2)}×`;
  const largest = runs[runs.length - 1]!;
  return ['## The console in a browser', '',
    `The built API serving the built console (\`dist/console\`) on a generated store (bench/replay.ts generate: complaints over a year, a repair per eight), once its read models hold the whole log and the log has stopped growing (the SLA monitors first record the history's overdue deadlines: about 4,100 events on 10,000 complaints); Debian's Chromium headless (playwright-core) opens each screen in a fresh browser context, signed in as a supervisor, after one load of each that is not counted. First rows: on the page's own clock, from the navigation's start to the frame that draws the queue's first row (a MutationObserver set before the page's scripts). Charts: the same, until every chart of the dashboard (received, overall and per-value durations, the SLA heat map, the loyalty tiers and stages) is drawn from its data (its text alternative lists its figures). Driver: the clock this bench used until 2026-12-04, from page.goto until Playwright's locator sees the same (it adds the new renderer's start, the wait for the load event and Playwright's polling, every 500 ms after the first 0.8 s). Heap: the page's JavaScript heap after a garbage collection (DevTools protocol). Medians of ${options.consoleReps} load(s). Ratios: each store ÷ the first (${number(base.complaints)} complaints), same run. Browser, server and this driver share the machine's cores.`, '',
    '| complaints | events | read models caught up | queue: first rows | ÷ baseline | driver | queue heap | ÷ baseline | dashboard: charts | ÷ baseline | driver | dashboard heap | ÷ baseline |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...runs.map((run) => `| ${number(run.complaints)} | ${number(run.events)} | ${run.catchUpSeconds} s | ${run.queueFirstRowsMs} ms | ${ratio(run.queueFirstRowsMs, base.queueFirstRowsMs)} | ${run.queueFirstRowsDriverMs} ms | ${run.queueHeapMb} MB | ${ratio(run.queueHeapMb, base.queueHeapMb)} | ${run.dashboardChartsMs} ms | ${ratio(run.dashboardChartsMs, base.dashboardChartsMs)} | ${run.dashboardChartsDriverMs} ms | ${run.dashboardHeapMb} MB | ${ratio(run.dashboardHeapMb, base.dashboardHeapMb)} |`),
    ...(base.baseline ? ['', `The same loads on the baseline build (\`BENCH_CONSOLE_BASELINE\`), a server per build and load, the builds alternating; ratios: this build ÷ the baseline build (the driver's clock in brackets).`, '',
      '| complaints | queue: first rows, baseline build | this build | ÷ baseline build | dashboard: charts, baseline build | this build | ÷ baseline build |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...runs.map((run) => `| ${number(run.complaints)} | ${run.baseline?.queueFirstRowsMs} ms (${run.baseline?.queueFirstRowsDriverMs}) | ${run.queueFirstRowsMs} ms (${run.queueFirstRowsDriverMs}) | ${ratio(run.queueFirstRowsMs, run.baseline!.queueFirstRowsMs)} (${ratio(run.queueFirstRowsDriverMs, run.baseline!.queueFirstRowsDriverMs)}) | ${run.baseline?.dashboardChartsMs} ms (${run.baseline?.dashboardChartsDriverMs}) | ${run.dashboardChartsMs} ms (${run.dashboardChartsDriverMs}) | ${ratio(run.dashboardChartsMs, run.baseline!.dashboardChartsMs)} (${ratio(run.dashboardChartsDriverMs, run.baseline!.dashboardChartsDriverMs)}) |`)] : []),
    '', '| target | measured | |', '| --- | --- | :---: |',
    `| the queue's first rows < 1 s with ${number(largest.complaints)} complaints | ${largest.queueFirstRowsMs} ms | ${largest.complaints >= 10_000 ? (largest.queueFirstRowsMs < 1000 ? 'met' : '**not met**') : 'not measured at 10,000'} |`, ''];
}

/** Imports the CFPB main extract (real data) and replays the result through every projection. */
function cfpbBenchmark(smoke: boolean): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-cfpb-'));
  const file = join(__dirname, '..', 'datasets', 'cfpb', 'cfpb-bofa-2017-2023.csv.gz');
  try {
    process.stdout.write('cfpb: importing the main extract\n');
    const imported = child('replay.ts', ['cfpb', dir, file, ...(smoke ? ['300'] : [])]);
    process.stdout.write('cfpb: replaying the imported history\n');
    const replay = child('replay.ts', ['replay', dir]);
    return ['## Real data: the CFPB main extract', '',
      `Import of \`datasets/cfpb/cfpb-bofa-2017-2023.csv.gz\` (Bank of America, 2017–2023) into an empty file-backed store at synchronous=FULL; baseline = gunzip + CSV parse + column checks of the same file alone, in the same run. Then the replay of the imported history through every projection.`, '',
      '| rows | events | bad rows | parse only rows/s | import rows/s | import events/s | import ÷ parse | seconds | peak RSS |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${imported['rows']!.toLocaleString('en-US')} | ${imported['events']!.toLocaleString('en-US')} | ${imported['badRows']} | ${imported['parseRowsPerSecond']!.toLocaleString('en-US')} | ${imported['rowsPerSecond']!.toLocaleString('en-US')} | ${imported['eventsPerSecond']!.toLocaleString('en-US')} | ${(imported['rowsPerSecond']! / imported['parseRowsPerSecond']!).toFixed(3)}× | ${imported['seconds']!.toFixed(1)} | ${imported['peakRssMb']} MB |`, '',
      '| replayed events | raw read ev/s | projections ev/s | ratio | seconds | peak RSS | read model on disk |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${replay['events']!.toLocaleString('en-US')} | ${replay['rawEventsPerSecond']!.toLocaleString('en-US')} | ${replay['projectionEventsPerSecond']!.toLocaleString('en-US')} | ${(replay['projectionEventsPerSecond']! / replay['rawEventsPerSecond']!).toFixed(3)}× | ${replay['seconds']!.toFixed(1)} | ${replay['peakRssMb']} MB | ${replay['readModelMb']} MB |`, ''];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const lines: string[] = ['# Benchmark results', '', machine(), ''];
  const charts: Record<string, string> = {};
  const add = (section: StoreSection) => {
    lines.push(...section.lines);
    Object.assign(charts, section.charts);
  };
  if (options.sections.has('stores')) for (const sync of options.syncs) add(storesBenchmark(options, sync));
  let kneeConcurrency = 8;
  if (options.sections.has('http')) {
    const http = httpBenchmark(options);
    add(http);
    kneeConcurrency = http.knee ?? kneeConcurrency;
  }
  if (options.sections.has('integrations')) lines.push(...integrationsBenchmark(options, options.smoke ? 2 : kneeConcurrency));
  if (options.sections.has('fairness')) lines.push(...fairnessBenchmark(options));
  if (options.sections.has('replay')) {
    const runs = options.replays.map((events) => ({ events, ...replayBenchmark(events) }));
    lines.push('## Replay through all projections', '',
      'A generated history (deterministic seed; ~5.4 events per complaint; ~40,000 customers, 30 % of complaints from 4,000 repeat customers; a generated repair work order per eight complaints, ~14 events each with its product, over a network of six stations) replayed from an empty read store through every projection in one process. Raw = reading the same log with better-sqlite3 and parsing each event, in the same process. Target: ≥ 100,000 events/s, ≥ 0.5× raw, peak RSS < 300 MB at 1M, time linear in events.', '',
      'The CPU ratio divides events per second of this process\'s CPU time (projections) by the same for the raw read: steadier than the wall clock when the machine does other work.', '',
      '| events | complaints | raw read ev/s | projections ev/s | ratio | CPU ratio | seconds | peak RSS | read model on disk | ÷ event log |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const { replay, generated } of runs) {
      lines.push(`| ${number(replay['events']!)} | ${number(generated['complaints']!)} | ${number(replay['rawEventsPerSecond']!)} | ${number(replay['projectionEventsPerSecond']!)} | ${(replay['projectionEventsPerSecond']! / replay['rawEventsPerSecond']!).toFixed(3)}× | ${(replay['projectionEventsPerCpuSecond']! / replay['rawEventsPerCpuSecond']!).toFixed(3)}× | ${replay['seconds']!.toFixed(1)} | ${replay['peakRssMb']} MB | ${replay['readModelMb']} MB | ${replay['readModelToLog']}× |`);
    }
    lines.push('', '### The same replay on worker threads (PROJECTION_THREADS)', '',
      'The product\'s own path: the API\'s projection workers (`apps/api/src/read-models/projection-worker.ts`), each thread running a group of projections balanced by their measured cost (`projectionGroups`) and reading the log itself; 2 is the projector\'s default. Timed from the moment every thread is ready (each first compiles the sources with ts-node here; a built app loads its JavaScript). CPU = all threads of the process.', '',
      '| events | threads | projections ev/s | ÷ one thread | ÷ raw read | seconds | CPU seconds | peak RSS |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const { replay, oneThread, twoThreads } of runs) {
      for (const run of [oneThread, twoThreads]) {
        lines.push(`| ${number(run['events']!)} | ${run['threads']} | ${number(run['projectionEventsPerSecond']!)} | ${(run['projectionEventsPerSecond']! / oneThread['projectionEventsPerSecond']!).toFixed(2)}× | ${(run['projectionEventsPerSecond']! / replay['rawEventsPerSecond']!).toFixed(3)}× | ${run['seconds']!.toFixed(1)} | ${run['cpuSeconds']!.toFixed(1)} | ${run['peakRssMb']} MB |`);
      }
    }
    lines.push('', '### Verify and export over the same log (a process of their own)', '', '| events | verify ev/s | chains intact | export ev/s | NDJSON size | peak RSS |', '| ---: | ---: | :---: | ---: | ---: | ---: |');
    for (const { replay, audit } of runs) {
      lines.push(`| ${number(replay['events']!)} | ${number(audit['verifyEventsPerSecond']!)} | ${audit['verifyOk'] ? 'yes' : '**no**'} | ${number(audit['exportEventsPerSecond']!)} | ${audit['exportMb']} MB | ${audit['peakRssMb']} MB |`);
    }
    if (runs.length > 1) {
      const [small, large] = [runs[0]!, runs[runs.length - 1]!];
      lines.push('', `Growth from ${number(small.replay['events']!)} to ${number(large.replay['events']!)} events: ${(large.replay['events']! / small.replay['events']!).toFixed(1)}× the events took ${(large.replay['seconds']! / small.replay['seconds']!).toFixed(1)}× the time; peak RSS ${(large.replay['peakRssMb']! / small.replay['peakRssMb']!).toFixed(2)}×.`);
    }
    lines.push('', ...replayProfile(Math.min(...options.replays)));
  }
  if (options.sections.has('cfpb')) lines.push(...cfpbBenchmark(options.smoke));
  if (options.sections.has('console')) lines.push(...consoleBenchmark(options));
  const report = lines.join('\n');
  process.stdout.write(`\n${report}\n`);
  // A smoke run checks the harness; it does not replace the last real results.
  // A run of some sections only goes to a folder of its own, so the complete results stay whole.
  if (!options.smoke) {
    const folder = options.sections.size === SECTIONS.length ? 'results' : join('results', `only-${SECTIONS.filter((name) => options.sections.has(name)).join('-')}`);
    const resultsDir = join(__dirname, folder);
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'latest.md'), `${report}\n`);
    for (const [name, svg] of Object.entries(charts)) writeFileSync(join(resultsDir, name), svg);
    process.stdout.write(`\nwritten: bench/${folder}/latest.md${Object.keys(charts).map((name) => `, bench/${folder}/${name}`).join('')}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
