import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Runs an app's real entry point (through ts-node, as the sources are) and collects what it prints. */
function run(entry: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', entry], {
      cwd: root, env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('start-up with a misconfigured or unreachable engine', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-startup-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    ['the API, KurrentDB unreachable', 'apps/api/src/main.ts', { EVENT_STORE: 'kurrentdb', EVENTSTORE_URL: 'kurrentdb://admin:hunter2@127.0.0.1:1?tls=false' }, /^Configuration error: EVENTSTORE_URL: cannot reach KurrentDB/],
    ['the projector, MongoDB unreachable', 'apps/projector/src/main.ts', { READ_STORE: 'mongodb', MONGODB_URL: 'mongodb://desk:hunter2@127.0.0.1:1/desk' }, /^Configuration error: MONGODB_URL: cannot use MongoDB/],
    ['the API, a setting missing', 'apps/api/src/main.ts', { READ_STORE: 'mongodb' }, /^Configuration error: READ_STORE=mongodb needs MONGODB_URL/],
  ])('stops %s with one line naming the setting, no stack trace and no password', async (_name, entry, env, message) => {
    const result = await run(entry, { DATA_DIR: dataDir, PORT: '0', ...env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr + result.stdout).not.toContain('hunter2');
  }, 60_000);
});
