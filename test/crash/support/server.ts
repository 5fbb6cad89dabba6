import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { builtApp } from '../../support/built-app';

const root = join(__dirname, '..', '..', '..');

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
  const child = spawn(process.execPath, [builtApp('api')], {
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
