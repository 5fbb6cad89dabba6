/**
 * Fairness: one abusive token against one normal user, on the real server (`node dist/apps/api/...`,
 * embedded stores, projections in process) in a process of its own.
 *   fairness.ts SECONDS_PER_PHASE SEED_COMPLAINTS [no-compare]
 * The server is first filled with SEED_COMPLAINTS complaints. Then, on the server with its default
 * limits: the normal user alone (idle), then the same user while the abuser runs. Then the server
 * again on the same data with its per-principal limits off (HEAVY_READS_PER_PRINCIPAL=0,
 * RATE_LIMIT_PER_SECOND=0: as the outside attack found it), abused the same way (left out with
 * `no-compare`, as the smoke run does).
 * The normal user (a supervisor token, one connection) repeats: a command (receive), a list of 20,
 * /health/live, then 50 ms of think time — about 50 requests/s, under the default rate limit.
 * The abuser (an analyst token) is a process of its own with 64 connections, each sending lists of
 * 200 rows and the complaint-type statistics back to back, ignoring 429 and Retry-After.
 * The server's event-loop delay over each phase comes from its /metrics (scraped with METRICS_TOKEN).
 * Prints one JSON line per phase. With SERVER_PROFILE_DIR set, the servers run under `--cpu-prof`.
 *   fairness.ts abuser BASE_URL SECONDS CONNECTIONS   — the abuser itself (prints one JSON line)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_HTTP_SETTINGS } from '../../apps/api/src/config/api-config';
import { cpuSeconds, freePort, percentile, startServer } from './knee';

const NORMAL = 'bench-normal-user-token-0123456789';
const ABUSER = 'bench-abusive-token-0123456789abcdef';
const SEEDERS = Array.from({ length: 8 }, (_, index) => `bench-seeder-${index}-token-0123456789`);
const METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef';
const ABUSIVE_CONNECTIONS = 64;
const THINK_MS = 50;

const TOKENS = [`${NORMAL}:desk-user:supervisor`, `${ABUSER}:abuser:analyst`, ...SEEDERS.map((token, index) => `${token}:seeder-${index}:agent`)].join(',');

export interface Figures {
  count: number;
  errors: number;
  p50: number;
  p99: number;
}

export interface PhaseResult {
  phase: 'idle' | 'abused' | 'abused, limits off';
  seconds: number;
  /** The normal user's requests, ms. */
  list: Figures;
  command: Figures;
  live: Figures;
  /** The abuser's answers by status, and its requests per second. */
  abuser: { statuses: Record<string, number>; perSecond: number } | null;
  /** The server's event-loop delay over the phase (monitorEventLoopDelay through /metrics), ms. */
  eventLoopP99Ms: number | null;
  eventLoopMaxMs: number | null;
  serverCores: number;
}

