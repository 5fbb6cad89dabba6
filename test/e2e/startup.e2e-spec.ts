import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEntry } from '../support/run-entry';

/** Runs an app's real entry point and collects what it prints. */
const run = (entry: string, env: Record<string, string>) => runEntry(entry, [], env);

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
