import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateTokenFile } from '../../apps/api/src/auth/token-file';
import { removeDataDir, startApp, newComplaint } from './support/test-app';

describe('restart', () => {
  it('keeps every complaint, event and idempotency key when the app is restarted on the same data dir', async () => {
    const first = await startApp();
    const dataDir = first.dataDir;
    try {
      const headers = { 'idempotency-key': 'before-restart' };
      const received = await first.request('POST', '/complaints', { role: 'agent', body: newComplaint, headers });
      await first.request('POST', `/complaints/${received.body.id}/validate`, { body: { reason: 'ok' } });
      const before = await first.request('GET', `/complaints/${received.body.id}/events`);
      await first.stop();

      const second = await startApp(dataDir);
      try {
        const after = await second.request('GET', `/complaints/${received.body.id}/events`);
        expect(after.body).toEqual(before.body);
        expect((await second.request('GET', `/complaints/${received.body.id}`)).body).toMatchObject({ status: 'validated', revision: 1 });
        const retried = await second.request('POST', '/complaints', { role: 'agent', body: newComplaint, headers });
        expect(retried.body).toEqual(received.body);
        expect((await second.request('POST', `/complaints/${received.body.id}/assign`, { body: { department: 'd', assignee: 'a' } })).body.revision).toBe(2);
      } finally {
        await second.stop();
      }
    } finally {
      removeDataDir(dataDir);
    }
  });
});

describe('token file', () => {
  it('is created once with one token per role, readable by its owner only, and reused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-tokens-'));
    try {
      const created = loadOrCreateTokenFile(dir);
      expect(created.created).toBe(true);
      expect(created.tokens.map((token) => token.role)).toEqual(['agent', 'supervisor', 'engineer', 'analyst', 'auditor', 'admin']);
      expect(new Set(created.tokens.map((token) => token.token)).size).toBe(6);
      expect(statSync(created.path).mode & 0o777).toBe(0o600);
      const reused = loadOrCreateTokenFile(dir);
      expect(reused).toEqual({ ...created, created: false });
    } finally {
      removeDataDir(dir);
    }
  });
});
