import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one of the apps' real entry points (`apps/api/src/main.ts`, `apps/cli/src/main.ts` …) as its
 * own process, through ts-node as the sources are, with only PATH and the given environment, and
 * collects what it prints and how it exits.
 */
export function runEntry(entry: string, args: readonly string[], env: Record<string, string>): Promise<Ran> {
  return runProcess(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', entry, ...args], env);
}

/** Runs a command in the checkout's root, with only PATH and the given environment; collects what it prints and how it exits. */
export function runProcess(command: string, args: readonly string[], env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { PATH: process.env['PATH'] ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
