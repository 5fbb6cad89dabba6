import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generationOf } from '@app/projections';
import { ALL_PROJECTIONS } from '@app/read-models';
import { SqliteReadStore, generationCollection } from '@app/read-store';
import { newComplaint, startApp } from './support/test-app';

const root = join(__dirname, '..', '..');

/** apps/projector on its own, on the embedded stores: its default is two worker threads, each with a group of projections. */
describe('the projector process (apps/projector)', () => {
  jest.setTimeout(420_000);

  it('builds every read model on two threads up to the end of the log, and stops cleanly on SIGTERM', async () => {
    // The API writes the events and runs no projection itself.
    const api = await startApp(undefined, { projections: 'external' });
    const created = await api.request('POST', '/complaints', { body: newComplaint, role: 'agent' });
    expect(created.status).toBe(201);
    const validated = await api.request('POST', `/complaints/${created.body.id}/validate`, { body: { reason: 'Pump log shows it.' } });
    const { dataDir } = api;
    await api.stop();

    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/projector/src/main.ts'], {
      cwd: root, env: { PATH: process.env['PATH'] ?? '', DATA_DIR: dataDir, LEASE_TTL_MS: '3000' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      // Every projection's checkpoint reaches the last event: read from the read store's file, as any reader would.
      const generations = ALL_PROJECTIONS.map((projection) => generationOf(projection));
      // Its start first: the process and each of its threads compile the sources (ts-node), which a busy machine may
      // take long over; catching up is what is waited for after that. Speed is the benchmarks' business, not this test's.
      const starting = Date.now();
      while (!stdout.includes('"threads"')) {
        if (child.exitCode !== null) throw new Error(`the projector exited with ${child.exitCode} before it started:\n${stdout}\n${stderr}`);
        if (Date.now() - starting > 240_000) throw new Error(`the projector did not start in 240 s:\n${stdout}\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const started = Date.now();
      let checkpoints: number[] = [];
      while (!(checkpoints.length === generations.length && checkpoints.every((position) => position >= validated.body.position))) {
        if (Date.now() - started > 90_000) throw new Error(`the projector did not catch up in 90 s: ${JSON.stringify(checkpoints)}\n${stdout}\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
        checkpoints = await readCheckpoints(join(dataDir, 'read.sqlite'), generations);
      }
      const reader = new SqliteReadStore({ filename: join(dataDir, 'read.sqlite') });
      const listGeneration = generationOf(ALL_PROJECTIONS.find((projection) => projection.name === 'complaint-list')!);
      const item = await reader.get(generationCollection(listGeneration, 'complaints'), created.body.id);
      await reader.close();
      expect(item).toMatchObject({ id: created.body.id, status: 'validated' });
      // It says how it split the work: two groups that hold every projection once.
      const start = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { threads?: string[][] }).find((entry) => entry.threads);
      expect(start?.threads).toHaveLength(2);
      expect(start!.threads!.flat().sort()).toEqual(ALL_PROJECTIONS.map((projection) => projection.name).sort());
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stdout).toContain('projector stopped');
    expect(stderr).toBe('');
  });

  it('ends with exit code 0 on a SIGTERM while its modules still load (a second or more on a busy machine), before any handler of main() is set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-projector-signal-'));
    try {
      // Holds the load of ./projector (the projector's code, which main.ts loads) for 3 s, and says when it starts:
      // the signal arrives in the middle of the modules' loading, every time.
      const loading = join(dir, 'loading');
      const hold = join(dir, 'hold.js');
      writeFileSync(hold, `const Module = require('node:module'); const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === './projector') { require('node:fs').writeFileSync(${JSON.stringify(loading)}, ''); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000); }
  return load.call(this, request, ...rest);
};`);
      const child = spawn(process.execPath, ['-r', hold, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/projector/src/main.ts'], {
        cwd: root, env: { PATH: process.env['PATH'] ?? '', DATA_DIR: join(dir, 'data'), SEALS: 'off' },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
      const starting = Date.now();
      while (!existsSync(loading)) {
        if (child.exitCode !== null || Date.now() - starting > 240_000) throw new Error(`the projector did not load its modules:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(stderr).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The checkpoints of these generations (empty while the projector has not created the file). */
async function readCheckpoints(file: string, generations: readonly string[]): Promise<number[]> {
  if (!existsSync(file)) return [];
  const reader = new SqliteReadStore({ filename: file });
  try {
    return await Promise.all(generations.map((generation) => reader.checkpoint(generation)));
  } finally {
    await reader.close();
  }
}
