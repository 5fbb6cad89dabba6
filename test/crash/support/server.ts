import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..');

let built: string | undefined;
/**
 * The API built as `npm start` builds it (nest build), once per test file, into a directory of its
 * own: two suites building at once never share an output. A start then takes a second or two
 * instead of the fifteen to twenty that ts-node spends transpiling the whole app at every start,
 * which made twenty restarts most of the crash test's time. The directory is under dist/ (ignored by
 * git) so that the built code finds the checkout's node_modules, and is named after the test
 * process: each build removes those of processes that have ended (jest's sandboxed `process` never
 * tells a test file when its process exits).
 */
function builtApi(): string {
  if (built !== undefined) return built;
  const dist = join(root, 'dist');
  mkdirSync(dist, { recursive: true });
  removeBuildsOfEndedProcesses(dist);
  const dir = mkdtempSync(join(dist, `${BUILD_PREFIX}${process.pid}-`));
  const tsconfig = join(dir, 'tsconfig.json');
  writeFileSync(tsconfig, JSON.stringify({
    extends: join(root, 'apps', 'api', 'tsconfig.app.json'),
    compilerOptions: { outDir: join(dir, 'out'), sourceMap: false, typeRoots: [join(root, 'node_modules', '@types')] },
    include: [join(root, 'apps', 'api', 'src', '**', '*')],
    exclude: [join(root, 'node_modules'), join(root, '**', '*.spec.ts')],
  }));
  execFileSync(process.execPath, [join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build', 'api', '--path', relative(root, tsconfig)], { cwd: root, stdio: 'pipe' });
  built = join(dir, 'out', 'apps', 'api', 'src', 'main.js');
  return built;
}

const BUILD_PREFIX = 'api-for-tests-';

function removeBuildsOfEndedProcesses(dist: string): void {
  for (const name of readdirSync(dist)) {
    const pid = Number(/^api-for-tests-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    rmSync(join(dist, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** The seal key and seals of a test's data dir: beside it, outside it, as SEAL_DIR would be. */
export const sealDirOf = (dataDir: string): string => `${dataDir}.seals`;

export const AGENT_TOKEN = 'crash-agent-token-0123456789abcdef';
export const AUDITOR_TOKEN = 'crash-auditor-token-0123456789abcdef';

export interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with how the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the real API process (its main, built as `npm start` builds it) on a data dir. */
export function startServer(dataDir: string, env: Record<string, string> = {}): Promise<Server> {
  const child = spawn(process.execPath, [builtApi()], {
    cwd: root,
    env: {
      PATH: process.env['PATH'] ?? '', DATA_DIR: dataDir, SEAL_DIR: sealDirOf(dataDir), SEAL_INTERVAL_MS: '300', PORT: '0', LOG_LEVEL: 'warn', RATE_LIMIT_PER_SECOND: '0',
      API_TOKENS: `${AGENT_TOKEN}:crash-agent:agent,${AUDITOR_TOKEN}:crash-auditor:auditor`, ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(startLimit);
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (more: Buffer) => (output += more.toString()));
        resolve({ url: match[1]!.replace('localhost', '127.0.0.1'), child, output: () => output, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(({ code, signal }) => reject(new Error(`the server exited (${code ?? signal}) before listening:\n${output}`)));
    // A server that neither listens nor exits is stopped, so that no test leaves a process behind.
    const startLimit = setTimeout(() => child.kill('SIGKILL'), 90_000);
    void exited.then(() => clearTimeout(startLimit));
  });
}