const round = (value: number) => Math.round(value * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const figures = (samples: number[], errors: number): Figures => ({ count: samples.length, errors, p50: round(percentile(samples, 0.5)), p99: round(percentile(samples, 0.99)) });

const complaint = (customer: string, cause: string) => ({ customerId: customer, channel: 'phone', cause, description: '加油机显示40升，但油箱只加进了约35升。' });
const CAUSES = ['product-quality', 'service', 'price', 'integrity', 'quantity-metering', 'safety', 'other'];

async function post(base: string, token: string, path: string, body: object): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** SEED_COMPLAINTS complaints from 8 agents at once, then waits until the read models show the last. */
async function seed(base: string, total: number): Promise<void> {
  let next = 0;
  let last = 0;
  await Promise.all(SEEDERS.map(async (token) => {
    for (let index = next++; index < total; index = next++) {
      const response = await post(base, token, '/complaints', complaint(`cust-${index % 2000}`, CAUSES[index % CAUSES.length]!));
      if (!response.ok) throw new Error(`seeding: ${response.status} ${await response.text()}`);
      last = Math.max(last, ((await response.json()) as { position: number }).position);
    }
  }));
  await fetch(`${base}/complaints?limit=1&minPosition=${last}`, { headers: { authorization: `Bearer ${NORMAL}` } });
}

/** The server's event-loop delay since the last scrape (prom-client resets its histogram at every scrape). */
async function eventLoopDelay(base: string): Promise<{ p99: number; max: number } | null> {
  try {
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const value = (name: string) => Number(new RegExp(`^complaint_desk_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) * 1000;
    const p99 = value('p99');
    return Number.isFinite(p99) ? { p99: round(p99), max: round(value('max')) } : null;
  } catch {
    return null;
  }
}

/** The normal user for `seconds`: command, list, liveness, think time; latencies per kind. */
async function normalUser(base: string, seconds: number): Promise<Pick<PhaseResult, 'list' | 'command' | 'live'>> {
  const samples = { list: [] as number[], command: [] as number[], live: [] as number[] };
  const errors = { list: 0, command: 0, live: 0 };
  const headers = { authorization: `Bearer ${NORMAL}` };
  const timed = async (kind: keyof typeof samples, send: () => Promise<Response>) => {
    const started = performance.now();
    let ok = false;
    try {
      const response = await send();
      await response.arrayBuffer();
      ok = response.ok;
    } catch {
      ok = false;
    }
    samples[kind].push(performance.now() - started);
    if (!ok) errors[kind] += 1;
  };
  const deadline = performance.now() + seconds * 1000;
  for (let round = 0; performance.now() < deadline; round += 1) {
    await timed('command', () => post(base, NORMAL, '/complaints', complaint(`cust-normal-${round % 50}`, 'service')));
    await timed('list', () => fetch(`${base}/complaints?limit=20`, { headers }));
    await timed('live', () => fetch(`${base}/health/live`));
    await sleep(THINK_MS);
  }
  return { list: figures(samples.list, errors.list), command: figures(samples.command, errors.command), live: figures(samples.live, errors.live) };
}

/** The abuser in a process of its own, so its own work does not slow the normal user's event loop. */
function startAbuser(base: string, seconds: number): { done: Promise<{ statuses: Record<string, number>; perSecond: number }>; child: ChildProcess } {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', __filename, 'abuser', base, String(seconds), String(ABUSIVE_CONNECTIONS)], {
    cwd: join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const done = new Promise<{ statuses: Record<string, number>; perSecond: number }>((resolve, reject) => {
    child.once('exit', (code) => {
      const line = output.trim().split('\n').filter((entry) => entry.startsWith('{')).pop();
      if (code !== 0 || !line) reject(new Error(`the abuser exited with ${code}`));
      else resolve(JSON.parse(line) as { statuses: Record<string, number>; perSecond: number });
    });
  });
  return { done, child };
}

/** 64 connections of heavy reads, back to back, ignoring 429. */
async function abuser(base: string, seconds: number, connections: number): Promise<void> {
  const statuses: Record<string, number> = {};
  const paths = ['/complaints?limit=200', '/stats/complaints?by=cause&interval=day', '/complaints?limit=200&status=received', '/stats/complaints?by=channel&interval=month'];
  const headers = { authorization: `Bearer ${ABUSER}` };
  const deadline = performance.now() + seconds * 1000;
  let total = 0;
  await Promise.all(Array.from({ length: connections }, async (_, worker) => {
    for (let index = worker; performance.now() < deadline; index += 1) {
      let status = 'failed';
      try {
        const response = await fetch(`${base}${paths[index % paths.length]}`, { headers });
        await response.arrayBuffer();
        status = String(response.status);
      } catch {
        // a refused or reset connection counts as failed
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
      total += 1;
    }
  }));
  process.stdout.write(`${JSON.stringify({ statuses, perSecond: Math.round(total / seconds) })}\n`);
}

async function phase(name: PhaseResult['phase'], base: string, seconds: number, pids: readonly number[], abused: boolean): Promise<PhaseResult> {
  await eventLoopDelay(base);
  const cpuBefore = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const started = performance.now();
  const attack = abused ? startAbuser(base, seconds + Math.min(2, seconds)) : undefined;
  // The abuser's 64 connections are open and busy before the normal user starts measuring.
  if (attack) await sleep(Math.min(1500, seconds * 500));
  const user = await normalUser(base, seconds);
  const delay = await eventLoopDelay(base);
  const elapsed = (performance.now() - started) / 1000;
  const cores = (pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - cpuBefore) / elapsed;
  const abuse = attack ? await attack.done : null;
  return { phase: name, seconds, ...user, abuser: abuse, eventLoopP99Ms: delay?.p99 ?? null, eventLoopMaxMs: delay?.max ?? null, serverCores: Math.round(cores * 100) / 100 };
}

async function stop(processes: readonly ChildProcess[]): Promise<void> {
  await Promise.all(processes.map((child) => new Promise((resolve) => {
    if (child.exitCode !== null) resolve(undefined);
    else {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    }
  })));
}

async function main(): Promise<void> {
  const [secondsArg = '15', seedArg = '3000', withoutLimitsArg = 'compare'] = process.argv.slice(2);
  const seconds = Number(secondsArg);
  const seedCount = Number(seedArg);
  if (!(seconds > 0) || !Number.isInteger(seedCount) || seedCount < 0) throw new Error('usage: fairness.ts SECONDS_PER_PHASE SEED_COMPLAINTS');
  const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-fairness-'));
  const defaults = DEFAULT_HTTP_SETTINGS;
  const limited = {
    API_TOKENS: TOKENS, METRICS_TOKEN, RATE_LIMIT_PER_SECOND: String(defaults.rateLimitPerSecond), HEAVY_READS_PER_PRINCIPAL: String(defaults.heavyReads.perPrincipal),
  };
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let processes = await startServer(dataDir, port, limited);
    try {
      await seed(base, seedCount);
      process.stderr.write(`  fairness: ${seedCount} complaints seeded\n`);
      for (const [name, abused] of [['idle', false], ['abused', true]] as const) {
        const result = await phase(name, base, seconds, processes.map((child) => child.pid!), abused);
        process.stderr.write(`  fairness: ${name} → list p99 ${result.list.p99} ms, command p99 ${result.command.p99} ms, live p99 ${result.live.p99} ms\n`);
        process.stdout.write(`${JSON.stringify({ phase: result })}\n`);
      }
    } finally {
      await stop(processes);
    }
    if (withoutLimitsArg === 'no-compare') return;
    processes = await startServer(dataDir, port, { ...limited, RATE_LIMIT_PER_SECOND: '0', HEAVY_READS_PER_PRINCIPAL: '0' });
    try {
      const result = await phase('abused, limits off', base, seconds, processes.map((child) => child.pid!), true);
      process.stderr.write(`  fairness: limits off, abused → list p99 ${result.list.p99} ms, command p99 ${result.command.p99} ms, live p99 ${result.live.p99} ms\n`);
      process.stdout.write(`${JSON.stringify({ phase: result })}\n`);
    } finally {
      await stop(processes);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.seals`, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [mode, base, seconds, connections] = process.argv.slice(2);
  (mode === 'abuser' ? abuser(base!, Number(seconds), Number(connections)) : main()).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
