import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteIdempotencyStore } from '@app/read-store';
import { describeIdempotencyStoreContract } from '@app/read-store/testing';
import { runEntry } from '../support/run-entry';

describeIdempotencyStoreContract('SQLite file', async (ttlMs) => {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-keys-'));
  const filename = join(dir, 'api.sqlite');
  const store = new SqliteIdempotencyStore({ filename, ttlMs });
  return {
    store,
    openAnother: async () => new SqliteIdempotencyStore({ filename, ttlMs }),
    dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); },
  };
});

describe('SQLite idempotency store', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'complaint-desk-keys-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const response = { fingerprint: 'f', status: 201, headers: { ETag: '"0"' }, body: { id: 'c-1' } };
  const rows = (filename: string) => {
    const db = new Database(filename, { readonly: true });
    try {
      return (db.prepare('SELECT key FROM idempotency_keys ORDER BY key').all() as Array<{ key: string }>).map((row) => row.key);
    } finally {
      db.close();
    }
  };

  it('deletes expired keys on a write, at most once a minute', async () => {
    const filename = join(dir, 'api.sqlite');
    const store = new SqliteIdempotencyStore({ filename, ttlMs: 10_000 });
    try {
      const t0 = Date.parse('2026-03-01T08:00:00.000Z');
      await store.put('agent-1', 'a', response, new Date(t0));
      await store.put('agent-1', 'b', response, new Date(t0 + 30_000));
      expect(rows(filename)).toEqual(['a', 'b']);
      await store.put('agent-1', 'c', response, new Date(t0 + 60_000));
      expect(rows(filename)).toEqual(['c']);
    } finally {
      await store.close();
    }
  });

  it('gives the keys of a file from before keys expired the TTL from when they were stored', async () => {
    const filename = join(dir, 'api.sqlite');
    const db = new Database(filename);
    db.exec(`CREATE TABLE idempotency_keys (principal TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, status INTEGER NOT NULL,
      headers TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (principal, key))`);
    db.prepare('INSERT INTO idempotency_keys VALUES (?, ?, ?, ?, ?, ?, ?)').run('agent-1', 'old', 'f', 201, '{"ETag":"\\"0\\""}', '{"id":"c-1"}', '2026-03-01T08:00:00.000Z');
    db.close();
    const store = new SqliteIdempotencyStore({ filename, ttlMs: 3_600_000 });
    try {
      expect(await store.get('agent-1', 'old', new Date('2026-03-01T08:59:59.999Z'))).toEqual(response);
      expect(await store.get('agent-1', 'old', new Date('2026-03-01T09:00:00.000Z'))).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('lets several processes open one new file at the same instant (API instances starting together)', async () => {
    const rounds = 60;
    const startAt = Date.now() + 6_000; // after every process has loaded
    const runs = await Promise.all(Array.from({ length: 3 }, () => runEntry('test/support/open-idempotency-stores.ts', [dir, String(rounds), String(startAt), '25'], {})));
    expect(runs.map((run) => `${run.code} ${run.stdout.trim()}${run.stderr}`)).toEqual(Array(3).fill(`0 opened ${rounds}`));
  }, 60_000);

  it('refuses a TTL that is not a positive whole number of milliseconds', () => {
    for (const ttlMs of [0, -1, 1.5, Number.NaN]) expect(() => new SqliteIdempotencyStore({ filename: join(dir, 'api.sqlite'), ttlMs })).toThrow(RangeError);
  });
});
