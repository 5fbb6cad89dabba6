/**
 * HTTP end to end: the real server (`node dist/apps/api/...`, embedded stores, projections in
 * process, synchronous=FULL) in a process of its own, driven from this one at increasing
 * concurrency until throughput stops growing (the knee).
 *   knee.ts SECONDS_PER_STEP CONCURRENCY,CONCURRENCY,…
 * Each virtual client runs complaint lifecycles as a front-end would: receive, then the list with
 * minPosition (read-your-writes), apologise, validate, assign, resolve, the list again, callback;
 * every fifth lifecycle also reads the customer file and the complaint-type statistics, and
 * every lifecycle reads the complaint itself. Lag = from a command's answer until a list query
 * with minPosition = its position answers (every read model has applied it), one request included.
 * Prints one JSON line per step, then a summary line. With SERVER_PROFILE_DIR set, the server
 * runs under V8's profiler (`--cpu-prof`) and writes its profile there when it stops; BENCH_SYNC=NORMAL
 * runs the event store at synchronous=NORMAL instead of FULL. Every client shares one token, so the
 * server runs without its limits per token (rate, heavy reads in flight). BENCH_PROJECTIONS=external runs the
 * projections in a process of their own (`apps/projector`, the API with PROJECTIONS=external): the
 * server's CPU is then the two processes' together. BENCH_PROJECTIONS=none runs the API with
 * PROJECTIONS=external and no projector at all, to measure the command path alone: the lists are then
 * read without minPosition (nothing would ever reach it), and no lag is measured. BENCH_DIST=dir runs
 * the apps built in dir instead of ./dist, so that two builds can be compared in one run.
 * BENCH_API_PROCESSES=N (default 1) starts N API processes on the one data dir, each on a port of its own
 * (the second once the first answers), and gives client k the server k mod N: one of them holds the projector
 * lease and projects, the others answer minPosition from the read store's checkpoints (README, "Several API
 * instances on one DATA_DIR"). The step then also reports the lag p99 through each server, the one that
 * projects first, and the server CPU is the processes' together. BENCH_PORT=N puts the servers on ports N, N+1, …
 * instead of ports the system picks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TOKEN = 'bench-supervisor-token-0123456789abcdef';
const ROOT = join(__dirname, '..', '..');
const DIST = process.env.BENCH_DIST ?? join(ROOT, 'dist');
const SERVER = join(DIST, 'apps', 'api', 'apps', 'api', 'src', 'main.js');
const PROJECTOR = join(DIST, 'apps', 'projector', 'apps', 'projector', 'src', 'main.js');
/** in-process (the default), external (apps/projector beside the API) or none (the API alone, nothing projects). */
const PROJECTIONS = process.env.BENCH_PROJECTIONS ?? 'in-process';
if (!['in-process', 'inline', 'external', 'none'].includes(PROJECTIONS)) throw new Error('BENCH_PROJECTIONS must be in-process, inline, external or none');
const EXTERNAL = PROJECTIONS === 'external';
const NO_PROJECTIONS = PROJECTIONS === 'none';
const API_PROCESSES = Number(process.env.BENCH_API_PROCESSES ?? 1);
/** BENCH_PORT=N: the servers listen on N, N+1, … (a shared machine's range) rather than on ports the system picks. */
const FIRST_PORT = Number(process.env.BENCH_PORT ?? 0);
if (!Number.isInteger(FIRST_PORT) || FIRST_PORT < 0 || FIRST_PORT > 65535 - 8) throw new Error('BENCH_PORT must be a port number');
if (!Number.isInteger(API_PROCESSES) || API_PROCESSES < 1 || API_PROCESSES > 8) throw new Error('BENCH_API_PROCESSES must be an integer from 1 to 8');

export interface StepResult {
  concurrency: number;
  seconds: number;
  commands: number;
  reads: number;
  commandsPerSecond: number;
  errors: number;
  /** The errors by HTTP status, `network` for a request that got no answer. */
  errorsByStatus?: Record<string, number>;
  /** p50 and p99 per route, ms. */
  routes: Record<string, { count: number; p50: number; p99: number }>;
  commandP50Ms: number;
  commandP99Ms: number;
  lagP50Ms: number;
  lagP99Ms: number;
  /** With several servers (BENCH_API_PROCESSES): the lag p99 through each, in the order of `bases`. */
  lagP99MsByServer?: number[];
  /** Server CPU in cores (1 = one core busy all the step). */
  serverCores: number;
  /**
   * Server CPU per command, ms (the reads of the mix included): what a command costs whatever share
   * of the cores the server got, so it compares runs on a busy machine better than commands/s.
   */
  serverCpuMsPerCommand?: number;
}

export const percentile = (values: readonly number[], q: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};
const round = (value: number) => Math.round(value * 10) / 10;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** CPU seconds the process has used (user + system), from /proc; 0 where there is no /proc. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * The API (and, with BENCH_PROJECTIONS=external, the projector beside it), each in a process of its own.
 * Every front-end of the knee shares one token, so its limits per token are off (`settings` overrides).
 */
