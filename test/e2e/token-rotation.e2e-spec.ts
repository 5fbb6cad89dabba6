import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDataDir, startApp, type RunningApp } from './support/test-app';

/**
 * The configured tokens (tokens.json) rotate without a restart: the API reads the file again when it
 * changes. A file that does not read changes nothing, so a bad edit never locks everybody out.
 */
describe('rotating the configured tokens without a restart', () => {
  let app: RunningApp;
  let dir: string;
  let file: string;
  const OLD = 'old-admin-token-0123456789abcdef';
  const NEW = 'new-admin-token-0123456789abcdef';
  const ANALYST = 'analyst-rotation-0123456789abcdef';

  /** Written as editors do: to a temporary file, then renamed over the old one. */
  const writeTokens = (content: unknown) => {
    const temporary = `${file}.tmp`;
    writeFileSync(temporary, typeof content === 'string' ? content : JSON.stringify(content));
    renameSync(temporary, file);
  };
  const status = async (token: string) => (await app.request('GET', '/session', { token })).status;
  const until = async (what: () => Promise<boolean>) => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (await what()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the API did not take the change of tokens.json within 5 s');
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'complaint-desk-tokens-'));
    file = join(dir, 'tokens.json');
    writeTokens([{ token: OLD, principalId: 'ops.admin', role: 'admin' }]);
    app = await startApp(undefined, {}, { tokenFile: { path: file, pollMs: 50 } });
  });
  afterAll(async () => {
    await app.stop();
    removeDataDir(app.dataDir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes a new token beside the old one, then drops the old one, while it keeps answering', async () => {
    expect(await status(OLD)).toBe(200);
    expect(await status(NEW)).toBe(401);

    writeTokens([{ token: OLD, principalId: 'ops.admin', role: 'admin' }, { token: NEW, principalId: 'ops.admin', role: 'admin' }, { token: ANALYST, principalId: 'bi', role: 'analyst' }]);
    await until(async () => (await status(NEW)) === 200);
    expect(await status(OLD)).toBe(200);
    const session = await app.request('GET', '/session', { token: ANALYST });
    expect(session.body).toMatchObject({ principalId: 'bi', role: 'analyst' });
    // The API lists them as configured tokens, never the token itself.
    const listed = await app.request('GET', '/access/tokens', { token: NEW });
    const configured = listed.body.items.filter((item: { source: string }) => item.source === 'configuration');
    expect(configured.map((item: { principalId: string; role: string }) => `${item.principalId}/${item.role}`).sort()).toEqual(['bi/analyst', 'ops.admin/admin', 'ops.admin/admin']);
    expect(JSON.stringify(listed.body)).not.toContain(NEW);

    writeTokens([{ token: NEW, principalId: 'ops.admin', role: 'admin' }]);
    await until(async () => (await status(OLD)) === 401);
    expect(await status(NEW)).toBe(200);
    expect(await status(ANALYST)).toBe(401);
  });

  it('keeps the tokens in force when the file is broken, empty or names an unknown role, and takes the next good version', async () => {
    for (const broken of ['{"half": ', '[]', JSON.stringify([{ token: 'x'.repeat(20), principalId: 'p', role: 'superuser' }])]) {
      writeTokens(broken);
      // Long enough for several reads of the file.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect([broken, await status(NEW)]).toEqual([broken, 200]);
    }
    writeTokens([{ token: OLD, principalId: 'ops.admin', role: 'admin' }]);
    await until(async () => (await status(OLD)) === 200);
    expect(await status(NEW)).toBe(401);
  });
});