export async function startServer(dataDir: string, port: number, settings: Record<string, string> = {}, options: { projector?: boolean; spawned?: (child: ChildProcess) => void } = {}): Promise<ChildProcess[]> {
  const profileDir = process.env.SERVER_PROFILE_DIR;
  const env = {
    ...process.env, DATA_DIR: dataDir, SEAL_DIR: `${dataDir}.seals`, PORT: String(port), HOST: '127.0.0.1', API_TOKENS: `${TOKEN}:bench:supervisor`, RATE_LIMIT_PER_SECOND: '0', HEAVY_READS_PER_PRINCIPAL: '0', LOG_LEVEL: 'silent',
    SQLITE_SYNCHRONOUS: process.env.BENCH_SYNC ?? 'FULL', PROJECTIONS: NO_PROJECTIONS ? 'external' : PROJECTIONS, ...settings,
  };
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const server = spawn(process.execPath, [...profile, SERVER], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const processes = [server];
  if (EXTERNAL && options.projector !== false) processes.push(spawn(process.execPath, [...profile, PROJECTOR], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] }));
  // A caller that cleans up on a signal needs the processes before they answer (bench/console/compare.ts).
  for (const child of processes) options.spawned?.(child);
  // BENCH_SERVER_START_SECONDS: a machine others load may need longer than a minute to start the API on a large store.
  const startSeconds = Number(process.env.BENCH_SERVER_START_SECONDS ?? 60);
  const deadline = Date.now() + startSeconds * 1000;
  const fail = (message: string): never => {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
    throw new Error(message);
  };
  for (;;) {
    const exited = processes.find((child) => child.exitCode !== null);
    if (exited) fail(`${exited === server ? 'the server' : 'the projector'} exited with ${exited.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/live`)).ok) return processes;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) fail(`the server did not start in ${startSeconds} s (BENCH_SERVER_START_SECONDS)`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * One step of the load: `concurrency` front-ends for `seconds`. `observe` is told each command's log position and
 * when its answer arrived (performance.now()), for the integrations bench's feed and webhook lag.
 */
export async function step(bases: string | readonly string[], concurrency: number, seconds: number, serverPids: readonly number[], stepIndex: number, observe?: (position: number, answered: number) => void): Promise<StepResult> {
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const samples = new Map<string, number[]>();
  const servers = typeof bases === 'string' ? [bases] : bases;
  const lagsByServer = servers.map((): number[] => []);
  const errorsByStatus: Record<string, number> = {};
  let errors = 0;
  let commands = 0;
  let reads = 0;
  const record = (route: string, ms: number) => {
    let list = samples.get(route);
    if (!list) samples.set(route, (list = []));
    list.push(ms);
  };
  const deadline = performance.now() + seconds * 1000;

  const call = async (base: string, route: string, method: 'GET' | 'POST', path: string, body?: object): Promise<{ ok: boolean; json: unknown; answered: number }> => {
    const started = performance.now();
    let ok = false;
    let json: unknown;
    let status = 'network';
    try {
      const response = await fetch(`${base}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
      status = String(response.status);
      json = await response.json();
      ok = response.ok;
    } catch {
      ok = false;
    }
    const answered = performance.now();
    record(route, answered - started);
    if (method === 'POST') commands += 1;
    else reads += 1;
    if (!ok) {
      errors += 1;
      errorsByStatus[status] = (errorsByStatus[status] ?? 0) + 1;
    }
    return { ok, json, answered };
  };
  const command = async (base: string, route: string, path: string, body: object) => {
    const result = await call(base, route, 'POST', path, body);
    if (!result.ok) return undefined;
    const answer = result.json as { id: string; position: number };
    observe?.(answer.position, result.answered);
    return { ...answer, answered: result.answered };
  };
  /** The front-end's read-your-writes: the list once it shows the command; its wait is the lag. */
  const listAfter = async (server: number, customerId: string, written: { position: number; answered: number }) => {
    const base = servers[server]!;
    if (NO_PROJECTIONS) {
      await call(base, 'GET /complaints', 'GET', `/complaints?customerId=${customerId}&limit=20`);
      return;
    }
    const result = await call(base, 'GET /complaints?minPosition', 'GET', `/complaints?customerId=${customerId}&limit=20&minPosition=${written.position}`);
    if (result.ok) lagsByServer[server]!.push(result.answered - written.answered);
  };

  const client = async (worker: number) => {
    const server = worker % servers.length;
    const base = servers[server]!;
    for (let round = 0; performance.now() < deadline; round += 1) {
      const customerId = `cust-${stepIndex}-${worker}-${round % 40}`;
      const created = await command(base, 'POST /complaints', '/complaints', { customerId, channel: 'phone', cause: 'service', description: '加油机显示40升，但油箱只加进了约35升。' });
      if (!created) continue;
      await listAfter(server, customerId, created);
      const id = created.id;
      await command(base, 'POST apologise', `/complaints/${id}/apologise`, { statement: '非常抱歉给您带来不便。', channel: 'phone' });
      await command(base, 'POST validate', `/complaints/${id}/validate`, { reason: 'the pump log confirms it' });
      await command(base, 'POST assign', `/complaints/${id}/assign`, { department: 'station-ops', assignee: `agent-${worker % 12}` });
      await call(base, 'GET /complaints/{id}', 'GET', `/complaints/${id}`);
      const resolved = await command(base, 'POST resolve', `/complaints/${id}/resolve`, { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true });
      if (resolved) await listAfter(server, customerId, resolved);
      await command(base, 'POST callback', `/complaints/${id}/callback`, { outcome: 'satisfied', satisfaction: 4 + (round % 2) });
      if (round % 5 === 0) {
        // Without projections there is no customer file (404): read it only when something projects.
        if (!NO_PROJECTIONS) await call(base, 'GET /customers/{id}', 'GET', `/customers/${customerId}`);
        await call(base, 'GET /stats/complaints', 'GET', '/stats/complaints?by=cause&interval=day');
      }
    }
  };
  const serverCpu = () => serverPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const cpuBefore = serverCpu();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, worker) => client(worker)));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = serverCpu() - cpuBefore;
  const cores = cpu / elapsed;
  const lags = lagsByServer.flat();
  const commandLatencies = [...samples.entries()].filter(([route]) => route.startsWith('POST')).flatMap(([, values]) => values);
  return {
    concurrency, seconds: round(elapsed), commands, reads, commandsPerSecond: Math.round(commands / elapsed), errors,
    ...(errors > 0 ? { errorsByStatus } : {}),
    routes: Object.fromEntries([...samples.entries()].map(([route, values]) => [route, { count: values.length, p50: round(percentile(values, 0.5)), p99: round(percentile(values, 0.99)) }])),
    commandP50Ms: round(percentile(commandLatencies, 0.5)), commandP99Ms: round(percentile(commandLatencies, 0.99)),
    lagP50Ms: round(percentile(lags, 0.5)), lagP99Ms: round(percentile(lags, 0.99)),
    ...(servers.length > 1 ? { lagP99MsByServer: lagsByServer.map((values) => round(percentile(values, 0.99))) } : {}),
    serverCores: Math.round(cores * 100) / 100,
    serverCpuMsPerCommand: commands > 0 ? Math.round((cpu * 1000 / commands) * 100) / 100 : 0,
  };
}

/** The knee: the last step whose throughput grew by at least 10 % over the one before. */
export function kneeOf(steps: readonly StepResult[]): StepResult | undefined {
  let knee = steps[0];
  for (let index = 1; index < steps.length; index += 1) {
    if (steps[index]!.commandsPerSecond >= steps[index - 1]!.commandsPerSecond * 1.1) knee = steps[index];
    else break;
  }
  return knee;
}

async function main(): Promise<void> {
  const [secondsArg = '8', levelsArg = '1,2,4,8,16,32,64'] = process.argv.slice(2);
  const seconds = Number(secondsArg);
  const levels = levelsArg.split(',').map(Number);
  if (!(seconds > 0) || !levels.every((level) => Number.isInteger(level) && level > 0)) throw new Error('usage: knee.ts SECONDS_PER_STEP CONCURRENCY,CONCURRENCY,…');
  const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-knee-'));
  const processes: ChildProcess[] = [];
  const bases: string[] = [];
  try {
    // One after the other: the first creates the stores and takes the projector lease, so it is the one that projects.
    for (let index = 0; index < API_PROCESSES; index += 1) {
      const port = FIRST_PORT > 0 ? FIRST_PORT + index : await freePort();
      processes.push(...await startServer(dataDir, port, {}, { projector: index === 0 }));
      bases.push(`http://127.0.0.1:${port}`);
    }
  } catch (error) {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.seals`, { recursive: true, force: true });
    throw error;
  }
  try {
    const steps: StepResult[] = [];
    for (const [index, concurrency] of levels.entries()) {
      const result = await step(bases, concurrency, seconds, processes.map((child) => child.pid!), index);
      steps.push(result);
      process.stderr.write(`  http: ${concurrency} clients → ${result.commandsPerSecond} commands/s, p99 ${result.commandP99Ms} ms, lag p99 ${result.lagP99Ms} ms${result.lagP99MsByServer ? ` (${result.lagP99MsByServer.join(' / ')} ms by server, the first projects)` : ''}, ${result.errors} errors${result.errorsByStatus ? ` ${JSON.stringify(result.errorsByStatus)}` : ''}, ${result.serverCores} server cores, ${result.serverCpuMsPerCommand} ms CPU per command\n`);
      process.stdout.write(`${JSON.stringify({ step: result })}\n`);
    }
    process.stdout.write(`${JSON.stringify({ knee: kneeOf(steps)?.concurrency ?? null })}\n`);
  } finally {
    await Promise.all(processes.map((child) => new Promise((resolve) => {
      if (child.exitCode !== null) resolve(undefined);
      else {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }
    })));
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.seals`, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
